import type { SessionView } from './payments';

/**
 * Merchant webhooks (issue 12): what the counter POSTs to a merchant site when a session
 * resolves, and what staff and the admin API see of its delivery. docs/webhooks.md is the
 * merchant's side of this file.
 */
export const WEBHOOK_EVENTS = [
  'session.success',
  'session.expired',
  'session.cancelled',
  'transaction.failed',
  'transaction.reversed',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** The body of every webhook: the session exactly as `GET /api/payment/sessions/:id` returned it at that moment. */
export interface WebhookEventBody {
  /** `evt_…`, the same on every retry and resend: a receiver dedupes on it. */
  id: string;
  event: WebhookEventName;
  /** When the change committed (ISO 8601), not when this attempt was sent. */
  created_at: string;
  session: SessionView;
}

/** Stripe's scheme: `t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (one v1 per key during a rotation's overlap). */
export const SIGNATURE_HEADER = 'X-CounterPay-Signature';
/** Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> [v1,<base64>]`. */
export const STANDARD_WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;
/** Names the event without parsing the body (routing in a receiver's framework). */
export const EVENT_HEADER = 'X-CounterPay-Event';

/**
 * Seconds after an attempt fails before the next (the Standard Webhooks schedule: 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h); each is stretched or shrunk by up to a tenth (jitter). After
 * the last, the delivery is dead until staff resend it.
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One POST to a receiver: what staff see of it. */
export interface WebhookAttemptView {
  attempted_at: string;
  /** The receiver's HTTP status; null when no answer came (refused, timed out, blocked address). */
  http_status: number | null;
  latency_ms: number;
  ok: boolean;
  /** Why it failed, in words (`timed out after 15 s`, `HTTP 500`, `address 10.0.0.5 is private`). */
  error: string | null;
  /** The first bytes of the receiver's answer (at most 300 characters). */
  response_excerpt: string | null;
}

/** One event on its way to one URL. */
export interface WebhookDeliveryView {
  id: number;
  event_id: string;
  event: WebhookEventName;
  session_id: string | null;
  order_id: string | null;
  url: string;
  /** `brand`: the shop's webhook URL for the mode; `session`: the session's own notify_url. */
  target: 'brand' | 'session';
  test: boolean;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due (pending only). */
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
  /** The latest attempts first (at most 20). */
  recent_attempts: WebhookAttemptView[];
}

export interface WebhookBacklogView {
  /** Deliveries still to be acknowledged. */
  pending: number;
  /** Deliveries that used up every retry (staff may resend). */
  dead: number;
  /** The oldest pending delivery's event time: how far behind the receiver is. */
  oldest_pending_at: string | null;
  /** Events committed but not yet handed to a URL (the worker catches up within a second). */
  undispatched: number;
}

export interface WebhookEndpointView {
  url: string | null;
  updated_at: string | null;
}

export interface WebhookSettingsView {
  live: WebhookEndpointView;
  test: WebhookEndpointView;
  /** `--allow-private-webhooks` / `webhooks.allowPrivate`: loopback and LAN receivers allowed. */
  allow_private: boolean;
  backlog: WebhookBacklogView;
}
