import type { Db } from '../db';
import type { SessionView } from '../../../src-shared/contract/payments';

/**
 * Webhooks and cloud sync leave through the outbox, written in the same transaction as the
 * change they report, so neither can announce a payment that did not commit, nor miss one.
 * Delivery is a separate worker (a later issue); until then rows wait, durably.
 */
export function enqueueSessionChange(db: Db, merchantId: number, session: SessionView, now: number): void {
  const insert = db.prepare(
    `INSERT INTO outbox (merchant_id, channel, topic, subject_id, payload, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const payload = JSON.stringify({ event: `session.${session.status}`, session });
  if (session.status !== 'pending') insert.run(merchantId, 'webhook', `session.${session.status}`, session.id, payload, now, now);
  insert.run(merchantId, 'sync', 'session.updated', session.id, payload, now, now);
}
