import type { SyncBatchResponse, SyncEvent } from '../src-shared/contract/sync';
import type { SqlClient, SqlRunner } from './db/sql-client';
import { CloudError } from './errors';
import type { ParsedBatch } from './sync-schema';

/** Event types whose `session` the cloud applies; it stores any other type and applies nothing. */
const APPLIED_TYPES: ReadonlySet<string> = new Set(['session.updated', 'transaction.reversed']);

/**
 * Applies one batch for one shop in one transaction, strictly in sequence (docs/sync.md):
 * `seq <= cursor` is a replay (counted, ignored), `cursor + 1` onwards is stored and applied,
 * a batch that begins past `cursor + 1` stores nothing and answers `waiting_for`.
 *
 * The shop's row is locked first (`SELECT … FOR UPDATE`), so two cloud processes (or two
 * requests in one) applying the same shop's batches at once take turns: the second sees the
 * first's cursor and counts its events as replays. Nothing is doubled and nothing skipped.
 */
export async function applyBatch(
  db: SqlClient,
  shopId: string,
  batch: ParsedBatch,
  rawEvents: readonly SyncEvent[],
): Promise<SyncBatchResponse> {
  return db.transaction(async (tx) => {
    const [shop] = await tx.query<{ stream: string | null; cursor: number }>('SELECT stream, cursor FROM shops WHERE id = $1 FOR UPDATE', [
      shopId,
    ]);
    if (!shop) throw new CloudError('unauthorized', 'This sync token no longer names a shop.');
    if (shop.stream !== null && shop.stream !== batch.stream) {
      throw new CloudError('sync_stream_mismatch');
    }
    let cursor = shop.cursor;
    let fresh = batch.events.map((event, i) => ({ event, raw: rawEvents[i] as SyncEvent })).filter((e) => e.event.seq > cursor);
    let duplicates = batch.events.length - fresh.length;
    let waitingFor: number | null = null;
    if (fresh.length > 0 && fresh[0]?.event.seq !== cursor + 1) {
      waitingFor = cursor + 1;
      fresh = [];
    }
    let applied = 0;
    if (fresh.length > 0) {
      const stored = await storeEvents(tx, shopId, batch.stream, fresh);
      duplicates += fresh.length - stored.size;
      applied = stored.size;
      await upsertSessions(
        tx,
        shopId,
        batch.stream,
        fresh.filter((e) => stored.has(e.event.id)),
      );
      cursor = (fresh[fresh.length - 1] as { event: { seq: number } }).event.seq;
    }
    await tx.query('UPDATE shops SET stream = $2, cursor = $3, app_version = $4, last_batch_at = now() WHERE id = $1', [
      shopId,
      batch.stream,
      cursor,
      batch.app_version,
    ]);
    await replaceKeyDigests(tx, shopId, batch.keys);
    return { ack_seq: cursor, applied, duplicates, waiting_for: waitingFor };
  });
}

type Fresh = { event: ParsedBatch['events'][number]; raw: SyncEvent };

/**
 * Inserts the events (one statement for the whole batch); returns the ids actually stored. An id
 * the shop already has under an older stream (a restored counter resending an event after
 * `shop reset-stream`) is a duplicate: kept once, not applied again. The same id under a new
 * number of the same stream breaks the protocol: 409 `conflict`, and nothing of the batch stays.
 */
async function storeEvents(tx: SqlRunner, shopId: string, stream: string, fresh: readonly Fresh[]): Promise<Set<string>> {
  const rows = await tx.query<{ event_id: string }>(
    `INSERT INTO events (shop_id, stream, seq, event_id, type, session_id, created_at, body)
     SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
     ON CONFLICT DO NOTHING
     RETURNING event_id`,
    [
      shopId,
      stream,
      fresh.map((e) => e.event.seq),
      fresh.map((e) => e.event.id),
      fresh.map((e) => e.event.type),
      fresh.map((e) => e.event.session?.id ?? null),
      fresh.map((e) => e.event.created_at),
      fresh.map((e) => JSON.stringify(e.raw)),
    ],
  );
  const stored = new Set(rows.map((r) => r.event_id));
  if (stored.size < fresh.length) {
    const missing = fresh.filter((e) => !stored.has(e.event.id)).map((e) => e.event.id);
    const sameStream = await tx.query<{ event_id: string }>(
      'SELECT event_id FROM events WHERE shop_id = $1 AND stream = $2 AND event_id = ANY($3::text[]) LIMIT 1',
      [shopId, stream, missing],
    );
    if (sameStream.length > 0) {
      throw new CloudError(
        'conflict',
        `Event ${sameStream[0]?.event_id} was already stored under another sequence number of this stream.`,
        {
          field: 'events',
        },
      );
    }
  }
  return stored;
}

/** The latest state of each session the batch touched: its last event wins (events are in order). */
async function upsertSessions(tx: SqlRunner, shopId: string, stream: string, stored: readonly Fresh[]): Promise<void> {
  const latest = new Map<string, Fresh>();
  for (const e of stored) {
    if (e.event.session && APPLIED_TYPES.has(e.event.type)) latest.set(e.event.session.id, e);
  }
  if (latest.size === 0) return;
  const rows = [...latest.values()];
  await tx.query(
    `INSERT INTO sessions (shop_id, last_stream, id, test, order_id, status, created_at, view, last_seq)
     SELECT $1, $2, * FROM unnest($3::text[], $4::boolean[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::bigint[])
     ON CONFLICT (shop_id, id) DO UPDATE SET
       test = excluded.test, order_id = excluded.order_id, status = excluded.status, created_at = excluded.created_at,
       view = excluded.view, last_stream = excluded.last_stream, last_seq = excluded.last_seq`,
    [
      shopId,
      stream,
      rows.map((e) => e.event.session?.id),
      rows.map((e) => e.event.session?.test),
      rows.map((e) => e.event.session?.order_id),
      rows.map((e) => e.event.session?.status),
      rows.map((e) => e.event.session?.created_at),
      rows.map((e) => JSON.stringify(e.raw.session)),
      rows.map((e) => e.event.seq),
    ],
  );
}

/** The shop's key digests become exactly the batch's (a rotated key stops reading at once). */
async function replaceKeyDigests(tx: SqlRunner, shopId: string, keys: ParsedBatch['keys']): Promise<void> {
  const wanted = [...new Set(keys.live)].map((d) => `live:${d}`).concat([...new Set(keys.test)].map((d) => `test:${d}`));
  const current = await tx.query<{ mode: string; digest: string }>('SELECT mode, digest FROM shop_key_digests WHERE shop_id = $1', [
    shopId,
  ]);
  const have = current.map((r) => `${r.mode}:${r.digest}`);
  if (have.length === wanted.length && have.every((k) => wanted.includes(k))) return;
  await tx.query('DELETE FROM shop_key_digests WHERE shop_id = $1', [shopId]);
  // A digest listed as both live and test is nonsense from the counter; the live entry wins.
  const byDigest = new Map<string, string>();
  for (const k of wanted) {
    const [mode, digest] = k.split(':') as [string, string];
    if (!byDigest.has(digest)) byDigest.set(digest, mode);
  }
  if (byDigest.size === 0) return;
  await tx.query('INSERT INTO shop_key_digests (shop_id, digest, mode) SELECT $1, * FROM unnest($2::text[], $3::text[])', [
    shopId,
    [...byDigest.keys()],
    [...byDigest.values()],
  ]);
}
