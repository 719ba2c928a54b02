import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import { APP_VERSION } from '../../../src-shared/version';
import { expectErrorShape, expectNoStackTrace, httpRequest } from '../../support/http-client';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

type Urls = { public: string; device: string; admin: string };
const LISTENERS = ['public', 'device', 'admin'] as const;

let core: Core;
let urls: Urls;
let token: string;

async function startCore(dataDir: string): Promise<{ core: Core; urls: Urls }> {
  const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0 }, {});
  const c = createCore(config, { logger: silentLogger(), rendererDir: null });
  const u = await c.listen();
  // The device listener binds 0.0.0.0; talk to it on loopback.
  return { core: c, urls: { ...u, device: u.device.replace('://0.0.0.0:', '://127.0.0.1:') } };
}

beforeAll(async () => {
  ({ core, urls } = await startCore(makeTempDir()));
  token = core.shop.keys.admin_token;
});

afterAll(async () => {
  await core?.stop();
  removeTempDirs();
});

function rpc(command: string, headers: Record<string, string> = {}, body: unknown = {}) {
  return httpRequest(urls.admin, `/api/admin/rpc/${command}`, { method: 'POST', headers, body });
}

describe('listeners', () => {
  it('bind loopback ports chosen by the OS', () => {
    for (const name of LISTENERS) expect(urls[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(LISTENERS.map((n) => urls[n])).size).toBe(3);
  });

  it.each(LISTENERS)('GET /api/health on %s names the listener', async (name) => {
    const res = await httpRequest(urls[name], '/api/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, listener: name, version: APP_VERSION });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(LISTENERS)('an unknown path on %s is 404 in the error shape', async (name) => {
    const res = await httpRequest(urls[name], '/api/no-such-thing');
    expectErrorShape(res, 404, 'not_found');
    const post = await httpRequest(urls[name], '/nope/deeper?x=1', { method: 'POST', body: { a: 1 } });
    expectErrorShape(post, 404, 'not_found');
  });
});

describe('each listener serves only its own routes', () => {
  it('GET /api/providers lists the 10 wallets on the public listener', async () => {
    const res = await httpRequest(urls.public, '/api/providers');
    expect(res.status).toBe(200);
    const body = res.json as { providers: { id: string; currency: string; variants: string[] }[] };
    expect(body.providers).toHaveLength(10);
    expect(body.providers.map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    for (const p of body.providers) {
      expect(p.currency).toMatch(/^[A-Z]{3}$/);
      expect(p.variants.length).toBeGreaterThan(0);
    }
  });

  it.each(['device', 'admin'] as const)('/api/providers is 404 on the %s listener', async (name) => {
    expectErrorShape(await httpRequest(urls[name], '/api/providers'), 404, 'not_found');
  });

  it.each(['public', 'device'] as const)('the admin API is 404 on the %s listener, even with the token', async (name) => {
    const res = await httpRequest(urls[name], '/api/admin/rpc/status.get', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: {},
    });
    expectErrorShape(res, 404, 'not_found');
    expectErrorShape(await httpRequest(urls[name], '/api/admin/events'), 404, 'not_found');
  });
});

describe('body errors', () => {
  it.each(LISTENERS)('malformed JSON on %s is 400 malformed_json', async (name) => {
    const res = await httpRequest(urls[name], name === 'admin' ? '/api/admin/rpc/status.get' : '/api/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: '{"amount": 5,',
    });
    expectErrorShape(res, 400, 'malformed_json');
  });

  it('a JSON body that is not an object or array is refused (strict)', async () => {
    const res = await rpc('status.get', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, '"text"');
    expectErrorShape(res, 400, 'malformed_json');
  });

  it.each(LISTENERS)('a body over jsonLimitBytes on %s is 413 payload_too_large', async (name) => {
    const limit = core.config.http.jsonLimitBytes;
    const big = JSON.stringify({ filler: 'x'.repeat(limit + 1024) });
    const res = await httpRequest(urls[name], name === 'admin' ? '/api/admin/rpc/status.get' : '/api/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: big,
    });
    expectErrorShape(res, 413, 'payload_too_large');
  });

  it('a chunked body over the limit is 413 too', async () => {
    const limit = core.config.http.jsonLimitBytes;
    const res = await httpRequest(urls.public, '/api/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filler: 'y'.repeat(limit + 1024) }),
      chunked: true,
    });
    expectErrorShape(res, 413, 'payload_too_large');
  });

  it('a body just under the limit is read (the route answers, not the size check)', async () => {
    const limit = core.config.http.jsonLimitBytes;
    const body = JSON.stringify({ filler: 'z'.repeat(limit - 100) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(limit);
    const res = await rpc('status.get', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body);
    expect(res.status).toBe(200);
  });
});

describe('Host header allowlist (DNS rebinding)', () => {
  it.each(LISTENERS)('a foreign Host on %s is 403 forbidden_host', async (name) => {
    for (const host of ['evil.example', 'evil.example:8787', 'localhost.evil.example', '127.0.0.1.evil.example']) {
      const res = await httpRequest(urls[name], '/api/health', { headers: { Host: host } });
      expectErrorShape(res, 403, 'forbidden_host');
    }
  });

  it.each(LISTENERS)('loopback names pass on %s', async (name) => {
    const port = new URL(urls[name]).port;
    for (const host of [`127.0.0.1:${port}`, 'localhost', `localhost:${port}`, `[::1]:${port}`]) {
      const res = await httpRequest(urls[name], '/api/health', { headers: { Host: host } });
      expect(res.status, host).toBe(200);
    }
  });

  it('a request with no Host header is refused', async () => {
    // Node's HTTP parser itself answers an HTTP/1.1 request without Host with a bare 400.
    const res = await httpRequest(urls.public, '/api/health', { noHost: true });
    expect([400, 403]).toContain(res.status);
    expectNoStackTrace(res.text);
  });

  it('the foreign Host check runs before authentication and routing', async () => {
    const res = await httpRequest(urls.admin, '/api/admin/rpc/status.get', {
      method: 'POST',
      headers: { Host: 'evil.example', Authorization: `Bearer ${token}` },
      body: {},
    });
    expectErrorShape(res, 403, 'forbidden_host');
  });
});

describe('admin API', () => {
  it('refuses a request without a token', async () => {
    expectErrorShape(await rpc('status.get'), 401, 'unauthorized');
  });

  it('refuses a wrong token, a non-bearer scheme and another kind of key', async () => {
    expectErrorShape(await rpc('status.get', { Authorization: `Bearer cpa_${'A'.repeat(40)}` }), 401, 'unauthorized');
    expectErrorShape(await rpc('status.get', { Authorization: `Basic ${token}` }), 401, 'unauthorized');
    expectErrorShape(await rpc('status.get', { Authorization: token }), 401, 'unauthorized');
    expectErrorShape(await rpc('status.get', { Authorization: `Bearer ${core.shop.keys.api_key}` }), 401, 'unauthorized');
    expectErrorShape(await rpc('no.such.command'), 401, 'unauthorized');
  });

  it('status.get with the admin token returns the counts', async () => {
    const res = await rpc('status.get', { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const result = (res.json as { result: Record<string, unknown> }).result;
    expect(result.version).toBe(APP_VERSION);
    expect(result.data_dir).toBe(core.config.dataDir);
    expect(result.database_path).toBe(path.join(core.config.dataDir, 'counterpay.sqlite'));
    expect(result.counts).toEqual({ sms: 0, sessions: 0, sessions_pending: 0, transactions: 0, gateways: 0, devices: 0 });
    expect(result.listeners).toEqual({
      public: urls.public,
      device: urls.device.replace('://127.0.0.1:', '://0.0.0.0:'),
      admin: urls.admin,
    });
  });

  it('gateways.list answers with the list', async () => {
    const res = await rpc('gateways.list', { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ result: { gateways: [] } });
  });

  it('an unknown command with the token is 404 in the error shape', async () => {
    expectErrorShape(await rpc('no.such.command', { Authorization: `Bearer ${token}` }), 404, 'not_found');
  });

  it('an argument that is not an object is 400 validation_failed', async () => {
    expectErrorShape(await rpc('status.get', { Authorization: `Bearer ${token}` }, [1, 2]), 400, 'validation_failed');
  });

  it('the event stream refuses a missing token', async () => {
    expectErrorShape(await httpRequest(urls.admin, '/api/admin/events'), 401, 'unauthorized');
    expectErrorShape(await httpRequest(urls.admin, `/api/admin/events?token=cpa_${'B'.repeat(40)}`), 401, 'unauthorized');
  });

  it('the event stream accepts the token as ?token= (EventSource cannot set headers)', async () => {
    const first = await readFirstEvent(`${urls.admin}/api/admin/events?token=${encodeURIComponent(token)}`);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    expect(first.text).toMatch(/^event: status\ndata: \{/);
  });

  it('the event stream accepts the Bearer header', async () => {
    const first = await readFirstEvent(`${urls.admin}/api/admin/events`, { Authorization: `Bearer ${token}` });
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/^event: status\ndata: \{/);
  });

  it('the ?token= form is not accepted on the RPC routes', async () => {
    const res = await httpRequest(urls.admin, `/api/admin/rpc/status.get?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: {},
    });
    expectErrorShape(res, 401, 'unauthorized');
  });

  it('serves a plain notice at / when the UI is not built, with its CSP', async () => {
    const res = await httpRequest(urls.admin, '/');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/CounterPay core is running/);
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  });
});

/** Opens an SSE stream, reads until the first blank line, then aborts. */
async function readFirstEvent(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  try {
    const res = await fetch(url, { headers, signal: controller.signal });
    const contentType = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !res.body) {
      return { status: res.status, contentType, text: await res.text() };
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    return { status: res.status, contentType, text };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('configured listener options', () => {
  let other: Core | undefined;
  let otherUrls: Urls;

  beforeAll(async () => {
    const dir = makeTempDir();
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ public: { allowedHosts: ['Shop.Example.com'] }, http: { jsonLimitBytes: 2048 } }),
    );
    ({ core: other, urls: otherUrls } = await startCore(dir));
  });

  afterAll(async () => {
    await other?.stop();
  });

  it('a name in allowedHosts passes on its own listener only', async () => {
    const ok = await httpRequest(otherUrls.public, '/api/health', { headers: { Host: 'shop.example.com' } });
    expect(ok.status).toBe(200);
    const okPort = await httpRequest(otherUrls.public, '/api/health', { headers: { Host: 'SHOP.example.com:443' } });
    expect(okPort.status).toBe(200);
    expectErrorShape(await httpRequest(otherUrls.admin, '/api/health', { headers: { Host: 'shop.example.com' } }), 403, 'forbidden_host');
    expectErrorShape(await httpRequest(otherUrls.device, '/api/health', { headers: { Host: 'shop.example.com' } }), 403, 'forbidden_host');
  });

  it('the configured jsonLimitBytes is the limit', async () => {
    const res = await httpRequest(otherUrls.public, '/api/anything', {
      method: 'POST',
      body: { filler: 'x'.repeat(3000) },
    });
    expectErrorShape(res, 413, 'payload_too_large');
    const small = await httpRequest(otherUrls.public, '/api/anything', { method: 'POST', body: { filler: 'x' } });
    expectErrorShape(small, 404, 'not_found');
  });
});

describe('shutdown', () => {
  it('stop() closes the listeners and the database, and a second stop() is harmless', async () => {
    const dir = makeTempDir();
    const started = await startCore(dir);
    expect((await httpRequest(started.urls.public, '/api/health')).status).toBe(200);
    await started.core.stop();
    await started.core.stop();
    expect(started.core.db.open).toBe(false);
    await expect(httpRequest(started.urls.public, '/api/health', { timeoutMs: 5_000 })).rejects.toThrow();
    const wal = path.join(dir, 'counterpay.sqlite-wal');
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });
});

describe('odd input is a client error, never a 500', () => {
  it('a path with broken percent-encoding is 404 in the error shape', async () => {
    expectErrorShape(await httpRequest(urls.public, '/api/%E0%A4%A'), 404, 'not_found');
  });

  it('a charset other than UTF-8 is 415 unsupported_media_type', async () => {
    const res = await rpc('status.get', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=latin1' }, '{}');
    expectErrorShape(res, 415, 'unsupported_media_type');
  });

  it('a body that claims gzip but is not gzip is a 4xx in the error shape, not 500 internal', async () => {
    const res = await httpRequest(urls.public, '/api/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: '{"not":"gzip"}',
    });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text).toBeLessThan(500);
    expectErrorShape(res, res.status, 'bad_request');
  });
});
