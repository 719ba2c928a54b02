import type { Db } from '../open-database';

export type SmsSource = 'modem' | 'apk' | 'forwarder' | 'manual' | 'test';

export interface SmsRow {
  id: number;
  merchant_id: number;
  fingerprint: string;
  sender: string;
  body: string;
  received_at: number;
  smsc: string | null;
  /** The originator's type-of-address byte, where the source knows it (the modem). */
  sender_toa: number | null;
  is_test: number;
  provider: string | null;
  kind: string;
  amount_minor: number | null;
  currency: string | null;
  txnid: string | null;
  txnid_normalized: string | null;
  counterparty: string | null;
  balance_minor: number | null;
  account_hint: string | null;
  wallet_time: string | null;
  parsed_at: number | null;
  created_at: number;
  balance_link: 'start' | 'follows' | 'breaks' | null;
}

export type NewSmsRow = Omit<SmsRow, 'id' | 'balance_link'>;

export interface DeliveryRow {
  source: SmsSource;
  origin: string;
  delivered_at: number;
}

export function prepareSmsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO sms (merchant_id, fingerprint, sender, body, received_at, smsc, sender_toa, is_test, provider, kind, amount_minor,
       currency, txnid, txnid_normalized, counterparty, balance_minor, account_hint, wallet_time, parsed_at, created_at)
     VALUES (@merchant_id, @fingerprint, @sender, @body, @received_at, @smsc, @sender_toa, @is_test, @provider, @kind, @amount_minor,
       @currency, @txnid, @txnid_normalized, @counterparty, @balance_minor, @account_hint, @wallet_time, @parsed_at,
       @created_at)
     ON CONFLICT (fingerprint) DO NOTHING`,
  );
  const byFingerprint = db.prepare('SELECT * FROM sms WHERE fingerprint = ?');
  const byId = db.prepare('SELECT * FROM sms WHERE id = ?');
  const addDelivery = db.prepare(
    `INSERT INTO sms_deliveries (sms_id, source, origin, delivered_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (sms_id, source, origin) DO NOTHING`,
  );
  const deliveries = db.prepare('SELECT source, origin, delivered_at FROM sms_deliveries WHERE sms_id = ? ORDER BY id');
  const fillParse = db.prepare(
    `UPDATE sms SET provider = @provider, kind = @kind, amount_minor = @amount_minor, currency = @currency,
       txnid = @txnid, txnid_normalized = @txnid_normalized, counterparty = @counterparty,
       balance_minor = @balance_minor, account_hint = @account_hint, wallet_time = @wallet_time, parsed_at = @parsed_at
     WHERE id = @id AND kind = 'unparsed'`,
  );
  const unparsed = db.prepare("SELECT * FROM sms WHERE kind = 'unparsed' ORDER BY id LIMIT ?");
  const recent = db.prepare('SELECT * FROM sms WHERE merchant_id = ? ORDER BY id DESC LIMIT ?');
  const before = db.prepare('SELECT * FROM sms WHERE merchant_id = ? AND id < ? ORDER BY id DESC LIMIT ?');
  const creditsSince = db.prepare(
    `SELECT * FROM sms WHERE merchant_id = ? AND is_test = ? AND kind = 'credit' AND received_at >= ? ORDER BY received_at DESC LIMIT ?`,
  );
  const byTxnid = db.prepare(`SELECT * FROM sms WHERE merchant_id = ? AND is_test = ? AND txnid_normalized = ? ORDER BY received_at, id`);
  return {
    /** Returns the stored row and whether this call created it. */
    insertOrGet(row: NewSmsRow): { row: SmsRow; isNew: boolean } {
      const isNew = insert.run(row).changes === 1;
      return { row: byFingerprint.get(row.fingerprint) as SmsRow, isNew };
    },
    byId: (id: number) => byId.get(id) as SmsRow | undefined,
    addDelivery: (smsId: number, source: SmsSource, origin: string, at: number): boolean =>
      addDelivery.run(smsId, source, origin, at).changes === 1,
    deliveries: (smsId: number) => deliveries.all(smsId) as DeliveryRow[],
    fillParse: (
      id: number,
      parse: Omit<
        NewSmsRow,
        'merchant_id' | 'fingerprint' | 'sender' | 'body' | 'received_at' | 'smsc' | 'sender_toa' | 'is_test' | 'created_at'
      >,
    ) => fillParse.run({ id, ...parse }).changes === 1,
    unparsed: (limit: number) => unparsed.all(limit) as SmsRow[],
    recent: (merchantId: number, limit: number) => recent.all(merchantId, limit) as SmsRow[],
    /** Newest first, stored before `beforeId`: the SMS screen's pages. */
    before: (merchantId: number, beforeId: number, limit: number) => before.all(merchantId, beforeId, limit) as SmsRow[],
    /** Credits that arrived since `since`, newest first (the counter's near matches on a miss). */
    creditsSince: (merchantId: number, isTest: boolean, since: number, limit: number) =>
      creditsSince.all(merchantId, isTest ? 1 : 0, since, limit) as SmsRow[],
    /** Every stored SMS carrying this TxnID (credits, spoofs, anything), oldest first. */
    byTxnid: (merchantId: number, isTest: boolean, txnidNormalized: string) =>
      byTxnid.all(merchantId, isTest ? 1 : 0, txnidNormalized) as SmsRow[],
  };
}

export type SmsRepo = ReturnType<typeof prepareSmsRepo>;
