import type { Db } from '../open-database';

export interface SyncStateRow {
  merchant_id: number;
  stream: string;
  last_seq: number;
  acked_seq: number;
  keys_sent: string | null;
  failures: number;
  last_success_at: number | null;
  last_attempt_at: number | null;
  last_error: string | null;
  next_attempt_at: number;
}

/** The counter's side of the sync protocol, one row per shop. */
export function prepareSyncRepo(db: Db) {
  const get = db.prepare('SELECT * FROM sync_state WHERE merchant_id = ?');
  const create = db.prepare('INSERT OR IGNORE INTO sync_state (merchant_id, stream) VALUES (?, ?)');
  const numbered = db.prepare('UPDATE sync_state SET last_seq = ? WHERE merchant_id = ?');
  const attempt = db.prepare('UPDATE sync_state SET last_attempt_at = ? WHERE merchant_id = ?');
  const succeeded = db.prepare(
    `UPDATE sync_state SET acked_seq = max(acked_seq, @acked), keys_sent = @keys, failures = 0, last_success_at = @now,
       last_error = NULL, next_attempt_at = @next WHERE merchant_id = @merchant`,
  );
  const failed = db.prepare(
    `UPDATE sync_state SET failures = failures + 1, last_error = @error, next_attempt_at = @next WHERE merchant_id = @merchant`,
  );
  const restart = db.prepare(
    `UPDATE sync_state SET stream = ?, last_seq = 0, acked_seq = 0, keys_sent = NULL, failures = 0, last_error = NULL,
       next_attempt_at = 0 WHERE merchant_id = ?`,
  );
  const resume = db.prepare('UPDATE sync_state SET failures = 0, next_attempt_at = 0 WHERE merchant_id = ?');
  return {
    get: (merchantId: number) => get.get(merchantId) as SyncStateRow | undefined,
    /** Creates the row with its stream the first time; an existing row is kept. */
    ensure: (merchantId: number, stream: string) => {
      create.run(merchantId, stream);
      return get.get(merchantId) as SyncStateRow;
    },
    setLastSeq: (merchantId: number, lastSeq: number) => numbered.run(lastSeq, merchantId),
    attempted: (merchantId: number, now: number) => attempt.run(now, merchantId),
    succeeded: (merchantId: number, acked: number, keys: string, now: number, next: number) =>
      succeeded.run({ merchant: merchantId, acked, keys, now, next }),
    failed: (merchantId: number, error: string, next: number) => failed.run({ merchant: merchantId, error, next }),
    /** A new stream, numbered from 1 again (`sync reseed`). */
    restart: (merchantId: number, stream: string) => restart.run(stream, merchantId),
    /** Settings changed: try at once, with a fresh backoff. */
    resume: (merchantId: number) => resume.run(merchantId),
  };
}

export type SyncRepo = ReturnType<typeof prepareSyncRepo>;
