import { describe, expect, it } from 'vitest';
import { expectErrorShape, expectNoStackTrace, httpRequest } from '../../support/http-client';
import { attemptsOf, bkashTxnid, body, orderId, usePayCore, type PayCore } from './helpers';

const HOUR = 3_600_000;

describe('payment sessions over the merchant API (X-API-Key)', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('creates a session: 201 with session_id, checkout_url, expires_at 24 h on, status pending', async () => {
    const before = pc.now();
    const order = orderId();
    const r = await pc.createSession({
      amount: 500,
      order_id: order,
      redirect_url: 'https://shop.example/done',
      customer_phone: '+8801712345678',
      customer_name: 'Rahim Khan',
      metadata: { cart_id: 'cart-42' },
    });
    expect(r.status, r.text).toBe(201);
    const b = body(r);
    expect(Object.keys(b).sort()).toEqual(['checkout_url', 'expires_at', 'session_id', 'status']);
    expect(b.status).toBe('pending');
    expect(b.session_id).toMatch(/^[A-Za-z0-9]{16,40}$/);
    expect(b.checkout_url).toBe(`${pc.urls.public}/pay/${String(b.session_id)}`);
    const expires = Date.parse(String(b.expires_at));
    expect(expires - before).toBeGreaterThanOrEqual(24 * HOUR - 1000);
    expect(expires - before).toBeLessThanOrEqual(24 * HOUR + 60_000);

    const view = await pc.view(String(b.session_id));
    expect(view).toMatchObject({
      id: b.session_id,
      order_id: order,
      amount: '500.00',
      currency: 'BDT',
      status: 'pending',
      expires_at: b.expires_at,
      successful_transaction: null,
      latest_transaction: null,
      test: false,
    });
    expect(Date.parse(view.expires_at) - Date.parse(view.created_at)).toBe(24 * HOUR);
  });

  it('answers 200 existed:true with the same session for the same order_id while it is alive', async () => {
    const order = orderId();
    const first = await pc.createSession({ amount: '500.00', order_id: order });
    expect(first.status).toBe(201);
    const again = await pc.createSession({ amount: '500.00', order_id: order });
    expect(again.status, again.text).toBe(200);
    expect(body(again)).toEqual({ ...body(first), existed: true });
    expect(pc.sql('SELECT id FROM sessions WHERE order_id = ?', order)).toHaveLength(1);
  });

  it('answers 409 order_already_paid with existing_session_id once the order is paid', async () => {
    const order = orderId();
    const id = await pc.newSession({ order_id: order });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const paid = await pc.submit(id, { txnid });
    expect(paid.status, paid.text).toBe(200);
    const r = await pc.createSession({ amount: '500.00', order_id: order });
    expect(r.status, r.text).toBe(409);
    expect(body(r)).toMatchObject({ code: 'order_already_paid', error: 'This order has already been paid.', existing_session_id: id });
    expectNoStackTrace(r.text);
    expect(pc.sql('SELECT id FROM sessions WHERE order_id = ?', order)).toHaveLength(1);
  });

  it.each([
    ['amount', { order_id: 'X-1' }],
    ['amount', { order_id: 'X-1', amount: -5 }],
    ['amount', { order_id: 'X-1', amount: '5.001' }],
    ['amount', { order_id: 'X-1', amount: 'lots' }],
    ['order_id', { amount: 500 }],
    ['order_id', { amount: 500, order_id: '' }],
    ['redirect_url', { amount: 500, order_id: 'X-1', redirect_url: 'javascript:alert(1)' }],
    ['customer_phone', { amount: 500, order_id: 'X-1', customer_phone: 42 }],
  ] as [string, Record<string, unknown>][])('answers 400 validation_failed naming %s', async (field, input) => {
    // Deliberately not a valid SessionBody: this is what a broken merchant integration sends.
    const r = await pc.createSession(input as Parameters<typeof pc.createSession>[0]);
    expect(r.status, r.text).toBe(400);
    expect(body(r)).toMatchObject({ code: 'validation_failed', field });
    expect(String(body(r).merchant_message)).toContain(field);
    expectNoStackTrace(r.text);
  });

  it('answers 400 currency_unsupported naming currency', async () => {
    const r = await pc.createSession({ amount: 500, order_id: orderId(), currency: 'EUR' });
    expect(r.status).toBe(400);
    expect(body(r)).toMatchObject({ code: 'currency_unsupported', field: 'currency' });
  });

  it('answers 401 without a key, with a wrong key, and with the staff token as key; creates nothing', async () => {
    const order = orderId();
    for (const key of [null, 'pk_live_wrongwrongwrongwrong', pc.keys.admin, pc.keys.device]) {
      const r = await pc.createSession({ amount: 500, order_id: order }, { key });
      expectErrorShape(r, 401, 'unauthorized');
    }
    const id = await pc.newSession();
    expectErrorShape(await pc.getSession(id, 'nope'), 401, 'unauthorized');
    expectErrorShape(await pc.cancel(id, { key: 'nope' }), 401, 'unauthorized');
    expect(pc.sql('SELECT id FROM sessions WHERE order_id = ?', order)).toHaveLength(0);
    expect((await pc.view(id)).status).toBe('pending');
  });

  it('GET /api/payment/sessions/:id answers 404 for an unknown id', async () => {
    expectErrorShape(await pc.getSession('AAAAAAAAAAAAAAAAAAAA'), 404, 'session_not_found');
  });

  it('GET /api/payment/sessions?order_id= finds the session; 404 for an unknown order; 400 without order_id', async () => {
    const order = orderId();
    const id = await pc.newSession({ order_id: order });
    const found = await httpRequest(pc.urls.public, `/api/payment/sessions?order_id=${encodeURIComponent(order)}`, {
      headers: { 'X-API-Key': pc.keys.live },
    });
    expect(found.status, found.text).toBe(200);
    expect((body(found).session as { id: string }).id).toBe(id);
    expect((body(found).sessions as { id: string }[]).map((s) => s.id)).toEqual([id]);
    const missing = await httpRequest(pc.urls.public, `/api/payment/sessions?order_id=${encodeURIComponent(orderId('NOPE'))}`, {
      headers: { 'X-API-Key': pc.keys.live },
    });
    expectErrorShape(missing, 404, 'session_not_found');
    const none = await httpRequest(pc.urls.public, '/api/payment/sessions', { headers: { 'X-API-Key': pc.keys.live } });
    expect(none.status).toBe(400);
    expect(body(none)).toMatchObject({ code: 'validation_failed', field: 'order_id' });
  });

  it('cancels a pending session: cancelled, its open attempt failed, further submits 409', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const waiting = await pc.submit(id, { txnid });
    expect(waiting.status, waiting.text).toBe(202);
    const r = await pc.cancel(id);
    expect(r.status, r.text).toBe(200);
    const session = body(r).session as { status: string; successful_transaction: unknown };
    expect(session.status).toBe('cancelled');
    expect(session.successful_transaction).toBeNull();
    const view = await pc.view(id);
    expect(view.status).toBe('cancelled');
    expect(view.successful_transaction).toBeNull();
    expect(view.latest_transaction?.status).toBe('failed');
    expect(attemptsOf(pc, id).map((a) => a.status)).toEqual(['failed']);
    const after = await pc.submit(id, { txnid: bkashTxnid() });
    expect(after.status).toBe(409);
    expect(body(after).code).toBe('session_not_pending');
    const twice = await pc.cancel(id);
    expect(twice.status).toBe(409);
    expect(body(twice).code).toBe('session_not_pending');
    // The SMS arriving afterwards does not pay a cancelled session.
    await pc.bkashCredit({ txnid });
    expect((await pc.view(id)).status).toBe('cancelled');
    expect(pc.sql("SELECT id FROM transactions WHERE session_id = ? AND status = 'success'", id)).toHaveLength(0);
  });

  it('refuses to cancel a paid session: 409, and it stays success', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
    const r = await pc.cancel(id);
    expect(r.status, r.text).toBe(409);
    expect(body(r).code).toBe('session_not_pending');
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction).toMatchObject({ txnid_submitted: txnid, result_source: 'sms_inbound' });
  });

  it('answers 404 when cancelling an unknown session', async () => {
    expectErrorShape(await pc.cancel('BBBBBBBBBBBBBBBBBBBB'), 404, 'session_not_found');
  });

  it('creates a fresh session for an order whose previous session was cancelled', async () => {
    const order = orderId();
    const first = await pc.newSession({ order_id: order });
    expect((await pc.cancel(first)).status).toBe(200);
    const r = await pc.createSession({ amount: '500.00', order_id: order });
    expect(r.status, r.text).toBe(201);
    expect(body(r).session_id).not.toBe(first);
    expect(body(r).existed).toBeUndefined();
  });
});

describe('X-Idempotency-Key on merchant POSTs', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('replays the first create byte for byte with Idempotent-Replayed: true; the handler ran once', async () => {
    const order = orderId();
    const key = `idem-${order}`;
    const input = { amount: '500.00', order_id: order };
    const first = await pc.createSession(input, { headers: { 'X-Idempotency-Key': key } });
    expect(first.status, first.text).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const id = String(body(first).session_id);
    // Cancel it: a second run of the handler would now create a new session (201, new id).
    expect((await pc.cancel(id)).status).toBe(200);
    const replay = await pc.createSession({ order_id: order, amount: '500.00' }, { headers: { 'X-Idempotency-Key': key } });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
    expect(pc.sql('SELECT id FROM sessions WHERE order_id = ?', order)).toEqual([{ id }]);
  });

  it('10 concurrent creates with one key: the handler runs once, everyone gets the first answer', async () => {
    const order = orderId();
    const key = `idem-race-${order}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => pc.createSession({ amount: '500.00', order_id: order }, { headers: { 'X-Idempotency-Key': key } })),
    );
    for (const r of results) expect(r.status, r.text).toBe(201);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(pc.sql('SELECT count(*) AS n FROM sessions WHERE order_id = ?', order)).toEqual([{ n: 1 }]);
  });

  it('answers 409 idempotency_key_reused for the same key with a different body, and creates nothing', async () => {
    const order = orderId();
    const key = `idem-${order}`;
    const first = await pc.createSession({ amount: '500.00', order_id: order }, { headers: { 'X-Idempotency-Key': key } });
    expect(first.status).toBe(201);
    const other = orderId();
    const r = await pc.createSession({ amount: '700.00', order_id: other }, { headers: { 'X-Idempotency-Key': key } });
    expectErrorShape(r, 409, 'idempotency_key_reused');
    expect(pc.sql('SELECT id FROM sessions WHERE order_id = ?', other)).toHaveLength(0);
  });

  it('replays a cancel instead of answering 409 for the second call', async () => {
    const id = await pc.newSession();
    const headers = { 'X-Idempotency-Key': `cancel-${id}` };
    const first = await pc.cancel(id, { headers });
    expect(first.status).toBe(200);
    const replay = await pc.cancel(id, { headers });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
  });

  it('keeps keys per API key: the test key with the same idempotency key runs on its own', async () => {
    const order = orderId();
    const key = `idem-shared-${order}`;
    const live = await pc.createSession({ amount: '500.00', order_id: order }, { headers: { 'X-Idempotency-Key': key } });
    const test = await pc.createSession(
      { amount: '500.00', order_id: order },
      { key: pc.keys.test, headers: { 'X-Idempotency-Key': key } },
    );
    expect(live.status).toBe(201);
    expect(test.status).toBe(201);
    expect(test.headers['idempotent-replayed']).toBeUndefined();
    expect(body(test).session_id).not.toBe(body(live).session_id);
  });
});

describe('session expiry (injected clock + sweep)', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('stays pending just before 24 h, expires after; submit then answers 409 session_expired', async () => {
    const order = orderId();
    const id = await pc.newSession({ order_id: order });
    pc.advance(24 * HOUR - 60_000);
    pc.core.sweep();
    expect((await pc.view(id)).status).toBe('pending');
    pc.advance(120_000);
    pc.core.sweep();
    const view = await pc.view(id);
    expect(view).toMatchObject({ status: 'expired', successful_transaction: null, latest_transaction: null });
    expect(pc.sql('SELECT status FROM sessions WHERE id = ?', id)).toEqual([{ status: 'expired' }]);
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(409);
    expect(body(r).code).toBe('session_expired');
    expect(attemptsOf(pc, id)).toHaveLength(0);
    const cancel = await pc.cancel(id);
    expect(cancel.status).toBe(409);
    // The order is not paid: a new session may be created for it.
    const again = await pc.createSession({ amount: '500.00', order_id: order });
    expect(again.status).toBe(201);
    expect(body(again).session_id).not.toBe(id);
  });

  it('expires lazily on submit even before a sweep runs', async () => {
    const id = await pc.newSession();
    pc.advance(24 * HOUR + 1000);
    const r = await pc.submit(id, { txnid: bkashTxnid() });
    expect(r.status, r.text).toBe(409);
    expect(body(r).code).toBe('session_expired');
    expect((await pc.view(id)).status).toBe('expired');
  });

  it('fails the open attempt of an expired session (latest_transaction shows why)', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    pc.advance(24 * HOUR + 1000);
    pc.core.sweep();
    const view = await pc.view(id);
    expect(view.status).toBe('expired');
    expect(view.successful_transaction).toBeNull();
    expect(view.latest_transaction).toMatchObject({ txnid_submitted: txnid, status: 'failed' });
    expect(view.latest_transaction?.failure_reason).toMatch(/expired/i);
  });
});

describe('session TTL is configurable (sessions.ttlHours)', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { config: { sessions: { ttlHours: 2 } } });

  it('expires after 2 h with ttlHours 2', async () => {
    const id = await pc.newSession();
    const view = await pc.view(id);
    expect(Date.parse(view.expires_at) - Date.parse(view.created_at)).toBe(2 * HOUR);
    pc.advance(HOUR);
    pc.core.sweep();
    expect((await pc.view(id)).status).toBe('pending');
    pc.advance(HOUR + 1000);
    pc.core.sweep();
    expect((await pc.view(id)).status).toBe('expired');
  });
});
