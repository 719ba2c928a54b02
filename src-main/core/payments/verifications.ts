import type { Db } from '../db';
import type { ReviewReason, VerificationView } from '../../../src-shared/contract/payments';
import { minorToDecimal } from '../../../src-shared/money';

interface PendingRow {
  id: number;
  txnid_submitted: string;
  amount_minor: number | null;
  currency: string | null;
  customer_phone: string | null;
  customer_name: string | null;
  order_id: string | null;
  session_id: string | null;
  provider: string;
  variant: string | null;
  account_number: string | null;
  created_at: number;
  sms_body: string | null;
  review_reasons: string | null;
  is_test: number;
}

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
export function pendingVerifications(db: Db, merchantId: number, limit = 200): VerificationView[] {
  const rows = db
    .prepare(
      `SELECT t.id, t.txnid_submitted, t.amount_minor, s.currency, s.customer_phone, s.customer_name, s.order_id,
         t.session_id, t.provider, t.variant, t.account_number, t.created_at, m.body AS sms_body, t.review_reasons, t.is_test
       FROM transactions t
       LEFT JOIN sessions s ON s.id = t.session_id
       LEFT JOIN sms m ON m.id = t.sms_id
       WHERE t.merchant_id = ? AND t.status = 'pending' AND t.is_test = 0
       ORDER BY t.id LIMIT ?`,
    )
    .all(merchantId, limit) as PendingRow[];
  return rows.map((r) => ({
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
