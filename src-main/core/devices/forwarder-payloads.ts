import { z } from 'zod';
import { AppError } from '../errors';
import type { ForwarderFieldMap } from './types';

/** What a forwarder payload becomes before the SmsIngestor sees it. */
export interface ExtractedSms {
  sender: unknown;
  body: unknown;
  /** As the app sent it; read by readReceivedAt (sms/received-at.ts), never a reason to refuse. */
  received_at: unknown;
}

export type Extraction =
  | { kind: 'messages'; messages: ExtractedSms[] }
  /** An event that carries no SMS (system:ping, sms:sent...): acknowledged, counts as a sighting. */
  | { kind: 'ignored'; event: string };

// ---------------------------------------------------------------- capcom6

const nonEmpty = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * SmsEventPayload.SmsReceived (app/src/main/java/me/capcom/smsgateway/modules/webhooks/payload/):
 * `sender` since v1.54.0; `phoneNumber` is the same value, kept for older versions and marked
 * deprecated. Only the fields CounterPay stores are checked: an odd `simNumber` or `messageId`
 * must not lose the SMS.
 */
const capcom6Sms = z
  .object({
    message: z.string({ error: 'must be a string' }),
    sender: z.string().nullish().catch(null),
    phoneNumber: z.string().nullish().catch(null),
    receivedAt: z.unknown().optional(),
  })
  .refine((p) => nonEmpty(p.sender) || nonEmpty(p.phoneNumber), {
    message: 'the sender is missing (neither sender nor phoneNumber is set)',
    path: ['sender'],
  });

const capcom6Envelope = z.object({
  event: z.string({ error: 'event is required' }).min(1).max(64),
  payload: z.unknown(),
});

/**
 * SMS Gateway for Android webhook body: `{ deviceId, event, id, payload, webhookId }`, one event
 * per request (WebHookEventDTO.kt). Only `sms:received` carries an SMS; the app has no batch event.
 */
export function extractCapcom6(body: unknown): Extraction {
  const env = capcom6Envelope.safeParse(body);
  if (!env.success) throw invalid(env.error);
  const { event, payload } = env.data;
  if (event !== 'sms:received') return { kind: 'ignored', event };
  const sms = capcom6Sms.safeParse(payload);
  if (!sms.success) throw invalid(sms.error, 'payload');
  const { message, sender, phoneNumber, receivedAt } = sms.data;
  return { kind: 'messages', messages: [{ sender: nonEmpty(sender) ? sender : phoneNumber, body: message, received_at: receivedAt }] };
}

// ---------------------------------------------------------------- generic

/** Field names the known apps use, tried in order when no field map says otherwise. */
export const DEFAULT_FIELD_ALIASES: Record<'sender' | 'body' | 'received_at', readonly string[]> = {
  // SMS to URL Forwarder: from/text/receivedStamp/sentStamp; SmsForwarder: from/content(org_content)/receive_time/timestamp.
  sender: ['from', 'sender', 'phoneNumber', 'phone', 'address', 'number', 'originator'],
  body: ['text', 'org_content', 'content', 'body', 'message', 'msg', 'sms'],
  received_at: ['receivedStamp', 'received_at', 'receivedAt', 'receive_time', 'timestamp', 'sentStamp', 'date', 'time'],
};

export function getPath(source: unknown, dotted: string): unknown {
  let current: unknown = source;
  for (const part of dotted.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function pickField(source: unknown, mapped: string | undefined, aliases: readonly string[]): unknown {
  if (mapped) return getPath(source, mapped);
  for (const alias of aliases) {
    const v = getPath(source, alias);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

const asText = (v: unknown): unknown => (typeof v === 'number' ? String(v) : v);

/**
 * A generic JSON (or form) body: one SMS per request, its fields found through the field
 * map or the default aliases. Missing fields are left to the SmsIngestor, which names them.
 */
export function extractGeneric(body: unknown, fieldMap: ForwarderFieldMap): Extraction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('validation_failed', 'body: send a JSON object (or a form) with the SMS fields');
  }
  const sender = asText(pickField(body, fieldMap.sender, DEFAULT_FIELD_ALIASES.sender));
  const text = asText(pickField(body, fieldMap.body, DEFAULT_FIELD_ALIASES.body));
  if (sender === undefined) {
    throw new AppError('validation_failed', `${fieldMap.sender ?? 'from'}: the sender field is missing (set the field map)`);
  }
  if (text === undefined) {
    throw new AppError('validation_failed', `${fieldMap.body ?? 'text'}: the SMS text field is missing (set the field map)`);
  }
  const received = pickField(body, fieldMap.received_at, DEFAULT_FIELD_ALIASES.received_at);
  return { kind: 'messages', messages: [{ sender, body: text, received_at: received }] };
}

function invalid(error: z.ZodError, prefix?: string): AppError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path.map(String) ?? [])].filter(Boolean).join('.') || 'body';
  return new AppError('validation_failed', `${field}: ${(issue?.message ?? 'is invalid').replace(/^Invalid input: /, '')}`);
}
