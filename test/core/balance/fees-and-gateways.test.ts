import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorChain, checkBalance } from '../../../src-main/core/balance';
import { prepareBalanceRepo } from '../../../src-main/core/db/repos/balance-repo';
import { debitFee } from '../../../src-main/core/parsers';
import { loadFixtures } from '../parsers/fixture-loader';
import { ChainHarness, MODEM, PHONE } from './chain-harness';

describe('issue 8 finding 6: debit costs and one chain per gateway', () => {
  let h: ChainHarness;
  beforeEach(() => {
    h = new ChainHarness();
  });
  afterEach(() => h.close());

  it('an M-Pesa send that prints "Transaction cost, Ksh28.00" keeps the chain', () => {
    // Shapes of test/fixtures/sms/mpesa.json ("received from a person", "sent (debit)").
    const first = h.ingest(
      'MPESA',
      'SGH7K2L9QX Confirmed. You have received Ksh1,500.00 from JOHN DOE 0712345678 on 5/6/24 at 3:04 PM New M-PESA balance is Ksh5,000.00.',
    );
    const send = h.ingest(
      'MPESA',
      'SGQ8S3V6A1 Confirmed. Ksh2,500.00 sent to JANE SMITH 0723456789 on 6/6/24 at 2:15 PM. New M-PESA balance is Ksh2,472.00. Transaction cost, Ksh28.00.',
    );
    const next = h.ingest(
      'MPESA',
      'SGK3M8N1PZ Confirmed. You have received Ksh100.00 from JOHN DOE 0712345678 on 7/6/24 at 9:15 AM New M-PESA balance is Ksh2,572.00.',
    );
    expect(send.kind).toBe('debit');
    expect([h.link(first), h.link(send), h.link(next)]).toEqual(['start', 'follows', 'follows']);
    expect(checkBalance(h.row(next.id), prepareBalanceRepo(h.db))).toBeNull();
  });

  it('an M-Pesa reversal that credits the shop (its own payment came back) follows the chain; one that debits it too', () => {
    // Real wordings (test/fixtures/sms/real/mpesa.json, issue 10): "is credited to" / "is debited from".
    const first = h.ingest(
      'MPESA',
      'UF66N8PLHM Confirmed. You have received Ksh1,500.00 from JOHN DOE 0712345678 on 5/6/26 at 3:04 PM New M-PESA balance is Ksh5,000.00.',
    );
    const back = h.ingest(
      'MPESA',
      'UF7WQ3DKHS confirmed. Reversal of transaction UF7TZ9BPLE has been successfully reversed on 7/6/26 at 5:56 PM and Ksh30.00 is credited to your M-PESA account. New M-PESA account balance is Ksh5,030.00.',
    );
    const taken = h.ingest(
      'MPESA',
      'UF8AB2CDEF confirmed. Reversal of transaction UF66N8PLHM has been successfully reversed on 8/6/26 at 9:00 AM and Ksh1,500.00 is debited from your M-PESA account. New M-PESA account balance is Ksh3,530.00.',
    );
    expect([back.kind, taken.kind]).toEqual(['reversal', 'reversal']);
    expect([h.link(first), h.link(back), h.link(taken)]).toEqual(['start', 'follows', 'follows']);
  });

  it('reads the cost each wallet prints on its debits (fixture samples)', () => {
    const want: Record<string, string> = {
      'bkash:cash out (debit)': '18.50',
      'bkash:send money (debit)': '0.00',
      'nagad:send money (debit)': '5.00',
      'rocket:sent (debit)': '16.00',
      'upay:send money (debit)': '5.00',
      'mpesa:sent (debit)': '28.00',
      'mpesa:paybill (debit)': '0.00',
    };
    const seen: Record<string, string | null> = {};
    for (const provider of ['bkash', 'nagad', 'rocket', 'upay', 'mpesa'] as const) {
      for (const f of loadFixtures(provider)) {
        const key = `${provider}:${f.name}`;
        if (key in want) {
          const fee = debitFee(provider, f.body);
          seen[key] = fee.printed ? fee.amount : null;
        }
      }
    }
    expect(seen).toEqual(want);
    expect(
      debitFee('bkash', 'Payment of Tk 1.00 to TESTMERCHANT is successful. Balance Tk 122.01. TrxID BKJ3456GHI at 16/10/2025 15:05'),
    ).toEqual({ printed: false });
    expect(
      debitFee(
        'easypaisa',
        'Trx ID 1. You have sent Rs. 100.00. Fee for this transaction is Rs. 2.50. Your new Easypaisa account balance is Rs. 10.00.',
      ),
    ).toEqual({ printed: true, amount: '2.50' });
    // A fee the payer wrote into bKash's "Ref" is not the wallet's.
    expect(
      debitFee(
        'bkash',
        'Send Money Tk 100.00 to 01812345678 successful. Ref Fee Tk 99.00. Fee Tk 5.00. Balance Tk 895.00. TrxID BKA0000009 at 12/05/2026 11:30',
      ),
    ).toEqual({ printed: true, amount: '5.00' });
  });

  it('a bKash debit whose printed fee is read keeps the chain; one with a wrong fee breaks it', () => {
    h.ingest(
      'bKash',
      'You have received Tk 500.00 from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk 1,500.00. TrxID BKF0000001 at 21/11/2026 10:01',
    );
    const cashOut = h.ingest(
      'bKash',
      'Cash Out Tk 1,000.00 to 01812345678 successful. Fee Tk 18.50. Balance Tk 481.50. TrxID BKF0000002 at 21/11/2026 10:02',
    );
    expect(h.link(cashOut)).toBe('follows');
    const wrong = h.ingest(
      'bKash',
      'Cash Out Tk 100.00 to 01812345678 successful. Fee Tk 1.85. Balance Tk 381.50. TrxID BKF0000003 at 21/11/2026 10:03',
    );
    expect(h.link(wrong)).toBe('breaks');
  });

  it('two bKash gateways keep a chain each, so both settle', () => {
    const a = h.addGateway('bkash', ['01711111111']);
    const b = h.addGateway('bkash', ['01722222222']);
    const credit = (amount: string, balance: string, txnid: string, at: string) =>
      `You have received Tk ${amount} from 01912345678. Ref 1. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 21/11/2026 ${at}`;
    // Phone A forwards gateway A's wallet, the modem gateway B's.
    const a1 = h.ingest('bKash', credit('500.00', '1,500.00', 'BKG0000001', '10:01'), PHONE);
    expect(h.link(a1)).toBe('start');
    // Staff read gateway B's balance off its wallet app when they set it up.
    expect(anchorChain(h.db, h.anchorCtx(), { provider: 'bkash', gateway_id: b, balance: '300.00' })).toMatchObject({
      chain: `gw:${b}`,
      balance: '300.00',
    });
    const b1 = h.ingest('bKash', credit('200.00', '500.00', 'BKG0000002', '10:03'), MODEM);
    const a2 = h.ingest('bKash', credit('100.00', '1,600.00', 'BKG0000003', '10:04'), PHONE);
    const b2 = h.ingest('bKash', credit('50.00', '550.00', 'BKG0000004', '10:05'), MODEM);
    const a3 = h.ingest('bKash', credit('25.00', '1,625.00', 'BKG0000005', '10:06'), PHONE);
    expect([b1, a2, b2, a3].map((r) => h.link(r))).toEqual(['follows', 'follows', 'follows', 'follows']);
    const balances = prepareBalanceRepo(h.db);
    for (const [row, gateway] of [
      [a2, a],
      [b2, b],
      [a3, a],
    ] as const) {
      expect(checkBalance(h.row(row.id), balances, { id: gateway, identifiers: [] }), `sms ${row.id}`).toBeNull();
      expect(checkBalance(h.row(row.id), balances), `sms ${row.id}`).toBeNull();
    }
    // A forged credit follows neither wallet.
    const forged = h.ingest('bKash', credit('5,000.00', '9,000.00', 'BKG0000006', '10:07'), PHONE);
    expect(h.link(forged)).toBe('breaks');
    expect(checkBalance(h.row(forged.id), balances, { id: a, identifiers: [] })?.code).toBe('balance_mismatch');
  });

  it("a second gateway's first SMS is not a trusted start while the wallet already has a chain", () => {
    h.addGateway('bkash', ['01711111111']);
    h.addGateway('bkash', ['01722222222']);
    const credit = (amount: string, balance: string, txnid: string) =>
      `You have received Tk ${amount} from 01912345678. Ref 1. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 21/11/2026 10:01`;
    h.ingest('bKash', credit('500.00', '1,500.00', 'BKH0000001'));
    // bKash SMS name no account: this may be gateway B's first SMS, or a forgery.
    const unknown = h.ingest('bKash', credit('5,000.00', '9,000.00', 'BKH0000002'), MODEM);
    expect(h.link(unknown)).toBe('breaks');
  });
});
