import type { Db } from '../open-database';
import type { KeyKind } from '../../secrets';

/** What a request needs to know about the key it presented. */
export interface ActiveKeyRow {
  merchant_id: number;
  brand_id: number | null;
  kind: KeyKind;
}

/**
 * The lookup every authenticated request makes: one active key by its digest (credentials'
 * UNIQUE key_hash index). Prepared once per connection, not once per request, and still read
 * on every request, so a key rotated by this process or another (the CLI) stops at once.
 */
export function prepareKeyLookup(db: Db): (keyHash: string) => ActiveKeyRow | undefined {
  const byHash = db.prepare('SELECT merchant_id, brand_id, kind FROM credentials WHERE key_hash = ? AND revoked_at IS NULL');
  return (keyHash) => byHash.get(keyHash) as ActiveKeyRow | undefined;
}
