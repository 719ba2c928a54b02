import { writeTransaction, type Db } from '../db';
import { countPendingOutbox, markOutboxDelivered, pendingOutboxRows, type OutboxChannel } from '../db/repos/outbox-repo';

/** One committed event as a channel's worker receives it. */
export interface OutboxEvent {
  id: number;
  merchantId: number;
  topic: string;
  subjectId: string;
  /** The JSON the change wrote, parsed. */
  payload: unknown;
  createdAt: number;
}

/**
 * Hands up to `limit` waiting events of a channel to `handle`, oldest first, in one IMMEDIATE
 * transaction with their removal from the queue: whatever `handle` writes (deliveries, a
 * batch) commits together with it or not at all, and a batch costs one fsync, not one each.
 * Returns how many were handled.
 */
export function dispatchPending(db: Db, channel: OutboxChannel, limit: number, now: number, handle: (event: OutboxEvent) => void): number {
  // The worker asks every second: with nothing waiting, no write transaction is opened at all.
  if (pendingOutboxRows(db, channel, 1).length === 0) return 0;
  return writeTransaction(db, () => {
    const rows = pendingOutboxRows(db, channel, limit);
    for (const row of rows) {
      // Another process took it between the read and this transaction: it is theirs.
      if (!markOutboxDelivered(db, row.id, now)) continue;
      handle({
        id: row.id,
        merchantId: row.merchant_id,
        topic: row.topic,
        subjectId: row.subject_id,
        payload: JSON.parse(row.payload) as unknown,
        createdAt: row.created_at,
      });
    }
    return rows.length;
  });
}

/** Events of a channel not yet handed on. */
export function countUndispatched(db: Db, channel: OutboxChannel): number {
  return countPendingOutbox(db, channel);
}
