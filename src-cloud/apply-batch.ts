import type { SyncBatchResponse, SyncEvent } from '../src-shared/contract/sync';
import { sqlState, UNIQUE_VIOLATION, type SqlClient, type SqlRunner } from './db/sql-client';
import { CloudError } from './errors';
import { adoptStreamKey, streamNameOf } from './stream-key';
import type { ParsedBatch } from './sync-schema';

/** Event types whose `session` the cloud applies; it stores any other type and applies nothing. */
const APPLIED_TYPES: ReadonlySet<string> = new Set(['session.updated', 'transaction.reversed']);

/**
 * Applies one batch for one shop in one transaction, strictly in sequence (docs/sync.md):
 * `seq <= cursor` is a replay (counted, ignored, but only with the event id stored at that
 * number), `cursor + 1` onwards is stored and applied, a batch that begins past `cursor + 1`
 * stores nothing and answers `waiting_for`.
 *
 * The shop's row is locked first (`SELECT … FOR UPDATE`), so two cloud processes (or two
 * requests in one) applying the same shop's batches at once take turns: the second sees the
 * first's cursor and counts its events as replays. Nothing is doubled and nothing skipped.
 *
 * A batch refused with 409 (another stream, or numbers that clash with stored events) changes
 * nothing, except that the shop's key digests the batch no longer lists are dropped (none is
 * added): the token is the shop's, and a key its merchant rotated away must stop reading even
 * while an operator has yet to mend the stream.
 */
export async function applyBatch(
  db: SqlClient,
  shopId: string,
  batch: ParsedBatch,
  rawEvents: readonly SyncEvent[],
): Promise<SyncBatchResponse> {
  try {
    return await db.transaction((tx) => applyIn(tx, shopId, batch, rawEvents));
  } catch (err) {
    if (err instanceof CloudError && err.status === 409) {
      await db.transaction((tx) => revokeUnlistedDigests(tx, shopId, batch.keys));
    }
    throw err;
  }
}

type Fresh = { event: ParsedBatch['events'][number]; raw: SyncEvent };

async function applyIn(tx: SqlRunner, shopId: string, batch: ParsedBatch, rawEvents: readonly SyncEvent[]): Promise<SyncBatchResponse> {
  const [shop] = await tx.query<{ stream: string | null; cursor: number }>('SELECT stream, cursor FROM shops WHERE id = $1 FOR UPDATE', [
    shopId,
  ]);
  if (!shop) throw new CloudError('unauthorized', 'This sync token no longer names a shop.');
  if (shop.stream !== null && streamNameOf(shop.stream) !== batch.stream) {
    throw new CloudError('sync_stream_mismatch');
  }
  // The key this stream's events are stored under: adopted (after a reset, a fresh numbering) or kept.
  const key = shop.stream ?? (await adoptStreamKey(tx, shopId, batch.stream));
  let cursor = shop.cursor;
  const all: Fresh[] = batch.events.map((event, i) => ({ event, raw: rawEvents[i] as SyncEvent }));
  const replays = all.filter((e) => e.event.seq <= cursor);
  await checkReplays(tx, shopId, key, replays);
  let fresh = all.filter((e) => e.event.seq > cursor);
  let duplicates = replays.length;
  let waitingFor: number | null = null;
  if (fresh.length > 0 && fresh[0]?.event.seq !== cursor + 1) {
    waitingFor = cursor + 1;
    fresh = [];
  }
  let applied = 0;
  if (fresh.length > 0) {
    const stored = await storeEvents(tx, shopId, key, fresh);
    duplicates += fresh.length - stored.size;
    applied = stored.size;
    // Only rows actually stored are applied (an event already stored from an older stream is not).
    await upsertSessions(
      tx,
      shopId,
      key,
      fresh.filter((e) => stored.has(e.event.seq)),
    );
    cursor = (fresh[fresh.length - 1] as Fresh).event.seq;
  }
  await tx.query('UPDATE shops SET stream = $2, cursor = $3, app_version = $4, last_batch_at = now() WHERE id = $1', [
    shopId,
    key,
    cursor,
    batch.app_version,
  ]);
  await replaceKeyDigests(tx, shopId, batch.keys);
  return { ack_seq: cursor, applied, duplicates, waiting_for: waitingFor };
}

function sequenceConflict(from: number, to = from): CloudError {
  const which = from === to ? `number ${from}` : `one of the numbers ${from} to ${to}`;
  return new CloudError(
    'sync_sequence_conflict',
    `The cloud stored another event as ${which} of this stream: this counter's numbering forked from what it sent before (a counter restored from a backup, or two counters sharing one database). Run sync reseed on the counter, then cloud shop reset-stream on the cloud.`,
    { field: 'events' },
  );
}

/**
 * A replay is acknowledged only if it IS the event the cloud holds at that number: the same id
 * stored at (shop, stream, seq), or, for a number that was acknowledged as a duplicate of an
 * older stream's event (after reset-stream), that id stored under the older stream. Any other id
 * proves the counter's numbering forked (it was restored from a backup and numbered new events
 * again): 409 `sync_sequence_conflict`, never a silent drop.
 */
async function checkReplays(tx: SqlRunner, shopId: string, key: string, replays: readonly Fresh[]): Promise<void> {
  if (replays.length === 0) return;
  const rows = await tx.query<{ seq: number; event_id: string }>(
    'SELECT seq, event_id FROM events WHERE shop_id = $1 AND stream = $2 AND seq = ANY($3::bigint[])',
    [shopId, key, replays.map((e) => e.event.seq)],
  );
  const stored = new Map(rows.map((r) => [Number(r.seq), r.event_id]));
  const unkept: Fresh[] = [];
  for (const e of replays) {
    const id = stored.get(e.event.seq);
    if (id === undefined) unkept.push(e);
    else if (id !== e.event.id) throw sequenceConflict(e.event.seq);
  }
  if (unkept.length === 0) return;
  const older = await tx.query<{ event_id: string }>(
    'SELECT event_id FROM events WHERE shop_id = $1 AND stream <> $2 AND event_id = ANY($3::text[])',
    [shopId, key, unkept.map((e) => e.event.id)],
  );
  const known = new Set(older.map((r) => r.event_id));
  const stray = unkept.find((e) => !known.has(e.event.id));
  if (stray) throw sequenceConflict(stray.event.seq);
}

/**
 * Inserts the events (one statement for the whole batch); returns the sequence numbers actually
 * stored. Only an event id the shop already has is skipped (ON CONFLICT on that key alone): if
 * it is from an older stream (a counter resending an old event after `shop reset-stream`) it is
 * a duplicate, kept once and not applied again; the same id under a new number of the same
 * stream breaks the protocol: 409 `conflict`. A number already taken in this stream can only
 * mean a forked numbering: the primary key raises, and that is 409 `sync_sequence_conflict`.
 * Either way nothing of the batch stays.
 */
async function storeEvents(tx: SqlRunner, shopId: string, key: string, fresh: readonly Fresh[]): Promise<Set<number>> {
  let rows: { seq: number }[];
  try {
    rows = await tx.query<{ seq: number }>(
      `INSERT INTO events (shop_id, stream, seq, event_id, type, session_id, created_at, body)
       SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
       ON CONFLICT (shop_id, event_id) DO NOTHING
       RETURNING seq`,
      [
        shopId,
        key,
        fresh.map((e) => e.event.seq),
        fresh.map((e) => e.event.id),
        fresh.map((e) => e.event.type),
        fresh.map((e) => e.event.session?.id ?? null),
        fresh.map((e) => e.event.created_at),
        fresh.map((e) => JSON.stringify(e.raw)),
      ],
    );
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION)
      throw sequenceConflict((fresh[0] as Fresh).event.seq, (fresh[fresh.length - 1] as Fresh).event.seq);
    throw err;
  }
  const stored = new Set(rows.map((r) => Number(r.seq)));
  if (stored.size < fresh.length) {
    const missing = fresh.filter((e) => !stored.has(e.event.seq)).map((e) => e.event.id);
    const sameStream = await tx.query<{ event_id: string }>(
      'SELECT event_id FROM events WHERE shop_id = $1 AND stream = $2 AND event_id = ANY($3::text[]) LIMIT 1',
      [shopId, key, missing],
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
async function upsertSessions(tx: SqlRunner, shopId: string, key: string, stored: readonly Fresh[]): Promise<void> {
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
      key,
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

/** The batch's key digests as `mode:digest` (a digest listed as both live and test is nonsense from the counter; live wins). */
function listedDigests(keys: ParsedBatch['keys']): Map<string, 'live' | 'test'> {
  const byDigest = new Map<string, 'live' | 'test'>();
  for (const d of keys.live) byDigest.set(d, 'live');
  for (const d of keys.test) if (!byDigest.has(d)) byDigest.set(d, 'test');
  return byDigest;
}

/** The shop's key digests become exactly the batch's (a rotated key stops reading at once). */
async function replaceKeyDigests(tx: SqlRunner, shopId: string, keys: ParsedBatch['keys']): Promise<void> {
  const wanted = listedDigests(keys);
  const current = await tx.query<{ mode: string; digest: string }>('SELECT mode, digest FROM shop_key_digests WHERE shop_id = $1', [
    shopId,
  ]);
  if (current.length === wanted.size && current.every((r) => wanted.get(r.digest) === r.mode)) return;
  await tx.query('DELETE FROM shop_key_digests WHERE shop_id = $1', [shopId]);
  if (wanted.size === 0) return;
  await tx.query('INSERT INTO shop_key_digests (shop_id, digest, mode) SELECT $1, * FROM unnest($2::text[], $3::text[])', [
    shopId,
    [...wanted.keys()],
    [...wanted.values()],
  ]);
}

/**
 * For a refused batch: drops the shop's digests the batch does not list under the same mode, and
 * adds none (a refused batch may come from a counter the cloud does not sync from, so it can
 * revoke a key but never grant one).
 */
async function revokeUnlistedDigests(tx: SqlRunner, shopId: string, keys: ParsedBatch['keys']): Promise<void> {
  await tx.query('SELECT id FROM shops WHERE id = $1 FOR UPDATE', [shopId]);
  const wanted = listedDigests(keys);
  const live = [...wanted].filter(([, mode]) => mode === 'live').map(([d]) => d);
  const test = [...wanted].filter(([, mode]) => mode === 'test').map(([d]) => d);
  await tx.query(
    `DELETE FROM shop_key_digests WHERE shop_id = $1
       AND NOT ((mode = 'live' AND digest = ANY($2::text[])) OR (mode = 'test' AND digest = ANY($3::text[])))`,
    [shopId, live, test],
  );
}
