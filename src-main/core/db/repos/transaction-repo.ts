import type { Db } from '../open-database';
import { TRANSACTION_STATES, type ResultSource, type TransactionState } from '../../../../src-shared/contract/payments';

export interface TransactionRow {
  id: number;
  merchant_id: number;
  session_id: string | null;
  gateway_id: number | null;
  provider: string;
  variant: string | null;
  account_number: string | null;
  txnid_submitted: string;
  txnid_normalized: string;
  sender_account: string | null;
  amount_minor: number | null;
  status: TransactionState;
  result_source: ResultSource | null;
  failure_reason: string | null;
  review_reasons: string | null;
  sms_id: number | null;
  is_test: number;
  verified_at: number | null;
  created_at: number;
  updated_at: number;
  /** When a wallet reversal SMS took this payment back (a success stays a success). */
  reversed_at: number | null;
}

export type NewTransaction = Omit<TransactionRow, 'id' | 'updated_at' | 'reversed_at'>;

/** A pending attempt as the phone's poll and the counter's queue show it. */
export interface PendingVerificationRow {
  id: number;
  txnid_submitted: string;
  amount_minor: number | null;
  currency: string | null;
  customer_phone: string | null;
  customer_name: string | null;
  order_id: string | null;
  session_id: string | null;
  provider: string;
  variant: string | null;
  account_number: string | null;
  created_at: number;
  sms_body: string | null;
  review_reasons: string | null;
  is_test: number;
}

export function prepareTransactionRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO transactions (merchant_id, session_id, gateway_id, provider, variant, account_number, txnid_submitted,
       txnid_normalized, sender_account, amount_minor, status, result_source, failure_reason, review_reasons, sms_id,
       is_test, verified_at, created_at, updated_at)
     VALUES (@merchant_id, @session_id, @gateway_id, @provider, @variant, @account_number, @txnid_submitted,
       @txnid_normalized, @sender_account, @amount_minor, @status, @result_source, @failure_reason, @review_reasons,
       @sms_id, @is_test, @verified_at, @created_at, @created_at)`,
  );
  const byId = db.prepare('SELECT * FROM transactions WHERE id = ?');
  const latestForSession = db.prepare('SELECT * FROM transactions WHERE session_id = ? ORDER BY id DESC LIMIT 1');
  const successForSession = db.prepare("SELECT * FROM transactions WHERE session_id = ? AND status = 'success'");
  const liveClaims = db.prepare(
    `SELECT * FROM transactions WHERE merchant_id = ? AND is_test = ? AND txnid_normalized = ? AND status <> 'failed'
     ORDER BY id`,
  );
  const successForSms = db.prepare("SELECT * FROM transactions WHERE sms_id = ? AND status = 'success'");
  const pendingAwaitingSms = db.prepare(
    `SELECT * FROM transactions WHERE merchant_id = ? AND is_test = ? AND provider = ? AND txnid_normalized = ?
       AND status = 'pending' AND sms_id IS NULL ORDER BY id`,
  );
  const recentByTxnid = db.prepare(
    `SELECT * FROM transactions WHERE merchant_id = ? AND is_test = ? AND provider = ? AND txnid_normalized = ?
     ORDER BY id DESC LIMIT 5`,
  );
  const settle = db.prepare(
    `UPDATE transactions SET status = 'success', result_source = @result_source, sms_id = coalesce(@sms_id, sms_id),
       verified_at = @now, updated_at = @now, review_reasons = coalesce(@review_reasons, review_reasons)
     WHERE id = @id AND status = 'pending'`,
  );
  const fail = db.prepare(
    `UPDATE transactions SET status = 'failed', result_source = @result_source, failure_reason = @reason,
       verified_at = @now, updated_at = @now WHERE id = @id AND status = 'pending'`,
  );
  const attachSms = db.prepare(
    `UPDATE transactions SET sms_id = @sms_id, review_reasons = @review_reasons, amount_minor = coalesce(@amount_minor, amount_minor),
       sender_account = coalesce(sender_account, @sender_account), updated_at = @now
     WHERE id = @id AND status = 'pending'`,
  );
  const pendingForSession = db.prepare("SELECT * FROM transactions WHERE session_id = ? AND status = 'pending'");
  // `+status`: the TxnID narrows to a row or two; without the plus, the planner may take the state
  // index (every failed attempt of the shop) for the same number of equal columns.
  const latestFailed = db.prepare(
    `SELECT * FROM transactions WHERE merchant_id = ? AND is_test = ? AND provider = ? AND txnid_normalized = ?
       AND +status = 'failed' AND session_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  const pendingWithSms = db.prepare("SELECT * FROM transactions WHERE sms_id = ? AND status = 'pending' ORDER BY id");
  const pendingOlderThan = db.prepare(
    `SELECT * FROM transactions WHERE status = 'pending' AND sms_id IS NULL AND created_at <= ? ORDER BY id LIMIT ?`,
  );
  const markReversed = db.prepare(
    `UPDATE transactions SET reversed_at = @now, updated_at = @now WHERE id = @id AND status = 'success' AND reversed_at IS NULL`,
  );
  const pendingCount = db.prepare("SELECT count(*) AS n FROM transactions WHERE status = 'pending' AND merchant_id = ? AND is_test = 0");
  const pendingVerifications = db.prepare(
    `SELECT t.id, t.txnid_submitted, t.amount_minor, s.currency, s.customer_phone, s.customer_name, s.order_id,
       t.session_id, t.provider, t.variant, t.account_number, t.created_at, m.body AS sms_body, t.review_reasons, t.is_test
     FROM transactions t
     LEFT JOIN sessions s ON s.id = t.session_id
     LEFT JOIN sms m ON m.id = t.sms_id
     WHERE t.status = 'pending' AND t.merchant_id = ? AND t.is_test = 0
     ORDER BY t.id LIMIT ?`,
  );
  // CROSS JOIN keeps the few pending attempts as the outer loop whatever the statistics say:
  // with row counts alone (no samples) SQLite took a third of all attempts to be pending and
  // chose to scan every SMS instead (1.4 s at each start on a year's database).
  const smsAwaitedByAttempts = db.prepare(
    `SELECT DISTINCT s.id FROM transactions t CROSS JOIN sms s ON s.merchant_id = t.merchant_id AND s.is_test = t.is_test
       AND s.txnid_normalized = t.txnid_normalized AND s.provider = t.provider
     WHERE t.status = 'pending' AND t.sms_id IS NULL AND s.kind IN ('credit', 'spoof') ORDER BY s.id`,
  );
  const unappliedReversals = db.prepare(
    `SELECT DISTINCT s.id FROM sms s CROSS JOIN transactions t ON t.merchant_id = s.merchant_id AND t.is_test = s.is_test
       AND t.provider = s.provider AND t.txnid_normalized = s.txnid_normalized
     WHERE s.kind = 'reversal' AND t.status <> 'failed' AND t.reversed_at IS NULL ORDER BY s.id`,
  );
  const heldSmsIds = db.prepare(
    `SELECT DISTINCT sms_id FROM transactions WHERE status = 'pending' AND sms_id IS NOT NULL ORDER BY sms_id LIMIT ?`,
  );
  return {
    insert: (row: NewTransaction) => Number(insert.run(row).lastInsertRowid),
    /** The SMS that attempts held for a person wait on. */
    heldSmsIds: (limit: number) => (heldSmsIds.all(limit) as { sms_id: number }[]).map((r) => r.sms_id),
    /** Reversal SMS whose payment or claim was not yet marked (a crash between the SMS commit and its handling). */
    unappliedReversals: () => (unappliedReversals.all() as { id: number }[]).map((r) => r.id),
    /** A wallet reversal took a payment back; true when this call marked it. */
    markReversed: (id: number, now: number) => markReversed.run({ id, now }).changes === 1,
    /** How many attempts wait for a person (live only), without building the list. */
    pendingCount: (merchantId: number) => (pendingCount.get(merchantId) as { n: number }).n,
    /** Attempts waiting for a person, live only: test mode never asks staff. */
    pendingVerifications: (merchantId: number, limit: number) => pendingVerifications.all(merchantId, limit) as PendingVerificationRow[],
    /** SMS that a pending attempt waits for (a crash between an SMS commit and its match). */
    smsAwaitedByAttempts: () => (smsAwaitedByAttempts.all() as { id: number }[]).map((r) => r.id),
    byId: (id: number) => byId.get(id) as TransactionRow | undefined,
    latestForSession: (sessionId: string) => latestForSession.get(sessionId) as TransactionRow | undefined,
    successForSession: (sessionId: string) => successForSession.get(sessionId) as TransactionRow | undefined,
    liveClaims: (merchantId: number, isTest: boolean, txnid: string) =>
      liveClaims.all(merchantId, isTest ? 1 : 0, txnid) as TransactionRow[],
    successForSms: (smsId: number) => successForSms.get(smsId) as TransactionRow | undefined,
    pendingAwaitingSms: (merchantId: number, isTest: boolean, provider: string, txnid: string) =>
      pendingAwaitingSms.all(merchantId, isTest ? 1 : 0, provider, txnid) as TransactionRow[],
    recentByTxnid: (merchantId: number, isTest: boolean, provider: string, txnid: string) =>
      recentByTxnid.all(merchantId, isTest ? 1 : 0, provider, txnid) as TransactionRow[],
    settle: (id: number, source: ResultSource, smsId: number | null, now: number, reviewReasons: string | null = null) =>
      settle.run({ id, result_source: source, sms_id: smsId, now, review_reasons: reviewReasons }).changes === 1,
    fail: (id: number, source: ResultSource | null, reason: string, now: number) =>
      fail.run({ id, result_source: source, reason, now }).changes === 1,
    attachSms: (
      id: number,
      sms: { sms_id: number; amount_minor: number | null; sender_account: string | null },
      reviewReasons: string,
      now: number,
    ) => attachSms.run({ id, ...sms, review_reasons: reviewReasons, now }).changes === 1,
    /** The latest failed attempt of a session on this TxnID (to reconsider when the real SMS comes). */
    latestFailed: (merchantId: number, isTest: boolean, provider: string, txnid: string) =>
      latestFailed.get(merchantId, isTest ? 1 : 0, provider, txnid) as TransactionRow | undefined,
    /** Attempts held for review on this SMS: a new delivery of it may now settle them. */
    pendingWithSms: (smsId: number) => pendingWithSms.all(smsId) as TransactionRow[],
    pendingForSession: (sessionId: string) => pendingForSession.all(sessionId) as TransactionRow[],
    pendingWithoutSmsOlderThan: (cutoff: number, limit: number) => pendingOlderThan.all(cutoff, limit) as TransactionRow[],
  };
}

export type TransactionRepo = ReturnType<typeof prepareTransactionRepo>;

export interface TransactionListRow extends TransactionRow {
  order_id: string | null;
  customer_name: string | null;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Recent attempts, newest first, for the phone's list: filter by status, search TxnID or order_id. */
export function listTransactions(
  db: Db,
  merchantId: number,
  filter: { status?: TransactionState; q?: string; qTxnid?: string; limit: number },
): TransactionListRow[] {
  const where = ['t.merchant_id = @merchant_id', 't.is_test = 0'];
  const params: Record<string, string | number> = { merchant_id: merchantId, limit: filter.limit };
  // A literal, not a parameter: partial indexes pin status to one value, and SQLite plans a
  // statement that binds such a column again on every call (test/core/db/query-plans.test.ts).
  if (filter.status) {
    if (!TRANSACTION_STATES.includes(filter.status)) throw new Error(`listTransactions: unknown status ${String(filter.status)}`);
    where.push(`t.status = '${filter.status}'`);
  }
  if (filter.q) {
    // A search with no letters or digits has no TxnID part; it must not become LIKE '%%'.
    const txnidPart = filter.qTxnid ?? filter.q;
    where.push(
      txnidPart ? "(t.txnid_normalized LIKE @q_txnid ESCAPE '\\' OR s.order_id LIKE @q ESCAPE '\\')" : "s.order_id LIKE @q ESCAPE '\\'",
    );
    params.q = likePattern(filter.q);
    if (txnidPart) params.q_txnid = likePattern(txnidPart);
  }
  return db
    .prepare(
      `SELECT t.*, s.order_id, s.customer_name FROM transactions t LEFT JOIN sessions s ON s.id = t.session_id
       WHERE ${where.join(' AND ')} ORDER BY t.id DESC LIMIT @limit`,
    )
    .all(params) as TransactionListRow[];
}
