import { describe, expect, it } from 'vitest';
import { expectErrorShape, httpRequest } from '../../support/http-client';
import {
  attemptsOf,
  BKASH_ACCOUNT,
  bkashCreditBody,
  bkashTxnid,
  body,
  CUSTOMER_PHONE,
  usePayCore,
  upiCreditBody,
  upiRef,
  type PayCore,
} from './helpers';

const HOUR = 3_600_000;

describe('matching a submitted TxnID against the wallet SMS', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('a clean match settles the session at once (sms_inbound); the view is the seed SUCCESS shape', async () => {
    const id = await pc.newSession({ customer_phone: '+8801712345678', redirect_url: 'https://shop.example/result' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, via: 'apk' });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(200);
    expect(body(r)).toEqual({
      status: 'success',
      session_id: id,
      redirect_url: `https://shop.example/result?session_id=${id}&status=success`,
    });
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction).toEqual({
      txnid_submitted: txnid,
      verified_at: expect.any(String),
      result_source: 'sms_inbound',
      reversed_at: null,
    });
    expect(view.latest_transaction).toEqual({
      txnid_submitted: txnid,
      method: 'bkash',
      variant: 'personal',
      account_number: BKASH_ACCOUNT,
      sender_account: CUSTOMER_PHONE,
      amount: '500.00',
      status: 'success',
      result_source: 'sms_inbound',
      failure_reason: null,
      verified_at: view.successful_transaction?.verified_at,
      reversed_at: null,
    });
    // Submitting again is harmless: still one attempt, still success.
    const again = await pc.submit(id, { txnid });
    expect(again.status).toBe(200);
    expect(attemptsOf(pc, id)).toHaveLength(1);
  });

  it('accepts a form post (no JavaScript) and redirects 303 to the redirect_url', async () => {
    const id = await pc.newSession({ redirect_url: 'https://shop.example/done' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const r = await pc.submit(id, { txnid, gateway_id: pc.gateways.bkash as number }, { form: true });
    expect(r.status, r.text).toBe(303);
    expect(r.headers.location).toBe(`https://shop.example/done?session_id=${id}&status=success`);
    expect((await pc.view(id)).status).toBe('success');
  });

  it('a TxnID submitted before its SMS stays pending (202, seed PENDING shape) and is matched when the SMS arrives (sms_late_match)', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect(body(r)).toMatchObject({ status: 'pending', session_id: id, review: false });
    const pending = await pc.view(id);
    expect(pending.status).toBe('pending');
    expect(pending.successful_transaction).toBeNull();
    expect(pending.latest_transaction).toEqual({
      txnid_submitted: txnid,
      method: 'bkash',
      variant: 'personal',
      account_number: BKASH_ACCOUNT,
      sender_account: null,
      amount: '500.00',
      status: 'pending',
      result_source: null,
      failure_reason: null,
      verified_at: null,
      reversed_at: null,
    });
    await pc.bkashCredit({ txnid, via: 'apk' });
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction).toMatchObject({ txnid_submitted: txnid, result_source: 'sms_late_match' });
    expect(view.latest_transaction).toMatchObject({ status: 'success', result_source: 'sms_late_match', sender_account: CUSTOMER_PHONE });
    expect(attemptsOf(pc, id)).toHaveLength(1);
  });

  it('a TxnID submitted to two sessions before the SMS: the second gets 409, the SMS pays only the first', async () => {
    const a = await pc.newSession();
    const b = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(a, { txnid })).status).toBe(202);
    const second = await pc.submit(b, { txnid });
    expectErrorShape(second, 409, 'txnid_already_used');
    await pc.bkashCredit({ txnid });
    expect((await pc.view(a)).status).toBe('success');
    expect((await pc.view(b)).status).toBe('pending');
    expect(pc.sql("SELECT session_id FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([
      { session_id: a },
    ]);
  });

  it('a TxnID that already paid one session answers 409 on another and leaves it pending', async () => {
    const a = await pc.newSession();
    const b = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    expect((await pc.submit(a, { txnid })).status).toBe(200);
    const r = await pc.submit(b, { txnid: txnid.toLowerCase() });
    expectErrorShape(r, 409, 'txnid_already_used');
    expect((await pc.view(b)).status).toBe('pending');
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([{ n: 1 }]);
  });

  it('amount differs: the attempt waits for review naming both amounts; staff approve → success, result_source manual', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '450.00' });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect(body(r)).toMatchObject({ status: 'pending', review: true });
    const pending = await pc.view(id);
    expect(pending.status).toBe('pending');
    expect(pending.latest_transaction).toMatchObject({ status: 'pending', amount: '450.00', result_source: null });
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    expect(v).toBeDefined();
    const reason = v?.review_reasons.find((x) => x.code === 'amount_mismatch');
    expect(reason?.message).toContain('450.00');
    expect(reason?.message).toContain('500.00');
    const decided = await pc.decide(v?.verification_id as number, 'success');
    expect(decided.status, decided.text).toBe(200);
    expect(body(decided).result as Record<string, unknown>).toMatchObject({
      ok: true,
      status: 'success',
      session_id: id,
      transaction: { status: 'success', result_source: 'manual' },
    });
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction).toMatchObject({ txnid_submitted: txnid, result_source: 'manual' });
    expect(view.latest_transaction).toMatchObject({ status: 'success', result_source: 'manual', failure_reason: null, amount: '450.00' });
    expect(view.latest_transaction?.verified_at).not.toBeNull();
    // A decision stands.
    const again = await pc.decide(v?.verification_id as number, 'failed');
    expect(again.status).toBe(409);
    expect(body(again).code).toBe('verification_already_decided');
  });

  it('amount differs on a late SMS: held for review, never settled by itself', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    await pc.bkashCredit({ txnid, amount: '50.00' });
    const view = await pc.view(id);
    expect(view.status).toBe('pending');
    expect(view.latest_transaction).toMatchObject({ status: 'pending', amount: '50.00' });
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    expect(v?.review_reasons.map((x) => x.code)).toContain('amount_mismatch');
    // Staff deciding from the queue must see what the SMS says was paid, not what was asked.
    expect(v?.amount).toBe('50.00');
  });

  it('staff reject: the attempt fails (manual, with reason) and the session stays pending for a retry', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    const wrong = bkashTxnid();
    await pc.bkashCredit({ txnid: wrong, amount: '5.00' });
    expect((await pc.submit(id, { txnid: wrong })).status).toBe(202);
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    const r = await pc.decide(v?.verification_id as number, 'failed', 'TxnID not found in our wallet SMS');
    expect(r.status, r.text).toBe(200);
    const view = await pc.view(id);
    expect(view.status).toBe('pending');
    expect(view.successful_transaction).toBeNull();
    expect(view.latest_transaction).toMatchObject({
      txnid_submitted: wrong,
      status: 'failed',
      result_source: 'manual',
      failure_reason: 'TxnID not found in our wallet SMS',
    });
    expect(view.latest_transaction?.verified_at).not.toBeNull();
    // The customer retries with the right TxnID.
    const right = bkashTxnid();
    await pc.bkashCredit({ txnid: right });
    expect((await pc.submit(id, { txnid: right })).status).toBe(200);
    expect((await pc.view(id)).status).toBe('success');
  });

  it('spoofed sender: 422 payment_rejected, the session stays pending, no success ever, a spoof alert', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const forged = bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 });
    const sms = await pc.importSms('01812345678', forged);
    expect(sms.kind).toBe('spoof');
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(422);
    expect(body(r).code).toBe('payment_rejected');
    expect(String(body(r).failure_reason)).toMatch(/spoof/i);
    const view = await pc.view(id);
    expect(view.status).toBe('pending');
    expect(view.successful_transaction).toBeNull();
    expect(view.latest_transaction).toMatchObject({ status: 'failed' });
    // Again: the same answer, never a success.
    expect((await pc.submit(id, { txnid })).status).toBe(422);
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE session_id = ? AND status = 'success'", id)).toEqual([{ n: 0 }]);
    expect((await pc.alerts()).some((a) => a.kind === 'spoof_attempt' && a.session_id === id)).toBe(true);
    // Manual verify does not take the spoof either.
    const verify = await pc.rpc('txnid.verify', { txnid });
    expect((body(verify).result as { matched: boolean }).matched).toBe(false);
  });

  it('a TxnID whose only SMS is an outgoing payment (debit): 422 payment_rejected, session stays pending', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const sms = await pc.importSms(
      'bKash',
      `Send Money Tk 500.00 to 01812345678 successful. Ref 1. Fee Tk 5.00. Balance Tk 995.00. TrxID ${txnid} at 12/05/2026 11:25`,
    );
    expect(sms.kind).toBe('debit');
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(422);
    expect(body(r).code).toBe('payment_rejected');
    expect((await pc.view(id)).status).toBe('pending');
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE session_id = ? AND status = 'success'", id)).toEqual([{ n: 0 }]);
  });

  it('spoofed sender arriving after the TxnID: the attempt keeps waiting for the real SMS, staff are alerted, nothing pays', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    await pc.importSms('+8801812345678', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 }));
    const view = await pc.view(id);
    expect(view.status).toBe('pending');
    expect(view.latest_transaction).toMatchObject({ status: 'pending', sender_account: null });
    expect((await pc.alerts()).some((a) => a.kind === 'spoof_attempt' && a.session_id === id)).toBe(true);
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE session_id = ? AND status = 'success'", id)).toEqual([{ n: 0 }]);
  });

  it('customer_phone disagrees with the SMS counterparty: held for review', async () => {
    const id = await pc.newSession({ customer_phone: '+8801999999999' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, from: '01712345678' });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect(body(r).review).toBe(true);
    expect((await pc.view(id)).status).toBe('pending');
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    const reason = v?.review_reasons.find((x) => x.code === 'counterparty_mismatch');
    expect(reason?.message).toContain('01712345678');
  });

  it('an SMS that predates the session: held for review', async () => {
    const txnid = bkashTxnid();
    const smsAt = new Date(pc.now() - 2 * HOUR).toISOString();
    await pc.bkashCredit({ txnid, receivedAt: smsAt });
    const id = await pc.newSession();
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect(body(r).review).toBe(true);
    expect((await pc.view(id)).status).toBe('pending');
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    expect(v?.review_reasons.map((x) => x.code)).toContain('sms_predates_session');
  });

  it('an SMS of another wallet account (UPI A/c XX9400 vs gateway XX6788): held for review; XX6788 settles', async () => {
    const id = await pc.newSession({ currency: 'INR', amount: '500.00' });
    const ref = upiRef();
    const sms = await pc.importSms('AD-HDFCBK', upiCreditBody({ ref, amount: '500.00', account: 'XX9400' }));
    expect(sms).toMatchObject({ kind: 'credit', provider: 'upi', account_hint: 'XX9400' });
    const r = await pc.submit(id, { txnid: ref });
    expect(r.status, r.text).toBe(202);
    expect(body(r).review).toBe(true);
    expect((await pc.view(id)).status).toBe('pending');
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    const reason = v?.review_reasons.find((x) => x.code === 'account_mismatch');
    expect(reason?.message).toContain('XX9400');

    const ok = await pc.newSession({ currency: 'INR', amount: '500.00' });
    const okRef = upiRef();
    expect((await pc.apkSms('AD-HDFCBK', upiCreditBody({ ref: okRef, amount: '500.00', account: 'XX6788' }))).status).toBe(200);
    const settled = await pc.submit(ok, { txnid: okRef });
    expect(settled.status, settled.text).toBe(200);
    const view = await pc.view(ok);
    expect(view).toMatchObject({ status: 'success', currency: 'INR' });
    expect(view.latest_transaction).toMatchObject({ method: 'upi', account_number: 'XX6788', sender_account: 'payer.one@okicici' });
  });

  it('answers 404 for an unknown session, 400 naming txnid when it is missing, 400 gateway_unknown for a foreign gateway_id', async () => {
    expectErrorShape(await pc.submit('CCCCCCCCCCCCCCCCCCCC', { txnid: bkashTxnid() }), 404, 'session_not_found');
    const id = await pc.newSession();
    const missing = await pc.submit(id, {});
    expect(missing.status).toBe(400);
    expect(body(missing)).toMatchObject({ code: 'validation_failed', field: 'txnid' });
    const gw = await pc.submit(id, { txnid: bkashTxnid(), gateway_id: 999_999 });
    expect(gw.status).toBe(400);
    expect(body(gw)).toMatchObject({ code: 'gateway_unknown', field: 'gateway_id' });
    // The UPI gateway does not pay a BDT session.
    const upi = await pc.submit(id, { txnid: bkashTxnid(), gateway_id: pc.gateways.upi as number });
    expect(upi.status).toBe(400);
    expect(body(upi).code).toBe('gateway_unknown');
    expect(attemptsOf(pc, id)).toHaveLength(0);
    expect((await pc.view(id)).status).toBe('pending');
  });

  it('a cancelled session cannot be approved from the review queue afterwards', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '400.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    expect(v).toBeDefined();
    expect((await pc.cancel(id)).status).toBe(200);
    const r = await pc.decide(v?.verification_id as number, 'success');
    expect(r.status, r.text).toBe(409);
    expect((await pc.view(id)).status).toBe('cancelled');
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE session_id = ? AND status = 'success'", id)).toEqual([{ n: 0 }]);
  });

  it('an SMS delayed past notFoundAfterMinutes still pays the session that is waiting for it (no lost SMS)', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    pc.advance(31 * 60_000);
    pc.core.sweep();
    const waiting = await pc.view(id);
    expect(waiting.status).toBe('pending');
    // The phone was offline for 31 minutes; the SMS arrives while the session is still open.
    await pc.bkashCredit({ txnid });
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction).toMatchObject({ txnid_submitted: txnid, result_source: 'sms_late_match' });
  });

  it('the APK can approve a held attempt: result_source apk', async () => {
    const id = await pc.newSession({ amount: '500.00' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '499.00', via: 'apk' });
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const poll = await httpRequest(pc.urls.device, '/api/device/poll', {
      method: 'POST',
      body: { auth_key: pc.keys.device, device_id: 'counter-phone-1' },
    });
    expect(poll.status, poll.text).toBe(200);
    const row = (body(poll).verifications as { verification_id: number; order_id: string; txnid_submitted: string }[]).find(
      (x) => x.txnid_submitted === txnid,
    );
    expect(row).toBeDefined();
    const report = await httpRequest(pc.urls.device, '/api/device/report', {
      method: 'POST',
      body: {
        auth_key: pc.keys.device,
        device_id: 'counter-phone-1',
        verification_id: row?.verification_id,
        result: 'success',
        failure_reason: null,
      },
    });
    expect(report.status, report.text).toBe(200);
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction?.result_source).toBe('apk');
  });
});

describe('paid-late: an SMS for a TxnID whose session already expired', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('does not settle the expired session and raises a paid_late alert (after the sweep)', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    pc.advance(24 * HOUR + 60_000);
    pc.core.sweep();
    expect((await pc.view(id)).status).toBe('expired');
    await pc.bkashCredit({ txnid });
    const view = await pc.view(id);
    expect(view.status).toBe('expired');
    expect(view.successful_transaction).toBeNull();
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([{ n: 0 }]);
    const alert = (await pc.alerts()).find((a) => a.kind === 'paid_late' && a.session_id === id);
    expect(alert).toBeDefined();
    expect(alert?.message).toContain(txnid);
  });

  it('does not settle a session that passed expires_at when the SMS comes before any sweep ran', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    pc.advance(24 * HOUR + 60_000);
    // No sweep: the SMS arrives first (the sweep runs only every sweepIntervalSeconds).
    await pc.bkashCredit({ txnid });
    const view = await pc.view(id);
    expect(view.status).toBe('expired');
    expect(view.successful_transaction).toBeNull();
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([{ n: 0 }]);
    expect((await pc.alerts()).some((a) => a.kind === 'paid_late' && a.session_id === id)).toBe(true);
  });
});

describe('balance continuity (R6)', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('default (review): a balance that does not follow the previous SMS holds the attempt for review', async () => {
    await pc.bkashCredit({ txnid: bkashTxnid(), amount: '100.00', balanceMinor: 200_000 }); // 2,000.00
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    // 2,000.00 + 500.00 should print 2,500.00; the SMS says 9,999.00.
    await pc.bkashCredit({ txnid, balanceMinor: 999_900 });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect(body(r).review).toBe(true);
    expect((await pc.view(id)).status).toBe('pending');
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    const reason = v?.review_reasons.find((x) => x.code === 'balance_mismatch');
    expect(reason?.message).toContain('9999.00');
    expect(reason?.message).toContain('2500.00');
  });

  it('a balance that follows settles by itself', async () => {
    // Earlier tests here left the chain broken on purpose; staff re-anchor it, as a shop would.
    expect((await pc.rpc('balance.anchor', { provider: 'bkash', balance: '2900.00' })).status).toBe(200);
    await pc.bkashCredit({ txnid: bkashTxnid(), amount: '100.00', balanceMinor: 300_000 });
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, balanceMinor: 350_000 });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
  });

  it('staff re-anchor (balance.anchor): the next credit is checked against the anchor', async () => {
    await pc.bkashCredit({ txnid: bkashTxnid(), amount: '100.00', balanceMinor: 400_000 });
    const anchored = await pc.rpc('balance.anchor', { provider: 'bkash', balance: '10000.00' });
    expect(anchored.status, anchored.text).toBe(200);
    expect(body(anchored).result).toEqual({ anchored: true, provider: 'bkash', account: '', balance: '10000.00' });
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, balanceMinor: 1_050_000 }); // 10,000.00 + 500.00
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(200);
    expect((await pc.view(id)).status).toBe('success');
  });

  it("'off' (raw SQL on the gateway): the same mismatch settles", async () => {
    pc.core.db.prepare("UPDATE gateways SET balance_check = 'off' WHERE provider = 'bkash'").run();
    try {
      await pc.bkashCredit({ txnid: bkashTxnid(), amount: '100.00', balanceMinor: 500_000 });
      const id = await pc.newSession();
      const txnid = bkashTxnid();
      await pc.bkashCredit({ txnid, balanceMinor: 777_700 });
      const r = await pc.submit(id, { txnid });
      expect(r.status, r.text).toBe(200);
      expect((await pc.view(id)).status).toBe('success');
    } finally {
      pc.core.db.prepare("UPDATE gateways SET balance_check = 'review' WHERE provider = 'bkash'").run();
    }
  });

  it('a test-mode SMS is never balance-checked', async () => {
    await pc.bkashCredit({ txnid: bkashTxnid(), amount: '100.00', balanceMinor: 600_000 });
    const id = await pc.newSession({}, { key: pc.keys.test });
    const txnid = bkashTxnid();
    const injected = await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 123 }));
    expect(injected.status, injected.text).toBe(201);
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(200);
    expect((await pc.view(id, pc.keys.test)).status).toBe('success');
  });
});

describe('manual verify: POST /api/merchant/verify on the admin listener', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  const verify = async (txnid: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (token !== '') headers.Authorization = `Bearer ${token ?? pc.keys.admin}`;
    return httpRequest(pc.urls.admin, '/api/merchant/verify', { method: 'POST', body: { txnid }, headers });
  };

  it('matches a TxnID given out of band; the second call answers already_existed, never matched', async () => {
    const txnid = bkashTxnid();
    const smsBody = await pc.bkashCredit({ txnid });
    const r = await verify(txnid);
    expect(r.status, r.text).toBe(200);
    expect(body(r)).toMatchObject({
      matched: true,
      already_existed: false,
      transaction: {
        txnid_submitted: txnid,
        amount: 500,
        provider: 'bkash',
        variant: 'personal',
        account_number: BKASH_ACCOUNT,
        status: 'success',
        result_source: 'manual_verify',
      },
      sms: { sender: 'bKash', body: smsBody },
    });
    const again = await verify(txnid);
    expect(again.status).toBe(200);
    expect(body(again)).toMatchObject({ matched: false, already_existed: true });
    expect((body(again).transaction as { id: number }).id).toBe((body(r).transaction as { id: number }).id);
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([{ n: 1 }]);
    // The SMS is spent: a session cannot be paid with it any more.
    const id = await pc.newSession();
    expect((await pc.submit(id, { txnid })).status).toBe(409);
    expect((await pc.view(id)).status).toBe('pending');
  });

  it('answers 404 txnid_not_found for an unknown TxnID, 400 without one, 401 without the staff token', async () => {
    expectErrorShape(await verify(bkashTxnid()), 404, 'txnid_not_found');
    const bad = await verify(undefined);
    expect(bad.status).toBe(400);
    expect(body(bad)).toMatchObject({ code: 'validation_failed', field: 'txnid' });
    expectErrorShape(await verify(bkashTxnid(), ''), 401, 'unauthorized');
    expectErrorShape(await verify(bkashTxnid(), pc.keys.live), 401, 'unauthorized');
  });
});

describe("R7: an SMS only staff pasted is a person's word", () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('holds the payment for review, then settles it by itself when the phone delivers the same SMS', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const body = await pc.bkashCredit({ txnid, via: 'staff' });
    const held = await pc.submit(id, { txnid });
    expect(held.status, held.text).toBe(202);
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    expect(v?.review_reasons.map((r) => r.code)).toEqual(['pasted_by_staff']);
    expect((await pc.view(id)).status).toBe('pending');

    const delivered = await pc.apkSms('bKash', body);
    expect(delivered.status, delivered.text).toBe(200);
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction?.result_source).toBe('sms_late_match');
    expect(attemptsOf(pc, id)).toHaveLength(1);
  });
});
