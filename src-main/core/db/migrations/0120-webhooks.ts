import type { Migration } from './index';

/**
 * Issue 12: merchant webhooks. The outbox keeps the event as it committed; a worker hands each
 * webhook event to its URLs (the brand's URL for the session's mode, and the session's own
 * notify_url) as one delivery per URL, whose every attempt is kept for staff to read.
 */
const SQL = `
CREATE TABLE webhook_endpoints (
  brand_id INTEGER NOT NULL REFERENCES brands(id),
  is_test INTEGER NOT NULL CHECK (is_test IN (0, 1)),
  url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, is_test)
) STRICT;

ALTER TABLE sessions ADD COLUMN notify_url TEXT CHECK (notify_url IS NULL OR length(notify_url) BETWEEN 1 AND 2048);

-- outbox_id has no foreign key: delivered outbox rows are purged while their deliveries stay readable.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  outbox_id INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event TEXT NOT NULL,
  session_id TEXT,
  url TEXT NOT NULL,
  -- scheme://host:port of url: the receiver, whose share of the in-flight requests is limited.
  origin TEXT NOT NULL,
  target TEXT NOT NULL CHECK (target IN ('brand', 'session')),
  is_test INTEGER NOT NULL CHECK (is_test IN (0, 1)),
  body TEXT NOT NULL CHECK (json_valid(body)),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- The attempt count when the schedule last started (0, or when staff resent): retries count from here.
  retry_from INTEGER NOT NULL DEFAULT 0 CHECK (retry_from >= 0),
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  finished_at INTEGER,
  UNIQUE (event_id, url)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
-- Per URL and session, the earliest unfinished delivery goes first.
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (url, session_id, id) WHERE status = 'pending';
-- One receiver's due deliveries, soonest first (a slot of that receiver came free).
CREATE INDEX webhook_deliveries_origin_due ON webhook_deliveries (origin, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (merchant_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempted_at INTEGER NOT NULL,
  http_status INTEGER,
  latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0),
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  error TEXT,
  response_excerpt TEXT
) STRICT;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- A channel's undelivered events in order, without reading the other channel's backlog.
CREATE INDEX outbox_pending_channel ON outbox (channel, id) WHERE status = 'pending';

-- Webhook events written before webhooks existed had no receiver: they are history, not news. A
-- merchant who sets a URL today must not receive months of old events, and a shop's first start
-- on this version must not spend minutes handing them to nobody.
UPDATE outbox SET status = 'delivered', delivered_at = created_at WHERE channel = 'webhook' AND status = 'pending';
`;

export const webhooks: Migration = {
  version: 120,
  name: '0120-webhooks',
  up(db) {
    db.exec(SQL);
  },
};
