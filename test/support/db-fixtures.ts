import type { Db } from '../../src-main/core/db';

/**
 * Raw-SQL builders for the money tables: the schema tests talk to SQLite directly, so a
 * rule is proven to live in the database and not in some code path.
 */
export interface Fixture {
  db: Db;
  merchantId: number;
  brandId: number;
  now: number;
}

export function baseFixture(db: Db): Fixture {
  const now = 1_790_000_000_000;
  const merchantId = Number(db.prepare("INSERT INTO merchants (name, created_at) VALUES ('Test shop', ?)").run(now).lastInsertRowid);
  const brandId = Number(
    db.prepare("INSERT INTO brands (merchant_id, name, created_at) VALUES (?, 'Brand', ?)").run(merchantId, now).lastInsertRowid,
  );
  return { db, merchantId, brandId, now };
}

let sessionCounter = 0;

export function insertSession(f: Fixture, o: { id?: string; amountMinor?: number; isTest?: 0 | 1; orderId?: string } = {}): string {
  sessionCounter += 1;
  const id = o.id ?? `sess_${String(sessionCounter).padStart(12, '0')}`;
  f.db
    .prepare(
      `INSERT INTO sessions (id, merchant_id, brand_id, order_id, amount_minor, currency, is_test, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'BDT', ?, ?, ?, ?)`,
    )
    .run(
      id,
      f.merchantId,
      f.brandId,
      o.orderId ?? `order-${sessionCounter}`,
      o.amountMinor ?? 50_000,
      o.isTest ?? 0,
      f.now + 3_600_000,
      f.now,
      f.now,
    );
  return id;
}

let smsCounter = 0;

export function insertSms(
  f: Fixture,
  o: {
    kind?: string;
    provider?: string | null;
    txnid?: string | null;
    amountMinor?: number | null;
    isTest?: 0 | 1;
  } = {},
): number {
  smsCounter += 1;
  const txnid = o.txnid === undefined ? `TXN${smsCounter}` : o.txnid;
  return Number(
    f.db
      .prepare(
        `INSERT INTO sms (merchant_id, fingerprint, sender, body, received_at, is_test, provider, kind, amount_minor,
           currency, txnid, txnid_normalized, created_at)
         VALUES (?, ?, 'bKash', 'You have received Tk 500.00', ?, ?, ?, ?, ?, 'BDT', ?, ?, ?)`,
      )
      .run(
        f.merchantId,
        `fp-${smsCounter}-${Math.random()}`,
        f.now,
        o.isTest ?? 0,
        o.provider === undefined ? 'bkash' : o.provider,
        o.kind ?? 'credit',
        o.amountMinor === undefined ? 50_000 : o.amountMinor,
        txnid,
        txnid,
        f.now,
      ).lastInsertRowid,
  );
}

export function insertTransaction(
  f: Fixture,
  o: {
    sessionId?: string | null;
    smsId?: number | null;
    provider?: string;
    txnid: string;
    status?: 'pending' | 'success' | 'failed';
    isTest?: 0 | 1;
    resultSource?: string;
  },
): number {
  const status = o.status ?? 'pending';
  const decided = status !== 'pending';
  return Number(
    f.db
      .prepare(
        `INSERT INTO transactions (merchant_id, session_id, provider, txnid_submitted, txnid_normalized, amount_minor,
           status, result_source, failure_reason, sms_id, is_test, verified_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 50000, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        f.merchantId,
        o.sessionId ?? null,
        o.provider ?? 'bkash',
        o.txnid,
        o.txnid,
        status,
        decided ? (o.resultSource ?? 'sms_inbound') : null,
        status === 'failed' ? 'not_found' : null,
        o.smsId ?? null,
        o.isTest ?? 0,
        decided ? f.now : null,
        f.now,
        f.now,
      ).lastInsertRowid,
  );
}

/** Marks a transaction failed the way the engine would (verdict with time, source and reason). */
export function failTransaction(f: Fixture, id: number): void {
  f.db
    .prepare(
      "UPDATE transactions SET status = 'failed', result_source = 'manual', failure_reason = 'rejected', verified_at = ? WHERE id = ?",
    )
    .run(f.now, id);
}
