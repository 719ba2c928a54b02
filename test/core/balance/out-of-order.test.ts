import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorChain, checkBalance, linkBalance, missingSms } from '../../../src-main/core/balance';
import { prepareBalanceRepo } from '../../../src-main/core/db/repos/balance-repo';
import { ChainHarness, MODEM, PHONE, STAFF } from './chain-harness';

// bKash prints its own time in Bangladesh time (UTC+6): "at 21/11/2026 10:02" is 04:02Z.
const credit = (amount: string, balance: string, txnid: string, at: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 21/11/2026 ${at}`;
const sendMoney = (amount: string, fee: string, balance: string, txnid: string, at: string) =>
  `Send Money Tk ${amount} to 01812345678 successful. Ref 1. Fee Tk ${fee}. Balance Tk ${balance}. TrxID ${txnid} at 21/11/2026 ${at}`;
const utc = (hhmm: string, seconds = 0) => new Date(Date.parse(`2026-11-21T${hhmm}:00Z`) + seconds * 1000).toISOString();

describe('issue 8 finding 8: late, reordered and missing SMS', () => {
  let h: ChainHarness;
  beforeEach(() => {
    h = new ChainHarness();
  });
  afterEach(() => h.close());

  it('two sources delivering out of order end with both SMS trusted; the held one is re-linked', () => {
    const s0 = h.ingest('bKash', credit('500.00', '1,000.00', 'BKO0000001', '10:01'), PHONE, utc('04:01', 20));
    // The modem delivers the later SMS first; the phone's copy of the earlier one is late.
    const s2 = h.ingest('bKash', credit('200.00', '1,300.00', 'BKO0000003', '10:03'), MODEM, utc('04:03', 15));
    expect(h.link(s2)).toBe('breaks');
    expect(checkBalance(h.row(s2.id), prepareBalanceRepo(h.db))?.code).toBe('balance_mismatch');
    const s1 = h.ingest('bKash', credit('100.00', '1,100.00', 'BKO0000002', '10:02'), PHONE, utc('04:05', 40));
    expect([h.link(s0), h.link(s1), h.link(s2)]).toEqual(['start', 'follows', 'follows']);
    expect(h.eventFor(s1)?.relinked).toEqual([s2.id]);
    expect(checkBalance(h.row(s2.id), prepareBalanceRepo(h.db))).toBeNull();
    // The chain continues from the re-linked SMS.
    const s3 = h.ingest('bKash', credit('50.00', '1,350.00', 'BKO0000004', '10:06'), MODEM, utc('04:06', 10));
    expect(h.link(s3)).toBe('follows');
  });

  it('a stale broken SMS from long before does not take the slot of the genuine next SMS (found by the year generator)', () => {
    h.ingest('bKash', credit('500.00', '1,000.00', 'BKS0000001', '10:01'), PHONE, utc('04:01', 10));
    // Weeks ago, a broken SMS whose previous balance happens to be 1,100.00 (a forgery, or a
    // genuine SMS of an old gap): it must not become the successor of today's 1,100.00.
    const stale = h.ingest(
      'bKash',
      `You have received Tk 70.00 from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk 1,170.00. TrxID BKS0000009 at 01/11/2026 09:00`,
      PHONE,
      '2026-11-01T03:00:00.000Z',
    );
    expect(h.link(stale)).toBe('breaks');
    const next = h.ingest('bKash', credit('100.00', '1,100.00', 'BKS0000002', '10:02'), PHONE, utc('04:02', 10));
    expect(h.link(next)).toBe('follows');
    expect(h.link(stale)).toBe('breaks');
    const after = h.ingest('bKash', credit('200.00', '1,300.00', 'BKS0000003', '10:03'), PHONE, utc('04:03', 10));
    expect(h.link(after)).toBe('follows');
  });

  it('a late SMS re-links every held SMS that follows from it, transitively', () => {
    h.ingest('bKash', credit('500.00', '1,000.00', 'BKT0000001', '10:01'), PHONE, utc('04:01', 10));
    const b = h.ingest('bKash', credit('100.00', '895.00', 'BKT0000003', '10:03'), PHONE, utc('04:03', 10));
    const c = h.ingest('bKash', sendMoney('45.00', '5.00', '845.00', 'BKT0000004', '10:04'), PHONE, utc('04:04', 10));
    const d = h.ingest('bKash', credit('55.00', '900.00', 'BKT0000005', '10:05'), PHONE, utc('04:05', 10));
    expect([h.link(b), h.link(c), h.link(d)]).toEqual(['breaks', 'breaks', 'breaks']);
    const late = h.ingest('bKash', sendMoney('200.00', '5.00', '795.00', 'BKT0000002', '10:02'), MODEM, utc('04:07', 0));
    expect([h.link(late), h.link(b), h.link(c), h.link(d)]).toEqual(['follows', 'follows', 'follows', 'follows']);
    expect(h.eventFor(late)?.relinked).toEqual([b.id, c.id, d.id]);
  });

  it('linkBalance returns the SMS that became trusted, and nothing for a repeat', () => {
    h.ingest('bKash', credit('500.00', '1,000.00', 'BKL0000001', '10:01'), STAFF, utc('04:01', 10));
    const pasted = h.ingest('bKash', credit('100.00', '1,100.00', 'BKL0000002', '10:02'), STAFF, utc('04:02', 10));
    expect(h.link(pasted)).toBeNull();
    expect(linkBalance(h.db, pasted.id)).toEqual([]);
    expect(h.eventFor(pasted)?.relinked).toEqual([]);
  });

  it('reports a missing SMS with its amount and time window, until it arrives', () => {
    const s0 = h.ingest('bKash', credit('500.00', '1,000.00', 'BKM0000001', '10:01'), PHONE, utc('04:01', 20));
    // A send of 200.00 (fee 5.00) at 10:02 never reaches CounterPay.
    const s2 = h.ingest('bKash', credit('100.00', '895.00', 'BKM0000003', '10:04'), PHONE, utc('04:04', 20));
    const s3 = h.ingest('bKash', credit('50.00', '945.00', 'BKM0000004', '10:05'), PHONE, utc('04:05', 20));
    expect([h.link(s0), h.link(s2), h.link(s3)]).toEqual(['start', 'breaks', 'breaks']);
    expect(missingSms(h.db, h.merchantId)).toEqual([
      expect.objectContaining({
        provider: 'bkash',
        account_key: '',
        direction: 'debit',
        amount: '205.00',
        from: '2026-11-21T04:01:00.000Z',
        to: '2026-11-21T04:04:00.000Z',
        before_sms_id: s2.id,
      }),
    ]);
    const late = h.ingest('bKash', sendMoney('200.00', '5.00', '795.00', 'BKM0000002', '10:02'), MODEM, utc('04:09'));
    expect(h.link(late)).toBe('follows');
    expect(h.eventFor(late)?.relinked).toEqual([s2.id, s3.id]);
    expect(missingSms(h.db, h.merchantId)).toEqual([]);
  });

  it('reports a missing credit as a credit', () => {
    h.ingest('bKash', credit('500.00', '1,000.00', 'BKN0000001', '10:01'), PHONE, utc('04:01', 20));
    const after = h.ingest('bKash', credit('100.00', '1,400.00', 'BKN0000003', '10:04'), PHONE, utc('04:04', 20));
    expect(missingSms(h.db, h.merchantId)).toEqual([
      expect.objectContaining({ direction: 'credit', amount: '300.00', before_sms_id: after.id }),
    ]);
  });

  it('two forged SMS in a row never become trusted, whatever arrives later', () => {
    const s0 = h.ingest('bKash', credit('500.00', '1,000.00', 'BKX0000001', '10:01'), PHONE, utc('04:01', 10));
    const f1 = h.ingest('bKash', credit('5,000.00', '9,999.00', 'BKX0000002', '10:02'), PHONE, utc('04:02', 10));
    const f2 = h.ingest('bKash', credit('100.00', '10,099.00', 'BKX0000003', '10:03'), PHONE, utc('04:03', 10));
    expect([h.link(f1), h.link(f2)]).toEqual(['breaks', 'breaks']);
    const s1 = h.ingest('bKash', credit('100.00', '1,100.00', 'BKX0000004', '10:04'), PHONE, utc('04:04', 10));
    expect(h.link(s1)).toBe('follows');
    expect(h.eventFor(s1)?.relinked).toEqual([]);
    const anchored = anchorChain(h.db, h.anchorCtx(), { provider: 'bkash', balance: '1,100.00' });
    expect(anchored.relinked).toEqual([]);
    expect([h.link(s0), h.link(f1), h.link(f2)]).toEqual(['start', 'breaks', 'breaks']);
    const balances = prepareBalanceRepo(h.db);
    expect(checkBalance(h.row(f1.id), balances)?.code).toBe('balance_mismatch');
    expect(checkBalance(h.row(f2.id), balances)?.code).toBe('balance_mismatch');
  });

  it('a staff anchor also re-links a held SMS that follows from it', () => {
    h.ingest('bKash', credit('500.00', '1,000.00', 'BKY0000001', '10:01'), PHONE, utc('04:01', 10));
    const held = h.ingest('bKash', credit('100.00', '1,400.00', 'BKY0000003', '10:04'), PHONE, utc('04:04', 10));
    expect(h.link(held)).toBe('breaks');
    // Staff read the balance the wallet app showed just before that credit.
    const anchored = anchorChain(h.db, h.anchorCtx(), { provider: 'bkash', balance: '1,300.00' });
    expect(anchored.relinked).toEqual([held.id]);
    expect(h.link(held)).toBe('follows');
  });

  it('an SMS that arrives after the first SMS of a chain, but precedes it, joins the chain', () => {
    const later = h.ingest('bKash', credit('200.00', '1,300.00', 'BKR0000002', '10:03'), MODEM, utc('04:03', 10));
    const earlier = h.ingest('bKash', credit('100.00', '1,100.00', 'BKR0000001', '10:02'), PHONE, utc('04:04', 30));
    expect([h.link(earlier), h.link(later)]).toEqual(['start', 'follows']);
    expect(h.eventFor(earlier)?.relinked).toEqual([]);
    const next = h.ingest('bKash', credit('10.00', '1,310.00', 'BKR0000003', '10:05'), PHONE, utc('04:05', 10));
    expect(h.link(next)).toBe('follows');
  });

  it('every chain lookup on sms and anchors uses an index, never a scan', () => {
    const plans = prepareBalanceRepo(h.db).queryPlans();
    expect(Object.keys(plans).length).toBeGreaterThan(5);
    for (const [name, lines] of Object.entries(plans)) {
      for (const line of lines) {
        expect(line, name).not.toMatch(/\bSCAN\b/);
        expect(line, name).not.toMatch(/TEMP B-TREE/);
      }
      expect(lines.join('\n'), name).toMatch(/SEARCH \w+ USING (?:COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
    }
  });
});
