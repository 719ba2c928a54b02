import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';
import type { WebhookDeliveryStatus } from '../../../../src-shared/contract/webhooks';

export interface WebhookEndpointRow {
  brand_id: number;
  is_test: number;
  url: string;
  updated_at: number;
}

export interface WebhookDeliveryRow {
  id: number;
  merchant_id: number;
  outbox_id: number;
  event_id: string;
  event: string;
  session_id: string | null;
  url: string;
  /** scheme://host:port of url: the receiver. */
  origin: string;
  target: 'brand' | 'session';
  is_test: number;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  retry_from: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  finished_at: number | null;
}

export type NewWebhookDelivery = Omit<WebhookDeliveryRow, 'id' | 'status' | 'attempts' | 'retry_from' | 'delivered_at' | 'finished_at'>;

export interface WebhookAttemptRow {
  id: number;
  delivery_id: number;
  attempted_at: number;
  http_status: number | null;
  latency_ms: number;
  ok: number;
  error: string | null;
  response_excerpt: string | null;
}

export type NewWebhookAttempt = Omit<WebhookAttemptRow, 'id'>;

/** The webhooks domain's SQL: endpoints, deliveries and their attempts. */
export function prepareWebhookRepo(db: Db) {
  const endpoint = db.prepare('SELECT * FROM webhook_endpoints WHERE brand_id = ? AND is_test = ?');
  const upsertEndpoint = db.prepare(
    `INSERT INTO webhook_endpoints (brand_id, is_test, url, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (brand_id, is_test) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at`,
  );
  const deleteEndpoint = db.prepare('DELETE FROM webhook_endpoints WHERE brand_id = ? AND is_test = ?');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO webhook_deliveries
       (merchant_id, outbox_id, event_id, event, session_id, url, origin, target, is_test, body, next_attempt_at, created_at)
     VALUES (@merchant_id, @outbox_id, @event_id, @event, @session_id, @url, @origin, @target, @is_test, @body, @next_attempt_at, @created_at)`,
  );
  // The earliest unfinished delivery of each (URL, session) only: a later event for the same
  // session never overtakes an earlier one that is still being retried.
  const due = db.prepare(
    `SELECT d.* FROM webhook_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= ?
       AND d.id NOT IN (SELECT value FROM json_each(?))
       AND d.origin NOT IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (
         SELECT 1 FROM webhook_deliveries e
         WHERE e.status = 'pending' AND e.url = d.url AND e.session_id = d.session_id AND e.id < d.id)
     ORDER BY d.next_attempt_at, d.id LIMIT ?`,
  );
  const dueForOrigin = db.prepare(
    `SELECT d.* FROM webhook_deliveries d
     WHERE d.status = 'pending' AND d.origin = ? AND d.next_attempt_at <= ?
       AND d.id NOT IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (
         SELECT 1 FROM webhook_deliveries e
         WHERE e.status = 'pending' AND e.url = d.url AND e.session_id = d.session_id AND e.id < d.id)
     ORDER BY d.next_attempt_at, d.id LIMIT ?`,
  );
  const byId = db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?');
  const recent = db.prepare('SELECT * FROM webhook_deliveries WHERE merchant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?');
  // One statement per status: a bound status would hide the literal the planner needs.
  const recentByStatus: Record<WebhookDeliveryStatus, Statement> = {
    pending: db.prepare("SELECT * FROM webhook_deliveries WHERE status = 'pending' ORDER BY next_attempt_at DESC, id DESC LIMIT ?"),
    delivered: db.prepare("SELECT * FROM webhook_deliveries WHERE status = 'delivered' ORDER BY next_attempt_at DESC, id DESC LIMIT ?"),
    dead: db.prepare("SELECT * FROM webhook_deliveries WHERE status = 'dead' ORDER BY next_attempt_at DESC, id DESC LIMIT ?"),
  };
  const addAttempt = db.prepare(
    `INSERT INTO webhook_attempts (delivery_id, attempted_at, http_status, latency_ms, ok, error, response_excerpt)
     VALUES (@delivery_id, @attempted_at, @http_status, @latency_ms, @ok, @error, @response_excerpt)`,
  );
  const attemptsOf = db.prepare('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id DESC LIMIT ?');
  const delivered = db.prepare(
    `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, finished_at = ?
     WHERE id = ? AND status = 'pending'`,
  );
  const retry = db.prepare(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'pending'`,
  );
  const dead = db.prepare(
    `UPDATE webhook_deliveries SET status = 'dead', attempts = attempts + 1, finished_at = ? WHERE id = ? AND status = 'pending'`,
  );
  const resend = db.prepare(
    `UPDATE webhook_deliveries SET status = 'pending', retry_from = attempts, next_attempt_at = ?, delivered_at = NULL, finished_at = NULL
     WHERE id = ?`,
  );
  const countPending = db.prepare(`SELECT count(*) AS n, min(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'`);
  const countDead = db.prepare(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'dead'`);
  return {
    endpoint: (brandId: number, isTest: boolean) => endpoint.get(brandId, isTest ? 1 : 0) as WebhookEndpointRow | undefined,
    setEndpoint: (brandId: number, isTest: boolean, url: string, now: number) => upsertEndpoint.run(brandId, isTest ? 1 : 0, url, now),
    removeEndpoint: (brandId: number, isTest: boolean) => deleteEndpoint.run(brandId, isTest ? 1 : 0).changes === 1,
    /** False when this event already has a delivery to this URL. */
    insertDelivery: (row: NewWebhookDelivery) => insert.run(row).changes === 1,
    /** Due deliveries, leaving out those in flight and the receivers (origins) already at their limit. */
    due: (now: number, limit: number, inFlightIds: readonly number[], fullOrigins: readonly string[]) =>
      due.all(now, JSON.stringify(inFlightIds), JSON.stringify(fullOrigins), limit) as WebhookDeliveryRow[],
    /** One receiver's due deliveries (the same rules as `due`). */
    dueForOrigin: (origin: string, now: number, limit: number, inFlightIds: readonly number[]) =>
      dueForOrigin.all(origin, now, JSON.stringify(inFlightIds), limit) as WebhookDeliveryRow[],
    byId: (id: number) => byId.get(id) as WebhookDeliveryRow | undefined,
    recent: (merchantId: number, limit: number, status?: WebhookDeliveryStatus) =>
      (status ? recentByStatus[status].all(limit) : recent.all(merchantId, limit)) as WebhookDeliveryRow[],
    addAttempt: (row: NewWebhookAttempt) => addAttempt.run(row),
    attemptsOf: (deliveryId: number, limit: number) => attemptsOf.all(deliveryId, limit) as WebhookAttemptRow[],
    markDelivered: (id: number, now: number) => delivered.run(now, now, id).changes === 1,
    markRetry: (id: number, nextAt: number) => retry.run(nextAt, id).changes === 1,
    markDead: (id: number, now: number) => dead.run(now, id).changes === 1,
    /** Staff resend: due now, with a fresh retry schedule; the attempts so far stay on record. */
    resend: (id: number, now: number) => resend.run(now, id).changes === 1,
    backlog: () => {
      const pending = countPending.get() as { n: number; oldest: number | null };
      return { pending: pending.n, oldest: pending.oldest, dead: (countDead.get() as { n: number }).n };
    },
  };
}

export type WebhookRepo = ReturnType<typeof prepareWebhookRepo>;
