import { z } from 'zod';
import { SESSION_STATES } from '../src-shared/contract/payments';
import { MAX_SYNC_BATCH_EVENTS, type SyncBatchRequest } from '../src-shared/contract/sync';
import { CloudError } from './errors';

/**
 * SyncBatchRequest (src-shared/contract/sync.ts) as zod, checked before anything is stored. The
 * session is checked for the fields the cloud reads (id, order_id, status, created_at, test) and
 * otherwise kept loose: a newer counter's additive fields must pass and be stored untouched.
 *
 * Whatever passes here must also be storable: PostgreSQL refuses some values zod would accept
 * (U+0000 in text, year 0000, a zone offset past ±15:59), and a database error is a 500 the
 * counter would retry forever, so those are refused here as 400 `validation_failed`.
 */

/** How deep objects and arrays may nest in a whole batch body (the batch's own structure takes 3 levels). */
export const MAX_SYNC_JSON_DEPTH = 32;

/** Year 0001–9999 and a zone offset of at most ±15:59: what PostgreSQL's timestamptz accepts. */
const ISO_PARTS = /^(\d{4})-.*?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const iso = z.iso.datetime({ offset: true }).refine((value) => {
  const m = ISO_PARTS.exec(value);
  if (!m || m[1] === '0000') return false;
  return m[2] === undefined || Number(m[3]) < 16;
}, 'a time PostgreSQL can store: year 0001 to 9999, zone offset at most ±15:59');

const noNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain U+0000';
/** Text the cloud stores in a column of its own (PostgreSQL text holds no U+0000). */
const text = (max: number) => z.string().min(1).max(max).refine(noNul, NUL_MESSAGE);
const digest = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');

/**
 * No control characters at all: they have no business in a name, and the cloud uses U+001F to
 * tell generations of one stream name apart (src-cloud/stream-key.ts).
 */
// eslint-disable-next-line no-control-regex
const streamName = text(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

const sessionSchema = z.looseObject({
  id: text(200),
  order_id: text(500),
  amount: z.string().max(100),
  currency: text(10),
  status: z.enum(SESSION_STATES),
  expires_at: iso,
  created_at: iso,
  successful_transaction: z.looseObject({}).nullable(),
  latest_transaction: z.looseObject({}).nullable(),
  test: z.boolean(),
});

const eventSchema = z.object({
  id: z.string().regex(/^sev_[0-9a-f]{24}$/, 'sev_ and 24 hex digits'),
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  type: text(100),
  created_at: iso,
  session: sessionSchema.nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

export const syncBatchSchema = z
  .object({
    stream: streamName,
    app_version: z.string().max(100).refine(noNul, NUL_MESSAGE),
    keys: z.object({ live: z.array(digest).max(100), test: z.array(digest).max(100) }),
    events: z.array(eventSchema).max(MAX_SYNC_BATCH_EVENTS),
  })
  .superRefine((batch, ctx) => {
    // In sequence order and consecutive (the contract): a gap, or a number repeated, inside one
    // batch is a counter bug. So is an event id repeated: an event is sent once per batch.
    const firstIndex = new Map<string, number>();
    for (let i = 0; i < batch.events.length; i++) {
      const cur = batch.events[i] as { id: string; seq: number };
      const prev = batch.events[i - 1];
      if (prev && cur.seq !== prev.seq + 1) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'seq'], message: `must be ${prev.seq + 1} (events are consecutive)` });
        return;
      }
      const earlier = firstIndex.get(cur.id);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'id'], message: `repeats events.${earlier}.id (each event once per batch)` });
        return;
      }
      firstIndex.set(cur.id, i);
    }
  });

export type ParsedBatch = z.infer<typeof syncBatchSchema>;

/**
 * The first place a value nests deeper than `max` objects and arrays, named by its first three
 * path segments (`events.0.data`), or null. Iterative: a body of 200 000 nested arrays is within
 * the size limit, and any recursive walk (JSON.stringify included) would overflow the stack.
 */
export function tooDeep(value: unknown, max: number): string | null {
  const stack: { value: unknown; depth: number; path: readonly (string | number)[] }[] = [{ value, depth: 1, path: [] }];
  for (;;) {
    const item = stack.pop();
    if (!item) return null;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > max) return item.path.length > 0 ? item.path.slice(0, 3).join('.') : 'body';
    const entries: [string | number, unknown][] = Array.isArray(item.value)
      ? item.value.map((v, i) => [i, v])
      : Object.entries(item.value as Record<string, unknown>);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) {
        // Only the first segments name the field; deeper ones share their ancestor's path.
        stack.push({ value: child, depth: item.depth + 1, path: item.path.length < 3 ? [...item.path, key] : item.path });
      }
    }
  }
}

/**
 * Validates a parsed JSON body: 413 `payload_too_large` for too many events (checked first, as
 * the size limit it is), else 400 `validation_failed` naming the first bad field.
 */
export function parseBatch(body: unknown): { batch: ParsedBatch; raw: SyncBatchRequest } {
  const events = (body as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > MAX_SYNC_BATCH_EVENTS) {
    throw new CloudError('payload_too_large', `A batch carries at most ${MAX_SYNC_BATCH_EVENTS} events; this one has ${events.length}.`);
  }
  const deep = tooDeep(body, MAX_SYNC_JSON_DEPTH);
  if (deep !== null) {
    throw new CloudError('validation_failed', `${deep}: nests deeper than ${MAX_SYNC_JSON_DEPTH} levels of objects and arrays`, {
      field: deep,
    });
  }
  const result = syncBatchSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw new CloudError('validation_failed', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  // The body as sent: events and sessions are stored from it, so their keys keep the counter's order.
  return { batch: result.data, raw: body as SyncBatchRequest };
}
