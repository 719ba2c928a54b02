import type { Db } from '../db';
import { insertOutboxRow, type OutboxChannel } from '../db/repos/outbox-repo';
import type { SessionView } from '../../../src-shared/contract/payments';

/**
 * Why a session's row changed: `status` (it left pending: paid, expired, cancelled), `attempt`
 * (an attempt was added or now waits for a person; the cloud hears, the merchant does not),
 * `transaction_failed` (an attempt failed while the session stays pending).
 */
export type SessionChangeCause = 'status' | 'attempt' | 'transaction_failed';

/** The merchant's event for a change, or null when the merchant is not told (the cloud still is). */
function webhookEvent(session: SessionView, cause: SessionChangeCause): string | null {
  if (cause === 'status') return session.status === 'pending' ? null : `session.${session.status}`;
  // A session that already resolved had its own event; an attempt failing after that is no news.
  if (cause === 'transaction_failed') return session.status === 'pending' ? 'transaction.failed' : null;
  return null;
}

/**
 * Webhooks and cloud sync leave through the outbox, written in the same transaction as the
 * change they report, so neither can announce a payment that did not commit, nor miss one.
 * The webhooks domain hands each webhook row to its URLs; the sync worker sends the rest.
 */
export function enqueueSessionChange(
  db: Db,
  merchantId: number,
  session: SessionView,
  now: number,
  cause: SessionChangeCause = 'status',
): void {
  const event = webhookEvent(session, cause);
  const insert = (channel: OutboxChannel, topic: string, payload: string) =>
    insertOutboxRow(db, { merchantId, channel, topic, subjectId: session.id, payload, now });
  // The session is serialised once for both rows: this runs inside every money-moving transaction.
  const sessionJson = JSON.stringify(session);
  const payload = (name: string) => `{"event":${JSON.stringify(name)},"session":${sessionJson}}`;
  if (event) insert('webhook', event, payload(event));
  insert('sync', 'session.updated', payload(event ?? 'session.updated'));
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
