import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountKeyOf, anchorBalance, checkBalance } from '../../../src-main/core/balance';
import { prepareBalanceRepo } from '../../../src-main/core/db/repos/balance-repo';
import { bankOfSender, providerForSender } from '../../../src-main/core/parsers';
import { ChainHarness } from './chain-harness';

// Axis Bank's one-line UPI credit (test/core/parsers/review-real-formats.test.ts), from its DLT header.
const axis = (txn: string, account: string, amount: string, balance: string) =>
  `INR ${amount} credited to A/c no. ${account} on 05-01-26 at 16:15:41 IST. Info- UPI/P2A/${txn}/RAMESH K/HDFC BANK. Avl Bal- INR ${balance}. Call 18001035577 for dispute`;

describe('issue 8 finding 5: chains key on the normalised account and the bank', () => {
  let h: ChainHarness;
  beforeEach(() => {
    h = new ChainHarness();
    h.addGateway('upi', ['XX1234']);
  });
  afterEach(() => h.close());

  it('reads one account key from every way a bank masks the same account', () => {
    for (const hint of ['XX1234', 'xx1234', 'X1234', 'A/c **1234', 'A/c no. XXXXXXXX1234', '*1234', 'x1234']) {
      expect(accountKeyOf({ account_hint: hint }), hint).toBe('1234');
    }
    expect(accountKeyOf({ account_hint: '01711111111' })).toBe('1711111111');
    expect(accountKeyOf({ account_hint: '+8801711111111' })).toBe('1711111111');
    expect(accountKeyOf({ account_hint: null })).toBe('');
  });

  it('holds a forged credit that names the account as xx1234', () => {
    const genuine = h.ingest('AX-AXISBK', axis('612345678901', 'XX1234', '500.00', '10,000.00'));
    expect(h.link(genuine)).toBe('start');
    const forged = h.ingest('AX-AXISBK', axis('612345678902', 'xx1234', '5,000.00', '90,000.00'));
    expect(h.link(forged)).toBe('breaks');
    expect(checkBalance(h.row(forged.id), prepareBalanceRepo(h.db))?.code).toBe('balance_mismatch');
  });

  it('holds a forged credit that names the account as X1234', () => {
    h.ingest('AX-AXISBK', axis('612345678911', 'XX1234', '500.00', '10,000.00'));
    // SBI's wording from the shop's own bank header: it reads as a credit of the same account.
    const forged = h.ingest(
      'AX-AXISBK',
      'Dear UPI user A/C X1234 credited by Rs5000 on 02Mar26 by RAVI (Ref no 612345678912). Avl Bal Rs 95,000.00',
    );
    expect(forged.kind).toBe('credit');
    expect(h.link(forged)).toBe('breaks');
    expect(checkBalance(h.row(forged.id), prepareBalanceRepo(h.db))?.code).toBe('balance_mismatch');
  });

  it("holds a forged credit from another bank's sender: a second bank's chain of the same account is no trusted start", () => {
    h.ingest('AX-AXISBK', axis('612345678921', 'XX1234', '500.00', '10,000.00'));
    const forged = h.ingest(
      'VM-HDFCBK',
      'Rs.5000.00 credited to HDFC Bank A/c **1234 on 05-01-26 from VPA a@okaxis (UPI 612345678922). Avl bal: INR 95,000.00',
    );
    expect(forged.kind).toBe('credit');
    expect(h.link(forged)).toBe('breaks');
    expect(checkBalance(h.row(forged.id), prepareBalanceRepo(h.db))?.code).toBe('balance_mismatch');
    // Following the first forgery exactly does not help the second one.
    const second = h.ingest(
      'VM-HDFCBK',
      'Rs.1000.00 credited to HDFC Bank A/c **1234 on 05-01-26 from VPA a@okaxis (UPI 612345678923). Avl bal: INR 96,000.00',
    );
    expect(h.link(second)).toBe('breaks');
    expect(checkBalance(h.row(second.id), prepareBalanceRepo(h.db))?.code).toBe('balance_mismatch');
    // A credit without a balance from the other bank is held too: this account's SMS print one.
    const bare = h.ingest('VM-HDFCBK', 'Rs.700.00 credited to HDFC Bank A/c XX1234 on 05-01-26 from VPA a@okaxis (UPI 612345678924)');
    expect(checkBalance(h.row(bare.id), prepareBalanceRepo(h.db))?.message).toMatch(/prints no balance/);
  });

  it('the genuine chain goes on after the forgeries', () => {
    h.ingest('AX-AXISBK', axis('612345678931', 'XX1234', '500.00', '10,000.00'));
    h.ingest('AX-AXISBK', axis('612345678932', 'xx1234', '5,000.00', '90,000.00'));
    const next = h.ingest('JD-AXISBK-S', axis('612345678933', 'XX1234', '250.00', '10,250.00'));
    expect(h.link(next)).toBe('follows');
    expect(checkBalance(h.row(next.id), prepareBalanceRepo(h.db))).toBeNull();
  });

  it('a staff anchor given as "A/c **1234" lands on the chain of XX1234 at its bank', () => {
    h.ingest('AX-AXISBK', axis('612345678941', 'XX1234', '500.00', '10,000.00'));
    const broken = h.ingest('AX-AXISBK', axis('612345678942', 'XX1234', '100.00', '20,100.00'));
    expect(h.link(broken)).toBe('breaks');
    const anchored = anchorBalance(h.db, h.anchorCtx(), { provider: 'upi', account: 'A/c **1234', balance: '20,100.00' });
    expect(anchored).toMatchObject({ provider: 'upi', account: '1234', balance: '20100.00' });
    const next = h.ingest('AX-AXISBK', axis('612345678943', 'XX1234', '400.00', '20,500.00'));
    expect(h.link(next)).toBe('follows');
    expect(checkBalance(h.row(next.id), prepareBalanceRepo(h.db))).toBeNull();
  });

  it('names the bank behind each DLT header (the chain key for UPI includes it)', () => {
    const banks: [string, string | null][] = [
      ['VM-SBIUPI', 'SBI'],
      ['ATMSBI', 'SBI'],
      ['AD-HDFCBK', 'HDFC'],
      ['JD-ICICIB', 'ICICI'],
      ['AX-ICICIT-S', 'ICICI'],
      ['AX-AXISBK', 'AXIS'],
      ['VK-KOTAKB', 'KOTAK'],
      ['VM-PNBSMS-S', 'PNB'],
      ['JD-INDUSB-S', 'INDUSIND'],
      ['AD-IPBMSG-S', 'IPPB'],
      ['VK-CANBNK-S', 'CANARA'],
      ['VM-BOBTXN-S', 'BOB'],
      ['AX-UNIONB-S', 'UNION'],
      ['CP-YESBNK-S', 'YES'],
      ['JM-IDFCFB-S', 'IDFCFIRST'],
      ['AX-FEDBNK-S', 'FEDERAL'],
      ['+919876543210', null],
      ['VM-HDFCBN', null],
      ['bKash', null],
    ];
    for (const [sender, bank] of banks) expect(bankOfSender(sender), sender).toBe(bank);
    for (const [sender, bank] of banks) if (bank) expect(providerForSender(sender), sender).toBe('upi');
  });
});
