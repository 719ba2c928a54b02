import type { ReviewReason, VerificationView } from '../../../src-shared/contract/payments';
import { minorToDecimal } from '../../../src-shared/money';
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
    review_reasons: parseReasons(r.review_reasons),
  }));
}

export { parseReasons };
