import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { silentLogger } from '../../../src-main/core/logging';
import { ensureShop } from '../../../src-main/core/shop';
import { SmsIngestor, smsFingerprint } from '../../../src-main/core/sms';

const CREDIT = {
  sender: 'bKash',
  body: 'You have received Tk 500.00 from 01712345678. Ref 123. Fee Tk 0.00. Balance Tk 1,500.50. TrxID BKX92H1ABC at 12/05/2026 11:25',
  received_at: '2026-05-12T11:25:30Z',
};

describe('SMS ingestion', () => {
  let dir: string;
  let db: Db;
  let ingestor: SmsIngestor;
  const smsCount = () => (db.prepare('SELECT count(*) AS n FROM sms').get() as { n: number }).n;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-ingest-'));
    db = openDatabase(dir);
    const shop = ensureShop(db, dir);
    ingestor = new SmsIngestor(db, shop.merchantId, silentLogger());
  });
  afterEach(() => {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores a credit with its parse and amounts as exact decimals', () => {
    const { sms, is_new } = ingestor.ingest(CREDIT, { source: 'apk', origin: 'phone-1', isTest: false });
    expect(is_new).toBe(true);
    expect(sms).toMatchObject({
      provider: 'bkash',
      kind: 'credit',
      amount: '500.00',
      balance: '1500.50',
      txnid: 'BKX92H1ABC',
      counterparty: '01712345678',
      received_at: '2026-05-12T11:25:30.000Z',
      corroborated: false,
      manual: false,
    });
    const row = db.prepare('SELECT amount_minor, balance_minor FROM sms WHERE id = ?').get(sms.id);
    expect(row).toEqual({ amount_minor: 50000, balance_minor: 150050 });
  });

  it('collapses the same SMS from two sources into one corroborated row', () => {
    const first = ingestor.ingest(CREDIT, { source: 'modem', origin: 'ttyUSB0', isTest: false });
    // The phone's forwarder reflows whitespace and reports a slightly different time.
    const second = ingestor.ingest(
      { ...CREDIT, body: CREDIT.body.replace('. Ref', '.\r\nRef  '), received_at: '2026-05-12T11:25:33Z' },
      { source: 'apk', origin: 'phone-1', isTest: false },
    );
    expect(first.is_new).toBe(true);
    expect(second.is_new).toBe(false);
    expect(second.sms.id).toBe(first.sms.id);
    expect(smsCount()).toBe(1);
    expect(second.sms.deliveries.map((d) => d.source)).toEqual(['modem', 'apk']);
    expect(second.sms.corroborated).toBe(true);
  });

  it('a retried batch creates no duplicates and says so per message', () => {
    const batch = [
      CREDIT,
      { sender: 'bKash', body: 'Your bKash verification code is 123456. Do not share it.' },
      { sender: '', body: 'no sender' },
    ];
    const first = ingestor.ingestBatch(batch, { source: 'apk', origin: 'phone-1', isTest: false });
    const retry = ingestor.ingestBatch(batch, { source: 'apk', origin: 'phone-1', isTest: false });
    expect(first.map((o) => o.ok && o.result.is_new)).toEqual([true, true, false]);
    expect(retry.map((o) => o.ok && o.result.is_new)).toEqual([false, false, false]);
    const bad = retry[2];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.error.code).toBe('validation_failed');
    expect(smsCount()).toBe(2);
    const deliveries = db.prepare('SELECT count(*) AS n FROM sms_deliveries').get() as { n: number };
    expect(deliveries.n).toBe(2);
  });

  it('treats operator header variants of an Indian bank sender as one SMS', () => {
    const body =
      'Rs.15,000.00 credited to HDFC Bank A/C **1234 on 14-09-26 by A/C linked to UPI VPA user@okhdfcbank (UPI Ref No 425789123457).';
    expect(smsFingerprint({ sender: 'VM-HDFCBK-T', body, isTest: false })).toBe(
      smsFingerprint({ sender: 'AD-HDFCBK', body, isTest: false }),
    );
    expect(smsFingerprint({ sender: 'AD-HDFCBK', body, isTest: false })).not.toBe(
      smsFingerprint({ sender: 'AD-HDFCBK', body: body.replace('15,000', '16,000'), isTest: false }),
    );
  });

  it('keeps live and test messages apart', () => {
    ingestor.ingest(CREDIT, { source: 'apk', origin: 'phone-1', isTest: false });
    const test = ingestor.ingest(CREDIT, { source: 'test', origin: 'api', isTest: true });
    expect(test.is_new).toBe(true);
    expect(test.sms.is_test).toBe(true);
    expect(smsCount()).toBe(2);
  });

  it('stores a wallet-looking credit from a phone number as a spoof that can never back a payment', () => {
    const { sms } = ingestor.ingest({ ...CREDIT, sender: '+8801712345678' }, { source: 'apk', origin: 'p', isTest: false });
    expect(sms.kind).toBe('spoof');
    expect(sms.provider).toBe('bkash');
  });

  it('clamps a received_at from the future and stores a garbage one with its arrival time', () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const { sms } = ingestor.ingest({ ...CREDIT, received_at: future }, { source: 'apk', origin: 'p', isTest: false });
    expect(Date.parse(sms.received_at)).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    const before = Date.now();
    const garbage = ingestor.ingest(
      { ...CREDIT, body: `${CREDIT.body}!`, received_at: 'yesterday' },
      { source: 'apk', origin: 'p', isTest: false },
    );
    expect(Date.parse(garbage.sms.received_at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(garbage.sms.received_at)).toBeLessThanOrEqual(Date.now());
    expect(smsCount()).toBe(2);
  });

  it('a failing subscriber never loses the SMS', () => {
    let seen = 0;
    ingestor.onIngested(() => {
      throw new Error('matching blew up');
    });
    ingestor.onIngested(() => {
      seen += 1;
    });
    const { sms } = ingestor.ingest(CREDIT, { source: 'apk', origin: 'p', isTest: false });
    expect(sms.id).toBeGreaterThan(0);
    expect(seen).toBe(1);
    expect(smsCount()).toBe(1);
  });

  it('uses sender IDs a shop added to a gateway, without removing the built-in check', () => {
    const body = 'You have received Tk 750.00 from 01812345678. Fee Tk 0.00. Balance Tk 2,250.50. TrxID BKQ1W2E3R4 at 12/05/2026 12:00';
    expect(ingestor.ingest({ sender: 'BKASH-NEW', body }, { source: 'apk', origin: 'p', isTest: false }).sms.kind).toBe('spoof');
    db.prepare(
      `INSERT INTO gateways (merchant_id, provider, variant, account_identifiers, extra_sender_ids, created_at, updated_at)
       VALUES (1, 'bkash', 'personal', '["01711111111"]', '["BKASH-NEW"]', 0, 0)`,
    ).run();
    const again = ingestor.ingest({ sender: 'BKASH-NEW', body: body.replace('750', '760') }, { source: 'apk', origin: 'p', isTest: false });
    expect(again.sms.kind).toBe('credit');
    expect(ingestor.ingest({ ...CREDIT, sender: '01999999999' }, { source: 'apk', origin: 'p', isTest: false }).sms.kind).toBe('spoof');
  });
});
