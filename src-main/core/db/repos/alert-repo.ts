import type { Db } from '../open-database';

export type AlertKind = 'paid_late' | 'balance_mismatch' | 'spoof_attempt' | 'transaction_reversed';

export interface AlertRow {
  id: number;
  merchant_id: number;
  kind: AlertKind;
  session_id: string | null;
  transaction_id: number | null;
  sms_id: number | null;
  message: string;
  details: string;
  created_at: number;
  resolved_at: number | null;
}

export function prepareAlertRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO staff_alerts (merchant_id, kind, session_id, transaction_id, sms_id, message, details, created_at)
     VALUES (@merchant_id, @kind, @session_id, @transaction_id, @sms_id, @message, @details, @created_at)
     ON CONFLICT (kind, sms_id, transaction_id) DO NOTHING`,
  );
  // INDEXED BY: with row counts only, SQLite preferred staff_alerts_open and sorted every open
  // alert (6,875 of them on a year's database, 12 ms); this one gives the newest first, no sort.
  const open = db.prepare(
    'SELECT * FROM staff_alerts INDEXED BY staff_alerts_unresolved WHERE merchant_id = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT ?',
  );
  const resolve = db.prepare('UPDATE staff_alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL');
  return {
    /** Returns true when the alert is new (the same alert is raised once). */
    raise: (row: Omit<AlertRow, 'id' | 'resolved_at'>) => insert.run(row).changes === 1,
    open: (merchantId: number, limit: number) => open.all(merchantId, limit) as AlertRow[],
    resolve: (id: number, now: number) => resolve.run(now, id).changes === 1,
  };
}

export type AlertRepo = ReturnType<typeof prepareAlertRepo>;
