import type { Db } from '../open-database';
import type { SessionState } from '../../../../src-shared/contract/payments';

export interface SessionRow {
  id: string;
  merchant_id: number;
  brand_id: number;
  order_id: string;
  amount_minor: number;
  currency: string;
  status: SessionState;
  redirect_url: string | null;
  customer_phone: string | null;
  customer_name: string | null;
  metadata: string | null;
  /** The session's own webhook URL (notify_url), besides the brand's. */
  notify_url: string | null;
  is_test: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
  failed_guesses: number;
}

export type NewSessionRow = Omit<SessionRow, 'status' | 'updated_at' | 'failed_guesses'>;

export function prepareSessionRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO sessions (id, merchant_id, brand_id, order_id, amount_minor, currency, redirect_url, customer_phone,
       customer_name, metadata, notify_url, is_test, expires_at, created_at, updated_at)
     VALUES (@id, @merchant_id, @brand_id, @order_id, @amount_minor, @currency, @redirect_url, @customer_phone,
       @customer_name, @metadata, @notify_url, @is_test, @expires_at, @created_at, @created_at)`,
  );
  const byId = db.prepare('SELECT * FROM sessions WHERE id = ?');
  const byOrder = db.prepare(
    `SELECT * FROM sessions WHERE brand_id = ? AND is_test = ? AND order_id = ?
     ORDER BY (status = 'success') DESC, created_at DESC, id`,
  );
  const setStatus = db.prepare(`UPDATE sessions SET status = @status, updated_at = @now WHERE id = @id AND status = 'pending'`);
  const expireDue = db.prepare(`SELECT id FROM sessions WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?`);
  const recent = db.prepare('SELECT * FROM sessions WHERE merchant_id = ? ORDER BY created_at DESC, id LIMIT ?');
  const afterRowid = db.prepare('SELECT rowid AS _rowid, * FROM sessions WHERE rowid > ? ORDER BY rowid LIMIT ?');
  const addGuess = db.prepare('UPDATE sessions SET failed_guesses = failed_guesses + 1, updated_at = ? WHERE id = ?');
  return {
    insert: (row: NewSessionRow) => insert.run(row),
    byId: (id: string) => byId.get(id) as SessionRow | undefined,
    byOrder: (brandId: number, isTest: boolean, orderId: string) => byOrder.all(brandId, isTest ? 1 : 0, orderId) as SessionRow[],
    /** Moves a pending session to a final state; false if it was not pending any more. */
    finish: (id: string, status: Exclude<SessionState, 'pending'>, now: number) => setStatus.run({ id, status, now }).changes === 1,
    dueForExpiry: (now: number, limit: number) => (expireDue.all(now, limit) as { id: string }[]).map((r) => r.id),
    addFailedGuess: (id: string, now: number) => addGuess.run(now, id),
    /** The newest sessions first, for the counter's list. */
    recent: (merchantId: number, limit: number) => recent.all(merchantId, limit) as SessionRow[],
    /** Every session, a page at a time in storage order (a resync walks them all). */
    page: (after: number, limit: number) => afterRowid.all(after, limit) as (SessionRow & { _rowid: number })[],
  };
}

export type SessionRepo = ReturnType<typeof prepareSessionRepo>;
