/**
 * The verification side of the device API (poll / report / transactions / verify) and the
 * /sms rate limit, over real HTTP against a full core: the merchant API creates sessions on
 * the public listener, the customer submits TxnIDs on the checkout, and the phone talks to
 * the device listener, as in a shop.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rotateKeys } from '../../../src-main/core/shop';
import { removeTempDirs } from '../../support/temp-dir';
import { bkashCredit, CUSTOMER_PHONE, DEVICE, expectDeviceError, GATEWAY_ACCOUNT, PaymentCore } from './payment-harness';

let pc: PaymentCore;

beforeEach(async () => {
  pc = await PaymentCore.start();
  await pc.bind();
});

afterEach(async () => {
  await pc?.close();
  removeTempDirs();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

describe('POST /api/device/poll', () => {
  it('lists a pending verification with every field the seed prints, amount as a JSON number', async () => {
    const sessionId = await pc.pendingSession({
      amount: 1234.5,
      order_id: 'ORD-9911',
      customer_name: 'Customer Name',
      txnid: 'BKP1A2B3C4',
    });
    const res = await pc.call('/api/device/poll');
    expect(res.status).toBe(200);
    const { verifications } = res.json as { verifications: Record<string, unknown>[] };
    expect(verifications).toHaveLength(1);
    const v = verifications[0] as Record<string, unknown>;
    for (const field of [
      'verification_id',
      'txnid_submitted',
      'amount',
      'currency',
      'customer_phone',
      'customer_name',
      'order_id',
      'provider',
      'variant',
      'account_number',
      'created_at',
    ]) {
      expect(v, `field ${field}`).toHaveProperty(field);
    }
    expect(v).toMatchObject({
      txnid_submitted: 'BKP1A2B3C4',
      currency: 'BDT',
      customer_phone: CUSTOMER_PHONE,
      customer_name: 'Customer Name',
      order_id: 'ORD-9911',
      provider: 'bkash',
      variant: 'personal',
      account_number: GATEWAY_ACCOUNT,
    });
    expect(typeof v.verification_id).toBe('number');
    expect(Number.isInteger(v.verification_id)).toBe(true);
    expect(typeof v.amount).toBe('number');
    expect(v.amount).toBe(1234.5);
    // The raw JSON carries a number, not a quoted string.
    expect(res.text).toMatch(/"amount":1234\.5[,}]/);
    expect(v.created_at).toMatch(ISO);
    // The verification is the session's attempt: /report on it decides that session.
    expect(v.session_id).toBe(sessionId);
  });

  it('lists only live pending attempts: not test-mode ones, not decided ones', async () => {
    await pc.pendingSession({ order_id: 'ORD-LIVE', txnid: 'BKL1V2E3P4' });
    await pc.pendingSession({ order_id: 'ORD-TEST', txnid: 'BKT1E2S3T4', test: true });
    await pc.pendingSession({ order_id: 'ORD-REJECTED', txnid: 'BKR1J2C3T4' });
    const paid = await pc.pendingSession({ order_id: 'ORD-PAID', txnid: 'BKP9A8I7D6' });

    const before = await pc.poll();
    expect(before.map((v) => v.order_id).sort()).toEqual(['ORD-LIVE', 'ORD-PAID', 'ORD-REJECTED']);

    // One rejected on the phone, one paid by its SMS arriving through the phone.
    const rejected = before.find((v) => v.order_id === 'ORD-REJECTED');
    expect((await pc.call('/api/device/report', { verification_id: rejected?.verification_id, result: 'failed' })).status).toBe(200);
    await pc.pushSms([bkashCredit('BKP9A8I7D6')]);
    expect((await pc.session(paid)).status).toBe('success');

    const after = await pc.poll();
    expect(after.map((v) => v.order_id)).toEqual(['ORD-LIVE']);
    expect(after[0]?.txnid_submitted).toBe('BKL1V2E3P4');
  });

  it('answers an empty list when nothing waits', async () => {
    const res = await pc.call('/api/device/poll');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ verifications: [] });
  });
});

describe('a credit pushed through /api/device/sms', () => {
  it('settles the session that waits on its TxnID and leaves the poll queue', async () => {
    const id = await pc.pendingSession({ order_id: 'ORD-SMS', txnid: 'BKS1M2S3A4' });
    expect((await pc.poll()).map((v) => v.txnid_submitted)).toEqual(['BKS1M2S3A4']);
    const pushed = await pc.pushSms([bkashCredit('BKS1M2S3A4')]);
    expect((pushed.json as { results: { kind: string }[] }).results[0]?.kind).toBe('credit');
    const session = await pc.session(id);
    expect(session.status).toBe('success');
    expect(session.successful_transaction).toMatchObject({ txnid_submitted: 'BKS1M2S3A4', result_source: 'sms_late_match' });
    expect(await pc.poll()).toEqual([]);
  });
});

describe('POST /api/device/report', () => {
  it('success: answers the seed shape, and the merchant sees the session paid with result_source apk', async () => {
    const id = await pc.pendingSession({ order_id: 'ORD-OK', txnid: 'BKO1K2A3Y4' });
    const v = await pc.verificationFor('ORD-OK');
    const res = await pc.call('/api/device/report', {
      verification_id: v.verification_id,
      result: 'success',
      matched_sms: 'You have received Tk 500.00 ... TrxID BKO1K2A3Y4',
      failure_reason: null,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      ok: true,
      verification_id: v.verification_id,
      status: 'success',
      session_id: id,
      transaction: { id: v.verification_id, status: 'success', result_source: 'apk' },
    });

    const session = await pc.session(id);
    expect(session.status).toBe('success');
    expect(session.successful_transaction).toMatchObject({ txnid_submitted: 'BKO1K2A3Y4', result_source: 'apk' });
    expect(session.successful_transaction?.verified_at).toMatch(ISO);
    expect(session.latest_transaction).toMatchObject({ status: 'success', result_source: 'apk' });
    expect(await pc.poll()).toEqual([]);
  });

  it('failed: the session stays pending and its latest attempt is failed with the reason', async () => {
    const id = await pc.pendingSession({ order_id: 'ORD-NO', txnid: 'BKN1O2P3E4' });
    const v = await pc.verificationFor('ORD-NO');
    const res = await pc.call('/api/device/report', {
      verification_id: v.verification_id,
      result: 'failed',
      matched_sms: null,
      failure_reason: 'No such payment in the bKash app.',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      ok: true,
      verification_id: v.verification_id,
      status: 'failed',
      session_id: id,
      transaction: { id: v.verification_id, status: 'failed', result_source: 'apk' },
    });

    const session = await pc.session(id);
    expect(session.status).toBe('pending');
    expect(session.successful_transaction).toBeNull();
    expect(session.latest_transaction).toMatchObject({
      txnid_submitted: 'BKN1O2P3E4',
      status: 'failed',
      failure_reason: 'No such payment in the bKash app.',
    });
    expect(await pc.poll()).toEqual([]);
  });

  it('failed without a reason still records one', async () => {
    const id = await pc.pendingSession({ order_id: 'ORD-NOREASON', txnid: 'BKN9R8S7N6' });
    const v = await pc.verificationFor('ORD-NOREASON');
    expect((await pc.call('/api/device/report', { verification_id: v.verification_id, result: 'failed' })).status).toBe(200);
    const latest = (await pc.session(id)).latest_transaction;
    expect(latest?.status).toBe('failed');
    expect(latest?.failure_reason).toEqual(expect.any(String));
    expect((latest?.failure_reason ?? '').length).toBeGreaterThan(0);
  });

  it('a second report on a decided verification is 409 verification_already_decided and changes nothing', async () => {
    const id = await pc.pendingSession({ order_id: 'ORD-TWICE', txnid: 'BKT2W3I4C5' });
    const v = await pc.verificationFor('ORD-TWICE');
    expect((await pc.call('/api/device/report', { verification_id: v.verification_id, result: 'success' })).status).toBe(200);

    const again = await pc.call('/api/device/report', { verification_id: v.verification_id, result: 'failed', failure_reason: 'oops' });
    expectDeviceError(again, 409, 'verification_already_decided');
    const same = await pc.call('/api/device/report', { verification_id: v.verification_id, result: 'success' });
    expectDeviceError(same, 409, 'verification_already_decided');

    const session = await pc.session(id);
    expect(session.status).toBe('success');
    expect(session.latest_transaction).toMatchObject({ status: 'success', result_source: 'apk', failure_reason: null });
  });

  it('a rejected verification cannot be approved afterwards (409)', async () => {
    const id = await pc.pendingSession({ order_id: 'ORD-REJ', txnid: 'BKJ1K2L3M4' });
    const v = await pc.verificationFor('ORD-REJ');
    expect((await pc.call('/api/device/report', { verification_id: v.verification_id, result: 'failed' })).status).toBe(200);
    expectDeviceError(
      await pc.call('/api/device/report', { verification_id: v.verification_id, result: 'success' }),
      409,
      'verification_already_decided',
    );
    expect((await pc.session(id)).status).toBe('pending');
  });

  it('an unknown verification_id is 404', async () => {
    await pc.pendingSession({ order_id: 'ORD-X', txnid: 'BKX7Y8Z9A1' });
    const v = await pc.verificationFor('ORD-X');
    expectDeviceError(
      await pc.call('/api/device/report', { verification_id: v.verification_id + 1000, result: 'success' }),
      404,
      'verification_not_found',
    );
    // The real one is untouched.
    expect((await pc.poll()).map((p) => p.verification_id)).toEqual([v.verification_id]);
  });
});

describe('POST /api/device/transactions', () => {
  /** Three attempts: ORD-1001 pending, ORD-1002 failed on the phone, INV-77 paid by SMS (newest). */
  async function threeAttempts(): Promise<void> {
    await pc.pendingSession({ order_id: 'ORD-1001', txnid: 'BKQ7X8Y9Z1', customer_name: 'Rahim' });
    await pc.pendingSession({ order_id: 'ORD-1002', txnid: 'BKR2M3N4P5' });
    const rejected = await pc.verificationFor('ORD-1002');
    expect(
      (await pc.call('/api/device/report', { verification_id: rejected.verification_id, result: 'failed', failure_reason: 'not in app' }))
        .status,
    ).toBe(200);
    const paid = await pc.pendingSession({ order_id: 'INV-77', txnid: 'BKS5T6U7V8', amount: 500 });
    await pc.pushSms([bkashCredit('BKS5T6U7V8')]);
    expect((await pc.session(paid)).status).toBe('success');
  }

  it('lists pending and history, newest first, with the seed fields and amounts as numbers', async () => {
    await threeAttempts();
    const res = await pc.call('/api/device/transactions');
    expect(res.status).toBe(200);
    const list = (res.json as { transactions: Record<string, unknown>[] }).transactions;
    expect(list.map((t) => t.order_id)).toEqual(['INV-77', 'ORD-1002', 'ORD-1001']);
    for (const t of list) {
      for (const field of [
        'id',
        'txnid_submitted',
        'amount',
        'status',
        'result_source',
        'verified_at',
        'failure_reason',
        'provider',
        'account_number',
        'order_id',
        'customer_name',
        'created_at',
      ]) {
        expect(t, `field ${field}`).toHaveProperty(field);
      }
      expect(typeof t.amount).toBe('number');
      expect(t.created_at).toMatch(ISO);
    }
    expect(list[0]).toMatchObject({
      txnid_submitted: 'BKS5T6U7V8',
      amount: 500,
      status: 'success',
      result_source: 'sms_late_match',
      provider: 'bkash',
      account_number: GATEWAY_ACCOUNT,
    });
    expect(list[0]?.verified_at).toMatch(ISO);
    expect(list[1]).toMatchObject({ txnid_submitted: 'BKR2M3N4P5', status: 'failed', result_source: 'apk', failure_reason: 'not in app' });
    expect(list[2]).toMatchObject({
      txnid_submitted: 'BKQ7X8Y9Z1',
      status: 'pending',
      result_source: null,
      verified_at: null,
      failure_reason: null,
      customer_name: 'Rahim',
    });
  });

  it('filters by status', async () => {
    await threeAttempts();
    expect((await pc.transactions({ status: 'pending' })).map((t) => t.order_id)).toEqual(['ORD-1001']);
    expect((await pc.transactions({ status: 'failed' })).map((t) => t.order_id)).toEqual(['ORD-1002']);
    expect((await pc.transactions({ status: 'success' })).map((t) => t.order_id)).toEqual(['INV-77']);
    expect((await pc.transactions({ status: null })).length).toBe(3);
  });

  it('searches the TxnID ignoring case and spacing, and the order_id', async () => {
    await threeAttempts();
    const ids = async (q: string) => (await pc.transactions({ q })).map((t) => t.txnid_submitted);
    expect(await ids('BKR2M')).toEqual(['BKR2M3N4P5']);
    expect(await ids('bkr2m3')).toEqual(['BKR2M3N4P5']);
    expect(await ids('  bk r2 m3-n4 ')).toEqual(['BKR2M3N4P5']);
    expect(await ids('x8y9')).toEqual(['BKQ7X8Y9Z1']);
    expect(await ids('INV-77')).toEqual(['BKS5T6U7V8']);
    expect(await ids('ord-100')).toEqual(['BKR2M3N4P5', 'BKQ7X8Y9Z1']);
    expect(await ids('NOPE42')).toEqual([]);
    // Search and status together.
    expect((await pc.transactions({ q: 'ORD-100', status: 'pending' })).map((t) => t.order_id)).toEqual(['ORD-1001']);
  });

  it('a search with no letters or digits matches only order_ids that contain it, not every row', async () => {
    await threeAttempts();
    // No TxnID or order_id here contains "#" or "/": the answer must be empty.
    expect(await pc.transactions({ q: '#' })).toEqual([]);
    expect(await pc.transactions({ q: '/' })).toEqual([]);
  });

  it('honours limit, keeping the newest', async () => {
    await threeAttempts();
    expect((await pc.transactions({ limit: 1 })).map((t) => t.order_id)).toEqual(['INV-77']);
    expect((await pc.transactions({ limit: 2 })).map((t) => t.order_id)).toEqual(['INV-77', 'ORD-1002']);
    expect((await pc.transactions({ limit: 200 })).length).toBe(3);
  });

  it('leaves test-mode attempts out', async () => {
    await pc.pendingSession({ order_id: 'ORD-TESTMODE', txnid: 'BKT9E8S7T6', test: true });
    await pc.pendingSession({ order_id: 'ORD-REAL', txnid: 'BKR9E8A7L6' });
    expect((await pc.transactions()).map((t) => t.order_id)).toEqual(['ORD-REAL']);
  });
});

describe('POST /api/device/verify', () => {
  it('a TxnID typed on the phone matches its SMS and records a payment with result_source manual_verify', async () => {
    const pushed = await pc.pushSms([bkashCredit('BKV1E2R3F4')]);
    const smsId = (pushed.json as { results: { sms_id: number }[] }).results[0]?.sms_id;
    const res = await pc.call('/api/device/verify', { txnid: ' bkv1 e2r3f4 ' });
    expect(res.status, res.text).toBe(200);
    const body = res.json as {
      matched: boolean;
      already_existed: boolean;
      transaction: Record<string, unknown>;
      sms: Record<string, unknown>;
    };
    expect(body.matched).toBe(true);
    expect(body.already_existed).toBe(false);
    expect(body.transaction).toMatchObject({
      amount: 500,
      status: 'success',
      result_source: 'manual_verify',
      provider: 'bkash',
      account_number: GATEWAY_ACCOUNT,
    });
    expect(typeof body.transaction.id).toBe('number');
    expect(String(body.transaction.txnid_submitted).replace(/\s/g, '').toUpperCase()).toBe('BKV1E2R3F4');
    expect(body.sms).toMatchObject({ id: smsId, sender: 'bKash' });
    expect(String(body.sms.body)).toContain('TrxID BKV1E2R3F4');
    expect(body.sms.received_at).toMatch(ISO);

    // It is in the phone's history. Verifying it again finds that payment, but is no second match: a
    // cashier whose app reads only `matched` must not see PAID for a TxnID that already paid (docs/matching.md).
    const history = await pc.transactions({ q: 'BKV1E2' });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: body.transaction.id, status: 'success', result_source: 'manual_verify' });
    const again = await pc.call('/api/device/verify', { txnid: 'BKV1E2R3F4' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ matched: false, already_existed: true, transaction: { id: body.transaction.id } });
    expect(await pc.transactions()).toHaveLength(1);
  });

  it('does not settle an attempt held for a person (balance did not follow): the queue decides it', async () => {
    // First credit sets the wallet balance at 1,500.50; the second reports the same balance
    // after another 500, so matching holds it for review instead of settling it.
    await pc.pushSms([bkashCredit('BKB1A2L3N4')]);
    const id = await pc.pendingSession({ order_id: 'ORD-REVIEW', txnid: 'BKB5A6L7N8' });
    await pc.pushSms([bkashCredit('BKB5A6L7N8')]);
    expect((await pc.session(id)).status).toBe('pending');
    const waiting = await pc.verificationFor('ORD-REVIEW');
    expect(waiting.review_reasons).toEqual([expect.objectContaining({ code: 'balance_mismatch' })]);

    // Typing the TxnID on the phone is a lookup, not an approval of a possible forgery.
    const res = await pc.call('/api/device/verify', { txnid: 'BKB5A6L7N8' });
    expectDeviceError(res, 409, 'conflict');
    expect(String((res.json as { merchant_message: string }).merchant_message)).toContain(String(waiting.verification_id));
    expect((await pc.session(id)).status).toBe('pending');
    expect((await pc.poll()).map((v) => v.verification_id)).toEqual([waiting.verification_id]);
  });

  it('an unknown TxnID is 404 txnid_not_found and records nothing', async () => {
    await pc.pushSms([bkashCredit('BKK1N2O3W4')]);
    expectDeviceError(await pc.call('/api/device/verify', { txnid: 'BKU1N2K3N4' }), 404, 'txnid_not_found');
    expect(await pc.transactions()).toEqual([]);
  });
});

type Endpoint = '/api/device/poll' | '/api/device/report' | '/api/device/transactions' | '/api/device/verify';
const ENDPOINTS: Endpoint[] = ['/api/device/poll', '/api/device/report', '/api/device/transactions', '/api/device/verify'];

/** A body each endpoint accepts (report on an unknown id answers 404 verification_not_found, past auth). */
const validFields: Record<Endpoint, Record<string, unknown>> = {
  '/api/device/poll': {},
  '/api/device/report': { verification_id: 1, result: 'success' },
  '/api/device/transactions': { status: 'pending', q: 'BKX92', limit: 50 },
  '/api/device/verify': { txnid: 'BKX92H1ABC' },
};

/** Bodies each endpoint must refuse with 400 validation_failed (the device is bound, the key right). */
const badFields: Record<Endpoint, Record<string, unknown>[]> = {
  '/api/device/poll': [{ device_id: undefined }, { device_id: '' }, { device_id: 42 }],
  '/api/device/report': [
    { verification_id: undefined, result: 'success' },
    { verification_id: 'one', result: 'success' },
    { verification_id: 1.5, result: 'success' },
    { verification_id: -3, result: 'success' },
    { verification_id: 1, result: 'maybe' },
    { verification_id: 1, result: undefined },
    { verification_id: 1, result: 'failed', failure_reason: 'x'.repeat(501) },
  ],
  '/api/device/transactions': [{ status: 'weird' }, { limit: 0 }, { limit: 201 }, { limit: '10' }, { q: 42 }],
  '/api/device/verify': [{ txnid: undefined }, { txnid: 12345678 }, { txnid: 'X'.repeat(65) }, { txnid: '   ' }],
};

describe('auth, binding and validation on every verification endpoint', () => {
  it('a missing, wrong or other kind of auth_key is 401', async () => {
    for (const route of ENDPOINTS) {
      const fields = { device_id: DEVICE, ...validFields[route] };
      expectDeviceError(await pc.device(route, fields), 401, 'unauthorized');
      expectDeviceError(await pc.device(route, { ...fields, auth_key: 'PV-WRONGWRONGWRONGWRONG' }), 401, 'unauthorized');
      expectDeviceError(await pc.device(route, { ...fields, auth_key: pc.core.shop.keys.api_key }), 401, 'unauthorized');
      expectDeviceError(await pc.device(route, { ...fields, auth_key: 42 }), 401, 'unauthorized');
    }
  });

  it('the valid bodies used here pass auth (control for the 401 test)', async () => {
    for (const route of ENDPOINTS) {
      const res = await pc.call(route, validFields[route]);
      expect([200, 404], `${route}: ${res.text}`).toContain(res.status);
      if (res.status === 404) expect((res.json as { code: string }).code).not.toBe('device_unknown');
    }
  });

  it('a never-bound device and an unbound one are 404 device_unknown', async () => {
    for (const route of ENDPOINTS) {
      expectDeviceError(await pc.call(route, { ...validFields[route], device_id: 'never-bound-phone' }), 404, 'device_unknown');
    }
    expect((await pc.call('/api/device/unbind')).status).toBe(200);
    for (const route of ENDPOINTS) {
      expectDeviceError(await pc.call(route, validFields[route]), 404, 'device_unknown');
    }
    // Binding again brings the phone back.
    await pc.bind();
    expect((await pc.call('/api/device/poll')).status).toBe(200);
  });

  it('a body that is not a JSON object, or a bad field, is 400 validation_failed', async () => {
    for (const route of ENDPOINTS) {
      expectDeviceError(await pc.device(route, [pc.key, DEVICE]), 400, 'validation_failed');
      for (const bad of badFields[route]) {
        const res = await pc.call(route, { ...validFields[route], ...bad });
        expect(res.status, `${route} ${JSON.stringify(bad)}: ${res.text}`).toBe(400);
        expectDeviceError(res, 400, 'validation_failed');
      }
    }
  });

  it('checks the fields before the binding, as docs/device-api.md orders them (400 before 404)', async () => {
    // "Order of checks: body is a JSON object (else 400) → auth_key (else 401) → the other
    // fields (else 400) → the device is bound (else 404)."
    for (const route of ['/api/device/report', '/api/device/transactions', '/api/device/verify'] as const) {
      const [bad] = badFields[route];
      const res = await pc.call(route, { ...validFields[route], ...bad, device_id: 'never-bound-phone' });
      expectDeviceError(res, 400, 'validation_failed');
    }
  });

  it('after rotateKeys the old device key is 401 everywhere and the new one works', async () => {
    await pc.pendingSession({ order_id: 'ORD-ROT', txnid: 'BKR0T1A2T3' });
    const old = pc.key;
    const shop = rotateKeys(pc.core.db, pc.dataDir, ['device_auth_key'], 'test');
    expect(shop.keys.device_auth_key).not.toBe(old);
    for (const route of ENDPOINTS) {
      expectDeviceError(await pc.device(route, { auth_key: old, device_id: DEVICE, ...validFields[route] }), 401, 'unauthorized');
    }
    expectDeviceError(
      await pc.device('/api/device/sms', { auth_key: old, device_id: DEVICE, messages: [bkashCredit('BKR0T1A2T3')] }),
      401,
      'unauthorized',
    );
    // The verification is still there for the phone once it has the new key.
    pc.key = shop.keys.device_auth_key;
    expect((await pc.poll()).map((v) => v.order_id)).toEqual(['ORD-ROT']);
  });
});

describe('the /api/device/sms rate limit', () => {
  it('the 121st upload within a minute is 429 with X-RateLimit-* and Retry-After, and stores nothing', async () => {
    for (let i = 0; i < 120; i += 1) {
      const res = await pc.call('/api/device/sms', { messages: [bkashCredit(`BKL${String(i).padStart(7, '0')}`)] });
      expect(res.status, `upload ${i + 1}: ${res.text}`).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('120');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(119 - i));
    }
    const stored = (pc.core.db.prepare('SELECT count(*) AS n FROM sms').get() as { n: number }).n;
    expect(stored).toBe(120);

    const res = await pc.call('/api/device/sms', { messages: [bkashCredit('BKL9999999')] });
    expect(res.status).toBe(429);
    expect(res.headers['x-ratelimit-limit']).toBe('120');
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(res.headers['x-ratelimit-reset']);
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset).toBeGreaterThan(Math.floor(Date.now() / 1000) - 1);
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'error', 'merchant_message', 'retry_after_seconds']);
    expect(body.code).toBe('rate_limited');
    expect(body.retry_after_seconds).toBe(retryAfter);
    expect(typeof body.error).toBe('string');
    expect(typeof body.merchant_message).toBe('string');
    expect((pc.core.db.prepare('SELECT count(*) AS n FROM sms').get() as { n: number }).n).toBe(120);

    // Only /sms is limited: the phone can still poll, and another key has its own bucket.
    expect((await pc.call('/api/device/poll')).status).toBe(200);
  });
});
