import type { Migration } from './index';

/**
 * Issue 9: every statement the core prepares runs on an index. Each index below answers a
 * statement that scanned its table, or walked an index that did not narrow it (every attempt of
 * the shop, to find those of one TxnID), on a database filled the way weeks of trade fill it.
 * test/core/db/query-plans.test.ts keeps it that way. Indexes only: no data changes.
 */
const SQL = /* sql */ `
-- sms.recent: a merchant's newest SMS first (the rowid ends every index, so the order comes free).
CREATE INDEX sms_by_merchant ON sms (merchant_id);
-- The SMS of one kind, in order, where the kind is rare: the start-up re-parse of SMS stored raw
-- (normally none), and the reversals checked against payments at start.
CREATE INDEX sms_unparsed ON sms (kind) WHERE kind = 'unparsed';
CREATE INDEX sms_reversal_list ON sms (kind) WHERE kind = 'reversal';

-- GET /api/payment/sessions?order_id=: every session of an order (the two unique indexes hold
-- only its paid and its pending one).
CREATE INDEX sessions_by_order ON sessions (brand_id, is_test, order_id);
-- sessions.recent: the counter's list, newest first, in the statement's own order.
CREATE INDEX sessions_recent ON sessions (merchant_id, created_at DESC, id);

-- Every attempt on a TxnID, failed ones too (the claim index holds live claims only), as sms_by_txnid
-- does for SMS; in id order within a TxnID.
CREATE INDEX transactions_by_txnid ON transactions (merchant_id, is_test, txnid_normalized);
-- The phone's history and the counter's queue: live attempts newest first, all or in one state.
-- Partial on is_test = 0: a statement that binds is_test (every TxnID lookup) cannot use them, so
-- they never draw one away from transactions_by_txnid for the sake of an id order.
CREATE INDEX transactions_live ON transactions (merchant_id) WHERE is_test = 0;
CREATE INDEX transactions_live_by_status ON transactions (merchant_id, status) WHERE is_test = 0;

-- The open alerts of a merchant, newest first.
CREATE INDEX staff_alerts_unresolved ON staff_alerts (merchant_id) WHERE resolved_at IS NULL;
-- An alert's session and transaction: the foreign-key checks look children up by these columns.
CREATE INDEX staff_alerts_session ON staff_alerts (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX staff_alerts_transaction ON staff_alerts (transaction_id) WHERE transaction_id IS NOT NULL;
`;

export const queryIndexes: Migration = {
  version: 80,
  name: '0080-query-indexes',
  up(db) {
    db.exec(SQL);
  },
};
