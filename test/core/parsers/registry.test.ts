import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import {
  WALLET_PARSERS,
  isSenderAllowed,
  normalizeTxnid,
  parseSms,
  parserFor,
  providerForSender,
  toAmount,
} from '../../../src-main/core/parsers/index';
import { loadAllFixtures } from './fixture-loader';

const MPESA_CREDIT =
  'SGH7K2L9QX Confirmed. You have received Ksh1,500.00 from JOHN DOE 0712345678 on 5/6/24 at 3:04 PM New M-PESA balance is Ksh2,300.00.';
const BKASH_CREDIT =
  'You have received Tk 500.00 from 01712345678. Ref 123. Fee Tk 0.00. Balance Tk 1,500.50. TrxID BKX92H1ABC at 12/05/2026 11:25';

describe('registry', () => {
  it('has exactly one parser per provider, in PROVIDER_IDS order', () => {
    expect(WALLET_PARSERS.map((p) => p.provider)).toEqual([...PROVIDER_IDS]);
    for (const id of PROVIDER_IDS) expect(parserFor(id).provider).toBe(id);
  });
});

describe('providerForSender', () => {
  it('matches built-in sender IDs case-insensitively after trimming', () => {
    expect(providerForSender('bKash')).toBe('bkash');
    expect(providerForSender('  BKASH ')).toBe('bkash');
    // Helpline numbers and wallet names seen only in other developers' allow-lists are not trusted (issue 10).
    expect(providerForSender('16247')).toBeNull();
    expect(providerForSender('16167')).toBeNull();
    expect(providerForSender('JazzCash')).toBeNull();
    expect(providerForSender('NAGAD')).toBe('nagad');
    expect(providerForSender('16216')).toBe('rocket');
    expect(providerForSender('3737')).toBe('easypaisa');
    expect(providerForSender('8558')).toBe('jazzcash');
    expect(providerForSender('gcash')).toBe('gcash');
    expect(providerForSender('PayMaya')).toBe('maya');
    expect(providerForSender('MPESA')).toBe('mpesa');
    // Safaricom sends as MPESA; the look-alike M-PESA has no public source and is not trusted (issue 10).
    expect(providerForSender('m-pesa')).toBeNull();
  });

  it('accepts Indian DLT headers with and without the category suffix', () => {
    for (const header of [
      'AD-HDFCBK',
      'VM-HDFCBK',
      'JD-SBIUPI',
      'VK-ICICIT',
      'AX-AXISBK',
      'BZ-KOTAKB',
      'AD-AXISBK-S',
      'VM-HDFCBK-T',
      'JD-KOTAKB-P',
      'CP-SBIUPI-G',
      'vm-hdfcbk-t',
      'HDFCBK',
    ]) {
      expect(providerForSender(header), header).toBe('upi');
    }
  });

  it('rejects ordinary numbers and look-alike headers', () => {
    for (const sender of [
      '+8801712345678',
      '01712345678',
      '03001234567',
      '+639171234567',
      '+254712345678',
      '+919876543210',
      'VM-HDFCBN',
      'AD-HDFCBK-X',
      'ADHDFCBK',
      'XAD-HDFCBK',
      'bKash1',
      'b Kash',
      '',
      '   ',
    ]) {
      expect(providerForSender(sender), sender).toBeNull();
    }
  });

  it('extraSenders add IDs for one wallet and never remove the built-in ones', () => {
    const extra = { bkash: ['bKash-Shop', ' 01999999999 '], upi: [] };
    expect(providerForSender('BKASH-SHOP', extra)).toBe('bkash');
    expect(providerForSender('01999999999', extra)).toBe('bkash');
    expect(providerForSender('bKash', extra)).toBe('bkash');
    expect(providerForSender('AD-HDFCBK', extra)).toBe('upi');
    expect(isSenderAllowed('BKASH-SHOP', 'nagad', extra)).toBe(false);
    expect(providerForSender('BKASH-SHOP')).toBeNull();
  });

  it('a shop-added sender may confirm credits, and only for its own wallet', () => {
    const extra = { bkash: ['BKASH-SHOP'] };
    expect(parseSms({ sender: 'BKASH-SHOP', body: BKASH_CREDIT }, { extraSenders: extra }).kind).toBe('credit');
    expect(parseSms({ sender: 'BKASH-SHOP', body: BKASH_CREDIT }).kind).toBe('spoof');
    const asMpesa = parseSms({ sender: 'BKASH-SHOP', body: MPESA_CREDIT }, { extraSenders: extra });
    expect(asMpesa.kind).toBe('spoof');
    expect(asMpesa.provider).toBe('mpesa');
  });
});

describe('normalizeTxnid', () => {
  it('upper-cases and strips spaces and punctuation', () => {
    expect(normalizeTxnid('bkx92h1abc')).toBe('BKX92H1ABC');
    expect(normalizeTxnid(' BKX-92H1.ABC ')).toBe('BKX92H1ABC');
    expect(normalizeTxnid('6526 5879 9667')).toBe('652658799667');
    expect(normalizeTxnid('৩২১৭৪৯৮৭৬৯')).toBe('3217498769');
    expect(normalizeTxnid('')).toBe('');
  });
});

describe('toAmount', () => {
  it('keeps exact decimal strings and refuses ambiguous numbers', () => {
    expect(toAmount('1,500.5')).toBe('1500.50');
    expect(toAmount('1,50,000.00')).toBe('150000.00');
    expect(toAmount('600.0')).toBe('600.00');
    expect(toAmount('15,000')).toBe('15000.00');
    expect(toAmount('007.10')).toBe('7.10');
    expect(toAmount('12,34')).toBeNull();
    expect(toAmount('1.234')).toBeNull();
    expect(toAmount('1,2345')).toBeNull();
    expect(toAmount('')).toBeNull();
    expect(toAmount('99999999999999999')).toBeNull();
  });
});

describe('txnidPattern', () => {
  it("accepts every fixture's normalised TxnID for its wallet", () => {
    for (const f of loadAllFixtures()) {
      if (f.expect.txnid === null) continue;
      const wallet = f.expect.provider ?? f.provider;
      expect(parserFor(wallet).txnidPattern.test(normalizeTxnid(f.expect.txnid)), `${f.provider}/${f.name}`).toBe(true);
    }
  });

  it('rejects junk submissions', () => {
    expect(parserFor('upi').txnidPattern.test('12345')).toBe(false);
    expect(parserFor('mpesa').txnidPattern.test('1234567890')).toBe(false);
    expect(parserFor('bkash').txnidPattern.test('X')).toBe(false);
    expect(parserFor('easypaisa').txnidPattern.test('ABCDEFGHIJ')).toBe(false);
  });
});

describe('parseSms', () => {
  it('reports the normalised TxnID beside the printed one', () => {
    const r = parseSms({ sender: 'NAGAD', body: 'Money Received. Amount: Tk 75.50 Sender: 01712345678 TxnID: 7a8b9c0d' });
    expect(r.txnid).toBe('7a8b9c0d');
    expect(r.txnid_normalized).toBe('7A8B9C0D');
  });

  it('never throws on hostile input shapes', () => {
    const bad = [null, undefined, 42, {}, { sender: 5, body: [] }, { sender: 'bKash' }] as unknown[];
    for (const input of bad) {
      expect(() => parseSms(input as { sender: string; body: string })).not.toThrow();
      expect(parseSms(input as { sender: string; body: string }).kind).toBe('unknown');
    }
  });

  it('ignores text beyond the scan cap, so a huge body stays cheap and never confirms', () => {
    const padded = `${' '.repeat(3000)}${BKASH_CREDIT}`;
    expect(parseSms({ sender: 'bKash', body: padded }).kind).toBe('unknown');
    const huge = BKASH_CREDIT + 'x'.repeat(200_000);
    expect(parseSms({ sender: 'bKash', body: huge }).kind).toBe('credit');
  });

  it('a credit whose amount cannot be read comes back unknown', () => {
    const body = BKASH_CREDIT.replace('500.00', '5.000.00');
    const r = parseSms({ sender: 'bKash', body });
    expect(r.kind).toBe('unknown');
    expect(r.amount).toBeNull();
  });

  it('a zero-amount credit is not a payment', () => {
    const r = parseSms({ sender: 'bKash', body: BKASH_CREDIT.replace('Tk 500.00', 'Tk 0.00') });
    expect(r.kind).toBe('unknown');
  });
});
