import crypto from 'node:crypto';
import type { SyncEvent } from '../../../src-shared/contract/sync';
import type { SessionView } from '../../../src-shared/contract/payments';
import type { Db } from '../db';
import {
  countPendingOutbox,
  markOutboxRowDelivered,
  numberSyncRows,
  numberedSyncRows,
  clearSyncNumbers,
  hasUnnumberedSyncRows,
  oldestPendingOutboxAt,
  type NumberedOutboxRow,
} from '../db/repos/outbox-repo';

/**
 * The `sync` channel of the outbox as the sync worker sees it: events numbered in commit order
 * (the protocol's per-shop sequence, docs/sync.md), read back in that order, and let go once the
 * cloud acknowledged them.
 */

/** Numbers what waits unnumbered, from `lastSeq + 1`; call in a write transaction. Returns the last number given. */
export function numberSyncEvents(db: Db, lastSeq: number, limit: number): number {
  return numberSyncRows(db, lastSeq, limit, () => `sev_${crypto.randomBytes(12).toString('hex')}`);
}

/** Whether anything waits to be numbered (the worker's poll skips its write transaction when not). */
export function hasUnnumberedSyncEvents(db: Db): boolean {
  return hasUnnumberedSyncRows(db);
}

/** A numbered event in the protocol's shape, with its outbox row id. */
export interface QueuedSyncEvent {
  rowId: number;
  event: SyncEvent;
}

function toSyncEvent(row: NumberedOutboxRow): SyncEvent {
  const payload = JSON.parse(row.payload) as { session?: SessionView | null; transaction?: Record<string, unknown> };
  return {
    id: row.event_id,
    seq: row.seq,
    type: row.topic,
    created_at: new Date(row.created_at).toISOString(),
    session: payload.session ?? null,
    data: payload.transaction ? { transaction: payload.transaction } : null,
  };
}

/** The numbered events the cloud has not acknowledged, lowest first. */
export function pendingSyncEvents(db: Db, limit: number): QueuedSyncEvent[] {
  return numberedSyncRows(db, limit).map((row) => ({ rowId: row.id, event: toSyncEvent(row) }));
}

/** The cloud holds every event up to `ackSeq`: those leave the queue. Call in a write transaction. */
export function acknowledgeSyncEvents(db: Db, sent: readonly QueuedSyncEvent[], ackSeq: number, now: number): number {
  let n = 0;
  for (const q of sent) {
    if (q.event.seq > ackSeq) continue;
    markOutboxRowDelivered(db, q.rowId, now);
    n += 1;
  }
  return n;
}

/** Every number forgotten: the next pass numbers the waiting events from 1 again. Call in a write transaction. */
export function forgetSyncNumbers(db: Db, merchantId: number): number {
  return clearSyncNumbers(db, merchantId);
}

export function syncBacklog(db: Db): { count: number; oldestAt: number | null } {
  return { count: countPendingOutbox(db, 'sync'), oldestAt: oldestPendingOutboxAt(db, 'sync') };
}
