import { z } from 'zod';
import { ERROR_TABLE, type ErrorCode } from '../../../../src-shared/contract/errors';
import { PROVIDERS } from '../../../../src-shared/providers';
import { APP_VERSION } from '../../../../src-shared/version';
import {
  EVENT_HEADER,
  SIGNATURE_HEADER,
  STANDARD_WEBHOOK_HEADERS,
  WEBHOOK_EVENTS,
  type WebhookEventName,
} from '../../../../src-shared/contract/webhooks';
import { createSessionSchema } from '../../payments';
import { DEFAULT_RATE_LIMITS } from '../rate-limit';
import { IDEMPOTENCY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH, REPLAYED_HEADER } from '../idempotency';
import { checkoutSubmitRequestSchema, registry, testSmsRequestSchema } from './schemas';

/**
 * The public listener's OpenAPI 3.1 document, built from code:
 * - request bodies: the zod schemas the routes validate with, through z.toJSONSchema;
 * - response bodies: the zod mirrors of the contract types in ./schemas.ts;
 * - error codes: ERROR_TABLE (each documented code is checked to carry the documented status);
 * - rate limits: DEFAULT_RATE_LIMITS; version: APP_VERSION.
 * test/core/http/openapi.test.ts keeps it true against the running routes.
 */

type Json = Record<string, unknown>;

const SCHEMA_URI = (id: string) => `#/components/schemas/${id}`;
const ref = (id: string): Json => ({ $ref: SCHEMA_URI(id) });

/** JSON Schema 2020-12 without the per-document keys that do not belong inside components. */
function clean(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

const SUPPORTED_CURRENCIES = [...new Set(PROVIDERS.map((p) => p.currency))];

function requestSchema(schema: z.ZodType): Json {
  return clean(
    z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => {
        // `amount` is z.unknown() in the schema; parseSessionInput then accepts a JSON number or a decimal string.
        if (ctx.zodSchema === createSessionSchema.shape.amount) {
          Object.assign(ctx.jsonSchema, {
            description: 'Positive, at most two decimals, up to 100 000 000: a JSON number (500, 19.99) or a decimal string ("500.00").',
            anyOf: [
              { type: 'number', exclusiveMinimum: 0, maximum: 100_000_000 },
              { type: 'string', pattern: '^\\s*\\d{1,13}(\\.\\d{1,2})?\\s*$' },
            ],
            examples: ['500.00'],
          });
        }
        if (ctx.zodSchema === createSessionSchema.shape.currency) {
          ctx.jsonSchema.description = `ISO 4217 code of a supported wallet (${SUPPORTED_CURRENCIES.join(', ')}); default BDT. Case-insensitive.`;
        }
        if (ctx.zodSchema === createSessionSchema.shape.redirect_url) {
          ctx.jsonSchema.description = 'http(s) URL the customer returns to with ?session_id=…&status=….';
        }
        if (ctx.zodSchema === createSessionSchema.shape.notify_url) {
          Object.assign(ctx.jsonSchema, {
            description:
              "This session's own webhook URL (http or https): its events are POSTed here as well as to the brand's webhook URL " +
              '(see `webhooks` in this document). Loopback and LAN addresses are refused unless the counter runs with --allow-private-webhooks.',
          });
        }
        if (ctx.zodSchema === createSessionSchema.shape.notifyUrl) {
          Object.assign(ctx.jsonSchema, { description: 'Another name for notify_url (seed 002). Send one of the two.' });
        }
      },
    }) as Json,
  );
}

function componentSchemas(): Record<string, Json> {
  const out = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'output', uri: SCHEMA_URI }) as {
    schemas: Record<string, Json>;
  };
  const schemas: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(out.schemas)) schemas[id] = clean(schema);
  schemas.CreateSessionRequest = requestSchema(createSessionSchema);
  schemas.CheckoutSubmitRequest = requestSchema(checkoutSubmitRequestSchema);
  schemas.TestSmsRequest = requestSchema(testSmsRequestSchema);
  schemas.WebhookEvent = {
    type: 'object',
    description:
      'The body of every webhook. `session` is the session exactly as GET /api/payment/sessions/{id} returned it when the change committed.',
    required: ['id', 'event', 'created_at', 'session'],
    additionalProperties: false,
    properties: {
      id: {
        type: 'string',
        pattern: '^evt_[0-9a-f]{24}$',
        description: 'The same on every retry (and equal to the webhook-id header): dedupe on it.',
      },
      event: { enum: [...WEBHOOK_EVENTS] },
      created_at: { type: 'string', format: 'date-time', description: 'When the change committed.' },
      session: ref('Session'),
    },
  };
  return schemas;
}

// ---- responses -------------------------------------------------------------------------

const json = (schema: Json) => ({ 'application/json': { schema } });

/** An error response whose `code` is one of `codes`; each must really answer with `status`. */
function errorSchema(status: number, codes: readonly ErrorCode[]): Json {
  for (const code of codes) {
    if (ERROR_TABLE[code].status !== status) {
      throw new Error(`openapi: ${code} is answered with ${ERROR_TABLE[code].status}, not ${status}`);
    }
  }
  return { allOf: [ref('Error'), { properties: { code: { enum: [...codes] } } }] };
}

function codesText(codes: readonly ErrorCode[]): string {
  return codes.map((c) => `\`${c}\``).join(', ');
}

function errorResponse(status: number, description: string, codes: readonly ErrorCode[], extra: Json = {}): Json {
  return { description: `${description} Codes: ${codesText(codes)}.`, ...extra, content: json(errorSchema(status, codes)) };
}

/** Several shapes under one status (a specialised error first, then the generic ones). */
function errorResponseOf(status: number, description: string, special: string[], codes: readonly ErrorCode[], extra: Json = {}): Json {
  const anyOf = [...special.map(ref), ...(codes.length > 0 ? [errorSchema(status, codes)] : [])];
  return { description, ...extra, content: json(anyOf.length === 1 ? (anyOf[0] as Json) : { anyOf }) };
}

const DEFAULT_ERROR: Json = {
  description:
    'Any other failure, in the error shape: 403 `forbidden_host`, 413 `payload_too_large`, 415 `unsupported_media_type`, 500 `internal`, 503 `shutting_down`.',
  content: json(ref('Error')),
};

const UNAUTHORIZED = errorResponse(401, 'Missing or invalid X-API-Key.', ['unauthorized']);
const SESSION_NOT_FOUND = errorResponse(404, 'No session with this id (for this API key).', ['session_not_found']);

const headerRef = (name: string): Json => ({ $ref: `#/components/headers/${name}` });

function rateLimitHeaders(limited: boolean): Json {
  const headers: Json = {
    'X-RateLimit-Limit': headerRef('X-RateLimit-Limit'),
    'X-RateLimit-Remaining': headerRef('X-RateLimit-Remaining'),
    'X-RateLimit-Reset': headerRef('X-RateLimit-Reset'),
  };
  if (limited) headers['Retry-After'] = headerRef('Retry-After');
  return headers;
}

const REPLAYABLE = { [REPLAYED_HEADER]: headerRef(REPLAYED_HEADER) };

const redirect303 = (what: string): Json => ({
  description: `Form posts (application/x-www-form-urlencoded) only: ${what}`,
  headers: { Location: headerRef('Location') },
});

function rateLimitText(name: keyof typeof DEFAULT_RATE_LIMITS): string {
  const rule = DEFAULT_RATE_LIMITS[name];
  const keyed = { api_key: 'API key', 'ip+session': 'client IP + session', ip: 'client IP', device_auth_key: 'device key' }[rule.keyedBy];
  return `Rate limit: ${rule.limit} per ${rule.windowMs / 1000} s, keyed by ${keyed}; past it, 429 with Retry-After.`;
}

// ---- operations ------------------------------------------------------------------------

const MERCHANT = [{ ApiKeyAuth: [] }];
const html = { 'text/html': { schema: { type: 'string' } } };
const NO_AUTH: Json[] = [];
const sessionIdParam = { $ref: '#/components/parameters/SessionId' };
const idempotencyParam = { $ref: '#/components/parameters/IdempotencyKey' };
const IDEMPOTENCY_TEXT =
  `Honours ${IDEMPOTENCY_HEADER}: the same key and body replays the first response (2xx-4xx) with \`${REPLAYED_HEADER}: true\`; ` +
  'the same key with a different body is 409 `idempotency_key_reused`.';

function paths(): Json {
  return {
    '/api/health': {
      get: {
        operationId: 'getHealth',
        tags: ['meta'],
        summary: 'Liveness of this listener',
        description:
          'With `probe`, the answer says whether this core issued that probe: the counter checks its tunnel this way, so it knows the address reaches this core and not another server.',
        security: NO_AUTH,
        parameters: [
          {
            name: 'probe',
            in: 'query',
            required: false,
            description: "A tunnel check's one-time value.",
            schema: { type: 'string', maxLength: 64 },
          },
        ],
        responses: { '200': { description: 'Up.', content: json(ref('HealthResponse')) }, default: DEFAULT_ERROR },
      },
    },
    '/api/providers': {
      get: {
        operationId: 'listProviders',
        tags: ['meta'],
        summary: 'The wallets CounterPay reads',
        security: NO_AUTH,
        responses: { '200': { description: 'Every supported wallet.', content: json(ref('ProvidersResponse')) }, default: DEFAULT_ERROR },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['meta'],
        summary: 'This document',
        security: NO_AUTH,
        responses: {
          '200': {
            description: 'The OpenAPI 3.1 document of the public API.',
            content: json({
              type: 'object',
              required: ['openapi', 'info', 'paths'],
              properties: { openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' } },
            }),
          },
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/payment/sessions': {
      post: {
        operationId: 'createPaymentSession',
        tags: ['merchant'],
        summary: 'Create a checkout session',
        description:
          'order_id is unique per merchant: a live (pending) session for it is returned with 200 `existed: true`; ' +
          `a paid one is 409 \`order_already_paid\` with existing_session_id. ${IDEMPOTENCY_TEXT} ${rateLimitText('sessionCreate')}`,
        security: MERCHANT,
        parameters: [idempotencyParam],
        requestBody: { required: true, content: json(ref('CreateSessionRequest')) },
        responses: {
          '201': { description: 'Created.', headers: { ...rateLimitHeaders(false), ...REPLAYABLE }, content: json(ref('SessionCreated')) },
          '200': {
            description: 'The order already has a live session; here it is (same checkout_url).',
            headers: { ...rateLimitHeaders(false), ...REPLAYABLE },
            content: json(ref('SessionExisted')),
          },
          '400': errorResponse(400, 'A missing or invalid field (hint `field`), unparseable JSON, or a bad idempotency key.', [
            'validation_failed',
            'currency_unsupported',
            'malformed_json',
            'bad_request',
            'idempotency_key_invalid',
          ]),
          '401': UNAUTHORIZED,
          '409': errorResponseOf(
            409,
            'The order is already paid (`order_already_paid`, with existing_session_id: do not retry), or the idempotency key was reused with another body (`idempotency_key_reused`) or is still in flight (`conflict`).',
            ['OrderAlreadyPaidError'],
            ['idempotency_key_reused', 'conflict'],
            { headers: { ...REPLAYABLE } },
          ),
          '429': {
            description: 'Too many sessions created with this API key.',
            headers: rateLimitHeaders(true),
            content: json(ref('RateLimitedError')),
          },
          default: DEFAULT_ERROR,
        },
      },
      get: {
        operationId: 'findPaymentSessionsByOrder',
        tags: ['merchant'],
        summary: 'Look sessions up by order_id',
        security: MERCHANT,
        parameters: [{ $ref: '#/components/parameters/OrderId' }],
        responses: {
          '200': { description: 'The newest session for the order, and all of them.', content: json(ref('SessionLookupResponse')) },
          '400': errorResponse(400, 'order_id is missing or empty.', ['validation_failed']),
          '401': UNAUTHORIZED,
          '404': errorResponse(404, 'No session for this order_id.', ['session_not_found']),
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/payment/sessions/{id}': {
      get: {
        operationId: 'getPaymentSession',
        tags: ['merchant'],
        summary: 'Fetch a session (verify server-side after the customer returns; poll while pending)',
        security: MERCHANT,
        parameters: [sessionIdParam],
        responses: {
          '200': { description: 'The session.', content: json(ref('SessionResponse')) },
          '401': UNAUTHORIZED,
          '404': SESSION_NOT_FOUND,
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/payment/sessions/{id}/cancel': {
      post: {
        operationId: 'cancelPaymentSession',
        tags: ['merchant'],
        summary: 'Cancel a pending session',
        description: `Open attempts fail with "Session cancelled.". ${IDEMPOTENCY_TEXT}`,
        security: MERCHANT,
        parameters: [sessionIdParam, idempotencyParam],
        responses: {
          '200': { description: 'Cancelled.', headers: REPLAYABLE, content: json(ref('SessionResponse')) },
          '400': errorResponse(400, 'Unparseable JSON or a bad idempotency key.', [
            'malformed_json',
            'bad_request',
            'idempotency_key_invalid',
          ]),
          '401': UNAUTHORIZED,
          '404': SESSION_NOT_FOUND,
          '409': errorResponse(
            409,
            'The session is already final, or the idempotency key was reused with another body.',
            ['session_not_pending', 'session_expired', 'idempotency_key_reused', 'conflict'],
            { headers: REPLAYABLE },
          ),
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/test/sms': {
      post: {
        operationId: 'injectTestSms',
        tags: ['test'],
        summary: 'Test mode: deliver a wallet SMS as if the phone had received it',
        description: `Only the TEST API key may call this (a live key is 401); the SMS is stored as test data and matches test sessions only. ${IDEMPOTENCY_TEXT}`,
        security: MERCHANT,
        parameters: [idempotencyParam],
        requestBody: { required: true, content: json(ref('TestSmsRequest')) },
        responses: {
          '201': { description: 'Stored a new SMS.', headers: REPLAYABLE, content: json(ref('IngestResult')) },
          '200': {
            description: 'The same SMS was already stored (`is_new: false`).',
            headers: REPLAYABLE,
            content: json(ref('IngestResult')),
          },
          '400': errorResponse(400, 'A missing or invalid field, unparseable JSON, or a bad idempotency key.', [
            'validation_failed',
            'malformed_json',
            'bad_request',
            'idempotency_key_invalid',
          ]),
          '401': errorResponse(401, 'Missing key, or not the test key.', ['unauthorized']),
          '409': errorResponse(409, 'The idempotency key was reused with another body, or is still in flight.', [
            'idempotency_key_reused',
            'conflict',
          ]),
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/checkout/{id}/submit': {
      post: {
        operationId: 'submitCheckout',
        tags: ['checkout'],
        summary: "The customer's TxnID for this session",
        description:
          'Called by the hosted checkout page (no key). JSON gets JSON back; a form post (no JavaScript) gets a 303 to the page ' +
          `(with ?error=<code> on failure) or to the merchant's redirect_url on success. ${rateLimitText('checkoutSubmit')}`,
        security: NO_AUTH,
        parameters: [sessionIdParam],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: ref('CheckoutSubmitRequest') },
            'application/x-www-form-urlencoded': { schema: ref('CheckoutSubmitRequest') },
          },
        },
        responses: {
          '200': {
            description: 'Paid (or the session was already paid).',
            headers: rateLimitHeaders(false),
            content: json(ref('CheckoutSuccess')),
          },
          '202': {
            description: 'Recorded; waiting for the SMS or for the shop. Poll GET /api/checkout/{id}/status.',
            headers: rateLimitHeaders(false),
            content: json(ref('CheckoutPending')),
          },
          '303': redirect303('to the merchant redirect_url on success, else back to /pay/{id} (with ?error=<code> on failure).'),
          '400': errorResponse(
            400,
            'No TxnID, a TxnID no wallet of the shop prints, or an unknown gateway.',
            ['validation_failed', 'txnid_invalid', 'gateway_unknown', 'malformed_json', 'bad_request'],
            { headers: rateLimitHeaders(false) },
          ),
          '404': errorResponse(404, 'No such session.', ['session_not_found'], { headers: rateLimitHeaders(false) }),
          '409': errorResponse(
            409,
            'The TxnID already paid (or is claimed by) another payment, or the session is no longer open.',
            ['txnid_already_used', 'session_expired', 'session_not_pending'],
            { headers: rateLimitHeaders(false) },
          ),
          '422': {
            description: 'A wallet SMS with this TxnID exists but does not pay this session; see failure_reason.',
            headers: rateLimitHeaders(false),
            content: json(ref('PaymentRejectedError')),
          },
          '429': errorResponseOf(
            429,
            'Too many submits from this client for this session (`rate_limited`, with Retry-After), or too many wrong TxnIDs for it (`too_many_attempts`: ask the shop).',
            ['RateLimitedError'],
            ['too_many_attempts'],
            { headers: rateLimitHeaders(true) },
          ),
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/checkout/{id}/status': {
      get: {
        operationId: 'getCheckoutStatus',
        tags: ['checkout'],
        summary: 'The session state as the waiting checkout page polls it',
        security: NO_AUTH,
        parameters: [sessionIdParam],
        responses: {
          '200': { description: 'Current state (Cache-Control: no-store).', content: json(ref('CheckoutStatus')) },
          '404': errorResponse(404, 'No such session.', ['session_not_found']),
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/checkout/{id}/cancel': {
      post: {
        operationId: 'cancelCheckout',
        tags: ['checkout'],
        summary: 'The customer abandons the checkout',
        security: NO_AUTH,
        parameters: [sessionIdParam],
        requestBody: {
          required: false,
          content: {
            'application/json': { schema: { type: 'object' } },
            'application/x-www-form-urlencoded': { schema: { type: 'object' } },
          },
        },
        responses: {
          '200': { description: 'Cancelled.', content: json(ref('CheckoutCancelled')) },
          '303': redirect303("to the merchant's redirect_url (status=cancelled), else back to /pay/{id}."),
          '404': errorResponse(404, 'No such session.', ['session_not_found']),
          '409': errorResponse(409, 'The session is already final.', ['session_not_pending', 'session_expired']),
          default: DEFAULT_ERROR,
        },
      },
    },
    '/api/checkout/{id}/url': {
      get: {
        operationId: 'getCheckoutUrl',
        tags: ['checkout'],
        summary: 'The hosted checkout URL for a session id (for support staff)',
        description: 'Does not look the session up.',
        security: NO_AUTH,
        parameters: [sessionIdParam],
        responses: { '200': { description: 'The URL.', content: json(ref('CheckoutUrl')) }, default: DEFAULT_ERROR },
      },
    },
    '/pay/{id}': {
      get: {
        operationId: 'getCheckoutPage',
        tags: ['checkout'],
        summary: 'The hosted checkout page (checkout_url)',
        security: NO_AUTH,
        parameters: [sessionIdParam],
        responses: {
          '200': { description: 'The server-rendered checkout page (its state follows the session).', content: html },
          '404': { description: 'A page saying the payment link is unknown.', content: html },
          default: DEFAULT_ERROR,
        },
      },
    },
    '/pay/assets/{file}': {
      get: {
        operationId: 'getCheckoutAsset',
        tags: ['checkout'],
        summary: "The checkout page's stylesheet and script (content-hashed names, cached for a year)",
        security: NO_AUTH,
        parameters: [
          {
            name: 'file',
            in: 'path',
            required: true,
            description: 'A name the page links to, e.g. checkout.<hash>.css.',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description: 'The asset.',
            content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } },
          },
          '404': errorResponse(404, 'No such asset.', ['not_found']),
          default: DEFAULT_ERROR,
        },
      },
    },
  };
}

function headers(): Json {
  const integer = (description: string, required = false): Json => ({ description, required, schema: { type: 'integer', minimum: 0 } });
  return {
    'X-RateLimit-Limit': integer('The cap for this endpoint in the current window.'),
    'X-RateLimit-Remaining': integer('Calls left in the current window.'),
    'X-RateLimit-Reset': integer('Unix time (seconds) when the window resets.'),
    'Retry-After': {
      description: 'Seconds to wait before retrying (also retry_after_seconds in the body).',
      required: true,
      schema: { type: 'integer', minimum: 1 },
    },
    [REPLAYED_HEADER]: {
      description: `Present (\`true\`) when this is the stored answer to an earlier request with the same ${IDEMPOTENCY_HEADER}.`,
      schema: { type: 'string', const: 'true' },
    },
    Location: { description: 'Where the browser goes next.', required: true, schema: { type: 'string' } },
  };
}

const WEBHOOK_WHEN: Record<WebhookEventName, string> = {
  'session.success': "The session was paid (by the customer's TxnID, a late SMS, or staff).",
  'session.expired': 'The session ran out before it was paid (also at start, for sessions that ran out while the counter was off).',
  'session.cancelled': 'The session was cancelled (by you or by the customer on the checkout).',
  'transaction.failed':
    'A TxnID submitted for the session failed (no such payment, rejected by staff, not a credit); the session stays pending.',
  'transaction.reversed':
    'The wallet reversed a payment that had paid the session: the session stays `success`, `successful_transaction.reversed_at` is set.',
};

/** OpenAPI 3.1 `webhooks`: what the counter POSTs to the brand's webhook URL and a session's notify_url. */
function webhooks(): Json {
  const header = (description: string, example: string) => ({
    in: 'header',
    required: true,
    description,
    schema: { type: 'string', examples: [example] },
  });
  return Object.fromEntries(
    WEBHOOK_EVENTS.map((event) => [
      event,
      {
        post: {
          operationId: `webhook_${event.replace('.', '_')}`,
          summary: WEBHOOK_WHEN[event],
          description:
            'Signed twice with the brand secret_key (test_secret_key for test sessions) as UTF-8 bytes; verify either (docs/webhooks.md). ' +
            'Any 2xx acknowledges; otherwise retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (±10%), then dead until staff resend it. ' +
            'Redirects are not followed; an attempt has 15 s.',
          parameters: [
            {
              name: SIGNATURE_HEADER,
              ...header(
                't=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> (one v1 per key during a key rotation).',
                't=1796050276,v1=5257a8…',
              ),
            },
            { name: STANDARD_WEBHOOK_HEADERS.id, ...header("The event id (the body's `id`).", 'evt_09e1fd08b77a0d1a34dd947b') },
            { name: STANDARD_WEBHOOK_HEADERS.timestamp, ...header('Unix seconds of this attempt.', '1796050276') },
            {
              name: STANDARD_WEBHOOK_HEADERS.signature,
              ...header('v1,<base64 HMAC-SHA256 of "<id>.<t>.<raw body>"> (space-separated during a key rotation).', 'v1,U8vcJr13…'),
            },
            { name: EVENT_HEADER, ...header('The event name.', event) },
          ],
          requestBody: { required: true, content: json(ref('WebhookEvent')) },
          responses: { '200': { description: 'Any 2xx status acknowledges (the body is ignored; `SUCCESS` is fine).' } },
        },
      },
    ]),
  );
}

export type OpenApiDocument = Json & { openapi: string; info: Json & { version: string }; paths: Record<string, Record<string, Json>> };

export function buildOpenApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'CounterPay public API',
      version: APP_VERSION,
      summary: "MASTER PAY-compatible payment sessions and hosted checkout, confirmed from the shop's wallet SMS.",
      description:
        'Amounts are decimal strings with two decimals ("500.00"). Every error is `{ error, merchant_message, code }`: ' +
        'show customers `error` only; `merchant_message` is for your logs; branch on `code`.',
    },
    servers: [{ url: '/', description: 'This CounterPay public listener (usually reached through its tunnel URL).' }],
    tags: [
      { name: 'merchant', description: "The merchant's backend, with X-API-Key." },
      { name: 'checkout', description: "The customer's browser on the hosted checkout; no key." },
      { name: 'test', description: 'Test mode (test API key).' },
      { name: 'meta', description: 'Health, providers and this document.' },
    ],
    paths: paths() as OpenApiDocument['paths'],
    webhooks: webhooks(),
    components: {
      securitySchemes: {
        ApiKeyAuth: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'The brand API key (live, or test for test mode). Keep it on your server.',
        },
      },
      parameters: {
        SessionId: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The session id (session_id).',
          schema: { type: 'string', minLength: 1 },
        },
        OrderId: { name: 'order_id', in: 'query', required: true, description: 'Your order id.', schema: { type: 'string', minLength: 1 } },
        IdempotencyKey: {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: false,
          description: 'Optional. Kept at least 24 h per API key, method and URL.',
          schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: '^[\\x20-\\x7e]+$' },
        },
      },
      headers: headers(),
      schemas: componentSchemas(),
    },
  };
}

let cached: string | null = null;

/** The document as JSON text, built once per process (it depends only on code). */
export function openApiJson(): string {
  cached ??= JSON.stringify(buildOpenApiDocument());
  return cached;
}
