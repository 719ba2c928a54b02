import type {
  WebhookAttemptView,
  WebhookBacklogView,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEventName,
  WebhookSettingsView,
} from '../../../src-shared/contract/webhooks';
import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import { prepareWebhookRepo, type WebhookAttemptRow, type WebhookDeliveryRow, type WebhookRepo } from '../db/repos/webhook-repo';
import { AppError } from '../errors';
import { countUndispatched } from '../outbox';
import { checkWebhookUrlResolved } from './url-guard';

/** Who changes the settings, for the audit log. */
export interface WebhookActor {
  brandId: number;
  merchantId: number;
  auditKey: string;
  actor: string;
}

const repos = new WeakMap<Db, WebhookRepo>();

/** One set of prepared statements per connection. */
export function webhookRepo(db: Db): WebhookRepo {
  let repo = repos.get(db);
  if (!repo) {
    repo = prepareWebhookRepo(db);
    repos.set(db, repo);
  }
  return repo;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function backlogView(db: Db): WebhookBacklogView {
  const b = webhookRepo(db).backlog();
  return { pending: b.pending, dead: b.dead, oldest_pending_at: iso(b.oldest), undispatched: countUndispatched(db, 'webhook') };
}

export function webhookSettings(db: Db, brandId: number, allowPrivate: boolean): WebhookSettingsView {
  const repo = webhookRepo(db);
  const endpoint = (isTest: boolean) => {
    const row = repo.endpoint(brandId, isTest);
    return { url: row?.url ?? null, updated_at: iso(row?.updated_at ?? null) };
  };
  return { live: endpoint(false), test: endpoint(true), allow_private: allowPrivate, backlog: backlogView(db) };
}

/**
 * Sets (or, with null, removes) the brand's webhook URL for live or test sessions. Events
 * committed from now on go there; deliveries already made keep the URL they were made for.
 */
export async function setWebhookUrl(
  db: Db,
  who: WebhookActor,
  arg: { url: unknown; test?: unknown },
  allowPrivate: boolean,
  now: number,
): Promise<WebhookSettingsView> {
  if (arg.test !== undefined && typeof arg.test !== 'boolean') throw new AppError('validation_failed', 'test: must be true or false');
  const isTest = arg.test === true;
  const url = arg.url === null || arg.url === '' ? null : await checkWebhookUrlResolved(arg.url, allowPrivate);
  writeTransaction(db, () => {
    const repo = webhookRepo(db);
    if (url === null) repo.removeEndpoint(who.brandId, isTest);
    else repo.setEndpoint(who.brandId, isTest, url, now);
    appendAudit(db, who.auditKey, {
      actor: who.actor,
      action: url === null ? 'webhook.url_removed' : 'webhook.url_set',
      subjectType: 'brand',
      subjectId: String(who.brandId),
      details: { test: isTest, url },
    });
  });
  return webhookSettings(db, who.brandId, allowPrivate);
}

function attemptView(row: WebhookAttemptRow): WebhookAttemptView {
  return {
    attempted_at: new Date(row.attempted_at).toISOString(),
    http_status: row.http_status,
    latency_ms: row.latency_ms,
    ok: row.ok === 1,
    error: row.error,
    response_excerpt: row.response_excerpt,
  };
}

const RECENT_ATTEMPTS = 20;

export function deliveryView(repo: WebhookRepo, row: WebhookDeliveryRow): WebhookDeliveryView {
  let orderId: string | null = null;
  try {
    orderId = (JSON.parse(row.body) as { session?: { order_id?: string } }).session?.order_id ?? null;
  } catch {
    orderId = null;
  }
  return {
    id: row.id,
    event_id: row.event_id,
    event: row.event as WebhookEventName,
    session_id: row.session_id,
    order_id: orderId,
    url: row.url,
    target: row.target,
    test: row.is_test === 1,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
    created_at: new Date(row.created_at).toISOString(),
    delivered_at: iso(row.delivered_at),
    recent_attempts: repo.attemptsOf(row.id, RECENT_ATTEMPTS).map(attemptView),
  };
}

const STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'dead'];

/** The newest deliveries first (optionally of one status), each with its latest attempts. */
export function listDeliveries(db: Db, merchantId: number, arg: { limit?: unknown; status?: unknown }): WebhookDeliveryView[] {
  const limit = arg.limit === undefined ? 50 : Number(arg.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AppError('validation_failed', 'limit: a whole number 1-500');
  if (arg.status !== undefined && !STATUSES.includes(arg.status as WebhookDeliveryStatus)) {
    throw new AppError('validation_failed', `status: one of ${STATUSES.join(', ')}`);
  }
  const repo = webhookRepo(db);
  return repo.recent(merchantId, limit, arg.status as WebhookDeliveryStatus | undefined).map((row) => deliveryView(repo, row));
}

/** Staff send a delivery again now: the same event id and body, a fresh signature, a fresh retry schedule. */
export function resendDelivery(db: Db, who: WebhookActor, id: unknown, now: number): WebhookDeliveryView {
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw new AppError('validation_failed', 'id: a delivery id');
  const repo = webhookRepo(db);
  const row = writeTransaction(db, () => {
    if (!repo.resend(id, now)) throw new AppError('not_found', `no webhook delivery ${id}`);
    appendAudit(db, who.auditKey, {
      actor: who.actor,
      action: 'webhook.resent',
      subjectType: 'webhook_delivery',
      subjectId: String(id),
      details: {},
    });
    return repo.byId(id) as WebhookDeliveryRow;
  });
  return deliveryView(repo, row);
}
