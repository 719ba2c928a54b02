import { z } from 'zod';
import { AppError } from '../errors';
import { MAX_SMS_PER_BATCH } from './apk-devices';
import type { ForwarderFieldMap } from './types';

/** What a forwarder payload becomes before the SmsIngestor sees it. */
export interface ExtractedSms {
  sender: unknown;
  body: unknown;
  received_at: string | number | null;
}

export type Extraction =
  | { kind: 'messages'; messages: ExtractedSms[] }
  /** An event that carries no SMS (system:ping, sms:sent...): acknowledged, counts as a sighting. */
  | { kind: 'ignored'; event: string };

/**
 * Times as the apps print them: epoch ms or s (number or digits), ISO 8601 with offset,
 * or SmsForwarder's "yyyy-MM-dd HH:mm:ss" (UTC). Anything else is dropped and the arrival
 * time is used: a forwarder's odd clock format must not lose the payment SMS.
 */
export function normaliseTime(value: unknown): string | number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e12 ? value * 1000 : value;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s)) {
    const ms = Date.parse(`${s.replace(' ', 'T')}Z`);
    return Number.isFinite(ms) ? ms : null;
  }
  return Number.isFinite(Date.parse(s)) ? s : null;
}

// ---------------------------------------------------------------- capcom6

const capcom6Sms = z.object({
  messageId: z.string().nullish(),
  message: z.string({ error: 'payload.message must be a string' }),
  phoneNumber: z.string({ error: 'payload.phoneNumber must be a string' }),
  simNumber: z.number().nullish(),
  receivedAt: z.string().nullish(),
});

const capcom6Envelope = z.object({
  event: z.string({ error: 'event is required' }).min(1).max(64),
  deviceId: z.string().nullish(),
  id: z.string().nullish(),
  webhookId: z.string().nullish(),
  payload: z.unknown(),
});

function capcom6ToSms(p: z.infer<typeof capcom6Sms>): ExtractedSms {
  return { sender: p.phoneNumber, body: p.message, received_at: normaliseTime(p.receivedAt) };
}

/**
 * SMS Gateway for Android webhook body: `{ deviceId, event, id, payload, webhookId }`.
 * `sms:received` carries one SMS in payload; `sms:batch:received` carries payload.messages.
 */
export function extractCapcom6(body: unknown): Extraction {
  const env = capcom6Envelope.safeParse(body);
  if (!env.success) throw invalid(env.error);
  const { event, payload } = env.data;
  if (event === 'sms:received') {
    const one = capcom6Sms.safeParse(payload);
    if (!one.success) throw invalid(one.error, 'payload');
    return { kind: 'messages', messages: [capcom6ToSms(one.data)] };
  }
  if (event === 'sms:batch:received') {
    const batch = z
      .object({ messages: z.array(z.unknown()).min(1).max(MAX_SMS_PER_BATCH) })
      .safeParse(payload);
    if (!batch.success) throw invalid(batch.error, 'payload');
    // Each message is checked alone so one bad entry does not sink the rest.
    return {
      kind: 'messages',
      messages: batch.data.messages.map((m) => {
        const one = capcom6Sms.safeParse(m);
        return one.success ? capcom6ToSms(one.data) : { sender: undefined, body: undefined, received_at: null };
      }),
    };
  }
  return { kind: 'ignored', event };
}

// ---------------------------------------------------------------- generic

/** Field names the known apps use, tried in order when no field map says otherwise. */
export const DEFAULT_FIELD_ALIASES: Record<'sender' | 'body' | 'received_at', readonly string[]> = {
  // SMS to URL Forwarder: from/text/receivedStamp/sentStamp; SmsForwarder: from/content(org_content)/timestamp.
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
  const received = normaliseTime(pickField(body, fieldMap.received_at, DEFAULT_FIELD_ALIASES.received_at));
  return { kind: 'messages', messages: [{ sender, body: text, received_at: received }] };
}

function invalid(error: z.ZodError, prefix?: string): AppError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path.map(String) ?? [])].filter(Boolean).join('.') || 'body';
  return new AppError('validation_failed', `${field}: ${(issue?.message ?? 'is invalid').replace(/^Invalid input: /, '')}`);
}
