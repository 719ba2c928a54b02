import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerForwarder } from '../../../src-main/core/devices';
import { addBkash, createSession, leaksInternals, raw, startSecCore, type SecCore } from './support';

/**
 * Every JSON endpoint of every listener, fed prototype-pollution payloads, deep nesting,
 * invalid UTF-8 and odd charsets: answers stay in the error shape (no stack, no path), the
 * process keeps serving, and Object.prototype stays clean.
 */
describe('security: hostile JSON bodies on every endpoint', () => {
  let s: SecCore;
  let endpoints: { base: string; path: string; headers: Record<string, string>; auth: Record<string, unknown> }[];
  beforeAll(async () => {
    s = await startSecCore();
    addBkash(s.core);
    const k = s.core.shop.keys;
    const created = await createSession(s, { order_id: 'pp-1' });
    const id = String(created.json?.session_id);
    const fwd = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'pp', auth: 'token' });
    const cap = registerForwarder(s.core.db, s.dir, { kind: 'capcom6', label: 'pp6' });
    await raw(s.urls.device, '/api/device/bind', { body: { auth_key: k.device_auth_key, device_id: 'phone-pp' } });
    const api = { 'X-API-Key': k.api_key };
    const staff = { Authorization: `Bearer ${k.admin_token}` };
    const dev = { auth_key: k.device_auth_key, device_id: 'phone-pp' };
    endpoints = [
      { base: s.urls.public, path: '/api/payment/sessions', headers: api, auth: {} },
      { base: s.urls.public, path: `/api/payment/sessions/${id}/cancel`, headers: api, auth: {} },
      { base: s.urls.public, path: '/api/test/sms', headers: { 'X-API-Key': k.test_api_key }, auth: {} },
      { base: s.urls.public, path: `/api/checkout/${id}/submit`, headers: {}, auth: {} },
      { base: s.urls.public, path: `/api/checkout/nope/cancel`, headers: {}, auth: {} },
      ...['bind', 'unbind', 'heartbeat', 'sms', 'poll', 'report', 'transactions', 'verify'].map((e) => ({
        base: s.urls.device,
        path: `/api/device/${e}`,
        headers: {},
        auth: dev,
      })),
      { base: s.urls.device, path: fwd.webhook_path, headers: { 'X-CounterPay-Token': fwd.secret }, auth: {} },
      { base: s.urls.device, path: cap.webhook_path, headers: {}, auth: {} },
      { base: s.urls.admin, path: '/api/merchant/verify', headers: staff, auth: {} },
      ...[
        'status.get',
        'gateways.update',
        'sms.import',
        'sms.recent',
        'sessions.recent',
        'verifications.decide',
        'txnid.verify',
        'alerts.resolve',
        'balance.anchor',
        'forwarders.register',
        'forwarders.remove',
        'devices.pairing',
      ].map((c) => ({
        base: s.urls.admin,
        path: `/api/admin/rpc/${c}`,
        headers: staff,
        auth: {},
      })),
    ];
  });
  afterAll(async () => s?.stop());

  const pollutionBodies = (auth: Record<string, unknown>): string[] => {
    const a = JSON.stringify(auth).slice(1, -1);
    const sep = a ? `${a},` : '';
    return [
      `{${sep}"__proto__":{"polluted":"yes","isAdmin":true}}`,
      `{${sep}"constructor":{"prototype":{"polluted":"yes"}}}`,
      `{${sep}"metadata":{"__proto__":{"polluted":"yes"}},"amount":"1.00","order_id":"pp-x","txnid":"BKX1","sender":"bKash","body":"x","messages":[{"__proto__":{"polluted":"yes"},"sender":"bKash","body":"hi"}]}`,
      `{${sep}"fieldMap":{"__proto__":"x"},"kind":"generic","label":"x","content":"{\\"__proto__\\":{\\"polluted\\":\\"yes\\"}}","format":"json"}`,
      `[{"__proto__":{"polluted":"yes"}}]`,
      `{${sep}"toString":"x","valueOf":"y","hasOwnProperty":"z"}`,
    ];
  };

  it('prototype-pollution payloads: no pollution, no crash, no internals in any answer', async () => {
    for (const e of endpoints) {
      for (const body of pollutionBodies(e.auth)) {
        const r = await raw(e.base, e.path, { body, headers: { 'Content-Type': 'application/json', ...e.headers } });
        expect(r.status, `${e.path} ${body}`).not.toBe(500);
        if (r.status >= 400) expect(leaksInternals(r.text), `${e.path}: ${r.text}`).toBeNull();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
      }
    }
    // The core still answers normally.
    expect((await raw(s.urls.public, '/api/health')).status).toBe(200);
    expect(
      (
        await raw(s.urls.admin, '/api/admin/rpc/status.get', {
          body: {},
          headers: { Authorization: `Bearer ${s.core.shop.keys.admin_token}` },
        })
      ).status,
    ).toBe(200);
  });

  it('deep nesting, invalid UTF-8, odd charsets, gzip lies and non-JSON: 4xx in the error shape, never a stack', async () => {
    const deepArray = '['.repeat(30_000) + ']'.repeat(30_000);
    const bad: { body: string | Buffer; headers: Record<string, string> }[] = [
      { body: deepArray, headers: { 'Content-Type': 'application/json' } },
      {
        body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]),
        headers: { 'Content-Type': 'application/json' },
      },
      { body: Buffer.from('{"a":"\ud800"}', 'latin1'), headers: { 'Content-Type': 'application/json; charset=utf-16' } },
      { body: '{"a":1}', headers: { 'Content-Type': 'application/json; charset=x-evil' } },
      { body: '{"a":1}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } },
      { body: '{"a":1}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'evil' } },
      { body: '{"a":', headers: { 'Content-Type': 'application/json' } },
      { body: '{"a":1}{"b":2}', headers: { 'Content-Type': 'application/json' } },
      { body: 'x'.repeat(200_000), headers: { 'Content-Type': 'application/json' } },
      { body: '\u0000\u0001', headers: { 'Content-Type': 'application/json' } },
    ];
    for (const e of endpoints) {
      for (const b of bad) {
        const r = await raw(e.base, e.path, { body: b.body, headers: { ...b.headers, ...e.headers } });
        // Lenient UTF-8 decoding (U+FFFD) may let an argument-less command answer 200; never a 5xx.
        expect(r.status, `${e.path} ${String(b.body).slice(0, 30)} -> ${r.text.slice(0, 200)}`).toBeLessThan(500);
        if (r.status >= 400) {
          expect(leaksInternals(r.text), `${e.path}: ${r.text.slice(0, 300)}`).toBeNull();
          expect(typeof r.json?.code, r.text.slice(0, 200)).toBe('string');
        }
      }
    }
    expect((await raw(s.urls.public, '/api/health')).status).toBe(200);
  });

  it('deeply nested merchant metadata is a 400, not a 500 from a stack overflow', async () => {
    // parseSessionInput JSON.stringify()s metadata before its 4 KB check: ~10 000 levels
    // (60 KB, inside the JSON limit) overflow the stack -> RangeError -> 500 + an error log.
    const deepObject = '{"metadata":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + ',"amount":"1.00","order_id":"deep-1"}';
    const r = await raw(s.urls.public, '/api/payment/sessions', {
      body: deepObject,
      headers: { 'Content-Type': 'application/json', 'X-API-Key': s.core.shop.keys.api_key },
    });
    expect(leaksInternals(r.text)).toBeNull();
    expect(r.status, r.text).toBe(400);
  });

  it('a malformed percent-escape in a path parameter is a 400/404, not a 500', async () => {
    // Express 5 throws URIError("Failed to decode param") before any route runs; the error
    // handler maps every non-AppError to 500 internal and logs a stack at error level.
    for (const p of ['/api/checkout/%E0%A4%A/status', '/pay/%E0%A4%A', '/api/checkout/%ZZ/submit']) {
      const r = await raw(s.urls.public, p, {
        method: p.endsWith('submit') ? 'POST' : 'GET',
        body: p.endsWith('submit') ? { txnid: 'X' } : undefined,
      });
      expect(leaksInternals(r.text)).toBeNull();
      expect([400, 404], `${p} -> ${r.status}`).toContain(r.status);
    }
  });

  it('odd session ids and paths: 404 in the error shape, nothing reflected raw', async () => {
    const ids = [
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '..%2F..%2Fkeys.json',
      '%00',
      'a'.repeat(5000),
      '__proto__',
      'constructor',
      '%22%3E%3Cimg%20src%3Dx%3E',
    ];
    for (const id of ids) {
      for (const p of [`/api/checkout/${id}/status`, `/api/payment/sessions/${id}`, `/pay/${id}`]) {
        const r = await raw(s.urls.public, p, { headers: { 'X-API-Key': s.core.shop.keys.api_key } });
        expect([400, 404], `${p} -> ${r.status}`).toContain(r.status);
        expect(r.text).not.toContain('<script>alert(1)');
        expect(leaksInternals(r.text), r.text.slice(0, 200)).toBeNull();
      }
    }
  });
});
