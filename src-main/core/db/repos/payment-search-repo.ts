import type { Db } from '../open-database';
import type { AlertRow } from './alert-repo';
import type { SessionRow } from './session-repo';
import type { TransactionRow } from './transaction-repo';

/**
 * The counter's Payments screen: sessions and counter sales by time, by TxnID, order id or
 * phone, and what a payment's detail shows (its attempts and staff alerts). Each statement is
 * one index lookup or range; the screen's filters (status, wallet, mode) are applied to the rows.
 */
export function preparePaymentSearchRepo(db: Db) {
  const sessionsBetween = db.prepare(
    'SELECT * FROM sessions WHERE merchant_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at DESC, id LIMIT ?',
  );
  const counterBetween = db.prepare(
    `SELECT * FROM transactions WHERE merchant_id = ? AND result_source = 'counter' AND created_at >= ? AND created_at < ?
     ORDER BY created_at DESC LIMIT ?`,
  );
  const sessionsByOrderPrefix = db.prepare(
    'SELECT * FROM sessions WHERE merchant_id = ? AND order_id >= ? AND order_id < ? ORDER BY order_id LIMIT ?',
  );
  const sessionsByPhone = db.prepare(
    'SELECT * FROM sessions INDEXED BY sessions_by_phone WHERE merchant_id = ? AND customer_phone = ? LIMIT ?',
  );
  const transactionsByTxnid = db.prepare(
    'SELECT * FROM transactions WHERE merchant_id = ? AND is_test = ? AND txnid_normalized = ? LIMIT ?',
  );
  const transactionsOfSession = db.prepare('SELECT * FROM transactions WHERE session_id = ? ORDER BY id');
  const alertsOfSession = db.prepare('SELECT * FROM staff_alerts WHERE session_id = ? ORDER BY id');
  const alertsOfTransaction = db.prepare('SELECT * FROM staff_alerts WHERE transaction_id = ? ORDER BY id');
  return {
    sessionsBetween: (merchantId: number, from: number, to: number, limit: number) =>
      sessionsBetween.all(merchantId, from, to, limit) as SessionRow[],
    counterBetween: (merchantId: number, from: number, to: number, limit: number) =>
      counterBetween.all(merchantId, from, to, limit) as TransactionRow[],
    sessionsByOrderPrefix: (merchantId: number, prefix: string, limit: number) =>
      sessionsByOrderPrefix.all(merchantId, prefix, `${prefix}\uffff`, limit) as SessionRow[],
    sessionsByPhone: (merchantId: number, phone: string, limit: number) => sessionsByPhone.all(merchantId, phone, limit) as SessionRow[],
    transactionsByTxnid: (merchantId: number, isTest: boolean, txnid: string, limit: number) =>
      transactionsByTxnid.all(merchantId, isTest ? 1 : 0, txnid, limit) as TransactionRow[],
    transactionsOfSession: (sessionId: string) => transactionsOfSession.all(sessionId) as TransactionRow[],
    alertsOfSession: (sessionId: string) => alertsOfSession.all(sessionId) as AlertRow[],
    alertsOfTransaction: (transactionId: number) => alertsOfTransaction.all(transactionId) as AlertRow[],
  };
}

export type PaymentSearchRepo = ReturnType<typeof preparePaymentSearchRepo>;
