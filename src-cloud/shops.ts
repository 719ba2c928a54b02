import type { SqlRunner } from './db/sql-client';
import { streamNameOf } from './stream-key';
import { digestOf, newShopId, newSyncToken } from './tokens';

/**
 * The shops the cloud knows: created by `cloud shop add` (or the local admin channel), found by
 * their sync token's digest on every batch. The token itself is shown once and never stored.
 */
export interface ShopSummary {
  shop_id: string;
  name: string;
  stream: string | null;
  cursor: number;
  app_version: string | null;
  last_batch_at: string | null;
  created_at: string;
}

export async function addShop(db: SqlRunner, name: string): Promise<{ shop_id: string; sync_token: string }> {
  const shopId = newShopId();
  const token = newSyncToken();
  await db.query('INSERT INTO shops (id, name, token_digest) VALUES ($1, $2, $3)', [shopId, name, digestOf(token)]);
  return { shop_id: shopId, sync_token: token };
}

export async function listShops(db: SqlRunner): Promise<ShopSummary[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    stream: string | null;
    cursor: number;
    app_version: string | null;
    last_batch_at: Date | string | null;
    created_at: Date | string;
  }>('SELECT id, name, stream, cursor, app_version, last_batch_at, created_at FROM shops ORDER BY created_at, id');
  return rows.map((r) => ({
    shop_id: r.id,
    name: r.name,
    stream: r.stream === null ? null : streamNameOf(r.stream),
    cursor: r.cursor,
    app_version: r.app_version,
    last_batch_at: isoOrNull(r.last_batch_at),
    created_at: isoOrNull(r.created_at) as string,
  }));
}

/**
 * Forgets the shop's stream, its cursor and its numbering, so the next batch's stream (a counter
 * restored from a backup, or a new counter database) is adopted and numbered from 1 again, even
 * when it has the same name as the old one: its events are stored under a new generation of that
 * name (src-cloud/stream-key.ts), so no number the old stream used is taken. The old stream's
 * events stay stored; sessions take whatever the new stream says next (docs/sync.md). False: no
 * such shop.
 */
export async function resetStream(db: SqlRunner, shopId: string): Promise<boolean> {
  if (shopId.includes('\u0000')) return false;
  const rows = await db.query<{ id: string }>('UPDATE shops SET stream = NULL, cursor = 0 WHERE id = $1 RETURNING id', [shopId]);
  return rows.length === 1;
}

/** The shop a sync token belongs to, or null. */
export async function shopByToken(db: SqlRunner, token: string): Promise<{ id: string } | null> {
  const rows = await db.query<{ id: string }>('SELECT id FROM shops WHERE token_digest = $1', [digestOf(token)]);
  return rows[0] ?? null;
}

/** A timestamp column as ISO 8601, whichever driver read it. */
export function isoOrNull(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
