-- index audit_log_action_at
CREATE INDEX audit_log_action_at ON audit_log (action, at);

-- index audit_log_subject
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);

-- index balance_anchors_latest
CREATE INDEX balance_anchors_latest ON balance_anchors (merchant_id, provider, account_key, anchored_at);

-- index balance_anchors_open
CREATE INDEX balance_anchors_open ON balance_anchors (merchant_id, provider, account_key, balance_minor, anchored_at)
  WHERE open = 1;

-- index credentials_one_active
CREATE UNIQUE INDEX credentials_one_active
  ON credentials (merchant_id, ifnull(brand_id, 0), kind) WHERE revoked_at IS NULL;

-- index forwarder_spent_signs_expiry
CREATE INDEX forwarder_spent_signs_expiry ON forwarder_spent_signs (expires_at);

-- index gateways_provider
CREATE INDEX gateways_provider ON gateways (merchant_id, provider, id);

-- index idempotency_keys_expiry
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- index modem_parts_age
CREATE INDEX modem_parts_age ON modem_parts (stored_at);

-- index outbox_delivered
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE status = 'delivered';

-- index outbox_due
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- index outbox_pending_channel
CREATE INDEX outbox_pending_channel ON outbox (channel, id) WHERE status = 'pending';

-- index outbox_seq
CREATE UNIQUE INDEX outbox_seq ON outbox (merchant_id, seq) WHERE seq IS NOT NULL;

-- index sessions_by_merchant_order
CREATE INDEX sessions_by_merchant_order ON sessions (merchant_id, order_id);

-- index sessions_by_order
CREATE INDEX sessions_by_order ON sessions (brand_id, is_test, order_id);

-- index sessions_by_phone
CREATE INDEX sessions_by_phone ON sessions (merchant_id, customer_phone);

-- index sessions_one_paid_per_order
CREATE UNIQUE INDEX sessions_one_paid_per_order ON sessions (brand_id, is_test, order_id) WHERE status = 'success';

-- index sessions_one_pending_per_order
CREATE UNIQUE INDEX sessions_one_pending_per_order ON sessions (brand_id, is_test, order_id) WHERE status = 'pending';

-- index sessions_recent
CREATE INDEX sessions_recent ON sessions (merchant_id, created_at DESC, id);

-- index sessions_status
CREATE INDEX sessions_status ON sessions (status, expires_at);

-- index sms_balance_breaks
CREATE INDEX sms_balance_breaks ON sms (merchant_id, provider, balance_chain, balance_prev_minor, balance_at)
  WHERE balance_link = 'breaks';

-- index sms_balance_breaks_at
CREATE INDEX sms_balance_breaks_at ON sms (merchant_id, provider, balance_chain, balance_at)
  WHERE balance_link = 'breaks';

-- index sms_balance_points
CREATE INDEX sms_balance_points ON sms (merchant_id, provider, balance_chain, balance_at)
  WHERE balance_link IN ('start', 'follows');

-- index sms_balance_roots
CREATE INDEX sms_balance_roots ON sms (merchant_id, provider, balance_chain, balance_prev_minor, balance_at)
  WHERE balance_link = 'start';

-- index sms_balance_tips
CREATE INDEX sms_balance_tips ON sms (merchant_id, provider, balance_chain, balance_minor, balance_at)
  WHERE balance_tip = 1;

-- index sms_by_merchant
CREATE INDEX sms_by_merchant ON sms (merchant_id);

-- index sms_by_txnid
CREATE INDEX sms_by_txnid ON sms (merchant_id, is_test, txnid_normalized) WHERE txnid_normalized IS NOT NULL;

-- index sms_credits_received
CREATE INDEX sms_credits_received ON sms (merchant_id, is_test, received_at) WHERE kind = 'credit';

-- index sms_received
CREATE INDEX sms_received ON sms (received_at);

-- index sms_reversal_list
CREATE INDEX sms_reversal_list ON sms (kind) WHERE kind = 'reversal';

-- index sms_reversals
CREATE INDEX sms_reversals ON sms (merchant_id, is_test, provider, txnid_normalized) WHERE kind = 'reversal';

-- index sms_reversals_received
CREATE INDEX sms_reversals_received ON sms (merchant_id, is_test, received_at) WHERE kind = 'reversal' AND received_at IS NOT NULL;

-- index sms_unparsed
CREATE INDEX sms_unparsed ON sms (kind) WHERE kind = 'unparsed';

-- index staff_alerts_open
CREATE INDEX staff_alerts_open ON staff_alerts (resolved_at, created_at);

-- index staff_alerts_session
CREATE INDEX staff_alerts_session ON staff_alerts (session_id) WHERE session_id IS NOT NULL;

-- index staff_alerts_transaction
CREATE INDEX staff_alerts_transaction ON staff_alerts (transaction_id) WHERE transaction_id IS NOT NULL;

-- index staff_alerts_unresolved
CREATE INDEX staff_alerts_unresolved ON staff_alerts (merchant_id) WHERE resolved_at IS NULL;

-- index transactions_by_merchant
CREATE INDEX transactions_by_merchant ON transactions (merchant_id, is_test);

-- index transactions_by_state
CREATE INDEX transactions_by_state ON transactions (merchant_id, is_test, status);

-- index transactions_by_txnid
CREATE INDEX transactions_by_txnid ON transactions (merchant_id, is_test, txnid_normalized);

-- index transactions_counter_sales
CREATE INDEX transactions_counter_sales ON transactions (merchant_id, created_at) WHERE result_source = 'counter';

-- index transactions_one_success_per_session
CREATE UNIQUE INDEX transactions_one_success_per_session ON transactions (session_id) WHERE status = 'success';

-- index transactions_one_success_per_sms
CREATE UNIQUE INDEX transactions_one_success_per_sms ON transactions (sms_id) WHERE status = 'success';

-- index transactions_paid_at
CREATE INDEX transactions_paid_at ON transactions (merchant_id, is_test, verified_at) WHERE status = 'success';

-- index transactions_pending_by_sms
CREATE INDEX transactions_pending_by_sms ON transactions (sms_id) WHERE status = 'pending';

-- index transactions_session
CREATE INDEX transactions_session ON transactions (session_id, id);

-- index transactions_status
CREATE INDEX transactions_status ON transactions (status, created_at);

-- index transactions_txnid_claim
CREATE UNIQUE INDEX transactions_txnid_claim ON transactions (merchant_id, provider, is_test, txnid_normalized)
  WHERE status <> 'failed';

-- index webhook_attempts_delivery
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- index webhook_deliveries_due
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- index webhook_deliveries_finished
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

-- index webhook_deliveries_order
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (url, session_id, id) WHERE status = 'pending';

-- index webhook_deliveries_origin_due
CREATE INDEX webhook_deliveries_origin_due ON webhook_deliveries (origin, next_attempt_at) WHERE status = 'pending';

-- index webhook_deliveries_recent
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (merchant_id, created_at DESC, id DESC);

-- table audit_log
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  details TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;

-- table balance_anchors
CREATE TABLE balance_anchors (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  provider TEXT NOT NULL,
  account_key TEXT NOT NULL DEFAULT '',
  balance_minor INTEGER NOT NULL CHECK (balance_minor >= 0),
  anchored_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
, open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1))) STRICT;

-- table balance_chains
CREATE TABLE balance_chains (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  provider TEXT NOT NULL,
  chain_key TEXT NOT NULL,
  -- The account's visible digits ('' when the wallet's SMS name none) and, for UPI, its bank.
  account TEXT NOT NULL,
  bank TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (merchant_id, provider, chain_key)
) STRICT;

-- table brands
CREATE TABLE brands (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  name TEXT NOT NULL,
  domain TEXT,
  created_at INTEGER NOT NULL
) STRICT;

-- table credentials
CREATE TABLE credentials (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  brand_id INTEGER REFERENCES brands(id),
  kind TEXT NOT NULL CHECK (kind IN
    ('api_key', 'secret_key', 'device_auth_key', 'test_api_key', 'test_secret_key', 'admin_token')),
  key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  key_hint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  CHECK ((kind IN ('api_key', 'secret_key', 'test_api_key', 'test_secret_key')) = (brand_id IS NOT NULL))
) STRICT;

-- table devices
CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  kind TEXT NOT NULL CHECK (kind IN ('apk', 'forwarder', 'modem')),
  device_id TEXT NOT NULL,
  label TEXT,
  model TEXT,
  manufacturer TEXT,
  os_version TEXT,
  -- Forwarders sign with a per-device secret; only its digest is kept.
  secret_hash TEXT,
  bound_at INTEGER NOT NULL,
  unbound_at INTEGER,
  last_seen_at INTEGER,
  last_sms_at INTEGER,
  UNIQUE (merchant_id, kind, device_id)
) STRICT;

-- table forwarder_spent_signs
CREATE TABLE forwarder_spent_signs (
  device_id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, timestamp)
) STRICT;

-- table gateways
CREATE TABLE gateways (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  provider TEXT NOT NULL CHECK (provider IN
    ('bkash', 'nagad', 'rocket', 'upay', 'easypaisa', 'jazzcash', 'gcash', 'maya', 'upi', 'mpesa')),
  variant TEXT NOT NULL DEFAULT 'personal',
  -- JSON array of what the wallet's SMS names as the receiving account ("01711111111", "XX6788").
  account_identifiers TEXT NOT NULL CHECK (json_valid(account_identifiers) AND json_type(account_identifiers) = 'array'
    AND json_array_length(account_identifiers) > 0),
  label TEXT,
  -- Sender IDs the shop adds for this gateway; they extend, never replace, the wallet's built-in list.
  extra_sender_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(extra_sender_ids) AND json_type(extra_sender_ids) = 'array'),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
, balance_check TEXT NOT NULL DEFAULT 'review'
  CHECK (balance_check IN ('off', 'warn', 'review')), expected_smsc TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(expected_smsc) AND json_type(expected_smsc) = 'array')) STRICT;

-- table idempotency_keys
CREATE TABLE idempotency_keys (
  key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  response_status INTEGER CHECK (response_status IS NULL OR response_status BETWEEN 100 AND 499),
  response_body TEXT CHECK (response_body IS NULL OR json_valid(response_body)),
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  expires_at INTEGER NOT NULL,
  CHECK (expires_at >= created_at + 86400000),
  CHECK ((state = 'done') = (response_status IS NOT NULL AND response_body IS NOT NULL AND completed_at IS NOT NULL))
) STRICT;

-- table merchants
CREATE TABLE merchants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT 'BD',
  currency TEXT NOT NULL DEFAULT 'BDT' CHECK (length(currency) = 3),
  suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

-- table modem_parts
CREATE TABLE modem_parts (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants (id),
  -- The modem's label (config), so two SIMs' references never mix.
  modem TEXT NOT NULL,
  sender TEXT NOT NULL,
  sender_toa INTEGER NOT NULL,
  -- '' when the PDU names no SMSC: part of the key, so parts relayed by two centres never join.
  smsc TEXT NOT NULL DEFAULT '',
  concat_ref INTEGER NOT NULL,
  ref_bits INTEGER NOT NULL CHECK (ref_bits IN (8, 16)),
  total INTEGER NOT NULL CHECK (total BETWEEN 2 AND 255),
  seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 255),
  text TEXT NOT NULL,
  -- The service centre's timestamp (epoch ms) and when the part was read from the SIM.
  sent_at INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  -- 1 once two different texts claimed one part of this message: it is then stored flagged
  -- incomplete (never a payment), whatever arrives later.
  contested INTEGER NOT NULL DEFAULT 0 CHECK (contested IN (0, 1)), done_at INTEGER, sim_deleted_at INTEGER,
  UNIQUE (merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total, seq)
) STRICT;

-- table outbox
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'sync')),
  topic TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
, seq INTEGER CHECK (seq IS NULL OR seq > 0), event_id TEXT) STRICT;

-- table schema_migrations
CREATE TABLE schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT;

-- table sessions
CREATE TABLE sessions (
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 40),
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  brand_id INTEGER NOT NULL REFERENCES brands(id),
  order_id TEXT NOT NULL CHECK (length(order_id) BETWEEN 1 AND 128),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'expired', 'cancelled')),
  redirect_url TEXT,
  customer_phone TEXT,
  customer_name TEXT,
  metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1)),
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, failed_guesses INTEGER NOT NULL DEFAULT 0 CHECK (failed_guesses >= 0), notify_url TEXT CHECK (notify_url IS NULL OR length(notify_url) BETWEEN 1 AND 2048),
  CHECK (expires_at > created_at)
) STRICT;

-- table shop_settings
CREATE TABLE shop_settings (
  merchant_id INTEGER PRIMARY KEY REFERENCES merchants(id),
  public_url TEXT CHECK (public_url IS NULL OR (length(public_url) BETWEEN 8 AND 300 AND public_url GLOB 'http*://*')),
  keys_shown_at INTEGER,
  setup_dismissed_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;

-- table sms
CREATE TABLE sms (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  -- The dedupe key (see docs/sms-fingerprint.md): the same SMS from any source is one row.
  fingerprint TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  smsc TEXT,
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1)),
  provider TEXT,
  kind TEXT NOT NULL DEFAULT 'unparsed' CHECK (kind IN
    ('unparsed', 'credit', 'debit', 'reversal', 'failed', 'otp', 'promo', 'unknown', 'spoof')),
  amount_minor INTEGER CHECK (amount_minor IS NULL OR amount_minor >= 0),
  currency TEXT,
  txnid TEXT,
  txnid_normalized TEXT,
  counterparty TEXT,
  balance_minor INTEGER,
  account_hint TEXT,
  wallet_time TEXT,
  parsed_at INTEGER,
  created_at INTEGER NOT NULL, balance_link TEXT
  CHECK (balance_link IS NULL OR balance_link IN ('start', 'follows', 'breaks')), balance_chain TEXT, balance_at INTEGER, balance_prev_minor INTEGER, balance_tip INTEGER CHECK (balance_tip IS NULL OR balance_tip IN (-1, 0, 1)), balance_follows_sms INTEGER REFERENCES sms(id), balance_follows_anchor INTEGER REFERENCES balance_anchors(id), sender_toa INTEGER CHECK (sender_toa IS NULL OR sender_toa BETWEEN 0 AND 255),
  -- A credit is only a credit with the two things a match needs.
  CHECK (kind <> 'credit' OR (amount_minor IS NOT NULL AND txnid_normalized IS NOT NULL AND provider IS NOT NULL))
) STRICT;

-- table sms_deliveries
CREATE TABLE sms_deliveries (
  id INTEGER PRIMARY KEY,
  sms_id INTEGER NOT NULL REFERENCES sms(id),
  source TEXT NOT NULL CHECK (source IN ('modem', 'apk', 'forwarder', 'manual', 'test')),
  origin TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER NOT NULL,
  UNIQUE (sms_id, source, origin)
) STRICT;

-- table staff_alerts
CREATE TABLE "staff_alerts" (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  kind TEXT NOT NULL CHECK (kind IN ('paid_late', 'balance_mismatch', 'spoof_attempt', 'transaction_reversed')),
  session_id TEXT REFERENCES sessions(id),
  transaction_id INTEGER REFERENCES transactions(id),
  sms_id INTEGER REFERENCES sms(id),
  message TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  UNIQUE (kind, sms_id, transaction_id)
) STRICT;

-- table sync_state
CREATE TABLE sync_state (
  merchant_id INTEGER PRIMARY KEY REFERENCES merchants(id),
  -- Names this database to the cloud (a restored backup must not replay old numbers as new).
  stream TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
  keys_sent TEXT,
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_success_at INTEGER,
  last_attempt_at INTEGER,
  last_error TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0
) STRICT;

-- table transactions
CREATE TABLE "transactions" (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  session_id TEXT REFERENCES sessions(id),
  gateway_id INTEGER REFERENCES gateways(id),
  provider TEXT NOT NULL,
  variant TEXT,
  account_number TEXT,
  txnid_submitted TEXT NOT NULL,
  txnid_normalized TEXT NOT NULL CHECK (length(txnid_normalized) > 0),
  sender_account TEXT,
  amount_minor INTEGER CHECK (amount_minor IS NULL OR amount_minor > 0),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed')),
  result_source TEXT CHECK (result_source IS NULL OR result_source IN
    ('apk', 'sms_inbound', 'sms_late_match', 'manual', 'manual_verify', 'counter')),
  failure_reason TEXT,
  review_reasons TEXT CHECK (review_reasons IS NULL OR json_valid(review_reasons)),
  sms_id INTEGER REFERENCES sms(id),
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1)),
  verified_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- A wallet reversal SMS took this payment back; the success stands as history.
  reversed_at INTEGER,
  -- A verdict says when it was reached; a success also says how. A failure CounterPay reached by
  -- itself (the session expired or was cancelled, the SMS never came) has no result_source.
  CHECK (status = 'pending' OR verified_at IS NOT NULL),
  CHECK (status <> 'success' OR result_source IS NOT NULL),
  -- Only a person (staff at the counter, or the merchant on the phone) may call a payment good
  -- without the SMS that proves it.
  CHECK (status <> 'success' OR sms_id IS NOT NULL OR result_source IN ('manual', 'apk')),
  CHECK (status <> 'failed' OR failure_reason IS NOT NULL),
  CHECK (reversed_at IS NULL OR status = 'success'),
  -- A counter sale is the cashier accepting a credit for a sale in the shop: no session, always its SMS.
  CHECK (result_source IS NOT 'counter' OR (session_id IS NULL AND sms_id IS NOT NULL))
) STRICT;

-- table webhook_attempts
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

-- table webhook_deliveries
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

-- table webhook_endpoints
CREATE TABLE webhook_endpoints (
  brand_id INTEGER NOT NULL REFERENCES brands(id),
  is_test INTEGER NOT NULL CHECK (is_test IN (0, 1)),
  url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, is_test)
) STRICT;

-- trigger audit_log_no_delete
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- trigger audit_log_no_update
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- trigger sessions_final_states
CREATE TRIGGER sessions_final_states BEFORE UPDATE OF status ON sessions
WHEN OLD.status <> 'pending' AND NEW.status <> OLD.status
BEGIN SELECT RAISE(ABORT, 'session is already final'); END;

-- trigger sessions_insert_pending
CREATE TRIGGER sessions_insert_pending BEFORE INSERT ON sessions WHEN NEW.status <> 'pending'
BEGIN SELECT RAISE(ABORT, 'a session starts pending'); END;

-- trigger sessions_success_needs_transaction
CREATE TRIGGER sessions_success_needs_transaction BEFORE UPDATE OF status ON sessions
WHEN NEW.status = 'success' AND NOT EXISTS
  (SELECT 1 FROM transactions t WHERE t.session_id = NEW.id AND t.status = 'success')
BEGIN SELECT RAISE(ABORT, 'session cannot succeed without a successful transaction'); END;

-- trigger sessions_terms_fixed
CREATE TRIGGER sessions_terms_fixed BEFORE UPDATE ON sessions
WHEN NEW.amount_minor <> OLD.amount_minor OR NEW.currency <> OLD.currency OR NEW.order_id <> OLD.order_id
  OR NEW.brand_id <> OLD.brand_id OR NEW.is_test <> OLD.is_test OR NEW.merchant_id <> OLD.merchant_id
  OR NEW.created_at <> OLD.created_at
BEGIN SELECT RAISE(ABORT, 'a session''s amount, currency, order and mode are fixed'); END;

-- trigger sms_evidence_fixed
CREATE TRIGGER sms_evidence_fixed BEFORE UPDATE ON sms
WHEN EXISTS (SELECT 1 FROM transactions t WHERE t.sms_id = OLD.id AND t.status = 'success')
  AND (NEW.kind <> OLD.kind OR NEW.provider IS NOT OLD.provider OR NEW.amount_minor IS NOT OLD.amount_minor
    OR NEW.txnid_normalized IS NOT OLD.txnid_normalized OR NEW.body <> OLD.body OR NEW.sender <> OLD.sender
    OR NEW.is_test <> OLD.is_test OR NEW.received_at <> OLD.received_at)
BEGIN SELECT RAISE(ABORT, 'the SMS behind a payment cannot change'); END;

-- trigger sms_evidence_kept
CREATE TRIGGER sms_evidence_kept BEFORE DELETE ON sms
WHEN EXISTS (SELECT 1 FROM transactions t WHERE t.sms_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'the SMS behind a payment attempt cannot be deleted'); END;

-- trigger transactions_final_states
CREATE TRIGGER transactions_final_states BEFORE UPDATE ON transactions
WHEN OLD.status <> 'pending' AND (NEW.status <> OLD.status OR NEW.sms_id IS NOT OLD.sms_id
  OR NEW.amount_minor IS NOT OLD.amount_minor OR NEW.txnid_normalized <> OLD.txnid_normalized
  OR NEW.session_id IS NOT OLD.session_id OR NEW.provider <> OLD.provider OR NEW.is_test <> OLD.is_test
  OR NEW.merchant_id <> OLD.merchant_id)
BEGIN SELECT RAISE(ABORT, 'transaction verdict is final'); END;

-- trigger transactions_identity_fixed
CREATE TRIGGER transactions_identity_fixed BEFORE UPDATE ON transactions
WHEN NEW.session_id IS NOT OLD.session_id OR NEW.provider <> OLD.provider OR NEW.is_test <> OLD.is_test
  OR NEW.merchant_id <> OLD.merchant_id OR NEW.txnid_normalized <> OLD.txnid_normalized
BEGIN SELECT RAISE(ABORT, 'an attempt cannot change its session, wallet, mode or TxnID'); END;

-- trigger transactions_session_mode
CREATE TRIGGER transactions_session_mode BEFORE INSERT ON transactions
WHEN NEW.session_id IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM sessions s WHERE s.id = NEW.session_id AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'transaction and session must both be live or both be test'); END;

-- trigger transactions_session_mode_update
CREATE TRIGGER transactions_session_mode_update BEFORE UPDATE OF session_id, is_test ON transactions
WHEN NEW.session_id IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM sessions s WHERE s.id = NEW.session_id AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'transaction and session must both be live or both be test'); END;

-- trigger transactions_sms_must_be_credit_insert
CREATE TRIGGER transactions_sms_must_be_credit_insert BEFORE INSERT ON transactions
WHEN NEW.sms_id IS NOT NULL AND NEW.status <> 'failed' AND NOT EXISTS (SELECT 1 FROM sms s WHERE s.id = NEW.sms_id AND s.kind = 'credit'
  AND s.provider = NEW.provider AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'only a credit SMS of the same wallet and mode can back a transaction'); END;

-- trigger transactions_sms_must_be_credit_update
CREATE TRIGGER transactions_sms_must_be_credit_update BEFORE UPDATE OF sms_id, provider, is_test, status ON transactions
WHEN NEW.sms_id IS NOT NULL AND NEW.status <> 'failed' AND NOT EXISTS (SELECT 1 FROM sms s WHERE s.id = NEW.sms_id AND s.kind = 'credit'
  AND s.provider = NEW.provider AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'only a credit SMS of the same wallet and mode can back a transaction'); END;
-- user_version 180
