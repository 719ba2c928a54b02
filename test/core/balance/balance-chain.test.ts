import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorBalance, checkBalance } from '../../../src-main/core/balance';
import { verifyAudit } from '../../../src-main/core/audit';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { prepareBalanceRepo } from '../../../src-main/core/db/repos/balance-repo';
import type { SmsRow } from '../../../src-main/core/db/repos/sms-repo';
import { silentLogger } from '../../../src-main/core/logging';
import { ensureShop } from '../../../src-main/core/shop';
import { SmsIngestor, type DeliveryContext } from '../../../src-main/core/sms';

const PHONE: DeliveryContext = { source: 'apk', origin: 'phone', isTest: false };
const STAFF: DeliveryContext = { source: 'manual', origin: 'staff', isTest: false };

const credit = (amount: string, balance: string, txnid: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:25`;
const sendMoney = (amount: string, fee: string, balance: string, txnid: string) =>
  `Send Money Tk ${amount} to 01812345678 successful. Ref 1. Fee Tk ${fee}. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:30`;

describe('the balance chain (R6)', () => {
  let dir: string;
  let db: Db;
  let ingestor: SmsIngestor;
  let t = Date.parse('2026-11-21T10:00:00Z');
  const ingest = (body: string, context: DeliveryContext = PHONE) => {
    t += 60_000;
    const { sms } = ingestor.ingest({ sender: 'bKash', body, received_at: new Date(t).toISOString() }, context);
    return db.prepare('SELECT * FROM sms WHERE id = ?').get(sms.id) as SmsRow;
  };
  const link = (row: SmsRow) =>
    (db.prepare('SELECT balance_link FROM sms WHERE id = ?').get(row.id) as { balance_link: string | null }).balance_link;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-chain-'));
    db = openDatabase(dir);
    ingestor = new SmsIngestor(db, ensureShop(db, dir).merchantId, silentLogger());
  });
  afterEach(() => {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('links credits and debits whose printed fee makes them exact, and a credit after them follows', () => {
    const first = ingest(credit('500.00', '1,500.00', 'BKA0000001'));
    const debit = ingest(sendMoney('200.00', '5.00', '1,295.00', 'BKA0000002'));
    const next = ingest(credit('100.00', '1,395.00', 'BKA0000003'));
    expect([link(first), link(debit), link(next)]).toEqual(['start', 'follows', 'follows']);
    expect(checkBalance(next, prepareBalanceRepo(db))).toBeNull();
  });

  it('a forged debit cannot lower the chain to a made-up balance for a forged credit to follow', () => {
    ingest(credit('500.00', '1,500.00', 'BKB0000001'));
    const fakeDebit = ingest(sendMoney('100.00', '0.00', '10.00', 'BKB0000002'));
    const fakeCredit = ingest(credit('5,000.00', '5,010.00', 'BKB0000003'));
    expect(link(fakeDebit)).toBe('breaks');
    expect(link(fakeCredit)).toBe('breaks');
    expect(checkBalance(fakeCredit, prepareBalanceRepo(db))?.code).toBe('balance_mismatch');
  });

  it('a credit that prints no balance is held when the wallet printed one before', () => {
    ingest(credit('500.00', '1,500.00', 'BKC0000001'));
    const bare = ingest('You have received Tk 700.00 from 01712345678. TrxID BKC0000002 at 12/05/2026 11:40');
    expect(bare.kind).toBe('credit');
    expect(checkBalance(bare, prepareBalanceRepo(db))?.message).toMatch(/prints no balance/);
  });

  it('a pasted SMS never becomes a point; the phone delivering it later links it', () => {
    ingest(credit('500.00', '1,500.00', 'BKD0000001'));
    const body = credit('100.00', '1,600.00', 'BKD0000002');
    const pasted = ingest(body, STAFF);
    expect(link(pasted)).toBeNull();
    ingestor.ingest({ sender: 'bKash', body }, PHONE);
    expect(link(pasted)).toBe('follows');
  });

  it('a staff anchor mends a chain a missed SMS broke, and is audit-logged', () => {
    const shop = ensureShop(db, dir);
    ingest(credit('500.00', '1,500.00', 'BKE0000001'));
    // A debit the phone never forwarded took 300.00: the next credit no longer follows.
    const after = ingest(credit('100.00', '1,300.00', 'BKE0000002'));
    expect(link(after)).toBe('breaks');
    t += 60_000;
    expect(
      anchorBalance(
        db,
        { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff', now: t },
        { provider: 'bkash', balance: '1,300.00' },
      ),
    ).toMatchObject({ balance: '1300.00' });
    const next = ingest(credit('200.00', '1,500.00', 'BKE0000003'));
    expect(link(next)).toBe('follows');
    expect(checkBalance(next, prepareBalanceRepo(db))).toBeNull();
    expect(verifyAudit(db, shop.keys.audit_key)).toMatchObject({ ok: true });
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'balance.anchored'").get()).toEqual({ n: 1 });
    expect(() =>
      anchorBalance(
        db,
        { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff', now: t },
        { provider: 'bkash', balance: '-5' },
      ),
    ).toThrow(/balance/);
  });
});
