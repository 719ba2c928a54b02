import type { Db } from '../open-database';

/** All SQL of the idempotency_keys table (migration 0020). */
export interface IdempotencyRow {
  key_hash: string;
  fingerprint: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: number;
  completed_at: number | null;
  expires_at: number;
}

export function findIdempotencyRow(db: Db, keyHash: string): IdempotencyRow | undefined {
  return db.prepare('SELECT * FROM idempotency_keys WHERE key_hash = ?').get(keyHash) as IdempotencyRow | undefined;
}

/** Claims a key for a first transmission, replacing any row already there (expired or orphaned). */
export function claimIdempotencyKey(db: Db, row: { keyHash: string; fingerprint: string; now: number; expiresAt: number }): void {
  db.prepare(
    `INSERT INTO idempotency_keys (key_hash, fingerprint, state, created_at, expires_at)
     VALUES (@keyHash, @fingerprint, 'in_flight', @now, @expiresAt)
     ON CONFLICT (key_hash) DO UPDATE SET
       fingerprint = excluded.fingerprint, state = 'in_flight', response_status = NULL, response_body = NULL,
       created_at = excluded.created_at, completed_at = NULL, expires_at = excluded.expires_at`,
  ).run(row);
}

/** Stores the first transmission's answer; false if the row is no longer in flight. */
export function completeIdempotencyKey(
  db: Db,
  row: { keyHash: string; fingerprint: string; status: number; body: string; now: number },
): boolean {
  return (
    db
      .prepare(
        `UPDATE idempotency_keys SET state = 'done', response_status = @status, response_body = @body, completed_at = @now
         WHERE key_hash = @keyHash AND fingerprint = @fingerprint AND state = 'in_flight'`,
      )
      .run(row).changes === 1
  );
}

/** Forgets an in-flight claim (the answer was a 5xx or was not JSON), so a retry runs again. */
export function releaseIdempotencyKey(db: Db, keyHash: string, fingerprint: string): boolean {
  return (
    db.prepare("DELETE FROM idempotency_keys WHERE key_hash = ? AND fingerprint = ? AND state = 'in_flight'").run(keyHash, fingerprint)
      .changes === 1
  );
}

/** Deletes rows whose retention ended; returns how many. */
export function deleteExpiredIdempotencyKeys(db: Db, now: number): number {
  return db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(now).changes;
}

export function countIdempotencyKeys(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM idempotency_keys').get() as { n: number }).n;
}
