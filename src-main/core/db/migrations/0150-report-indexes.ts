import type { Migration } from './index';

/**
 * Issue 14 item 5, the reports: a shop day's money read by ranges of time, on indexes.
 *
 * - The day's successful payments, by when they were paid (a checkout paid late counts on the
 *   day its SMS settled it): success only, so the range holds nothing the report drops.
 * - The day's credit SMS, and its reversal SMS, by when they arrived (sms_received leads with the
 *   time alone: the shop's other SMS would be read and dropped). Partial, so an OTP or a promo
 *   costs no insert, and the other reads of reversals keep their plans.
 * - The audit log by action and time: who accepted the counter sales of a shift, and the last
 *   close-out (the log had no index but its sequence).
 */
const SQL = /* sql */ `
CREATE INDEX transactions_paid_at ON transactions (merchant_id, is_test, verified_at) WHERE status = 'success';
CREATE INDEX sms_credits_received ON sms (merchant_id, is_test, received_at) WHERE kind = 'credit';
-- "received_at IS NOT NULL" holds for every row (the column is NOT NULL); it keeps the index out of
-- the plans of reversal reads that do not range over time (the catch-up's unapplied reversals took it).
CREATE INDEX sms_reversals_received ON sms (merchant_id, is_test, received_at) WHERE kind = 'reversal' AND received_at IS NOT NULL;
CREATE INDEX audit_log_action_at ON audit_log (action, at);
`;

export const reportIndexes: Migration = {
  version: 150,
  name: '0150-report-indexes',
  up(db) {
    db.exec(SQL);
  },
};
