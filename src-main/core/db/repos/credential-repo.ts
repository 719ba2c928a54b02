import type { Db } from '../open-database';
import type { KeyKind } from '../../secrets';

export interface CredentialRow {
  id: number;
  merchant_id: number;
  brand_id: number | null;
  kind: KeyKind;
  key_hash: string;
  key_hint: string;
  created_at: number;
  revoked_at: number | null;
}

export function insertCredential(
  db: Db,
  row: { merchantId: number; brandId: number | null; kind: KeyKind; hash: string; hint: string; now: number },
): void {
  db.prepare('INSERT INTO credentials (merchant_id, brand_id, kind, key_hash, key_hint, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    row.merchantId,
    row.brandId,
    row.kind,
    row.hash,
    row.hint,
    row.now,
  );
}

export function revokeActive(db: Db, merchantId: number, kind: KeyKind, now: number): number {
  return db
    .prepare('UPDATE credentials SET revoked_at = ? WHERE merchant_id = ? AND kind = ? AND revoked_at IS NULL')
    .run(now, merchantId, kind).changes;
}

export function activeCredentials(db: Db, merchantId: number): CredentialRow[] {
  return db
    .prepare('SELECT * FROM credentials WHERE merchant_id = ? AND revoked_at IS NULL ORDER BY id')
    .all(merchantId) as CredentialRow[];
}

/** Looks a presented key up by its digest among the active keys of the given kinds. */
export function findActiveByHash(db: Db, hash: string, kinds: readonly KeyKind[]): CredentialRow | undefined {
  const row = db.prepare('SELECT * FROM credentials WHERE key_hash = ? AND revoked_at IS NULL').get(hash) as CredentialRow | undefined;
  return row && kinds.includes(row.kind) ? row : undefined;
}
