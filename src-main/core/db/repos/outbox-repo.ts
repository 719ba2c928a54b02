import type { Db } from '../open-database';

export type OutboxChannel = 'webhook' | 'sync';

export interface NewOutboxRow {
  merchantId: number;
  channel: OutboxChannel;
  topic: string;
  subjectId: string;
  /** JSON text (the table checks json_valid). */
  payload: string;
  now: number;
}

/** Queues one event, due at once. Call inside the transaction of the change it reports. */
export function insertOutboxRow(db: Db, row: NewOutboxRow): void {
  db.prepare(
    `INSERT INTO outbox (merchant_id, channel, topic, subject_id, payload, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(row.merchantId, row.channel, row.topic, row.subjectId, row.payload, row.now, row.now);
}

export interface OutboxRow {
  id: number;
  merchant_id: number;
  channel: OutboxChannel;
  topic: string;
  subject_id: string;
  payload: string;
  created_at: number;
}

/** A channel's undelivered events, oldest first. */
export function pendingOutboxRows(db: Db, channel: OutboxChannel, limit: number): OutboxRow[] {
  // The channel is written into the SQL (one statement per channel): the partial index's literal must meet a literal.
  return db
    .prepare(
      `SELECT id, merchant_id, channel, topic, subject_id, payload, created_at FROM outbox
       WHERE channel = '${CHANNEL_SQL[channel]}' AND status = 'pending' ORDER BY id LIMIT ?`,
    )
    .all(limit) as OutboxRow[];
}

/** How many events of a channel wait. */
export function countPendingOutbox(db: Db, channel: OutboxChannel): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM outbox WHERE channel = '${CHANNEL_SQL[channel]}' AND status = 'pending'`).get() as { n: number }
  ).n;
}

/** The channels as SQL literals, from a closed list (never from input). */
const CHANNEL_SQL: Record<OutboxChannel, string> = { webhook: 'webhook', sync: 'sync' };

/** The event has left the outbox (handed to its deliveries, or acknowledged by the cloud). */
export function markOutboxDelivered(db: Db, id: number, now: number): boolean {
  return (
    db
      .prepare(`UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`)
      .run(now, id).changes === 1
  );
}

/** A `sync` event as the sync worker sends it: numbered, with its stable id. */
export interface NumberedOutboxRow extends OutboxRow {
  seq: number;
  event_id: string;
}

/**
 * Numbers the waiting `sync` events that have no number yet, in commit (id) order, from
 * `lastSeq + 1`; `eventId` makes each one's stable id. Call inside a write transaction.
 * Returns the last number given.
 */
export function numberSyncRows(db: Db, lastSeq: number, limit: number, eventId: () => string): number {
  const rows = db
    .prepare(`SELECT id FROM outbox WHERE channel = 'sync' AND status = 'pending' AND seq IS NULL ORDER BY id LIMIT ?`)
    .all(limit) as { id: number }[];
  const give = db.prepare('UPDATE outbox SET seq = ?, event_id = ? WHERE id = ?');
  let seq = lastSeq;
  for (const row of rows) {
    seq += 1;
    give.run(seq, eventId(), row.id);
  }
  return seq;
}

/** Whether some waiting `sync` event has no number yet. */
export function hasUnnumberedSyncRows(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM outbox WHERE channel = 'sync' AND status = 'pending' AND seq IS NULL LIMIT 1`).get() !== undefined;
}

/** The numbered `sync` events still to be acknowledged, lowest number first. */
export function numberedSyncRows(db: Db, limit: number): NumberedOutboxRow[] {
  return db
    .prepare(
      `SELECT id, merchant_id, channel, topic, subject_id, payload, created_at, seq, event_id FROM outbox
       WHERE channel = 'sync' AND status = 'pending' AND seq IS NOT NULL ORDER BY id LIMIT ?`,
    )
    .all(limit) as NumberedOutboxRow[];
}

/** The cloud holds it: the row leaves the queue (the maintenance purge deletes it later). */
export function markOutboxRowDelivered(db: Db, id: number, now: number): void {
  db.prepare(`UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`).run(
    now,
    id,
  );
}

/** When the oldest waiting event of a channel committed (null: none waits). */
export function oldestPendingOutboxAt(db: Db, channel: OutboxChannel): number | null {
  const row = db
    .prepare(`SELECT created_at FROM outbox WHERE channel = '${CHANNEL_SQL[channel]}' AND status = 'pending' ORDER BY id LIMIT 1`)
    .get() as { created_at: number } | undefined;
  return row?.created_at ?? null;
}

/**
 * Forgets every number given to this shop's `sync` events (a reseed starts a new stream from 1):
 * delivered rows no longer need theirs, and waiting ones are numbered again after the reseed.
 */
export function clearSyncNumbers(db: Db, merchantId: number): number {
  return db.prepare('UPDATE outbox SET seq = NULL, event_id = NULL WHERE merchant_id = ? AND seq IS NOT NULL').run(merchantId).changes;
}
