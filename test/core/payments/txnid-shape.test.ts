import { describe, expect, it } from 'vitest';
import { Chain, rpc } from './wallet-chain';
import { BKASH_ACCOUNT, attemptsOf, body, usePayCore, type PayCore } from './helpers';

/**
 * Issue 10: a TxnID the wallet does not usually print (seed 000's "BKX92H1" is seven characters,
 * bKash prints ten) is read, never a silent `unknown`; in live mode a person checks it first.
 */
describe('a TxnID of an unusual shape', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('is read from a live bKash credit and holds the checkout for a person (txnid_unusual)', async () => {
    const chain = new Chain(pc);
    await chain.credit('BKX92H1');
    const stored = pc.sql<{ kind: string; txnid_normalized: string }>(
      "SELECT kind, txnid_normalized FROM sms WHERE txnid_normalized = 'BKX92H1'",
    );
    expect(stored).toEqual([{ kind: 'credit', txnid_normalized: 'BKX92H1' }]);
    // The counter says CHECK FIRST, with the reason, and offers no one-key Accept.
    const check = await rpc<{ verdict: string; can_accept: boolean; reasons: { code: string }[] }>(pc, 'txnid.lookup', {
      txnid: 'BKX92H1',
    });
    expect(check.result).toMatchObject({ verdict: 'held', can_accept: false });
    expect(check.result.reasons.map((r) => r.code)).toContain('txnid_unusual');
    const id = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(id, { txnid: 'BKX92H1' });
    expect(r.status, r.text).toBe(202);
    const [attempt] = attemptsOf(pc, id);
    expect(attempt?.status).toBe('pending');
    expect(JSON.parse(attempt?.review_reasons ?? '[]')).toContainEqual(expect.objectContaining({ code: 'txnid_unusual' }));
    expect((await pc.view(id)).status).toBe('pending');
  });

  it('before its SMS is stored, is refused as a typo (the quick answer a customer needs)', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(id, { txnid: 'QQ7Z3' });
    expect(r.status, r.text).toBe(400);
    expect(body(r)).toMatchObject({ code: 'txnid_invalid' });
  });

  it('of the usual shape the same credit pays by itself', async () => {
    const chain = new Chain(pc);
    await chain.credit('BKX92H1A2C');
    const id = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(id, { txnid: 'BKX92H1A2C' });
    expect(r.status, r.text).toBe(200);
    expect((await pc.view(id)).status).toBe('success');
  });

  it('pays in test mode, where the contract examples are tried', async () => {
    const sms = await pc.testSms(
      'bKash',
      'You have received Tk 500.00 from 01712345678. Fee Tk 0.00. Balance Tk 1,500.00. TrxID BKX92H1 at 01/01/2026 10:00',
    );
    expect(sms.status, sms.text).toBe(201);
    const id = await pc.newSession({ amount: '500.00' }, { key: pc.keys.test });
    const r = await pc.submit(id, { txnid: 'BKX92H1' });
    expect(r.status, r.text).toBe(200);
    expect(body(r)).toMatchObject({ status: 'success' });
  });
});
