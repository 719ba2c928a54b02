import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/core';
import { parseCliArgs } from '../../src-main/headless/parse-cli-args';
import { orderId, startPayCore, type PayCore } from '../core/payments/helpers';
import { expectErrorShape, type HttpResult } from '../support/http-client';
import { requireNginx, startNginx, type RunningNginx } from '../support/nginx';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';

/**
 * The public listener behind a real reverse proxy (Debian's nginx, on loopback) as the tunnel's
 * stand-in (issue 12, docs/tunnel.md). nginx reaches the core from 127.0.0.1, as cloudflared,
 * ngrok or tailscaled do on the shop PC. The customers are real, distinct socket addresses:
 * Linux routes all of 127.0.0.0/8 to the loopback device, so a client bound to 127.0.0.2 is
 * "another machine" to nginx and to the core, and only 127.0.0.1 (the tunnel) is trusted.
 */

const PUBLIC_HOST = 'pay.myshop.test';
const PUBLIC_URL = `https://${PUBLIC_HOST}`;
const SUBMIT_LIMIT = 3;
const CUSTOMER_A = '127.0.0.2';
const CUSTOMER_B = '127.0.0.3';
const STRANGER = '127.0.0.4';

interface Send {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The client's own socket address. */
  from?: string;
}

/** One HTTP request from a chosen source address, no keep-alive. */
function send(base: string, pathName: string, options: Send = {}): Promise<HttpResult> {
  const url = new URL(pathName, base);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let payload: Buffer | null = null;
  if (options.body !== undefined) {
    payload = Buffer.from(JSON.stringify(options.body), 'utf8');
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        headers,
        agent: false,
        localAddress: options.from,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout on ${url.href}`)));
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

/** Can this machine use `address` as a source address? (Linux: the whole of 127.0.0.0/8.) */
function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

let trusted: PayCore; // trustedProxies 127.0.0.1, publicBaseUrl, the public name allowed
let untrusted: PayCore; // trustedProxies empty, the public name allowed
let bare: PayCore; // trustedProxies 127.0.0.1, nothing else
let nginx: RunningNginx;
/** nginx's site in front of each core. */
const tunnel = { trusted: '', untrusted: '', bare: '' };

const submitLimit = { checkoutSubmit: { limit: SUBMIT_LIMIT, windowMs: 600_000 } };

beforeAll(async () => {
  requireNginx();
  for (const address of [CUSTOMER_A, CUSTOMER_B, STRANGER]) {
    if (!(await canBind(address))) {
      throw new Error(`cannot use ${address} as a source address: the tunnel test needs all of 127.0.0.0/8 on loopback (Linux has it)`);
    }
  }
  trusted = await startPayCore({
    config: {
      http: { trustedProxies: ['127.0.0.1'] },
      public: { allowedHosts: [PUBLIC_HOST] },
      sessions: { publicBaseUrl: PUBLIC_URL },
      rateLimits: submitLimit,
    },
  });
  untrusted = await startPayCore({
    config: { http: { trustedProxies: [] }, public: { allowedHosts: [PUBLIC_HOST] }, rateLimits: submitLimit },
  });
  bare = await startPayCore({ config: { http: { trustedProxies: ['127.0.0.1'] } } });
  nginx = await startNginx([{ upstream: trusted.urls.public }, { upstream: untrusted.urls.public }, { upstream: bare.urls.public }]);
  [tunnel.trusted, tunnel.untrusted, tunnel.bare] = nginx.urls as [string, string, string];
});

afterAll(async () => {
  await nginx?.stop();
  await trusted?.stop();
  await untrusted?.stop();
  await bare?.stop();
  removeTempDirs();
});

/** A merchant creating a session through the tunnel. */
async function createVia(base: string, pc: PayCore, host = PUBLIC_HOST): Promise<{ id: string; checkoutUrl: string }> {
  const r = await send(base, '/api/payment/sessions', {
    headers: { Host: host, 'X-API-Key': pc.keys.live },
    body: { amount: '500.00', order_id: orderId('TUN'), redirect_url: 'https://shop.example/done' },
    from: STRANGER,
  });
  expect(r.status, `${r.text}\n${nginx.errorLog()}`).toBe(201);
  const body = r.json as { session_id: string; checkout_url: string };
  return { id: body.session_id, checkoutUrl: body.checkout_url };
}

/** A customer's TxnID submit through `base`; the body is empty, the limiter counts it before the handler reads it. */
function submit(base: string, sessionId: string, from: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return send(base, `/api/checkout/${sessionId}/submit`, { headers: { Host: PUBLIC_HOST, ...headers }, body: {}, from });
}

/** Remaining calls in the bucket this request counted against, or 'limited' once it is spent. */
function bucket(r: HttpResult): number | 'limited' {
  if (r.status === 429) {
    expectErrorShape(r, 429, 'rate_limited');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    return 'limited';
  }
  expect(r.headers['x-ratelimit-limit'], r.text).toBe(String(SUBMIT_LIMIT));
  return Number(r.headers['x-ratelimit-remaining']);
}

describe('checkout links through the tunnel', () => {
  it('use sessions.publicBaseUrl (--public-url), whatever Host and scheme the request came with', async () => {
    const viaName = await createVia(tunnel.trusted, trusted);
    expect(viaName.checkoutUrl).toBe(`${PUBLIC_URL}/pay/${viaName.id}`);
    const viaIp = await createVia(tunnel.trusted, trusted, '127.0.0.1');
    expect(viaIp.checkoutUrl).toBe(`${PUBLIC_URL}/pay/${viaIp.id}`);

    // The customer follows the link: the hosted checkout is served through the tunnel.
    const page = await send(tunnel.trusted, new URL(viaName.checkoutUrl).pathname, { headers: { Host: PUBLIC_HOST }, from: CUSTOMER_A });
    expect(page.status, page.text).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
    const link = await send(tunnel.trusted, `/api/checkout/${viaName.id}/url`, { headers: { Host: PUBLIC_HOST }, from: CUSTOMER_A });
    expect(link.json).toEqual({ checkout_url: viaName.checkoutUrl });
  });

  it('take their address from `npm run serve -- --public-url URL`, which wins over config.json', () => {
    const dir = makeTempDir('counterpay-public-url-');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ sessions: { publicBaseUrl: 'https://old.myshop.test' } }));
    const load = (...argv: string[]) => loadConfig(parseCliArgs(['serve', '--data-dir', dir, ...argv]).flags, {});
    expect(load().sessions.publicBaseUrl).toBe('https://old.myshop.test');
    expect(load('--public-url', PUBLIC_URL).sessions.publicBaseUrl).toBe(PUBLIC_URL);
    expect(() => load('--public-url', 'ftp://pay.myshop.test')).toThrow(/publicBaseUrl/);
  });

  it('without publicBaseUrl are rebuilt from the Host nginx passed, with https only when the proxy is trusted', async () => {
    // nginx sends X-Forwarded-Proto: https (it stands in for a TLS-terminating tunnel).
    const believed = await createVia(tunnel.bare, bare, 'localhost');
    expect(believed.checkoutUrl).toBe(`https://localhost/pay/${believed.id}`);
    const ignored = await createVia(tunnel.untrusted, untrusted);
    expect(ignored.checkoutUrl).toBe(`http://${PUBLIC_HOST}/pay/${ignored.id}`);
  });
});

describe('rate limits behind the tunnel', () => {
  it('key on the forwarded client when nginx is a trusted proxy: two customers, two buckets', async () => {
    const { id } = await createVia(tunnel.trusted, trusted);
    const a: (number | 'limited')[] = [];
    for (let i = 0; i <= SUBMIT_LIMIT; i += 1) a.push(bucket(await submit(tunnel.trusted, id, CUSTOMER_A)));
    expect(a).toEqual([2, 1, 0, 'limited']);
    expect(bucket(await submit(tunnel.trusted, id, CUSTOMER_B))).toBe(2);
  });

  it('with http.trustedProxies empty, every customer behind nginx shares one bucket', async () => {
    const { id } = await createVia(tunnel.untrusted, untrusted);
    const a: (number | 'limited')[] = [];
    for (let i = 0; i < SUBMIT_LIMIT; i += 1) a.push(bucket(await submit(tunnel.untrusted, id, CUSTOMER_A)));
    expect(a).toEqual([2, 1, 0]);
    // B never submitted, yet its first attempt is refused: the bucket is nginx's 127.0.0.1.
    expect(bucket(await submit(tunnel.untrusted, id, CUSTOMER_B))).toBe('limited');
  });

  it('ignore a forged X-Forwarded-For or CF-Connecting-IP sent to nginx: the right-most untrusted hop is the client', async () => {
    const { id } = await createVia(tunnel.trusted, trusted);
    const a: (number | 'limited')[] = [];
    // A new forged address on each attempt: had any been believed, each would open a fresh bucket.
    for (const forged of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      a.push(bucket(await submit(tunnel.trusted, id, CUSTOMER_A, { 'X-Forwarded-For': forged })));
    }
    expect(a).toEqual([2, 1, 0]);
    // nginx forwards "203.0.113.9, 127.0.0.2"; the core takes 127.0.0.2, A's spent bucket.
    expect(bucket(await submit(tunnel.trusted, id, CUSTOMER_A, { 'X-Forwarded-For': '203.0.113.9' }))).toBe('limited');
    // Claiming to be B (in either header) does not reach B's bucket: A stays limited, B has its own.
    expect(bucket(await submit(tunnel.trusted, id, CUSTOMER_A, { 'X-Forwarded-For': CUSTOMER_B }))).toBe('limited');
    expect(bucket(await submit(tunnel.trusted, id, CUSTOMER_A, { 'CF-Connecting-IP': '198.51.100.7' }))).toBe('limited');
    expect(bucket(await submit(tunnel.trusted, id, CUSTOMER_B))).toBe(2);
  });

  it('ignore X-Forwarded-For on a direct request from an address that is not a trusted proxy', async () => {
    const { id } = await createVia(tunnel.trusted, trusted);
    const direct: (number | 'limited')[] = [];
    for (const forged of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      direct.push(bucket(await submit(trusted.urls.public, id, STRANGER, { 'X-Forwarded-For': forged, Host: '127.0.0.1' })));
    }
    expect(direct).toEqual([2, 1, 0, 'limited']);
  });
});

describe('what the tunnel reaches', () => {
  it('is the public listener only: admin and device routes and the counter UI are 404 through nginx, even with valid keys', async () => {
    const via = (pathName: string, init: Send = {}) =>
      send(tunnel.trusted, pathName, { ...init, headers: { Host: PUBLIC_HOST, ...(init.headers ?? {}) }, from: STRANGER });
    const staff = { Authorization: `Bearer ${trusted.keys.admin}` };
    const phone = { auth_key: trusted.keys.device, device_id: 'tunnel-probe', model: 'X', manufacturer: 'Y', os_version: '11' };

    const health = await via('/api/health');
    expect(health.status).toBe(200);
    expect((health.json as { listener: string }).listener).toBe('public');

    const refused: [string, HttpResult][] = [
      ['admin rpc', await via('/api/admin/rpc/verifications.list', { body: {}, headers: staff })],
      ['admin events', await via('/api/admin/events', { headers: staff })],
      ['merchant verify', await via('/api/merchant/verify', { body: { txnid: 'B123456789' }, headers: staff })],
      ['device bind', await via('/api/device/bind', { body: phone })],
      ['device sms', await via('/api/device/sms', { body: { ...phone, messages: [] } })],
      ['forwarder webhook', await via('/api/forwarders/some-device/json', { body: {} })],
      ['counter UI', await via('/')],
      ['counter UI file', await via('/index.html')],
    ];
    for (const [what, r] of refused) {
      expect(r.status, `${what}: ${r.text}`).toBe(404);
      expectErrorShape(r, 404, 'not_found');
    }

    // The same requests are served where they belong: the 404s above are not wrong paths or keys.
    expect((await send(trusted.urls.admin, '/api/admin/rpc/verifications.list', { body: {}, headers: staff })).status).toBe(200);
    expect((await send(trusted.urls.admin, '/')).status).toBe(200);
    expect((await send(trusted.urls.device, '/api/device/bind', { body: phone })).status).toBe(200);
  });

  it('answers the tunnel’s public name only where public.allowedHosts lists it', async () => {
    const health = (base: string, host: string) => send(base, '/api/health', { headers: { Host: host }, from: STRANGER });
    expect((await health(tunnel.trusted, PUBLIC_HOST)).status).toBe(200);
    expectErrorShape(await health(tunnel.trusted, 'evil.example'), 403, 'forbidden_host');
    // Not listed: the name is refused even through a trusted proxy; an IP literal or localhost always passes.
    expectErrorShape(await health(tunnel.bare, PUBLIC_HOST), 403, 'forbidden_host');
    expect((await health(tunnel.bare, '127.0.0.1')).status).toBe(200);
    expect((await health(tunnel.bare, 'localhost')).status).toBe(200);
    // Listing it for the public listener opens no other listener to it.
    expectErrorShape(await health(trusted.urls.admin, PUBLIC_HOST), 403, 'forbidden_host');
  });
});
