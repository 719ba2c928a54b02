import { z } from 'zod';
import { SESSION_STATES } from '../src-shared/contract/payments';
import { MAX_SYNC_BATCH_EVENTS, type SyncBatchRequest } from '../src-shared/contract/sync';
import { CloudError } from './errors';

/**
 * SyncBatchRequest (src-shared/contract/sync.ts) as zod, checked before anything is stored. The
 * session is checked for the fields the cloud reads (id, order_id, status, created_at, test) and
 * otherwise kept loose: a newer counter's additive fields must pass and be stored untouched.
 */
const iso = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().min(1).max(max);
const digest = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');

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
    stream: text(200),
    app_version: z.string().max(100),
    keys: z.object({ live: z.array(digest).max(100), test: z.array(digest).max(100) }),
    events: z.array(eventSchema).max(MAX_SYNC_BATCH_EVENTS),
  })
  .superRefine((batch, ctx) => {
    // In sequence order and consecutive (the contract): a gap inside one batch is a counter bug.
    for (let i = 1; i < batch.events.length; i++) {
      const prev = batch.events[i - 1] as { seq: number };
      const cur = batch.events[i] as { seq: number };
      if (cur.seq !== prev.seq + 1) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'seq'], message: `must be ${prev.seq + 1} (events are consecutive)` });
        return;
      }
    }
  });

export type ParsedBatch = z.infer<typeof syncBatchSchema>;

/**
 * Validates a parsed JSON body: 413 `payload_too_large` for too many events (checked first, as
 * the size limit it is), else 400 `validation_failed` naming the first bad field.
 */
export function parseBatch(body: unknown): { batch: ParsedBatch; raw: SyncBatchRequest } {
  const events = (body as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > MAX_SYNC_BATCH_EVENTS) {
    throw new CloudError('payload_too_large', `A batch carries at most ${MAX_SYNC_BATCH_EVENTS} events; this one has ${events.length}.`);
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
