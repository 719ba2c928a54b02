import { describe, expect, it } from 'vitest';
import { httpRequest } from '../../support/http-client';
import { restartCore } from '../review/support';
import { Chain, PAYER, rpc } from './wallet-chain';
import { BKASH_ACCOUNT, attemptsOf, bkashCreditBody, bkashTxnid, body, startPayCore, usePayCore, type PayCore } from './helpers';

/**
 * Issue 8's findings on the paths that can say "paid", each as the regression it now guards
 * (they failed before the payments domain asked one rule list on every path). The table in
 * path-agreement.test.ts covers the rest (R5/R6 on the counter, the banner and verify).
 */
describe('finding 1: a wallet reversal takes a credit back', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('the TxnID of a payment the wallet already reversed does not pay a session (reversal scam)', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    await chain.reversal(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(422);
    expect(body(r)).toMatchObject({ code: 'payment_rejected' });
    expect((await pc.view(id)).status).toBe('pending');
  });

  it('a reversal after payment keeps the session paid, marks reversed_at, alerts staff and queues transaction.reversed', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    await chain.reversal(txnid);
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    const success = view.successful_transaction as unknown as { reversed_at: string | null };
    expect(success.reversed_at).toEqual(expect.any(String));
    expect((view.latest_transaction as unknown as { reversed_at: string | null }).reversed_at).toBe(success.reversed_at);
    const alerts = (await pc.alerts()).filter((a) => a.session_id === id);
    expect(alerts.map((a) => a.kind)).toContain('transaction_reversed');
    const events = pc.sql<{ channel: string; topic: string; payload: string }>(
      "SELECT channel, topic, payload FROM outbox WHERE subject_id = ? AND topic = 'transaction.reversed' ORDER BY id",
      id,
    );
    expect(events.map((e) => e.channel).sort()).toEqual(['sync', 'webhook']);
    const payload = JSON.parse(events[0]?.payload ?? '{}') as { event: string; session: { id: string; status: string } };
    expect(payload).toMatchObject({ event: 'transaction.reversed', session: { id, status: 'success' } });
  });

  it('a reversal of a credit a session is holding for review fails the held attempt', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid, 45_000);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    await chain.reversal(txnid, 45_000);
    const [attempt] = attemptsOf(pc, id);
    expect(attempt?.status).toBe('failed');
    expect(attempt?.failure_reason).toMatch(/revers/i);
    expect((await pc.verifications()).some((v) => v.session_id === id)).toBe(false);
  });
});

describe('finding 2: the counter check becomes a sale', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('Accept claims the credit: the counter then says ALREADY USED and no online session can take it', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const first = await rpc<{ verdict: string; can_accept: boolean; sms: { id: number } }>(pc, 'txnid.lookup', { txnid, amount: '500' });
    expect(first.result).toMatchObject({ verdict: 'received', can_accept: true });
    const accepted = await rpc<{ ok: boolean; amount: string; transaction_id: number }>(pc, 'txnid.accept', {
      txnid,
      amount: '500',
      sms_id: first.result.sms.id,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.result).toMatchObject({ ok: true, amount: '500.00' });
    const row = pc.sql<{ result_source: string; session_id: string | null; status: string }>(
      'SELECT result_source, session_id, status FROM transactions WHERE id = ?',
      accepted.result.transaction_id,
    )[0];
    expect(row).toEqual({ result_source: 'counter', session_id: null, status: 'success' });

    const again = await rpc<{ verdict: string; can_accept: boolean; used_by: { source: string } }>(pc, 'txnid.lookup', { txnid });
    expect(again.result).toMatchObject({ verdict: 'already_used', can_accept: false, used_by: { source: 'counter' } });
    const twice = await rpc(pc, 'txnid.accept', { txnid });
    expect(twice.status).toBe(409);
    expect(twice.code).toBe('txnid_already_used');

    // Within the clock-skew window an online session would have taken it before.
    const id = await pc.newSession({ amount: '500.00' });
    const submit = await pc.submit(id, { txnid });
    expect(submit.status, submit.text).toBe(409);
    expect(body(submit)).toMatchObject({ code: 'txnid_already_used' });
    const audit = pc.sql<{ action: string }>("SELECT action FROM audit_log WHERE action = 'counter.sale_accepted'");
    expect(audit.length).toBeGreaterThan(0);
  });

  it('a five-day-old unclaimed credit answers CHECK FIRST, and Accept refuses it', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid, 50_000, new Date(pc.now() - 5 * 24 * 3_600_000).toISOString());
    const check = await rpc<{ verdict: string; can_accept: boolean; reasons: { code: string }[] }>(pc, 'txnid.lookup', { txnid });
    expect(check.result.verdict).toBe('held');
    expect(check.result.can_accept).toBe(false);
    expect(check.result.reasons.map((r) => r.code)).toContain('sms_too_old');
    const accept = await rpc(pc, 'txnid.accept', { txnid });
    expect(accept.status).toBe(409);
    expect(accept.code).toBe('payment_needs_check');
  });

  it('one SMS stored twice (a forwarder copy that reads differently) is ALREADY USED once either copy paid', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    const text = await chain.credit(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    // The forwarder's copy: same payment, its own wording and an earlier timestamp, so it is stored apart and read first.
    const copy = await pc.apkSms('bKash', `${text} `.replace('. Ref 123.', '. Ref 123 .'), new Date(pc.now() - 60_000).toISOString());
    expect(copy.status, copy.text).toBe(200);
    expect(pc.sql('SELECT id FROM sms WHERE txnid_normalized = ? AND kind = ?', txnid, 'credit')).toHaveLength(2);
    const check = await rpc<{ verdict: string }>(pc, 'txnid.lookup', { txnid });
    expect(check.result.verdict).toBe('already_used');
    const verify = await httpRequest(pc.urls.admin, '/api/merchant/verify', {
      method: 'POST',
      body: { txnid },
      headers: { Authorization: `Bearer ${pc.keys.admin}` },
    });
    expect(verify.json).toMatchObject({ matched: false, already_existed: true });
    expect(pc.sql("SELECT id FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toHaveLength(1);
  });

  it('refuses a bad TxnID or amount in the documented error shape and records nothing', async () => {
    const missing = await pc.rpc('txnid.accept', {});
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: 'validation_failed', field: 'txnid' });
    const bad = await pc.rpc('txnid.accept', { txnid: bkashTxnid(), amount: 'lots' });
    expect(bad.json).toMatchObject({ code: 'validation_failed', field: 'amount' });
    const unknown = await pc.rpc('txnid.accept', { txnid: bkashTxnid() });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'txnid_not_found' });
  });
});

describe('finding 9: smaller holes on the verdict paths', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), {
    gateways: [
      { provider: 'bkash', account: BKASH_ACCOUNT },
      { provider: 'nagad', account: '01722222222' },
    ],
  });

  it('a TxnID submitted under the wrong wallet does not block the real payer with txnid_already_used', async () => {
    const chain = new Chain(pc);
    const txnid = `B${String(Date.now()).slice(-9)}`; // 10 characters: fits bKash and Nagad alike
    const decoy = await pc.newSession({ amount: '500.00' });
    const early = await pc.submit(decoy, { txnid, gateway_id: pc.gateways.nagad });
    expect(early.status, early.text).toBe(202);
    await chain.credit(txnid);
    const payer = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(payer, { txnid });
    expect(r.status, r.text).toBe(200);
    expect((await pc.view(payer)).status).toBe('success');
    const [wrong] = attemptsOf(pc, decoy);
    expect(wrong?.status).toBe('failed');
  });

  it('test-mode spoof attempts raise no alert in the live counter', async () => {
    const txnid = bkashTxnid();
    const spoof = bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 150_000 });
    expect((await pc.testSms('+8801812345678', spoof)).status).toBe(201);
    const id = await pc.newSession({ amount: '500.00' }, { key: pc.keys.test });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(422);
    expect((await pc.alerts()).filter((a) => a.kind === 'spoof_attempt')).toEqual([]);
  });

  it('staff cannot approve a held attempt whose credit the wallet has since reversed', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid, gateway_id: pc.gateways.bkash })).status).toBe(202);
    // No SMS yet: staff may approve on their word... unless the wallet reversed it meanwhile.
    await chain.credit(bkashTxnid()); // an unrelated credit keeps the chain moving
    const otherReversal = `Tk 500.00 from ${PAYER} has been reversed. TrxID ${txnid} at 12/05/2026 11:30. Balance Tk 1,000.00`;
    expect((await pc.apkSms('bKash', otherReversal)).status).toBe(200);
    const attempt = attemptsOf(pc, id).at(-1);
    // The reversal already failed the waiting attempt; deciding it again is refused.
    expect(attempt?.status).toBe('failed');
    const decided = await pc.decide(attempt?.id ?? 0, 'success');
    expect(decided.status).toBe(409);
    expect((await pc.view(id)).status).toBe('pending');
  });
});

describe('finding 8 at the counter: a missing SMS is shown, and mending the chain settles what waited on it', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('lists the missing SMS (amount and window); a staff anchor then settles the attempt held on the broken SMS', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 20_000);
    chain.body(bkashTxnid(), 30_000); // a credit of 300.00 whose SMS never comes
    const txnid = bkashTxnid();
    await chain.credit(txnid, 50_000);
    const id = await pc.newSession({ amount: '500.00' });
    const held = await pc.submit(id, { txnid });
    expect(held.status, held.text).toBe(202);

    const missing = await rpc<{ missing: { direction: string; amount: string; from: string; to: string }[] }>(pc, 'balance.missing', {});
    expect(missing.status).toBe(200);
    expect(missing.result.missing).toEqual([expect.objectContaining({ direction: 'credit', amount: '300.00' })]);

    const anchored = await rpc(pc, 'balance.anchor', { provider: 'bkash', balance: ((chain.balance - 50_000) / 100).toFixed(2) });
    expect(anchored.status).toBe(200);
    expect((await pc.view(id)).status).toBe('success');
    expect((await rpc<{ missing: unknown[] }>(pc, 'balance.missing', {})).result.missing).toEqual([]);
  });
});

describe('finding 1 after a crash: a reversal committed but not handled is applied at the next start', () => {
  it('marks the paid transaction reversed, alerts staff and queues transaction.reversed once', async () => {
    const pc = await startPayCore({ gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    pc.core.payments.onSmsStored = () => {
      throw new Error('simulated crash after the reversal SMS committed');
    };
    await chain.reversal(txnid);
    expect(pc.sql("SELECT reversed_at FROM transactions WHERE session_id = ? AND status = 'success'", id)).toEqual([{ reversed_at: null }]);
    await pc.stop();
    const again = await restartCore(pc.dir);
    try {
      const [row] = again.sql<{ reversed_at: number | null }>(
        "SELECT reversed_at FROM transactions WHERE session_id = ? AND status = 'success'",
        id,
      );
      expect(row?.reversed_at).toEqual(expect.any(Number));
      expect(again.sql("SELECT id FROM outbox WHERE subject_id = ? AND topic = 'transaction.reversed'", id)).toHaveLength(2);
      expect(again.sql("SELECT id FROM staff_alerts WHERE kind = 'transaction_reversed' AND session_id = ?", id)).toHaveLength(1);
    } finally {
      await again.stop();
    }
  });
});
