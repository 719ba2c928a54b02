import type { Migration } from './index';

/**
 * Issue 9: the two partial indexes of migration 0080 pinned `is_test = 0`, and SQLite plans again,
 * on every call, a statement that binds a column a partial index pins to a value (whether the
 * index applies depends on the value). Every TxnID lookup binds is_test, so each of the five
 * lookups an SMS runs was planned afresh: 6–8 µs instead of under 1. The same orders come from
 * full indexes that lead with the same columns; statements that want live rows say
 * `is_test = 0` as before. test/core/db/query-plans.test.ts now refuses the pattern.
 *
 * Two more reads that walked more than they kept: an SMS's held attempts by sms_id (every
 * pending attempt of the shop), and the purge of delivered outbox rows (every row with the
 * status). Both were found by planning every statement on a year's database (bench/_year.ts)
 * with row counts only.
 */
const SQL = /* sql */ `
DROP INDEX transactions_live;
DROP INDEX transactions_live_by_status;
-- The phone's history: a merchant's live attempts newest first (the rowid ends the index).
CREATE INDEX transactions_by_merchant ON transactions (merchant_id, is_test);
-- The counter's queue and the history in one state, oldest or newest first.
CREATE INDEX transactions_by_state ON transactions (merchant_id, is_test, status);
-- The pending attempts an SMS was tied to (a held payment awaiting staff), by SMS: each SMS
-- walked every pending attempt of the shop without it. Pending only, so it stays small and the
-- start's list of SMS with held attempts reads it in order (a full index on sms_id misled the
-- planner into walking every attempt with an SMS).
CREATE INDEX transactions_pending_by_sms ON transactions (sms_id) WHERE status = 'pending';
-- The purge of delivered outbox rows, oldest first, without reading the undelivered ones.
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE status = 'delivered';
-- No statement reads SMS by (provider, TxnID) since sms_by_txnid (migration 0070) answers every
-- TxnID lookup; each stored SMS paid for an insert into it at a random place of a large b-tree.
DROP INDEX sms_txnid;
`;

export const unpinnedIndexes: Migration = {
  version: 90,
  name: '0090-unpinned-indexes',
  up(db) {
    db.exec(SQL);
  },
};
