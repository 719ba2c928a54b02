import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startSecCore, createSession, type SecCore } from './support';

/**
 * Listener separation and the Host allowlist (DNS rebinding), over real HTTP on 127.0.0.1.
 */
describe('security: listeners serve only their own routes', () => {
  let s: SecCore;
  beforeAll(async () => {
    s = await startSecCore();
  });
  afterAll(async () => s?.stop());

  it('admin API and staff verify do not exist on the public or device listener, even with a valid staff token', async () => {
    const auth = { Authorization: `Bearer ${s.core.shop.keys.admin_token}` };
    for (const base of [s.urls.public, s.urls.device]) {
      const rpc = await raw(base, '/api/admin/rpc/status.get', { body: {}, headers: auth });
      expect(rpc.status).toBe(404);
      expect(rpc.json?.code).toBe('not_found');
      const events = await raw(base, `/api/admin/events?token=${s.core.shop.keys.admin_token}`);
      expect(events.status).toBe(404);
      expect(events.headers['content-type']).not.toContain('event-stream');
      const verify = await raw(base, '/api/merchant/verify', { body: { txnid: 'BKX92H1ABC' }, headers: auth });
      expect(verify.status).toBe(404);
    }
  });

  it('the device API and forwarder webhooks do not exist on the public or admin listener', async () => {
    const body = { auth_key: s.core.shop.keys.device_auth_key, device_id: 'phone-1' };
    for (const base of [s.urls.public, s.urls.admin]) {
      for (const p of [
        '/api/device/bind',
        '/api/device/poll',
        '/api/device/sms',
        '/api/device/verify',
        '/api/forwarders/fwd_AAAAAAAAAAAAAAAA/capcom6',
      ]) {
        const r = await raw(base, p, { body });
        expect(r.status, `${base}${p}`).toBe(404);
      }
    }
  });

  it('the merchant API and hosted checkout do not exist on the device or admin listener', async () => {
    const created = await createSession(s, { order_id: 'iso-1' });
    expect(created.status).toBe(201);
    const id = String(created.json?.session_id);
    for (const base of [s.urls.device, s.urls.admin]) {
      expect(
        (
          await raw(base, '/api/payment/sessions', {
            body: { amount: '1.00', order_id: 'x' },
            headers: { 'X-API-Key': s.core.shop.keys.api_key },
          })
        ).status,
      ).toBe(404);
      expect((await raw(base, `/api/checkout/${id}/status`)).status).toBe(404);
      expect((await raw(base, `/api/test/sms`, { body: {}, headers: { 'X-API-Key': s.core.shop.keys.test_api_key } })).status).toBe(404);
      expect((await raw(base, '/api/openapi.json')).status).toBe(404);
    }
    // The device listener serves no HTML page; the admin SPA fallback must not render the checkout.
    const onDevice = await raw(s.urls.device, `/pay/${id}`);
    expect(onDevice.status).toBe(404);
    const onAdmin = await raw(s.urls.admin, `/pay/${id}`);
    expect(onAdmin.text).not.toContain('Verify payment');
  });
});

describe('security: Host allowlist against DNS rebinding', () => {
  let s: SecCore;
  beforeAll(async () => {
    s = await startSecCore({ config: { public: { allowedHosts: ['pay.shop.example'] } } });
  });
  afterAll(async () => s?.stop());

  const hostile = [
    'evil.com',
    'EVIL.COM',
    'evil.com:8788',
    'localhost.evil.com',
    'LOCALHOST.evil.com:80',
    '127.0.0.1.nip.io',
    '127.0.0.1.nip.io:8788',
    'localhost.',
    'evil.com.',
    '0x7f000001',
    '2130706433.evil.com',
    'pay.shop.example.evil.com',
    'localhost@evil.com',
    'evil.com:80:80',
    '[evil.com]',
    '',
  ];

  it('refuses a hostile Host on admin and device (403 forbidden_host, never the route)', async () => {
    for (const base of [s.urls.admin, s.urls.device]) {
      for (const host of hostile) {
        const r = await raw(base, '/api/health', { host });
        expect(r.status, `${base} Host: ${JSON.stringify(host)}`).toBe(403);
        expect(r.json?.code).toBe('forbidden_host');
      }
      const none = await raw(base, '/api/health', { host: null });
      expect(none.status).toBe(403);
    }
  });

  it('the admin API refuses a hostile Host even with a valid token (a rebinding page cannot use a leaked token either)', async () => {
    const r = await raw(s.urls.admin, '/api/admin/rpc/status.get', {
      body: {},
      host: 'attacker.example:80',
      headers: { Authorization: `Bearer ${s.core.shop.keys.admin_token}` },
    });
    expect(r.status).toBe(403);
  });

  it('accepts loopback literals, localhost (any case, any port), *.localhost and the configured public name', async () => {
    for (const host of ['127.0.0.1', '127.0.0.1:1', 'localhost', 'LOCALHOST:8788', 'app.localhost', '[::1]', '[::1]:8788']) {
      const r = await raw(s.urls.admin, '/api/health', { host });
      expect(r.status, host).toBe(200);
    }
    expect((await raw(s.urls.public, '/api/health', { host: 'PAY.shop.example:443' })).status).toBe(200);
    expect((await raw(s.urls.admin, '/api/health', { host: 'pay.shop.example' })).status).toBe(403);
  });

  it('refuses a Host with junk after a bracketed IPv6 literal ("[::1]@evil.com", "[::1].evil.com")', async () => {
    // hostnameOf() keeps only what is between the brackets and ignores the rest of the value.
    for (const base of [s.urls.admin, s.urls.device, s.urls.public]) {
      for (const host of ['[::1]@evil.com', '[::1].evil.com', '[::1]evil.com:80']) {
        const r = await raw(base, '/api/health', { host });
        expect(r.status, `${base} Host: ${host}`).toBe(403);
      }
    }
  });

  it('a checkout_url never points at a foreign host taken from the Host header', async () => {
    const created = await raw(s.urls.public, '/api/payment/sessions', {
      body: { amount: '500.00', currency: 'BDT', order_id: 'host-inject-1' },
      headers: { 'X-API-Key': s.core.shop.keys.api_key },
      host: '[::1]@evil.com',
    });
    if (created.status === 201) {
      const url = new URL(String(created.json?.checkout_url));
      expect(url.hostname, String(created.json?.checkout_url)).not.toBe('evil.com');
    } else {
      expect(created.status).toBe(403);
    }
    const probe = await raw(s.urls.public, '/api/checkout/abc/url', { host: '[::1]@evil.com' });
    if (probe.status === 200) expect(new URL(String(probe.json?.checkout_url)).hostname).not.toBe('evil.com');
    else expect(probe.status).toBe(403);
  });
});
