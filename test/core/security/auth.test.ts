import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateKeys } from '../../../src-main/core/shop';
import { addBkash, adminRpc, bkashBody, createSession, raw, startSecCore, type SecCore } from './support';

describe('security: merchant API key (X-API-Key)', () => {
  let s: SecCore;
  let liveId: string;
  beforeAll(async () => {
    s = await startSecCore();
    addBkash(s.core);
    const created = await createSession(s, { order_id: 'live-order-1' });
    expect(created.status).toBe(201);
    liveId = String(created.json?.session_id);
  });
  afterAll(async () => s?.stop());

  it('refuses missing, empty, blank, array-valued, wrong-kind and oversized keys with 401 in the error shape', async () => {
    const keys = s.core.shop.keys;
    const cases: [string, Record<string, string | string[]>][] = [
      ['missing', {}],
      ['empty', { 'X-API-Key': '' }],
      ['blank', { 'X-API-Key': '        ' }],
      ['twice (joined "k, k")', { 'X-API-Key': [keys.api_key, keys.api_key] }],
      ['valid then junk', { 'X-API-Key': [keys.api_key, 'junk'] }],
      ['junk then valid', { 'X-API-Key': ['junk', keys.api_key] }],
      ['secret key', { 'X-API-Key': keys.secret_key }],
      ['device key', { 'X-API-Key': keys.device_auth_key }],
      ['admin token', { 'X-API-Key': keys.admin_token }],
      ['Bearer admin token instead', { Authorization: `Bearer ${keys.admin_token}` }],
      ['prefix only', { 'X-API-Key': keys.api_key.slice(0, 20) }],
      ['key + 1 char', { 'X-API-Key': `${keys.api_key}x` }],
      ['upper-cased', { 'X-API-Key': keys.api_key.toUpperCase() }],
      ['8 KB key', { 'X-API-Key': 'pk_live_' + 'A'.repeat(8000) }],
    ];
    for (const [name, headers] of cases) {
      const r = await raw(s.urls.public, `/api/payment/sessions/${liveId}`, { headers });
      expect(r.status, name).toBe(401);
      expect(r.json?.code, name).toBe('unauthorized');
    }
    // Far past Node's header limit: refused by the server, and the core keeps serving.
    const huge = await raw(s.urls.public, `/api/payment/sessions/${liveId}`, { headers: { 'X-API-Key': 'A'.repeat(100_000) } }).catch(
      () => null,
    );
    if (huge) expect(huge.status).not.toBe(200);
    expect((await raw(s.urls.public, `/api/payment/sessions/${liveId}`, { headers: { 'X-API-Key': keys.api_key } })).status).toBe(200);
  });

  it('a test key cannot see, list or cancel a live session', async () => {
    const test = { 'X-API-Key': s.core.shop.keys.test_api_key };
    expect((await raw(s.urls.public, `/api/payment/sessions/${liveId}`, { headers: test })).status).toBe(404);
    expect((await raw(s.urls.public, '/api/payment/sessions?order_id=live-order-1', { headers: test })).status).toBe(404);
    const cancel = await raw(s.urls.public, `/api/payment/sessions/${liveId}/cancel`, { method: 'POST', headers: test });
    expect(cancel.status).toBe(404);
    expect(s.core.payments.session(liveId)?.view.status).toBe('pending');
  });

  it('test mode SMS injection needs the test key and cannot pay a live session', async () => {
    const live = { 'X-API-Key': s.core.shop.keys.api_key };
    const test = { 'X-API-Key': s.core.shop.keys.test_api_key };
    const withLive = await raw(s.urls.public, '/api/test/sms', { body: { sender: 'bKash', body: bkashBody('BKT0LIVE01') }, headers: live });
    expect(withLive.status).toBe(401);
    const injected = await raw(s.urls.public, '/api/test/sms', { body: { sender: 'bKash', body: bkashBody('BKT0LIVE02') }, headers: test });
    expect(injected.status).toBe(201);
    const submit = await raw(s.urls.public, `/api/checkout/${liveId}/submit`, { body: { txnid: 'BKT0LIVE02' } });
    expect(submit.json?.status).not.toBe('success');
    expect(s.core.payments.session(liveId)?.view.status).toBe('pending');
    // Staff manual verify looks at live SMS only, too.
    const verify = await raw(s.urls.admin, '/api/merchant/verify', {
      body: { txnid: 'BKT0LIVE02' },
      headers: { Authorization: `Bearer ${s.core.shop.keys.admin_token}` },
    });
    expect(verify.json?.matched).not.toBe(true);
  });

  it('a rotated (revoked) key stops working at once, on every endpoint', async () => {
    const s2 = await startSecCore();
    try {
      const old = s2.core.shop.keys;
      const created = await createSession(s2, { order_id: 'rot-1' }, old.api_key);
      const id = String(created.json?.session_id);
      rotateKeys(s2.core.db, s2.dir, ['api_key', 'test_api_key', 'device_auth_key', 'admin_token'], 'test');
      expect((await raw(s2.urls.public, `/api/payment/sessions/${id}`, { headers: { 'X-API-Key': old.api_key } })).status).toBe(401);
      expect(
        (
          await raw(s2.urls.public, '/api/test/sms', {
            body: { sender: 'bKash', body: bkashBody('BKROT00001') },
            headers: { 'X-API-Key': old.test_api_key },
          })
        ).status,
      ).toBe(401);
      expect((await raw(s2.urls.device, '/api/device/bind', { body: { auth_key: old.device_auth_key, device_id: 'p1' } })).status).toBe(
        401,
      );
      expect(
        (await raw(s2.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers: { Authorization: `Bearer ${old.admin_token}` } }))
          .status,
      ).toBe(401);
      expect((await raw(s2.urls.admin, `/api/admin/events?token=${old.admin_token}`)).status).toBe(401);
    } finally {
      await s2.stop();
    }
  });
});

describe('security: device auth_key in the body', () => {
  let s: SecCore;
  beforeAll(async () => {
    s = await startSecCore();
  });
  afterAll(async () => s?.stop());

  it('refuses auth_key of every wrong type and value, on every device endpoint', async () => {
    const keys = s.core.shop.keys;
    const bad: unknown[] = [
      undefined,
      null,
      '',
      12345678901234,
      true,
      { toString: keys.device_auth_key },
      { $ne: null },
      [keys.device_auth_key],
      [keys.device_auth_key, keys.device_auth_key],
      ` ${keys.device_auth_key}`,
      keys.device_auth_key.toLowerCase(),
      `${keys.device_auth_key}\u0000`,
      keys.api_key,
      keys.admin_token,
      keys.test_api_key,
      'PV-' + 'A'.repeat(50_000),
    ];
    const endpoints = [
      '/api/device/bind',
      '/api/device/unbind',
      '/api/device/heartbeat',
      '/api/device/sms',
      '/api/device/poll',
      '/api/device/report',
      '/api/device/transactions',
      '/api/device/verify',
    ];
    for (const endpoint of endpoints) {
      for (const auth_key of bad) {
        const r = await raw(s.urls.device, endpoint, {
          body: {
            auth_key,
            device_id: 'phone-1',
            messages: [{ sender: 'bKash', body: bkashBody('BKDEV00001'), received_at: '2026-05-12T11:25:30Z' }],
            verification_id: 1,
            result: 'success',
            txnid: 'X',
          },
        });
        expect(r.status, `${endpoint} ${JSON.stringify(auth_key)?.slice(0, 40)}`).toBe(401);
        expect(r.json?.code).toBe('unauthorized');
      }
      // A non-object body is a 400, never a pass.
      for (const body of ['[]', '"PV-x"', 'null', '1']) {
        const r = await raw(s.urls.device, endpoint, { body, headers: { 'Content-Type': 'application/json' } });
        expect([400, 401], `${endpoint} ${body}`).toContain(r.status);
      }
    }
    expect(s.core.status().counts.sms).toBe(0);
  });
});

describe('security: staff token', () => {
  let s: SecCore;
  beforeAll(async () => {
    s = await startSecCore();
  });
  afterAll(async () => s?.stop());

  it('refuses missing/empty/wrong/other-kind tokens; ?token= is accepted only on the event stream', async () => {
    const keys = s.core.shop.keys;
    const headerCases: Record<string, string>[] = [
      {},
      { Authorization: '' },
      { Authorization: 'Bearer ' },
      { Authorization: 'Bearer      ' },
      { Authorization: `Basic ${Buffer.from(`x:${keys.admin_token}`).toString('base64')}` },
      { Authorization: keys.admin_token },
      { Authorization: `Bearer ${keys.api_key}` },
      { Authorization: `Bearer ${keys.device_auth_key}` },
      { Authorization: `Bearer ${keys.secret_key}` },
      { Authorization: `Bearer ${keys.admin_token.slice(0, -1)}` },
      { 'X-API-Key': keys.admin_token },
    ];
    for (const headers of headerCases) {
      const r = await raw(s.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers });
      expect(r.status, JSON.stringify(headers)).toBe(401);
      const v = await raw(s.urls.admin, '/api/merchant/verify', { body: { txnid: 'BKX92H1ABC' }, headers });
      expect(v.status, JSON.stringify(headers)).toBe(401);
    }
    const viaQuery = await raw(s.urls.admin, `/api/admin/rpc/status.get?token=${keys.admin_token}`, { body: {} });
    expect(viaQuery.status).toBe(401);
    const viaQueryVerify = await raw(s.urls.admin, `/api/merchant/verify?token=${keys.admin_token}`, { body: { txnid: 'BKX92H1ABC' } });
    expect(viaQueryVerify.status).toBe(401);
    // Array-valued ?token= on the stream is not a string: refused.
    const arr = await raw(s.urls.admin, `/api/admin/events?token=${keys.admin_token}&token=${keys.admin_token}`);
    expect(arr.status).toBe(401);
    // Path tricks that might dodge the `/api/admin` mount.
    for (const p of [
      '/API/ADMIN/rpc/status.get',
      '/api//admin/rpc/status.get',
      '/api/admin/../admin/rpc/status.get',
      '/api/admin%2frpc/status.get',
    ]) {
      const r = await raw(s.urls.admin, p, { body: {} });
      expect([401, 404], p).toContain(r.status);
      expect(r.text).not.toContain('"result"');
    }
    expect((await adminRpc(s, 'status.get', {})).status).toBe(200);
  });
});
