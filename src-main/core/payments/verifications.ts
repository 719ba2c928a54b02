import type { ReviewReason, VerificationView } from '../../../src-shared/contract/payments';
import { minorToDecimal } from '../../../src-shared/money';
import { personVerdict } from './decide-verdict';
import type { PaymentsStore } from './payments-store';

function parseReasons(json: string | null): ReviewReason[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as ReviewReason[]) : [];
  } catch {
    return [];
  }
}

/**
 * Attempts waiting for a person, with everything the phone or the counter needs to
 * render Approve / Reject offline. Live attempts only: test mode never asks staff.
 */
export function pendingVerifications(store: PaymentsStore, limit = 200): VerificationView[] {
  return store.transactions.pendingVerifications(store.deps.merchantId, limit).map((r) => ({
    verification_id: r.id,
    txnid_submitted: r.txnid_submitted,
    amount: r.amount_minor === null ? null : minorToDecimal(r.amount_minor),
    currency: r.currency ?? '',
    customer_phone: r.customer_phone,
    customer_name: r.customer_name,
    order_id: r.order_id,
    session_id: r.session_id,
    provider: r.provider,
    variant: r.variant,
    account_number: r.account_number,
    created_at: new Date(r.created_at).toISOString(),
    sms_body: r.sms_body,
    review_reasons: queueReasons(store, r.id, parseReasons(r.review_reasons)),
  }));
}

/**
 * Why an attempt waits, as the queue shows it: the reasons it was held with, and first, when
 * the records now disprove it (a forged sender, a debit, a reversal with its TxnID), the reason
 * nobody may approve it, so staff see why Mark Paid is refused before they press it.
 */
function queueReasons(store: PaymentsStore, transactionId: number, held: ReviewReason[]): ReviewReason[] {
  const attempt = store.transactions.byId(transactionId);
  if (!attempt) return held;
  const session = attempt.session_id ? (store.sessions.byId(attempt.session_id) ?? null) : null;
  const verdict = personVerdict(store, attempt, session);
  if (verdict.may === 'refuse') return [verdict.reason, ...held.filter((r) => r.code !== verdict.reason.code)];
  return held.length > 0 ? held : verdict.reasons;
}

export { parseReasons };
