import type { Db } from '../open-database';

export interface BalancePoint {
  balance_minor: number;
  at: number;
  /** 'sms' for a wallet's own SMS, 'anchor' for a balance staff re-anchored. */
  origin: 'sms' | 'anchor';
  sms_id: number | null;
}

export function prepareBalanceRepo(db: Db) {
  const previousSms = db.prepare(
    `SELECT id, balance_minor, received_at FROM sms
     WHERE merchant_id = @merchant_id AND provider = @provider AND is_test = 0 AND balance_minor IS NOT NULL
       AND kind IN ('credit', 'debit', 'reversal') AND ifnull(account_hint, '') = @account_key
       AND balance_link IN ('start', 'follows')
       AND (received_at < @at OR (received_at = @at AND id < @sms_id))
     ORDER BY received_at DESC, id DESC LIMIT 1`,
  );
  const latestAnchor = db.prepare(
    `SELECT balance_minor, anchored_at FROM balance_anchors
     WHERE merchant_id = ? AND provider = ? AND account_key = ? AND anchored_at <= ?
     ORDER BY anchored_at DESC, id DESC LIMIT 1`,
  );
  const insertAnchor = db.prepare(
    `INSERT INTO balance_anchors (merchant_id, provider, account_key, balance_minor, anchored_at, set_by)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const setLink = db.prepare('UPDATE sms SET balance_link = ? WHERE id = ?');
  return {
    /** The wallet's last trusted balance before this SMS: its previous SMS, or a later staff anchor. */
    previous(merchantId: number, provider: string, accountKey: string, at: number, smsId: number): BalancePoint | null {
      const sms = previousSms.get({ merchant_id: merchantId, provider, account_key: accountKey, at, sms_id: smsId }) as
        | { id: number; balance_minor: number; received_at: number }
        | undefined;
      const anchor = latestAnchor.get(merchantId, provider, accountKey, at) as
        | { balance_minor: number; anchored_at: number }
        | undefined;
      if (anchor && (!sms || anchor.anchored_at >= sms.received_at)) {
        return { balance_minor: anchor.balance_minor, at: anchor.anchored_at, origin: 'anchor', sms_id: null };
      }
      return sms ? { balance_minor: sms.balance_minor, at: sms.received_at, origin: 'sms', sms_id: sms.id } : null;
    },
    setLink: (smsId: number, link: 'start' | 'follows' | 'breaks') =>
      setLink.run(link, smsId),
    anchor: (merchantId: number, provider: string, accountKey: string, balanceMinor: number, at: number, by: string) =>
      Number(insertAnchor.run(merchantId, provider, accountKey, balanceMinor, at, by).lastInsertRowid),
  };
}

export type BalanceRepo = ReturnType<typeof prepareBalanceRepo>;
