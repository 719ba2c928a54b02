import type { ResultSource, ReviewReason, TransactionState } from './payments';
import type { SmsView } from '../sms';

/**
 * The counter's Payments screen (issue 14 item 3): sessions and counter sales, one list.
 * `status` is what a cashier reads: `paid`, `pending`, `review` (an attempt waits for staff),
 * `rejected` (staff rejected the last attempt), `expired`, `cancelled`.
 */
export const PAYMENT_STATUSES = ['paid', 'pending', 'review', 'rejected', 'expired', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A staff (or phone) decision on an attempt: who, and for a rejection, the reason given. */
export interface PaymentDecisionView {
  result: 'approved' | 'rejected';
  /** The actor as recorded in the audit log (`staff`, `phone`, `merchant`…). */
  by: string;
  reason: string | null;
  at: string | null;
}

export interface PaymentListItem {
  kind: 'session' | 'counter';
  session_id: string | null;
  /** The counter sale's transaction, or the session's latest attempt. */
  transaction_id: number | null;
  order_id: string | null;
  amount: string | null;
  currency: string | null;
  status: PaymentStatus;
  /** The wallet (provider id) of the attempt; null for a session nobody tried to pay yet. */
  wallet: string | null;
  txnid: string | null;
  customer_phone: string | null;
  /** Who paid, as the wallet's SMS (or the checkout) named them. */
  payer: string | null;
  test: boolean;
  created_at: string;
  paid_at: string | null;
  result_source: ResultSource | null;
  reversed_at: string | null;
  decision: PaymentDecisionView | null;
}

export interface PaymentSearchArg {
  /** A TxnID, an order id (or its beginning), a customer's phone, or a session id. */
  q?: string;
  status?: PaymentStatus;
  wallet?: string;
  /** ISO date (a shop day) or date-time; `to` as a date includes that whole day. */
  from?: string;
  to?: string;
  /** Test mode only (true), live only (false); absent: both. */
  test?: boolean;
  kind?: 'all' | 'sessions' | 'counter';
  limit?: number;
  /** The `next_before` of the previous page. */
  before?: string;
}

export interface PaymentSearchResult {
  payments: PaymentListItem[];
  /** Pass as `before` for the next page; null when there is none. */
  next_before: string | null;
}

export interface PaymentAttemptView {
  transaction_id: number;
  txnid: string;
  wallet: string;
  amount: string | null;
  status: TransactionState;
  result_source: ResultSource | null;
  failure_reason: string | null;
  review_reasons: ReviewReason[];
  sms_id: number | null;
  payer: string | null;
  created_at: string;
  verified_at: string | null;
  reversed_at: string | null;
}

export type PaymentTimelineEvent =
  | 'created'
  | 'submitted'
  | 'sms'
  | 'paid'
  | 'approved'
  | 'rejected'
  | 'failed'
  | 'counter_sale'
  | 'reversed'
  | 'alert'
  | 'expired'
  | 'cancelled';

export interface PaymentTimelineEntry {
  at: string;
  event: PaymentTimelineEvent;
  /** Who: `customer`, `system` (CounterPay by itself), or the audit log's actor (`staff`, `phone`…). */
  who: string | null;
  transaction_id: number | null;
  sms_id: number | null;
  txnid: string | null;
  amount: string | null;
  wallet: string | null;
  /** A rejection's or failure's reason; an alert's message. */
  reason: string | null;
  source: ResultSource | null;
  alert_kind: 'paid_late' | 'balance_mismatch' | 'spoof_attempt' | 'transaction_reversed' | null;
}

export interface PaymentAuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  details: Record<string, unknown>;
}

export interface PaymentDetail {
  payment: PaymentListItem;
  customer_name: string | null;
  expires_at: string | null;
  attempts: PaymentAttemptView[];
  /** The SMS the attempts matched. */
  sms: SmsView[];
  timeline: PaymentTimelineEntry[];
  audit: PaymentAuditEntry[];
}

/** The SMS screen (issue 14 item 4): which tab. */
export const SMS_FILTERS = ['all', 'unclaimed', 'spoofs', 'unparsed'] as const;
export type SmsFilter = (typeof SMS_FILTERS)[number];

/** What a credit paid: a session's attempt or a counter sale. */
export interface SmsClaimView {
  kind: 'session' | 'counter';
  transaction_id: number;
  session_id: string | null;
  order_id: string | null;
  amount: string | null;
  result_source: ResultSource | null;
  at: string | null;
  reversed_at: string | null;
}

export interface SmsListItem extends SmsView {
  claim: SmsClaimView | null;
}

export interface SmsListResult {
  sms: SmsListItem[];
  /** Pass as `before` for older messages; null when there are none. */
  next_before: number | null;
}
