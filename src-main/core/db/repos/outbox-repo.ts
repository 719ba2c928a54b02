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
