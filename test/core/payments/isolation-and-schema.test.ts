import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { expectErrorShape, httpRequest } from '../../support/http-client';
import { attemptsOf, bkashCreditBody, bkashTxnid, body, orderId, usePayCore, type PayCore } from './helpers';

describe('test mode: live and test data never mix', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('a session created with the test key is a test session, paid by a test SMS injected through ingestion', async () => {
    const id = await pc.newSession({}, { key: pc.keys.test });
    expect((await pc.view(id, pc.keys.test)).test).toBe(true);
    const txnid = bkashTxnid();
    const injected = await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 }));
    expect(injected.status, injected.text).toBe(201);
    expect(body(injected)).toMatchObject({ is_new: true, sms: { is_test: true, kind: 'credit', txnid } });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(200);
    const view = await pc.view(id, pc.keys.test);
    expect(view).toMatchObject({ status: 'success', test: true, successful_transaction: { result_source: 'sms_inbound' } });
    // Injecting the same SMS again is a duplicate, not a second payment.
    const again = await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 }));
    expect(again.status).toBe(200);
    expect(body(again).is_new).toBe(false);
  });

  it('a test SMS late-matches a test session', async () => {
    const id = await pc.newSession({}, { key: pc.keys.test });
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    expect((await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 1 }))).status).toBe(201);
    expect((await pc.view(id, pc.keys.test)).successful_transaction?.result_source).toBe('sms_late_match');
  });

  it('POST /api/test/sms refuses the live key (401) and stores nothing', async () => {
    const txnid = bkashTxnid();
    const r = await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 1 }), pc.keys.live);
    expectErrorShape(r, 401, 'unauthorized');
    expect(pc.sql('SELECT id FROM sms WHERE txnid_normalized = ?', txnid)).toHaveLength(0);
    expectErrorShape(await pc.testSms('bKash', 'x', 'nope'), 401, 'unauthorized');
  });

  it('a test SMS never pays a live session (submitted before or after it)', async () => {
    const before = await pc.newSession();
    const after = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(before, { txnid })).status).toBe(202);
    expect((await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 }))).status).toBe(201);
    expect((await pc.view(before)).status).toBe('pending');
    const txnid2 = bkashTxnid();
    expect((await pc.testSms('bKash', bkashCreditBody({ txnid: txnid2, amountMinor: 50_000, balanceMinor: 150_050 }))).status).toBe(201);
    const r = await pc.submit(after, { txnid: txnid2 });
    expect(r.status, r.text).toBe(202);
    expect((await pc.view(after)).status).toBe('pending');
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE session_id IN (?, ?) AND status = 'success'", before, after)).toEqual([
      { n: 0 },
    ]);
    // Manual verify looks at live SMS only.
    expect((await pc.rpc('txnid.verify', { txnid: txnid2 })).status).toBe(404);
  });

  it('a live SMS never pays a test session', async () => {
    const id = await pc.newSession({}, { key: pc.keys.test });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    const waiting = await pc.newSession({}, { key: pc.keys.test });
    const txnid2 = bkashTxnid();
    expect((await pc.submit(waiting, { txnid: txnid2 })).status).toBe(202);
    await pc.bkashCredit({ txnid: txnid2 });
    expect((await pc.view(id, pc.keys.test)).status).toBe('pending');
    expect((await pc.view(waiting, pc.keys.test)).status).toBe('pending');
    // The live SMS is still there for a live session.
    const live = await pc.newSession();
    expect((await pc.submit(live, { txnid: txnid2 })).status).toBe(200);
  });

  it('a live key cannot see, look up or cancel a test session (404), nor the test key a live one', async () => {
    const order = orderId();
    const testId = await pc.newSession({ order_id: order }, { key: pc.keys.test });
    expectErrorShape(await pc.getSession(testId, pc.keys.live), 404, 'session_not_found');
    expectErrorShape(await pc.cancel(testId, { key: pc.keys.live }), 404, 'session_not_found');
    const lookup = await httpRequest(pc.urls.public, `/api/payment/sessions?order_id=${encodeURIComponent(order)}`, {
      headers: { 'X-API-Key': pc.keys.live },
    });
    expectErrorShape(lookup, 404, 'session_not_found');
    const liveId = await pc.newSession();
    expectErrorShape(await pc.getSession(liveId, pc.keys.test), 404, 'session_not_found');
    // The same order_id in live mode is a different order.
    const live = await pc.createSession({ amount: '500.00', order_id: order });
    expect(live.status).toBe(201);
    expect(body(live).session_id).not.toBe(testId);
    expect((await pc.view(testId, pc.keys.test)).status).toBe('pending');
  });
});

describe('schema: one SMS pays one session once, ever (enforced by SQLite)', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('a direct SQL attempt to give a second success to the same SMS throws', async () => {
    const a = await pc.newSession();
    const b = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    expect((await pc.submit(a, { txnid })).status).toBe(200);
    const [paid] = attemptsOf(pc, a);
    expect(paid?.status).toBe('success');
    const smsId = paid?.sms_id as number;
    expect(smsId).toBeGreaterThan(0);

    const db = new Database(pc.core.status().database_path);
    try {
      db.pragma('busy_timeout = 5000');
      const now = Date.now();
      const insertSuccess = () =>
        db
          .prepare(
            `INSERT INTO transactions (merchant_id, session_id, provider, txnid_submitted, txnid_normalized, amount_minor,
               status, result_source, sms_id, is_test, verified_at, created_at, updated_at)
             VALUES (?, ?, 'bkash', 'OTHER12345', 'OTHER12345', 50000, 'success', 'manual', ?, 0, ?, ?, ?)`,
          )
          .run(pc.core.shop.merchantId, b, smsId, now, now, now);
      expect(insertSuccess).toThrow(/UNIQUE/i);

      // Nor by turning a pending attempt into a success on the same SMS.
      const pendingId = Number(
        db
          .prepare(
            `INSERT INTO transactions (merchant_id, session_id, provider, txnid_submitted, txnid_normalized, amount_minor,
               status, is_test, created_at, updated_at)
             VALUES (?, ?, 'bkash', 'OTHER67890', 'OTHER67890', 50000, 'pending', 0, ?, ?)`,
          )
          .run(pc.core.shop.merchantId, b, now, now).lastInsertRowid,
      );
      expect(() =>
        db
          .prepare("UPDATE transactions SET status = 'success', result_source = 'manual', sms_id = ?, verified_at = ? WHERE id = ?")
          .run(smsId, now, pendingId),
      ).toThrow(/UNIQUE/i);
      // And session b cannot be marked paid without its own successful transaction.
      expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(b)).toThrow(/successful transaction/);
    } finally {
      db.close();
    }
    expect(pc.sql("SELECT count(*) AS n FROM transactions WHERE sms_id = ? AND status = 'success'", smsId)).toEqual([{ n: 1 }]);
    expect((await pc.view(b)).status).toBe('pending');
  });
});
