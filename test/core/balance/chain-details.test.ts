import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorChain, checkBalance, missingSms, walletTimeMs } from '../../../src-main/core/balance';
import { prepareBalanceRepo } from '../../../src-main/core/db/repos/balance-repo';
import { ChainHarness, MODEM, PHONE } from './chain-harness';

const bkashCredit = (amount: string, balance: string, txnid: string, at: string) =>
  `You have received Tk ${amount} from 01912345678. Ref 1. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 21/11/2026 ${at}`;
const utc = (hhmm: string, seconds = 0) => new Date(Date.parse(`2026-11-21T${hhmm}:00Z`) + seconds * 1000).toISOString();

describe('wallet time', () => {
  it("reads each wallet's printed time in its country's zone", () => {
    expect(new Date(walletTimeMs('bkash', '21/11/2026 10:02') as number).toISOString()).toBe('2026-11-21T04:02:00.000Z');
    expect(new Date(walletTimeMs('rocket', '09-APR-26 12:45:39 pm') as number).toISOString()).toBe('2026-04-09T06:45:39.000Z');
    expect(new Date(walletTimeMs('rocket', '28-APR-26 12:05:33 am') as number).toISOString()).toBe('2026-04-27T18:05:33.000Z');
    expect(new Date(walletTimeMs('mpesa', '5/6/24 at 3:04 PM') as number).toISOString()).toBe('2024-06-05T12:04:00.000Z');
    expect(new Date(walletTimeMs('maya', 'May 12, 2026 11:25 AM') as number).toISOString()).toBe('2026-05-12T03:25:00.000Z');
    expect(new Date(walletTimeMs('gcash', '05-12-2026 11:25 AM') as number).toISOString()).toBe('2026-05-12T03:25:00.000Z');
    expect(new Date(walletTimeMs('upi', '05-01-26 at 16:15:41') as number).toISOString()).toBe('2026-01-05T10:45:41.000Z');
    expect(new Date(walletTimeMs('jazzcash', '12-May-2026 11:25') as number).toISOString()).toBe('2026-05-12T06:25:00.000Z');
    // A date alone is too coarse to order by; a date that does not exist is a misread.
    expect(walletTimeMs('upi', '02Aug26')).toBeNull();
    expect(walletTimeMs('bkash', '31/04/2026 10:00')).toBeNull();
    expect(walletTimeMs('bkash', null)).toBeNull();
  });
});

describe('the balance chain, details', () => {
  let h: ChainHarness;
  beforeEach(() => {
    h = new ChainHarness();
  });
  afterEach(() => h.close());

  it('a staff anchor retires a chain that a forged first SMS seeded: the forger cannot go on', () => {
    const forgedStart = h.ingest('bKash', bkashCredit('5,000.00', '9,000.00', 'BKS0000001', '10:01'), PHONE, utc('04:01', 10));
    expect(h.link(forgedStart)).toBe('start');
    const genuine = h.ingest('bKash', bkashCredit('100.00', '1,100.00', 'BKS0000002', '10:02'), PHONE, utc('04:02', 10));
    expect(h.link(genuine)).toBe('breaks');
    anchorChain(h.db, h.anchorCtx(), { provider: 'bkash', balance: '1,100.00' });
    const forgedNext = h.ingest('bKash', bkashCredit('500.00', '9,500.00', 'BKS0000003', '10:03'), PHONE, utc('04:10', 10));
    expect(h.link(forgedNext)).toBe('breaks');
    const genuineNext = h.ingest('bKash', bkashCredit('200.00', '1,300.00', 'BKS0000004', '10:04'), PHONE, utc('04:11', 10));
    expect(h.link(genuineNext)).toBe('follows');
    // Nor by an SMS "before" the forged first one: the forger knows what that one implied.
    const forgedBefore = h.ingest('bKash', bkashCredit('1,000.00', '4,000.00', 'BKS0000005', '10:00'), PHONE, utc('04:12', 10));
    expect(h.link(forgedBefore)).toBe('breaks');
    expect(h.link(forgedStart)).toBe('start');
  });

  it('with two gateways, a held SMS that names no account re-links into the gateway chain it follows', () => {
    h.addGateway('bkash', ['01711111111']);
    const b = h.addGateway('bkash', ['01722222222']);
    h.ingest('bKash', bkashCredit('500.00', '1,500.00', 'BKU0000001', '10:01'), PHONE, utc('04:01', 10));
    anchorChain(h.db, h.anchorCtx(), { provider: 'bkash', gateway_id: b, balance: '300.00' });
    // Gateway B's second SMS comes before its first.
    const b2 = h.ingest('bKash', bkashCredit('50.00', '550.00', 'BKU0000003', '10:05'), MODEM, utc('04:05', 10));
    expect(h.link(b2)).toBe('breaks');
    const [gap] = missingSms(h.db, h.merchantId).filter((v) => v.gateway_id === b);
    expect(gap).toMatchObject({ ambiguous: true, direction: 'credit', amount: '200.00', before_sms_id: b2.id });
    const b1 = h.ingest('bKash', bkashCredit('200.00', '500.00', 'BKU0000002', '10:04'), MODEM, utc('04:06', 10));
    expect([h.link(b1), h.link(b2)]).toEqual(['follows', 'follows']);
    expect(h.eventFor(b1)?.relinked).toEqual([b2.id]);
    expect(h.row(b2.id)).toMatchObject({ balance_chain: `gw:${b}` });
    expect(checkBalance(h.row(b2.id), prepareBalanceRepo(h.db), { id: b, identifiers: [] })).toBeNull();
    expect(missingSms(h.db, h.merchantId)).toEqual([]);
  });

  it('a UPI debit that names the account only in its text keeps the account chain', () => {
    h.ingest(
      'VM-HDFCBK',
      'Rs.5000.00 credited to HDFC Bank A/c XX1234 on 05-01-26 from VPA a@okaxis (UPI 612345678951). Avl bal: INR 18,700.00',
    );
    // Shape of an HDFC UPI debit with its balance (prash077/SHIELD real_bank_formats.md).
    const debit = h.ingest(
      'VM-HDFCBK',
      'Rs 3,500.00 debited from a/c **1234 on 05-01-26 to VPA user@upi (UPI Ref No 612345678952). Avl bal: Rs 15,200.00',
    );
    expect(debit.kind).toBe('debit');
    expect(debit.account_hint).toBeNull();
    expect(h.link(debit)).toBe('follows');
    const next = h.ingest(
      'VM-HDFCBK',
      'Rs.800.00 credited to HDFC Bank A/c XX1234 on 05-01-26 from VPA a@okaxis (UPI 612345678953). Avl bal: INR 16,000.00',
    );
    expect(h.link(next)).toBe('follows');
  });

  it('an anchor for a UPI account with SMS from two banks must say which bank', () => {
    h.ingest(
      'AX-AXISBK',
      'INR 500.00 credited to A/c no. XX1234 on 05-01-26 at 16:15:41 IST. Info- UPI/P2A/612345678961/RAMESH K/HDFC BANK. Avl Bal- INR 10,000.00. Call 18001035577 for dispute',
    );
    // A genuine second account at another bank with the same last digits, which staff confirm.
    expect(anchorChain(h.db, h.anchorCtx(), { provider: 'upi', account: 'XX1234', bank: 'VM-HDFCBK', balance: '700.00' })).toMatchObject({
      chain: 'HDFC:1234',
    });
    expect(() => anchorChain(h.db, h.anchorCtx(), { provider: 'upi', account: 'XX1234', balance: '700.00' })).toThrow(/bank/);
    const hdfc = h.ingest(
      'VM-HDFCBK',
      'Rs.300.00 credited to HDFC Bank A/c XX1234 on 05-01-26 from VPA a@okaxis (UPI 612345678962). Avl bal: INR 1,000.00',
    );
    expect(h.link(hdfc)).toBe('follows');
  });
});
