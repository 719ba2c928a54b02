import { describe, expect, it } from 'vitest';
import { bkashTxnid, usePayCore, type PayCore } from './helpers';

const HOUR = 3_600_000;

/**
 * GET /api/payment/sessions/:id reads the session, its successful transaction and its latest
 * attempt in one statement (issue 9). It must answer exactly what the view every other path
 * builds (session row, then one query per transaction) answers, in every state.
 */
describe('GET /api/payment/sessions/:id: the one-statement read agrees with the view', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  async function expectSameView(id: string, key?: string): Promise<void> {
    const served = await pc.view(id, key);
    expect(served).toEqual(pc.core.payments.session(id)?.view);
  }

  it('pending without attempts, with a waiting attempt, with a failed one, then paid', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    await expectSameView(id);

    const wrong = bkashTxnid();
    expect((await pc.submit(id, { txnid: wrong })).status).toBe(202);
    await expectSameView(id);
    expect((await pc.view(id)).latest_transaction?.txnid_submitted).toBe(wrong);

    pc.advanceHours(1); // its SMS never came: the attempt fails
    pc.core.sweep();
    expect((await pc.view(id)).latest_transaction?.status).toBe('failed');
    await expectSameView(id);

    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    const paid = await pc.view(id);
    expect(paid.status).toBe('success');
    expect(paid.successful_transaction?.txnid_submitted).toBe(txnid);
    expect(paid.latest_transaction?.txnid_submitted).toBe(txnid);
    await expectSameView(id);
  });

  it('a session past its time is expired by the read itself, its open attempt failed', async () => {
    const id = await pc.newSession();
    expect((await pc.submit(id, { txnid: bkashTxnid() })).status).toBe(202);
    pc.advanceHours(25);
    const view = await pc.view(id);
    expect(view.status).toBe('expired');
    expect(view.latest_transaction?.status).toBe('failed');
    await expectSameView(id);
  });

  it('another mode does not see it: a test session is 404 to the live key and the other way round', async () => {
    const live = await pc.newSession();
    const test = await pc.newSession({}, { key: pc.keys.test });
    expect((await pc.getSession(live, pc.keys.test)).status).toBe(404);
    expect((await pc.getSession(test, pc.keys.live)).status).toBe(404);
    await expectSameView(test, pc.keys.test);
    expect((await pc.getSession(live, 'pk_live_' + 'A'.repeat(32))).status).toBe(401);
  });

  it('pending until its time is up, expired on the first read after', async () => {
    const id = await pc.newSession();
    pc.advance(23 * HOUR);
    expect((await pc.view(id)).status).toBe('pending');
    pc.advance(2 * HOUR);
    expect((await pc.view(id)).status).toBe('expired');
    await expectSameView(id);
  });
});
