import { describe, expect, it } from 'vitest';
import { bkashCreditBody, bkashTxnid, usePayCore, type PayCore } from './helpers';

/** The counter's "Check a TxnID": read-only answers PAID / WRONG AMOUNT / ALREADY USED / NOT FOUND / FAKE SMS. */
describe('txnid.lookup', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  const lookup = async (arg: Record<string, unknown>) => {
    const r = await pc.rpc('txnid.lookup', arg);
    return {
      status: r.status,
      result: (r.json as { result?: Record<string, unknown>; code?: string }).result,
      body: r.json as Record<string, unknown>,
    };
  };
  const count = () => (pc.sql<{ n: number }>('SELECT count(*) AS n FROM transactions')[0] as { n: number }).n;

  it('answers received, with the amount, and records nothing', async () => {
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '750.00' });
    const before = count();
    const { result } = await lookup({ txnid: ` ${txnid.toLowerCase()} `, amount: '750' });
    expect(result).toMatchObject({ verdict: 'received', txnid, sms: { amount: '750.00', currency: 'BDT', provider: 'bkash' } });
    expect(count()).toBe(before);
  });

  it('answers wrong_amount naming what the wallet received', async () => {
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '450.00' });
    const { result } = await lookup({ txnid, amount: '500.00' });
    expect(result).toMatchObject({ verdict: 'wrong_amount' });
    expect(String(result?.message)).toContain('450.00');
  });

  it('answers already_used once the SMS paid a session', async () => {
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const id = await pc.newSession();
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    expect((await lookup({ txnid })).result).toMatchObject({ verdict: 'already_used' });
  });

  it('answers not_found and spoof, and refuses a missing TxnID or a bad amount in the error shape', async () => {
    expect((await lookup({ txnid: bkashTxnid() })).result).toMatchObject({ verdict: 'not_found', sms: null });
    const txnid = bkashTxnid();
    await pc.importSms('+8801812345678', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 }));
    expect((await lookup({ txnid })).result).toMatchObject({ verdict: 'spoof' });
    const missing = await lookup({});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'validation_failed', field: 'txnid' });
    const bad = await lookup({ txnid, amount: 'lots' });
    expect(bad.body).toMatchObject({ code: 'validation_failed', field: 'amount' });
  });

  it('answers held, not received, for an SMS a payment waits on for review or that only staff pasted', async () => {
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '450.00' });
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const { result } = await lookup({ txnid });
    expect(result).toMatchObject({ verdict: 'held' });
    expect(String(result?.message)).toContain('450.00');
    const pasted = bkashTxnid();
    await pc.bkashCredit({ txnid: pasted, via: 'staff' });
    expect((await lookup({ txnid: pasted })).result).toMatchObject({ verdict: 'held' });
  });
});
