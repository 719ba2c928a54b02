/** The MASTER PAY session and transaction views, field for field (seed 000). */
export const SESSION_STATES = ['pending', 'success', 'expired', 'cancelled'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const TRANSACTION_STATES = ['pending', 'success', 'failed'] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

/** `counter`: staff accepted the credit for an in-person sale at the counter (no session). */
export const RESULT_SOURCES = ['apk', 'sms_inbound', 'sms_late_match', 'manual', 'manual_verify', 'counter'] as const;
export type ResultSource = (typeof RESULT_SOURCES)[number];

export interface SuccessfulTransactionView {
  txnid_submitted: string;
  verified_at: string | null;
  result_source: ResultSource | null;
  /** Additive: when a wallet reversal SMS took this payment back (the session stays `success`). */
  reversed_at: string | null;
}

export interface LatestTransactionView {
  txnid_submitted: string;
  method: string;
  variant: string | null;
  account_number: string | null;
  sender_account: string | null;
  amount: string | null;
  status: TransactionState;
  result_source: ResultSource | null;
  failure_reason: string | null;
  verified_at: string | null;
  /** Additive: when a wallet reversal SMS took this payment back. */
  reversed_at: string | null;
}

export interface SessionView {
  id: string;
  order_id: string;
  amount: string;
  currency: string;
  status: SessionState;
  expires_at: string;
  created_at: string;
  successful_transaction: SuccessfulTransactionView | null;
  latest_transaction: LatestTransactionView | null;
  /** Additive: true for sessions created with a test key (bePaid's `test` flag). */
  test: boolean;
}

export interface CreateSessionResponse {
  session_id: string;
  checkout_url: string;
  expires_at: string;
  status: SessionState;
  existed?: true;
}

/** Why an attempt waits for a person instead of settling by itself (or, for a refusal, why it cannot pay). */
export const REVIEW_REASON_CODES = [
  'amount_mismatch',
  'currency_mismatch',
  'account_mismatch',
  'counterparty_mismatch',
  'sms_predates_session',
  'sms_too_old',
  'balance_mismatch',
  'paid_late',
  'pasted_by_staff',
  'reversed',
  'already_used',
  'spoofed_sender',
  'not_credit',
  'wrong_wallet',
  'copies_disagree',
  'txnid_unusual',
  'smsc_unexpected',
] as const;

export interface ReviewReason {
  code: (typeof REVIEW_REASON_CODES)[number];
  message: string;
}

/** A pending verification as the APK poll and the counter show it. */
export interface VerificationView {
  verification_id: number;
  txnid_submitted: string;
  amount: string | null;
  currency: string;
  customer_phone: string | null;
  customer_name: string | null;
  order_id: string | null;
  session_id: string | null;
  provider: string;
  variant: string | null;
  account_number: string | null;
  created_at: string;
  /** Additive: the SMS the attempt matched, when one did, and why it waits. */
  sms_body: string | null;
  review_reasons: ReviewReason[];
}

/**
 * The one verdict on whether a credit may pay something (payments/judge-credit.ts), as every
 * path reports it: `pays` settles by itself, `check_first` waits for a person with its reasons,
 * `rejected` can never pay (spoof, not a credit, reversed, already used).
 */
export interface CreditCheckView {
  verdict: 'pays' | 'check_first' | 'rejected';
  reasons: ReviewReason[];
}
