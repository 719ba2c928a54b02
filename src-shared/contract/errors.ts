/**
 * Stable error codes. Programs branch on `code`; the text is for people. Every failure
 * either edge of CounterPay returns is `{ error, merchant_message, code }`:
 * `error` is safe to show a customer, `merchant_message` is for the operator.
 * Adding a code: add it here with its HTTP status and default texts; never rename one.
 */
export const ERROR_TABLE = {
  bad_request: { status: 400, error: 'The request could not be processed.', merchant: 'The request is invalid.' },
  malformed_json: {
    status: 400,
    error: 'The request could not be processed.',
    merchant: 'The request body is not valid JSON.',
  },
  validation_failed: {
    status: 400,
    error: 'The request could not be processed.',
    merchant: 'A field is missing or invalid.',
  },
  unauthorized: {
    status: 401,
    error: 'Services currently unavailable.',
    merchant: 'Invalid or missing credentials.',
  },
  forbidden_host: {
    status: 403,
    error: 'Forbidden.',
    merchant: 'The Host header is not allowed on this listener. Add the name to its allowedHosts.',
  },
  not_found: { status: 404, error: 'Not found.', merchant: 'No such resource or route on this listener.' },
  method_not_allowed: { status: 405, error: 'Not allowed.', merchant: 'This method is not allowed on this route.' },
  conflict: { status: 409, error: 'The request conflicts with the current state.', merchant: 'Conflict.' },
  idempotency_key_invalid: {
    status: 400,
    error: 'The request could not be processed.',
    merchant: 'X-Idempotency-Key must be 1-255 printable ASCII characters.',
  },
  idempotency_key_reused: {
    status: 409,
    error: 'The request could not be processed.',
    merchant: 'This X-Idempotency-Key was already used with a different request body.',
  },
  device_unknown: {
    status: 404,
    error: 'Device not registered.',
    merchant: 'This device_id is not bound; call /api/device/bind first.',
  },
  signature_invalid: {
    status: 401,
    error: 'Services currently unavailable.',
    merchant: 'The webhook signature does not verify with this device secret.',
  },
  payload_too_large: {
    status: 413,
    error: 'The request is too large.',
    merchant: 'The request body exceeds the size limit of this listener.',
  },
  unsupported_media_type: {
    status: 415,
    error: 'The request could not be processed.',
    merchant: 'Send the body as application/json.',
  },
  order_already_paid: {
    status: 409,
    error: 'This order has already been paid.',
    merchant: 'An earlier session for this order_id succeeded; see existing_session_id. Do not retry.',
  },
  session_not_found: { status: 404, error: 'Payment session not found.', merchant: 'No session with this id for this API key.' },
  session_not_pending: {
    status: 409,
    error: 'This payment is no longer open.',
    merchant: 'The session is already final (success, expired or cancelled).',
  },
  session_expired: {
    status: 409,
    error: 'This payment link has expired. Please start again from the shop.',
    merchant: 'The session passed its expires_at without a payment.',
  },
  txnid_invalid: {
    status: 400,
    error: 'That transaction ID does not look right. Please check it and try again.',
    merchant: "The TxnID does not match the wallet's TxnID format.",
  },
  txnid_already_used: {
    status: 409,
    error: 'This transaction ID has already been used.',
    merchant: 'The TxnID (or its SMS) already paid, or is claimed by, another payment.',
  },
  too_many_attempts: {
    status: 429,
    error: 'Too many attempts. Please contact the shop.',
    merchant: 'Wrong-TxnID guesses for this session reached the cap; staff can still approve.',
  },
  gateway_unknown: {
    status: 400,
    error: 'Please choose a payment method.',
    merchant: 'gateway_id is not an enabled gateway of this shop.',
  },
  currency_unsupported: {
    status: 400,
    error: 'The request could not be processed.',
    merchant: 'No wallet CounterPay reads pays in this currency.',
  },
  verification_not_found: { status: 404, error: 'Not found.', merchant: 'No pending verification with this id.' },
  verification_already_decided: {
    status: 409,
    error: 'This payment was already decided.',
    merchant: 'The verification is no longer pending; its decision stands.',
  },
  payment_rejected: {
    status: 422,
    error: 'We could not confirm this payment. Please check the transaction ID or contact the shop.',
    merchant: 'The attempt failed; see failure_reason.',
  },
  payment_needs_check: {
    status: 409,
    error: 'This payment needs a check by the shop before it can be accepted.',
    merchant: 'The credit does not pass every matching rule by itself; see reasons. Decide it in the queue or re-check.',
  },
  txnid_not_found: {
    status: 404,
    error: 'We could not find that transaction.',
    merchant: 'No credit SMS with this TxnID has been received.',
  },
  rate_limited: { status: 429, error: 'Too many requests. Please wait and try again.', merchant: 'Rate limit exceeded.' },
  internal: {
    status: 500,
    error: 'Something went wrong. Please try again.',
    merchant: 'Internal error; see the CounterPay log for details.',
  },
  sync_stream_mismatch: {
    status: 409,
    error: 'The request conflicts with the current state.',
    merchant:
      'This shop already syncs from another counter database (a restored backup, or a second counter with the same token); reset the stream on the cloud (cloud shop reset-stream) or issue a new token.',
  },
  sync_sequence_conflict: {
    status: 409,
    error: 'The request conflicts with the current state.',
    merchant:
      'The cloud already stored other events under these sequence numbers of this stream (a counter restored from a backup, or two counters sharing one database); run sync reseed on the counter, then cloud shop reset-stream on the cloud.',
  },
  shutting_down: {
    status: 503,
    error: 'Services currently unavailable.',
    merchant: 'CounterPay is shutting down; retry shortly.',
  },
} as const satisfies Record<string, { status: number; error: string; merchant: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

/** The wire shape of every error body. Extra programmatic hints may ride along. */
export interface ErrorBody {
  error: string;
  merchant_message: string;
  code: ErrorCode;
  [hint: string]: unknown;
}

export function statusOf(code: ErrorCode): number {
  return ERROR_TABLE[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_TABLE, value);
}
