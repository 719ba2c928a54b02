import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, compileTrustedProxies, isValidProxyEntry, normaliseIp, parseIp } from '../../../src-main/core/http/client-address';

/** The trusted list the test server uses for the next request. */
let trusted: string[] = [];
/** Whether the test server believes CF-Connecting-IP (http.cfConnectingIp: a cloudflared tunnel). */
let cf = true;

function makeApp(): express.Express {
  const app = express();
  app.set('trust proxy', false);
  app.get('/ip', (req, res) => {
    res.json({ ip: clientAddress(req, trusted, { cfConnectingIp: cf }), socket: req.socket.remoteAddress });
  });
  return app;
}

interface Running {
  server: http.Server;
  url: string;
}

function listen(host: string, connectHost: string): Promise<Running> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(makeApp());
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://${connectHost}:${port}` });
    });
  });
}

function close(r: Running | undefined): Promise<void> {
  if (!r) return Promise.resolve();
  r.server.closeAllConnections();
  return new Promise((resolve) => r.server.close(() => resolve()));
}

let v4: Running;
/** A dual-stack listener: an IPv4 client shows up as ::ffff:127.0.0.1. Undefined without IPv6. */
let dual: Running | undefined;

beforeAll(async () => {
  v4 = await listen('127.0.0.1', '127.0.0.1');
  try {
    dual = await listen('::', '127.0.0.1');
  } catch {
    dual = undefined;
  }
});

afterAll(async () => {
  await close(v4);
  await close(dual);
});

async function ipOf(headers: Record<string, string> = {}, base = v4.url): Promise<{ ip: string; socket: string }> {
  const res = await fetch(`${base}/ip`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as { ip: string; socket: string };
}

describe('clientAddress over HTTP', () => {
  it('is the socket address when no proxy is trusted, whatever the headers say', async () => {
    trusted = [];
    const plain = await ipOf();
    expect(plain.ip).toBe('127.0.0.1');
    const spoofed = await ipOf({ 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '198.51.100.1, 198.51.100.2' });
    expect(spoofed.ip).toBe('127.0.0.1');
  });

  it('ignores forwarding headers from a socket that is not a trusted proxy (loopback is not special)', async () => {
    trusted = ['10.0.0.0/8', '192.168.1.1'];
    const res = await ipOf({ 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '198.51.100.1' });
    expect(res.ip).toBe('127.0.0.1');
  });

  it('ignores CF-Connecting-IP unless the tunnel is cloudflared (http.cfConnectingIp): other proxies pass a forged one through', async () => {
    trusted = ['127.0.0.1'];
    cf = false;
    try {
      // nginx behind a forger: the client's own CF-Connecting-IP arrives untouched; XFF's right end is what nginx saw.
      expect((await ipOf({ 'CF-Connecting-IP': '198.51.100.77', 'X-Forwarded-For': '203.0.113.5' })).ip).toBe('203.0.113.5');
      expect((await ipOf({ 'CF-Connecting-IP': '198.51.100.77' })).ip).toBe('127.0.0.1');
    } finally {
      cf = true;
    }
  });

  it('believes CF-Connecting-IP from a trusted proxy', async () => {
    trusted = ['127.0.0.1'];
    expect((await ipOf({ 'CF-Connecting-IP': '203.0.113.7' })).ip).toBe('203.0.113.7');
    expect((await ipOf({ 'CF-Connecting-IP': '2001:DB8::1' })).ip).toBe('2001:db8::1');
    // CIDR entries work too.
    trusted = ['127.0.0.0/8'];
    expect((await ipOf({ 'CF-Connecting-IP': '203.0.113.8' })).ip).toBe('203.0.113.8');
  });

  it('prefers CF-Connecting-IP over X-Forwarded-For, and falls back to XFF when CF is garbage', async () => {
    trusted = ['127.0.0.1'];
    expect((await ipOf({ 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '198.51.100.9' })).ip).toBe('203.0.113.7');
    expect((await ipOf({ 'CF-Connecting-IP': 'not-an-ip', 'X-Forwarded-For': '198.51.100.9' })).ip).toBe('198.51.100.9');
    expect((await ipOf({ 'CF-Connecting-IP': '999.1.1.1' })).ip).toBe('127.0.0.1');
  });

  it('walks X-Forwarded-For right to left: a forged left-most entry yields the right-most untrusted address', async () => {
    trusted = ['127.0.0.1', '10.0.0.0/8'];
    // The client wrote "1.1.1.1" itself; 198.51.100.23 is what the first trusted proxy saw.
    const res = await ipOf({ 'X-Forwarded-For': '1.1.1.1, 198.51.100.23, 10.1.2.3' });
    expect(res.ip).toBe('198.51.100.23');
    // Untrusted right-most wins even if trusted ones sit further left.
    expect((await ipOf({ 'X-Forwarded-For': '10.9.9.9, 198.51.100.24' })).ip).toBe('198.51.100.24');
  });

  it('takes the left-most entry when every hop is a trusted proxy', async () => {
    trusted = ['127.0.0.1', '10.0.0.0/8'];
    expect((await ipOf({ 'X-Forwarded-For': '10.0.0.5, 10.0.0.6' })).ip).toBe('10.0.0.5');
  });

  it('ignores garbage forwarding headers (falls back to the socket address)', async () => {
    trusted = ['127.0.0.1'];
    for (const xff of ['garbage', '1.2.3', ', ,', '198.51.100.1, <script>', '1.2.3.4 5.6.7.8', '::ffff:zz']) {
      expect((await ipOf({ 'X-Forwarded-For': xff })).ip, xff).toBe('127.0.0.1');
    }
    // A garbage hop between trusted hops stops the walk: nothing left of it can be placed.
    trusted = ['127.0.0.1', '10.0.0.0/8'];
    expect((await ipOf({ 'X-Forwarded-For': '198.51.100.1, junk, 10.0.0.2' })).ip).toBe('127.0.0.1');
  });

  it('accepts ports and brackets that some proxies append', async () => {
    trusted = ['127.0.0.1'];
    expect((await ipOf({ 'X-Forwarded-For': '198.51.100.1:5555' })).ip).toBe('198.51.100.1');
    expect((await ipOf({ 'X-Forwarded-For': '[2001:db8::2]:443' })).ip).toBe('2001:db8::2');
  });

  it('normalises an IPv4-mapped socket address (::ffff:127.0.0.1) before matching', async () => {
    expect(normaliseIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    // A machine without IPv6 cannot open the dual-stack listener; the pure check above still ran.
    if (!dual) return;
    trusted = [];
    const res = await ipOf({}, dual.url);
    expect(res.socket).toBe('::ffff:127.0.0.1');
    expect(res.ip).toBe('127.0.0.1');
    trusted = ['127.0.0.1'];
    expect((await ipOf({ 'CF-Connecting-IP': '203.0.113.50' }, dual.url)).ip).toBe('203.0.113.50');
  });
});

describe('address helpers', () => {
  it('parseIp accepts addresses and rejects garbage', () => {
    expect(parseIp('  203.0.113.1 ')).toBe('203.0.113.1');
    expect(parseIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(parseIp('2001:DB8::A')).toBe('2001:db8::a');
    for (const bad of ['', 'localhost', '256.1.1.1', '1.2.3.4.5', 'fe80::1%eth0', '[::1', '[::1]x', '1.2.3.4:port', undefined, null]) {
      expect(parseIp(bad as string | undefined), String(bad)).toBeNull();
    }
  });

  it('normaliseIp leaves ordinary addresses alone', () => {
    expect(normaliseIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normaliseIp('192.0.2.1')).toBe('192.0.2.1');
    expect(normaliseIp('::1')).toBe('::1');
  });

  it('validates and matches trusted-proxy entries (exact and CIDR, v4 and v6)', () => {
    for (const ok of ['127.0.0.1', '::1', '10.0.0.0/8', '0.0.0.0/0', 'fd00::/8', '2001:db8::/128']) {
      expect(isValidProxyEntry(ok), ok).toBe(true);
    }
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0/8', 'proxy.local', '10.0.0.0/-1', '10.0.0.0/8/8', '']) {
      expect(isValidProxyEntry(bad), bad).toBe(false);
    }
    const m = compileTrustedProxies(['10.0.0.0/8', '::1', 'fd00::/8', '192.0.2.7']);
    expect(m.has('10.255.0.1')).toBe(true);
    expect(m.has('11.0.0.1')).toBe(false);
    expect(m.has('::1')).toBe(true);
    expect(m.has('fd12::5')).toBe(true);
    expect(m.has('fe80::1')).toBe(false);
    expect(m.has('192.0.2.7')).toBe(true);
    expect(m.has('192.0.2.8')).toBe(false);
    expect(m.has('not an ip')).toBe(false);
    expect(compileTrustedProxies([]).has('127.0.0.1')).toBe(false);
  });

  it('refuses an invalid trusted-proxy list loudly', () => {
    expect(() => compileTrustedProxies(['10.0.0.0/99'])).toThrow(/invalid trusted proxy entry/);
  });
});
