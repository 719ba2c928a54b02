import { describe, expect, it } from 'vitest';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { bkashTxnid, usePayCore, type PayCore } from './helpers';
import { Chain } from './wallet-chain';

/**
 * The verify answers (`/api/device/verify`, `/api/merchant/verify`, `txnid.verify`) keep the
 * seed's field names; `matched: true` means "this call verified a payment now" and nothing
 * else. A TxnID that already paid something (and above all one the wallet reversed) answers
 * `matched: false`, so a phone app that looks only at `matched` never shows PAID for it.
 */
describe('verify never answers matched for a used or reversed TxnID', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  type Answer = { matched: boolean; already_existed: boolean; transaction: { id: number } | null; reason?: string };
  const answer = (r: HttpResult, wrapped = false): Answer => {
    expect(r.status, r.text).toBe(200);
    return (wrapped ? (r.json as { result: Answer }).result : r.json) as Answer;
  };
  const verifyAll = async (txnid: string): Promise<Answer[]> => [
    answer(
      await httpRequest(pc.urls.device, '/api/device/verify', {
        method: 'POST',
        body: { auth_key: pc.keys.device, device_id: 'counter-phone-1', txnid },
      }),
    ),
    answer(
      await httpRequest(pc.urls.admin, '/api/merchant/verify', {
        method: 'POST',
        body: { txnid },
        headers: { Authorization: `Bearer ${pc.keys.admin}` },
      }),
    ),
    answer(await pc.rpc('txnid.verify', { txnid }), true),
  ];

  it('a TxnID that paid a session: matched false, already_existed true, naming what it paid', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    for (const a of await verifyAll(txnid)) {
      expect(a).toMatchObject({ matched: false, already_existed: true });
      expect(a.reason).toMatch(/^Already used/);
      expect(a.reason).toContain(id);
    }
  });

  it('a paid TxnID the wallet reversed afterwards: never matched', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    await chain.reversal(txnid);
    for (const a of await verifyAll(txnid)) {
      expect(a.matched).toBe(false);
      expect(a.reason).toMatch(/revers/i);
    }
  });

  it('verifying a TxnID twice: the second answer is already_existed, not matched (a second customer showing it)', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const [first] = await verifyAll(txnid);
    expect(first).toMatchObject({ matched: true, already_existed: false });
    for (const again of await verifyAll(txnid)) {
      expect(again).toMatchObject({ matched: false, already_existed: true, transaction: { id: first?.transaction?.id } });
    }
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([{ n: 1 }]);
  });

  it('an unclaimed credit the wallet reversed: matched false with the reason, nothing recorded', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    await chain.reversal(txnid);
    for (const a of await verifyAll(txnid)) expect(a).toMatchObject({ matched: false, already_existed: false, transaction: null });
    expect(pc.sql('SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ?', txnid)).toEqual([{ n: 0 }]);
  });
});
