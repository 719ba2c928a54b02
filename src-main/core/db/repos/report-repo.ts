import type { Db } from '../open-database';

/**
 * The reports' reads (issue 14 item 5): read-only, each on an index of migration 0150 and ranged
 * by time, so a day costs the rows of that day whatever the shop's history. Money is summed here,
 * in integer minor units. `[from, to)` are epoch milliseconds.
 */

/** A day's successful payments, summed per wallet, gateway and channel. */
export interface PaymentTotalsRow {
  provider: string;
  gateway_id: number | null;
  channel: 'online' | 'counter' | 'verified';
  n: number;
  minor: number;
  reversed_n: number;
  reversed_minor: number;
}

/** One successful payment of the day, for the CSV. */
export interface PaymentReportRow {
  id: number;
  provider: string;
  gateway_id: number | null;
  account_number: string | null;
  txnid_submitted: string;
  txnid_normalized: string;
  amount_minor: number | null;
  result_source: string | null;
  channel: 'online' | 'counter' | 'verified';
  session_id: string | null;
  sender_account: string | null;
  verified_at: number;
  reversed_at: number | null;
  order_id: string | null;
  customer_name: string | null;
  session_currency: string | null;
  sms_currency: string | null;
  sms_received_at: number | null;
}

/** A credit or reversal SMS of the day, and the successful payment of its TxnID (if any). */
export interface WalletSmsReportRow {
  id: number;
  provider: string;
  sender: string;
  txnid: string | null;
  txnid_normalized: string;
  amount_minor: number | null;
  currency: string | null;
  counterparty: string | null;
  account_hint: string | null;
  received_at: number;
  paid_transaction_id: number | null;
  paid_channel: 'online' | 'counter' | 'verified' | null;
  paid_order_id: string | null;
  paid_minor: number | null;
  paid_at: number | null;
  /** Attempts held for a person on this SMS (credits only). */
  held: number;
  /** A reversal SMS of the same TxnID and wallet (credits only). */
  reversal_sms_id: number | null;
}

/** Counter sales of a time range per cashier (the audit log's actor) and wallet. */
export interface ShiftTotalsRow {
  actor: string;
  provider: string;
  n: number;
  minor: number;
  reversed_n: number;
  reversed_minor: number;
}

/** A payment's channel: a counter sale, an online session's, or a TxnID verified with neither. */
const CHANNEL = `CASE WHEN t.result_source = 'counter' THEN 'counter' WHEN t.session_id IS NOT NULL THEN 'online' ELSE 'verified' END`;
/** The same, NULL when the LEFT JOIN found no payment. */
const PAID_CHANNEL = `CASE WHEN t.id IS NULL THEN NULL WHEN t.result_source = 'counter' THEN 'counter'
  WHEN t.session_id IS NOT NULL THEN 'online' ELSE 'verified' END`;

/** The wallet SMS of one kind in a day, with what paid their TxnID (kind is a literal: partial indexes pin it). */
function walletSmsSql(kind: 'credit' | 'reversal'): string {
  const extras =
    kind === 'credit'
      ? `(SELECT count(*) FROM transactions h WHERE h.sms_id = m.id AND h.status = 'pending') AS held,
         (SELECT min(r.id) FROM sms r WHERE r.merchant_id = m.merchant_id AND r.is_test = m.is_test AND r.provider = m.provider
           AND r.txnid_normalized = m.txnid_normalized AND r.kind = 'reversal') AS reversal_sms_id`
      : '0 AS held, NULL AS reversal_sms_id';
  return `SELECT m.id, m.provider, m.sender, m.txnid, m.txnid_normalized, m.amount_minor, m.currency, m.counterparty,
       m.account_hint, m.received_at, t.id AS paid_transaction_id, ${PAID_CHANNEL} AS paid_channel,
       s.order_id AS paid_order_id, t.amount_minor AS paid_minor, t.verified_at AS paid_at, ${extras}
     FROM sms m
     LEFT JOIN transactions t ON t.merchant_id = m.merchant_id AND t.is_test = m.is_test AND t.txnid_normalized = m.txnid_normalized
       AND t.provider = m.provider AND +t.status = 'success'
     LEFT JOIN sessions s ON s.id = t.session_id
     WHERE m.merchant_id = ? AND m.is_test = ? AND m.kind = '${kind}' AND m.received_at >= ? AND m.received_at < ?
     ORDER BY m.received_at, m.id`;
}

export function prepareReportRepo(db: Db) {
  const paymentTotals = db.prepare(
    `SELECT t.provider, t.gateway_id, ${CHANNEL} AS channel, count(*) AS n, coalesce(sum(t.amount_minor), 0) AS minor,
       coalesce(sum(t.reversed_at IS NOT NULL), 0) AS reversed_n,
       coalesce(sum(CASE WHEN t.reversed_at IS NULL THEN 0 ELSE t.amount_minor END), 0) AS reversed_minor
     FROM transactions t
     WHERE t.merchant_id = ? AND t.is_test = ? AND t.status = 'success' AND t.verified_at >= ? AND t.verified_at < ?
     GROUP BY t.provider, t.gateway_id, channel
     ORDER BY t.provider, t.gateway_id, channel`,
  );
  const payments = db.prepare(
    `SELECT t.id, t.provider, t.gateway_id, t.account_number, t.txnid_submitted, t.txnid_normalized, t.amount_minor,
       t.result_source, ${CHANNEL} AS channel, t.session_id, t.sender_account, t.verified_at, t.reversed_at,
       s.order_id, s.customer_name, s.currency AS session_currency, m.currency AS sms_currency, m.received_at AS sms_received_at
     FROM transactions t
     LEFT JOIN sessions s ON s.id = t.session_id
     LEFT JOIN sms m ON m.id = t.sms_id
     WHERE t.merchant_id = ? AND t.is_test = ? AND t.status = 'success' AND t.verified_at >= ? AND t.verified_at < ?
     ORDER BY t.verified_at, t.id`,
  );
  const credits = db.prepare(walletSmsSql('credit'));
  const reversals = db.prepare(walletSmsSql('reversal'));
  // CROSS JOIN: the audit rows of the range lead; each names its transaction by id (a rowid lookup).
  const shiftTotals = db.prepare(
    `SELECT a.actor, t.provider, count(*) AS n, coalesce(sum(t.amount_minor), 0) AS minor,
       coalesce(sum(t.reversed_at IS NOT NULL), 0) AS reversed_n,
       coalesce(sum(CASE WHEN t.reversed_at IS NULL THEN 0 ELSE t.amount_minor END), 0) AS reversed_minor
     FROM audit_log a CROSS JOIN transactions t ON t.id = CAST(a.subject_id AS INTEGER)
     WHERE a.action = 'counter.sale_accepted' AND a.at >= ? AND a.at < ?
     GROUP BY a.actor, t.provider
     ORDER BY a.actor, t.provider`,
  );
  const saleActors = db.prepare(
    `SELECT CAST(subject_id AS INTEGER) AS transaction_id, actor FROM audit_log
     WHERE action = 'counter.sale_accepted' AND at >= ? AND at < ?`,
  );
  const recentShiftCloses = db.prepare(
    `SELECT seq, at, actor, details FROM audit_log WHERE action = 'shift.closed' ORDER BY at DESC, seq DESC LIMIT ?`,
  );
  const live = (isTest: boolean) => (isTest ? 1 : 0);
  return {
    paymentTotals: (merchantId: number, isTest: boolean, from: number, to: number) =>
      paymentTotals.all(merchantId, live(isTest), from, to) as PaymentTotalsRow[],
    payments: (merchantId: number, isTest: boolean, from: number, to: number) =>
      payments.all(merchantId, live(isTest), from, to) as PaymentReportRow[],
    credits: (merchantId: number, isTest: boolean, from: number, to: number) =>
      credits.all(merchantId, live(isTest), from, to) as WalletSmsReportRow[],
    reversals: (merchantId: number, isTest: boolean, from: number, to: number) =>
      reversals.all(merchantId, live(isTest), from, to) as WalletSmsReportRow[],
    shiftTotals: (from: number, to: number) => shiftTotals.all(from, to) as ShiftTotalsRow[],
    /** Who accepted each counter sale of the range (the audit log is the only place that says). */
    saleActors: (from: number, to: number) => saleActors.all(from, to) as { transaction_id: number; actor: string }[],
    /** The latest close-outs, newest first (every cashier's and one cashier's alike). */
    recentShiftCloses: (limit: number) => recentShiftCloses.all(limit) as { seq: number; at: number; actor: string; details: string }[],
  };
}

export type ReportRepo = ReturnType<typeof prepareReportRepo>;

const repos = new WeakMap<Db, ReportRepo>();

/** The statements of one connection, prepared once. */
export function reportRepoOf(db: Db): ReportRepo {
  let repo = repos.get(db);
  if (!repo) {
    repo = prepareReportRepo(db);
    repos.set(db, repo);
  }
  return repo;
}
