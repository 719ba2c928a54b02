import type { Migration } from './index';

/**
 * Issue 14 items 3 and 4, the counter's Payments and SMS screens: every search on an index.
 *
 * - A customer's phone (sessions.customer_phone) and an order id within the shop: the search box
 *   finds sessions by either (sessions_by_order leads with the brand and the mode, which the
 *   counter does not know).
 * - Counter sales by time: the list of payments merges them with the sessions, newest first.
 * - The audit log by subject: a payment's detail shows the rows about its transactions.
 */
const SQL = /* sql */ `
CREATE INDEX sessions_by_phone ON sessions (merchant_id, customer_phone);
CREATE INDEX sessions_by_merchant_order ON sessions (merchant_id, order_id);
CREATE INDEX transactions_counter_sales ON transactions (merchant_id, created_at) WHERE result_source = 'counter';
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
`;

export const paymentSearch: Migration = {
  version: 160,
  name: '0160-payment-search',
  up(db) {
    db.exec(SQL);
  },
};
