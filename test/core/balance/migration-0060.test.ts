import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { checkBalance } from '../../../src-main/core/balance';
import { MIGRATIONS, closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { prepareBalanceRepo } from '../../../src-main/core/db/repos/balance-repo';
import { silentLogger } from '../../../src-main/core/logging';
import { SmsIngestor } from '../../../src-main/core/sms';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const axis = (txn: string, account: string, amount: string, balance: string) =>
  `INR ${amount} credited to A/c no. ${account} on 05-01-26 at 16:15:41 IST. Info- UPI/P2A/${txn}/RAMESH K/HDFC BANK. Avl Bal- INR ${balance}. Call 18001035577 for dispute`;
const bkash = (amount: string, balance: string, txnid: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 21/11/2026 10:01`;

let n = 0;
function insertOldSms(
  db: Db,
  o: {
    merchantId: number;
    sender: string;
    body: string;
    provider: string;
    amount: number;
    balance: number;
    hint: string | null;
    link: string;
    at: number;
    kind?: string;
  },
) {
  n += 1;
  return Number(
    db
      .prepare(
        `INSERT INTO sms (merchant_id, fingerprint, sender, body, received_at, is_test, provider, kind, amount_minor, currency,
           txnid, txnid_normalized, balance_minor, account_hint, created_at, balance_link)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 'X', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        o.merchantId,
        `old-${n}`,
        o.sender,
        o.body,
        o.at,
        o.provider,
        o.kind ?? 'credit',
        o.amount,
        `T${n}`,
        `T${n}`,
        o.balance,
        o.hint,
        o.at,
        o.link,
      ).lastInsertRowid,
  );
}

it('0060 keys the chains of an existing database on the normalised account and bank, and the chain goes on', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-0060-'));
  dirs.push(dir);
  const old = openDatabase(dir, { migrations: MIGRATIONS.filter((m) => m.version <= 50) });
  const merchantId = Number(old.prepare("INSERT INTO merchants (name, created_at) VALUES ('Shop', 1)").run().lastInsertRowid);
  old.prepare("INSERT INTO brands (merchant_id, name, created_at) VALUES (?, 'Brand', 1)").run(merchantId);
  const t = Date.parse('2026-11-21T04:00:00Z');
  const u1 = insertOldSms(old, {
    merchantId,
    sender: 'AX-AXISBK',
    body: axis('612345678901', 'XX1234', '500.00', '10,000.00'),
    provider: 'upi',
    amount: 50_000,
    balance: 1_000_000,
    hint: 'XX1234',
    link: 'start',
    at: t,
  });
  // The bug this migration closes: the same account under another spelling had started a chain of its own.
  const u2 = insertOldSms(old, {
    merchantId,
    sender: 'AX-AXISBK',
    body: axis('612345678902', 'xx1234', '5,000.00', '90,000.00'),
    provider: 'upi',
    amount: 500_000,
    balance: 9_000_000,
    hint: 'xx1234',
    link: 'start',
    at: t + 60_000,
  });
  const b1 = insertOldSms(old, {
    merchantId,
    sender: 'bKash',
    body: bkash('500.00', '1,000.00', 'BKZ0000001'),
    provider: 'bkash',
    amount: 50_000,
    balance: 100_000,
    hint: null,
    link: 'start',
    at: t,
  });
  const b2 = insertOldSms(old, {
    merchantId,
    sender: 'bKash',
    body: bkash('100.00', '1,100.00', 'BKZ0000002'),
    provider: 'bkash',
    amount: 10_000,
    balance: 110_000,
    hint: null,
    link: 'follows',
    at: t + 60_000,
  });
  const b3 = insertOldSms(old, {
    merchantId,
    sender: 'bKash',
    body: bkash('100.00', '1,500.00', 'BKZ0000003'),
    provider: 'bkash',
    amount: 10_000,
    balance: 150_000,
    hint: null,
    link: 'breaks',
    at: t + 120_000,
  });
  old
    .prepare(
      "INSERT INTO balance_anchors (merchant_id, provider, account_key, balance_minor, anchored_at, set_by) VALUES (?, 'upi', 'A/c **1234', 1000000, ?, 'staff')",
    )
    .run(merchantId, t + 30_000);
  closeDatabase(old);

  const db = openDatabase(dir);
  try {
    const rows = db.prepare('SELECT id, balance_chain, balance_at, balance_prev_minor, balance_tip FROM sms ORDER BY id').all() as {
      id: number;
      balance_chain: string;
      balance_at: number;
      balance_prev_minor: number;
      balance_tip: number | null;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(u1)?.balance_chain).toBe('AXIS:1234');
    expect(byId.get(u2)?.balance_chain).toBe('AXIS:1234');
    expect(byId.get(b1)?.balance_chain).toBe('');
    expect(byId.get(b3)).toMatchObject({ balance_chain: '', balance_prev_minor: 140_000, balance_at: t + 120_000 });
    expect(byId.get(b2)?.balance_tip).toBe(1);
    expect(byId.get(b1)?.balance_tip).toBe(0);
    expect(db.prepare('SELECT account_key FROM balance_anchors').get()).toEqual({ account_key: 'AXIS:1234' });

    const ingestor = new SmsIngestor(db, merchantId, silentLogger(), () => t + 3_600_000);
    const next = ingestor.ingest(
      { sender: 'bKash', body: bkash('50.00', '1,150.00', 'BKZ0000004'), received_at: t + 180_000 },
      { source: 'apk', origin: 'p', isTest: false },
    );
    const row = db.prepare('SELECT * FROM sms WHERE id = ?').get(next.sms.id) as Parameters<typeof checkBalance>[0];
    expect(row.balance_link).toBe('follows');
    expect(checkBalance(row, prepareBalanceRepo(db))).toBeNull();
    // A forged credit under the old second spelling no longer starts anything.
    const forged = ingestor.ingest(
      { sender: 'AX-AXISBK', body: axis('612345678903', 'xx1234', '100.00', '90,100.00'), received_at: t + 240_000 },
      { source: 'apk', origin: 'p', isTest: false },
    );
    const forgedRow = db.prepare('SELECT * FROM sms WHERE id = ?').get(forged.sms.id) as Parameters<typeof checkBalance>[0];
    expect(forgedRow.balance_link).toBe('breaks');
  } finally {
    closeDatabase(db);
  }
});
