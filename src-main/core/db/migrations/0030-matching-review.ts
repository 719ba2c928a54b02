import type { Migration } from './index';

/**
 * What matching needs beyond the core domain: a per-session cap on wrong TxnID guesses,
 * the per-gateway balance-continuity setting, staff re-anchoring of a wallet's balance,
 * and alerts for staff (an SMS that paid a session too late, a balance that does not follow).
 */
const SQL = /* sql */ `
ALTER TABLE sessions ADD COLUMN failed_guesses INTEGER NOT NULL DEFAULT 0 CHECK (failed_guesses >= 0);

-- review (default): a credit whose balance does not follow from the wallet's previous SMS waits
-- for staff; warn: it settles but staff see an alert; off: not checked.
ALTER TABLE gateways ADD COLUMN balance_check TEXT NOT NULL DEFAULT 'review'
  CHECK (balance_check IN ('off', 'warn', 'review'));

CREATE TABLE balance_anchors (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  provider TEXT NOT NULL,
  account_key TEXT NOT NULL DEFAULT '',
  balance_minor INTEGER NOT NULL CHECK (balance_minor >= 0),
  anchored_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
) STRICT;
CREATE INDEX balance_anchors_latest ON balance_anchors (merchant_id, provider, account_key, anchored_at);

CREATE TABLE staff_alerts (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  kind TEXT NOT NULL CHECK (kind IN ('paid_late', 'balance_mismatch', 'spoof_attempt')),
  session_id TEXT REFERENCES sessions(id),
  transaction_id INTEGER REFERENCES transactions(id),
  sms_id INTEGER REFERENCES sms(id),
  message TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  UNIQUE (kind, sms_id, transaction_id)
) STRICT;
CREATE INDEX staff_alerts_open ON staff_alerts (resolved_at, created_at);
CREATE INDEX sms_balance_chain ON sms (merchant_id, provider, received_at) WHERE balance_minor IS NOT NULL AND is_test = 0;
`;

export const matchingReview: Migration = {
  version: 30,
  name: '0030-matching-review',
  up(db) {
    db.exec(SQL);
  },
};
