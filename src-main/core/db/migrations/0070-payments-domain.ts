import type { Migration } from './index';

/**
 * Payments as one domain: a credit accepted at the counter is a transaction with source
 * `counter`, a wallet reversal marks the payment it took back (`reversed_at`), and staff see
 * reversals as alerts. SQLite cannot widen a CHECK in place, so both tables
 * are rebuilt with SQLite's documented procedure (new table, copy, drop, rename, then the
 * indexes and triggers again), with foreign keys checked before the commit.
 */
const SQL = /* sql */ `
CREATE TABLE transactions_v2 (
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
INSERT INTO transactions_v2 (id, merchant_id, session_id, gateway_id, provider, variant, account_number, txnid_submitted,
  txnid_normalized, sender_account, amount_minor, status, result_source, failure_reason, review_reasons, sms_id, is_test,
  verified_at, created_at, updated_at)
SELECT id, merchant_id, session_id, gateway_id, provider, variant, account_number, txnid_submitted,
  txnid_normalized, sender_account, amount_minor, status, result_source, failure_reason, review_reasons, sms_id, is_test,
  verified_at, created_at, updated_at FROM transactions;
DROP TABLE transactions;
ALTER TABLE transactions_v2 RENAME TO transactions;
-- One SMS pays one thing, once, ever.
CREATE UNIQUE INDEX transactions_one_success_per_sms ON transactions (sms_id) WHERE status = 'success';
-- One successful payment per session.
CREATE UNIQUE INDEX transactions_one_success_per_session ON transactions (session_id) WHERE status = 'success';
-- A TxnID can be held by one live claim per wallet: concurrent submits of it cannot both win.
CREATE UNIQUE INDEX transactions_txnid_claim ON transactions (merchant_id, provider, is_test, txnid_normalized)
  WHERE status <> 'failed';
CREATE INDEX transactions_session ON transactions (session_id, id);
CREATE INDEX transactions_status ON transactions (status, created_at);

CREATE TRIGGER transactions_final_states BEFORE UPDATE ON transactions
WHEN OLD.status <> 'pending' AND (NEW.status <> OLD.status OR NEW.sms_id IS NOT OLD.sms_id
  OR NEW.amount_minor IS NOT OLD.amount_minor OR NEW.txnid_normalized <> OLD.txnid_normalized
  OR NEW.session_id IS NOT OLD.session_id OR NEW.provider <> OLD.provider OR NEW.is_test <> OLD.is_test
  OR NEW.merchant_id <> OLD.merchant_id)
BEGIN SELECT RAISE(ABORT, 'transaction verdict is final'); END;
CREATE TRIGGER transactions_identity_fixed BEFORE UPDATE ON transactions
WHEN NEW.session_id IS NOT OLD.session_id OR NEW.provider <> OLD.provider OR NEW.is_test <> OLD.is_test
  OR NEW.merchant_id <> OLD.merchant_id OR NEW.txnid_normalized <> OLD.txnid_normalized
BEGIN SELECT RAISE(ABORT, 'an attempt cannot change its session, wallet, mode or TxnID'); END;
CREATE TRIGGER transactions_sms_must_be_credit_insert BEFORE INSERT ON transactions
WHEN NEW.sms_id IS NOT NULL AND NEW.status <> 'failed' AND NOT EXISTS (SELECT 1 FROM sms s WHERE s.id = NEW.sms_id AND s.kind = 'credit'
  AND s.provider = NEW.provider AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'only a credit SMS of the same wallet and mode can back a transaction'); END;
CREATE TRIGGER transactions_sms_must_be_credit_update BEFORE UPDATE OF sms_id, provider, is_test, status ON transactions
WHEN NEW.sms_id IS NOT NULL AND NEW.status <> 'failed' AND NOT EXISTS (SELECT 1 FROM sms s WHERE s.id = NEW.sms_id AND s.kind = 'credit'
  AND s.provider = NEW.provider AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'only a credit SMS of the same wallet and mode can back a transaction'); END;
CREATE TRIGGER transactions_session_mode BEFORE INSERT ON transactions
WHEN NEW.session_id IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM sessions s WHERE s.id = NEW.session_id AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'transaction and session must both be live or both be test'); END;
CREATE TRIGGER transactions_session_mode_update BEFORE UPDATE OF session_id, is_test ON transactions
WHEN NEW.session_id IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM sessions s WHERE s.id = NEW.session_id AND s.is_test = NEW.is_test)
BEGIN SELECT RAISE(ABORT, 'transaction and session must both be live or both be test'); END;

CREATE TABLE staff_alerts_v2 (
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
INSERT INTO staff_alerts_v2 SELECT * FROM staff_alerts;
DROP TABLE staff_alerts;
ALTER TABLE staff_alerts_v2 RENAME TO staff_alerts;
CREATE INDEX staff_alerts_open ON staff_alerts (resolved_at, created_at);

-- The TxnID lookups every verdict path makes (checkout, counter, verify) and the reversals of a TxnID.
CREATE INDEX sms_by_txnid ON sms (merchant_id, is_test, txnid_normalized) WHERE txnid_normalized IS NOT NULL;
CREATE INDEX sms_reversals ON sms (merchant_id, is_test, provider, txnid_normalized) WHERE kind = 'reversal';
`;

export const paymentsDomain: Migration = {
  version: 70,
  name: '0070-payments-domain',
  rebuildsTables: true,
  up(db) {
    db.exec(SQL);
  },
};
