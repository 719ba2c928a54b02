import type { Db } from '../db';
import { insertOutboxRow, type OutboxChannel } from '../db/repos/outbox-repo';
import type { SessionView } from '../../../src-shared/contract/payments';

/**
 * Webhooks and cloud sync leave through the outbox, written in the same transaction as the
 * change they report, so neither can announce a payment that did not commit, nor miss one.
 * Delivery is a separate worker (a later issue); until then rows wait, durably.
 */
export function enqueueSessionChange(db: Db, merchantId: number, session: SessionView, now: number): void {
  const payload = JSON.stringify({ event: `session.${session.status}`, session });
  const insert = (channel: OutboxChannel, topic: string) =>
    insertOutboxRow(db, { merchantId, channel, topic, subjectId: session.id, payload, now });
  if (session.status !== 'pending') insert('webhook', `session.${session.status}`);
  insert('sync', 'session.updated');
}

/** What a reversal reports: the session it paid (still `success`, now with reversed_at), or the counter sale. */
export interface ReversalReport {
  transaction_id: number;
  txnid: string;
  provider: string;
  amount: string | null;
  reversed_at: string;
  session: SessionView | null;
}

/**
 * A wallet took back a payment that already paid: the merchant (webhook) and the cloud (sync)
 * are told, in the same transaction that marks it reversed. A counter sale has no merchant
 * session, so only the cloud hears of it.
 */
export function enqueueTransactionReversed(db: Db, merchantId: number, report: ReversalReport, now: number): void {
  const payload = JSON.stringify({ event: 'transaction.reversed', session: report.session, transaction: report });
  const subjectId = report.session?.id ?? `transaction:${report.transaction_id}`;
  const insert = (channel: OutboxChannel) =>
    insertOutboxRow(db, { merchantId, channel, topic: 'transaction.reversed', subjectId, payload, now });
  if (report.session) insert('webhook');
  insert('sync');
}
