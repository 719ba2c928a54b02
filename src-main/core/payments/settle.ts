import type { ReviewReason, SessionView } from '../../../src-shared/contract/payments';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import type { NewTransaction } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import { enqueueSessionChange } from '../outbox';
import type { GatewayChoice } from './gateway-lookup';
import type { PaymentsStore } from './payments-store';

/** Constraint failures from SQLite that mean "someone else got there first". */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Inserts an attempt; a lost race on the TxnID claim or the SMS (another session took it
 * between our read and our write) comes back as txnid_already_used, never as a 500.
 */
export function insertAttempt(store: PaymentsStore, row: NewTransaction): number {
  try {
    return store.transactions.insert(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('txnid_already_used', undefined, { cause: err });
    throw err;
  }
}

/** Marks a session paid inside the caller's transaction; the schema refuses it without a successful attempt. */
export function markSessionPaid(store: PaymentsStore, session: SessionRow, now: number): SessionView {
  if (!store.sessions.finish(session.id, 'success', now)) {
    throw new AppError('session_not_pending', `Session ${session.id} is no longer pending.`);
  }
  // The session's other attempts are over: left pending, one held on a real credit would
  // keep that credit claimed for ever.
  for (const other of store.transactions.pendingForSession(session.id)) {
    store.transactions.fail(other.id, null, PAID_BY_ANOTHER_REASON, now);
  }
  const view = store.view(store.sessions.byId(session.id) as SessionRow);
  enqueueSessionChange(store.db, session.merchant_id, view, now);
  return view;
}

export const PAID_BY_ANOTHER_REASON = 'The session was paid by another TxnID.';

/**
 * A session's attempts changed while it stays pending (an attempt waits, is held, fails): the
 * cloud hears of it in the same transaction, as it hears of every status change, and the
 * merchant hears of a failed attempt (`transaction.failed`).
 */
export function touchSession(store: PaymentsStore, sessionId: string | null, now: number, cause: 'attempt' | 'transaction_failed'): void {
  if (!sessionId) return;
  const row = store.sessions.byId(sessionId);
  if (row) enqueueSessionChange(store.db, row.merchant_id, store.view(row), now, cause);
}

/** The attempt row a session's TxnID submit writes. */
export function attemptRow(
  session: SessionRow,
  txnid: { submitted: string; normalized: string },
  gateway: GatewayChoice,
  sms: SmsRow | null,
  status: 'pending' | 'success' | 'failed',
  now: number,
  extra: { result_source?: 'sms_inbound' | 'sms_late_match' | null; failure_reason?: string | null; review?: ReviewReason[] | null } = {},
): NewTransaction {
  return {
    merchant_id: session.merchant_id,
    session_id: session.id,
    gateway_id: gateway.id,
    provider: gateway.provider,
    variant: gateway.variant,
    account_number: gateway.accountNumber,
    txnid_submitted: txnid.submitted,
    txnid_normalized: txnid.normalized,
    sender_account: sms?.counterparty ?? null,
    amount_minor: sms?.amount_minor ?? session.amount_minor,
    status,
    result_source: extra.result_source ?? null,
    failure_reason: extra.failure_reason ?? null,
    review_reasons: extra.review && extra.review.length > 0 ? JSON.stringify(extra.review) : null,
    sms_id: sms?.id ?? null,
    is_test: session.is_test,
    verified_at: status === 'pending' ? null : now,
    created_at: now,
  };
}

/** Alerts for staff raised by a verdict (never for test mode: the live counter shows only live money). */
export function raiseWarnings(
  store: PaymentsStore,
  session: SessionRow | null,
  transactionId: number,
  sms: SmsRow,
  warnings: ReviewReason[],
  now: number,
): void {
  if (sms.is_test === 1) return;
  for (const w of warnings) {
    store.alerts.raise({
      merchant_id: sms.merchant_id,
      kind: 'balance_mismatch',
      session_id: session?.id ?? null,
      transaction_id: transactionId,
      sms_id: sms.id,
      message: w.message,
      details: '{}',
      created_at: now,
    });
  }
}

/** A wallet-looking SMS from a sender that is not the wallet carried a TxnID someone used. */
export function raiseSpoofAlert(store: PaymentsStore, session: SessionRow | null, sms: SmsRow, now: number): void {
  if (sms.is_test === 1) return;
  store.alerts.raise({
    merchant_id: sms.merchant_id,
    kind: 'spoof_attempt',
    session_id: session?.id ?? null,
    transaction_id: null,
    sms_id: sms.id,
    message: `A wallet-looking SMS from ${sms.sender} (not the wallet's sender) carries TxnID ${sms.txnid ?? '?'}.`,
    details: '{}',
    created_at: now,
  });
}
