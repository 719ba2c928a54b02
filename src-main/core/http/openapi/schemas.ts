import { z } from 'zod';
import type { HealthResponse, ProvidersResponse } from '../../../../src-shared/contract/api';
import { ERROR_CODES, type ErrorCode } from '../../../../src-shared/contract/errors';
import {
  REVIEW_REASON_CODES,
  RESULT_SOURCES,
  SESSION_STATES,
  TRANSACTION_STATES,
  type CreateSessionResponse,
  type LatestTransactionView,
  type SessionView,
  type SuccessfulTransactionView,
} from '../../../../src-shared/contract/payments';
import { PROVIDER_IDS, type CurrencyCode, type ProviderInfo } from '../../../../src-shared/providers';
import { SMS_KINDS, SMS_SOURCES, type IngestResultView, type SmsView } from '../../../../src-shared/sms';

/**
 * Response schemas of the public API, in zod so they convert to JSON Schema 2020-12 (the
 * dialect of OpenAPI 3.1). Each mirrors a TypeScript type of src-shared/contract; the
 * `Mirrors` checks at the bottom fail `tsc` when one drifts from its type. Request schemas
 * are NOT here: the document takes them from the code that validates (session-input.ts).
 *
 * Objects are strict on purpose (additionalProperties: false): the OpenAPI test validates
 * real responses against them, so an undocumented field fails the test. Error bodies are
 * the exception: they carry programmatic hints (`field`, `existing_session_id`, ...).
 */

/** Component name → schema; the document builder turns every entry into components.schemas. */
export const registry = z.registry<{ id: string; description?: string }>();

function named<T extends z.ZodType>(schema: T, id: string, description?: string): T {
  registry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

const MONEY_PATTERN = /^\d+\.\d{2}$/;

export const moneySchema = named(
  z
    .string()
    .regex(MONEY_PATTERN)
    .meta({ examples: ['500.00'] }),
  'Money',
  'An amount as a decimal string with exactly two decimals, never a float ("500.00").',
);

const timestamp = named(z.iso.datetime({ offset: true }), 'Timestamp', 'An ISO 8601 time in UTC, e.g. 2026-05-12T11:30:00.000Z.');

export const sessionStateSchema = named(z.enum(SESSION_STATES), 'SessionState', 'Order-level state of a session.');
export const transactionStateSchema = named(z.enum(TRANSACTION_STATES), 'TransactionState', 'Attempt-level verdict.');
export const resultSourceSchema = named(z.enum(RESULT_SOURCES), 'ResultSource', 'How an attempt was resolved.');

export const healthSchema = named(
  z.strictObject({ ok: z.literal(true), listener: z.literal('public'), version: z.string(), probe: z.boolean().optional() }),
  'HealthResponse',
);

const CURRENCIES = ['BDT', 'PKR', 'PHP', 'INR', 'KES'] as const satisfies readonly CurrencyCode[];

export const providerSchema = named(
  z.strictObject({
    id: z.enum(PROVIDER_IDS),
    name: z.string(),
    country: z.enum(['BD', 'PK', 'PH', 'IN', 'KE']),
    currency: z.enum(CURRENCIES),
    variants: z.array(z.string()),
  }),
  'Provider',
);

export const providersSchema = named(z.strictObject({ providers: z.array(providerSchema) }), 'ProvidersResponse');

export const sessionCreatedSchema = named(
  z.strictObject({
    session_id: z.string(),
    checkout_url: z.url(),
    expires_at: timestamp,
    status: sessionStateSchema,
  }),
  'SessionCreated',
  '201: a fresh session. Send the customer to checkout_url.',
);

export const sessionExistedSchema = named(
  z.strictObject({
    session_id: z.string(),
    checkout_url: z.url(),
    expires_at: timestamp,
    status: sessionStateSchema,
    existed: z.literal(true),
  }),
  'SessionExisted',
  '200: the same order_id already has a live (pending) session; this is it, with the same checkout_url.',
);

export const successfulTransactionSchema = named(
  z.strictObject({
    txnid_submitted: z.string(),
    verified_at: timestamp.nullable(),
    result_source: resultSourceSchema.nullable(),
    reversed_at: timestamp.nullable().describe('Additive: when a wallet reversal SMS took this payment back; the session stays success.'),
  }),
  'SuccessfulTransaction',
);

export const latestTransactionSchema = named(
  z.strictObject({
    txnid_submitted: z.string(),
    method: z.string().describe('Gateway provider (bkash, nagad, ...).'),
    variant: z.string().nullable(),
    account_number: z.string().nullable().describe('The receiving wallet/account.'),
    sender_account: z.string().nullable().describe('The number the customer paid from.'),
    amount: moneySchema.nullable(),
    status: transactionStateSchema,
    result_source: resultSourceSchema.nullable(),
    failure_reason: z.string().nullable(),
    verified_at: timestamp.nullable(),
    reversed_at: timestamp.nullable().describe('Additive: when a wallet reversal SMS took this payment back.'),
  }),
  'LatestTransaction',
  'The most recent attempt of any status.',
);

export const sessionViewSchema = named(
  z.strictObject({
    id: z.string(),
    order_id: z.string(),
    amount: moneySchema,
    currency: z.string(),
    status: sessionStateSchema,
    expires_at: timestamp,
    created_at: timestamp,
    successful_transaction: successfulTransactionSchema.nullable(),
    latest_transaction: latestTransactionSchema.nullable(),
    test: z.boolean().describe('Additive: true for sessions created with a test key.'),
  }),
  'Session',
);

export const sessionResponseSchema = named(z.strictObject({ session: sessionViewSchema }), 'SessionResponse');

export const sessionLookupSchema = named(
  z.strictObject({ session: sessionViewSchema, sessions: z.array(sessionViewSchema).min(1) }),
  'SessionLookupResponse',
  '`session` is the newest session for the order_id; `sessions` lists all of them, newest first.',
);

const smsViewSchema = named(
  z.strictObject({
    id: z.number().int(),
    sender: z.string(),
    body: z.string(),
    received_at: timestamp,
    is_test: z.boolean(),
    provider: z.string().nullable(),
    kind: z.enum([...SMS_KINDS, 'unparsed']),
    amount: moneySchema.nullable(),
    currency: z.string().nullable(),
    txnid: z.string().nullable(),
    txnid_normalized: z.string().nullable(),
    counterparty: z.string().nullable(),
    balance: moneySchema.nullable(),
    account_hint: z.string().nullable(),
    wallet_time: z.string().nullable(),
    deliveries: z.array(z.strictObject({ source: z.enum(SMS_SOURCES), origin: z.string(), delivered_at: timestamp })),
    corroborated: z.boolean(),
    manual: z.boolean(),
    credit_check: z
      .strictObject({
        verdict: z.enum(['pays', 'check_first', 'rejected']),
        reasons: z.array(z.strictObject({ code: z.enum(REVIEW_REASON_CODES), message: z.string() })),
      })
      .nullable()
      .optional()
      .describe('For a live credit: whether it would settle by itself now, else why not.'),
  }),
  'Sms',
);

export const ingestResultSchema = named(
  z.strictObject({ sms: smsViewSchema, is_new: z.boolean() }),
  'IngestResult',
  '`is_new` is false when the same SMS was already stored (201 new, 200 duplicate).',
);

export const checkoutSuccessSchema = named(
  z.strictObject({ status: z.literal('success'), session_id: z.string(), redirect_url: z.url().nullable() }),
  'CheckoutSuccess',
  'The payment is confirmed; send the customer to redirect_url (null when the session has none).',
);

export const checkoutPendingSchema = named(
  z.strictObject({ status: z.literal('pending'), session_id: z.string(), review: z.boolean(), message: z.string() }),
  'CheckoutPending',
  'The TxnID is recorded and waits for its SMS (review false) or for the shop to check it (review true).',
);

export const checkoutStatusSchema = named(
  z.strictObject({
    session_id: z.string(),
    status: sessionStateSchema,
    attempt: z.strictObject({ status: transactionStateSchema, failure_reason: z.string().nullable() }).nullable(),
    redirect_url: z.url().nullable().describe('Set once the session is final and has a redirect_url.'),
  }),
  'CheckoutStatus',
);

export const checkoutCancelledSchema = named(
  z.strictObject({ status: sessionStateSchema, session_id: z.string(), redirect_url: z.url().nullable() }),
  'CheckoutCancelled',
);

export const checkoutUrlSchema = named(z.strictObject({ checkout_url: z.url() }), 'CheckoutUrl');

/** The error shape: extra programmatic hints may ride along, so it is not strict. */
export const errorBodySchema = named(
  z.looseObject({
    error: z.string().min(1).describe('Safe to show a customer.'),
    merchant_message: z.string().min(1).describe("For the merchant's logs only; never show it to a customer."),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]).describe('Stable machine-readable code.'),
  }),
  'Error',
  'Every failure: `error` (customer-safe), `merchant_message` (operator detail), `code` (stable). Hints such as `field` may ride along.',
);

export const orderAlreadyPaidSchema = named(
  z.looseObject({
    error: z.string().min(1),
    merchant_message: z.string().min(1),
    code: z.literal('order_already_paid'),
    existing_session_id: z.string().min(1),
  }),
  'OrderAlreadyPaidError',
  'The order_id already has a successful session. Do not retry; treat the order as paid.',
);

export const rateLimitedSchema = named(
  z.looseObject({
    error: z.string().min(1),
    retry_after_seconds: z.number().int().min(1),
    merchant_message: z.string().min(1),
    code: z.literal('rate_limited'),
  }),
  'RateLimitedError',
  'HTTP 429: the request did not run. Wait retry_after_seconds (also the Retry-After header).',
);

export const paymentRejectedSchema = named(
  z.looseObject({
    error: z.string().min(1),
    merchant_message: z.string().min(1),
    code: z.literal('payment_rejected'),
    failure_reason: z.string().min(1),
  }),
  'PaymentRejectedError',
  'A wallet SMS with this TxnID exists but does not pay this session (e.g. it is not a credit).',
);

/** POST /api/checkout/{id}/submit and POST /api/test/sms: the very objects the code validates with. */
export { checkoutSubmitSchema as checkoutSubmitRequestSchema } from '../../payments';
export { incomingSmsSchema as testSmsRequestSchema } from '../../sms';

// ---- Each response schema mirrors its contract type; tsc fails when one drifts. -----------

type Mirrors<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Writable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

export const MIRROR_CHECKS: [
  Mirrors<z.infer<typeof sessionViewSchema>, SessionView>,
  Mirrors<z.infer<typeof latestTransactionSchema>, LatestTransactionView>,
  Mirrors<z.infer<typeof successfulTransactionSchema>, SuccessfulTransactionView>,
  Mirrors<z.infer<typeof sessionCreatedSchema>, Omit<CreateSessionResponse, 'existed'>>,
  Mirrors<z.infer<typeof sessionExistedSchema>, Required<CreateSessionResponse>>,
  Mirrors<z.infer<typeof providerSchema>, Writable<ProviderInfo>>,
  Mirrors<z.infer<typeof providersSchema>['providers'][number], Writable<ProvidersResponse['providers'][number]>>,
  Mirrors<z.infer<typeof healthSchema>, HealthResponse & { listener: 'public' }>,
  Mirrors<z.infer<typeof smsViewSchema>, SmsView>,
  Mirrors<z.infer<typeof ingestResultSchema>, IngestResultView>,
] = [true, true, true, true, true, true, true, true, true, true];
