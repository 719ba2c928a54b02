import type { SqlRunner } from './db/sql-client';
import { CloudError } from './errors';
import { digestOf } from './tokens';
import { isoOrNull } from './shops';

/**
 * The merchant's read API on the cloud: the sessions a shop synced, read with that shop's own
 * X-API-Key, which the cloud knows only by the digest the counter sent. Sessions are returned as
 * the stored text of the counter's own SessionView, so the bytes match the counter's answer.
 */
export interface MerchantReader {
  shopId: string;
  test: boolean;
  /** When the shop last reported in: the X-CounterPay-Synced-At header. */
  syncedAt: string | null;
}

/**
 * The shop and mode an X-API-Key belongs to. Unknown, malformed or ambiguous (a digest two shops
 * claim, which only a broken or hostile counter could cause) → 401 `unauthorized`.
 */
export async function readerOf(db: SqlRunner, presented: unknown): Promise<MerchantReader> {
  const key = typeof presented === 'string' ? presented.trim() : '';
  if (key.length < 8 || key.length > 200) throw new CloudError('unauthorized', 'Invalid or missing API key (X-API-Key).');
  const rows = await db.query<{ shop_id: string; mode: string; last_batch_at: Date | string | null }>(
    `SELECT k.shop_id, k.mode, s.last_batch_at FROM shop_key_digests k JOIN shops s ON s.id = k.shop_id WHERE k.digest = $1 LIMIT 2`,
    [digestOf(key)],
  );
  const [row] = rows;
  if (!row || rows.length > 1) throw new CloudError('unauthorized', 'Invalid or missing API key (X-API-Key).');
  return { shopId: row.shop_id, test: row.mode === 'test', syncedAt: isoOrNull(row.last_batch_at) };
}

/**
 * PostgreSQL text cannot hold U+0000, so no stored id or order_id contains it (sync-schema refuses
 * it); a value with one names nothing, and is answered as such instead of reaching the database
 * (which would refuse the parameter: a 500 anyone with a key could cause at will).
 */
const unstorable = (value: string) => value.includes('\u0000');

/** One session's stored view (JSON text), or 404 `session_not_found` (another shop's, the other mode's, or none). */
export async function sessionText(db: SqlRunner, reader: MerchantReader, id: string): Promise<string> {
  if (unstorable(id)) throw new CloudError('session_not_found');
  const [row] = await db.query<{ view: string }>('SELECT view FROM sessions WHERE shop_id = $1 AND id = $2 AND test = $3', [
    reader.shopId,
    id,
    reader.test,
  ]);
  if (!row) throw new CloudError('session_not_found');
  return row.view;
}

/** An order's sessions as the counter orders them: the paid one first, then newest first, then by id in byte order (SQLite's). */
export async function orderSessionTexts(db: SqlRunner, reader: MerchantReader, orderId: string): Promise<string[]> {
  if (unstorable(orderId)) throw new CloudError('session_not_found', 'No session for this order_id.');
  const rows = await db.query<{ view: string }>(
    `SELECT view FROM sessions WHERE shop_id = $1 AND test = $2 AND order_id = $3
     ORDER BY (status = 'success') DESC, created_at DESC, id COLLATE "C"`,
    [reader.shopId, reader.test, orderId],
  );
  if (rows.length === 0) throw new CloudError('session_not_found', `No session for order_id ${orderId}.`);
  return rows.map((r) => r.view);
}
