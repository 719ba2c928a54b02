import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/logging';
import { errorHandler } from '../../../src-main/core/http/error-handler';
import { clientAddress } from '../../../src-main/core/http/client-address';
import { DEFAULT_RATE_LIMITS, createRateLimiter, rateLimit, type RateLimiter } from '../../../src-main/core/http/rate-limit';

const T0 = 1_790_000_000_000; // a whole second, so window maths reads easily

function fakeClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

interface TestApp {
  url: string;
  calls: () => number;
}

async function start(limiter: RateLimiter, key: (req: Request) => string | null, message = 'Slow down, please.'): Promise<TestApp> {
  let calls = 0;
  const app = express();
  app.use(express.json());
  app.post('/thing', rateLimit({ limiter, key, message }), (_req, res) => {
    calls += 1;
    res.status(201).json({ ok: true, calls });
  });
  app.use(errorHandler(silentLogger()));
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls: () => calls };
}

function post(app: TestApp, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/thing`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ a: 1 }),
  });
}

const byHeader = (req: Request): string | null => req.get('X-Test-Key') ?? null;

describe('createRateLimiter', () => {
  it('allows `limit` hits per window and then refuses, counting remaining down', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock: clock.now });
    const results = [1, 2, 3, 4, 5].map(() => limiter.hit('k'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(results.every((r) => r.limit === 3)).toBe(true);
    expect(results[0]?.retryAfterSeconds).toBe(0);
    expect(results[3]?.retryAfterSeconds).toBe(60);
    expect(results[0]?.resetAtSeconds).toBe((T0 + 60_000) / 1000);
  });

  it('opens a fresh window once the old one ends (fixed window from the first hit)', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ limit: 2, windowMs: 10_000, clock: clock.now });
    limiter.hit('k');
    clock.advance(4_000);
    limiter.hit('k');
    const refused = limiter.hit('k');
    expect(refused.allowed).toBe(false);
    // Window started at T0: 6 s left, reset at T0+10 s.
    expect(refused.retryAfterSeconds).toBe(6);
    expect(refused.resetAtSeconds).toBe((T0 + 10_000) / 1000);
    clock.advance(5_999);
    expect(limiter.hit('k').allowed).toBe(false);
    clock.advance(1);
    const fresh = limiter.hit('k');
    expect(fresh.allowed).toBe(true);
    expect(fresh.remaining).toBe(1);
    expect(fresh.resetAtSeconds).toBe((T0 + 20_000) / 1000);
  });

  it('rounds Retry-After up and never says 0 when refusing', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ limit: 1, windowMs: 1_500, clock: clock.now });
    limiter.hit('k');
    clock.advance(1_400);
    const refused = limiter.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    expect(refused.resetAtSeconds).toBe(Math.ceil((T0 + 1_500) / 1000));
  });

  it('keeps keys apart', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock: fakeClock().now });
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(false);
    expect(limiter.hit('b').allowed).toBe(true);
    limiter.reset('a');
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('evicts expired keys, so memory follows live keys only', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ limit: 5, windowMs: 1_000, clock: clock.now });
    for (let i = 0; i < 1_000; i += 1) limiter.hit(`k${i}`);
    expect(limiter.size()).toBe(1_000);
    clock.advance(500);
    limiter.hit('late');
    expect(limiter.size()).toBe(1_001);
    clock.advance(500);
    expect(limiter.size()).toBe(1); // only "late" is still in its window
    clock.advance(500);
    expect(limiter.size()).toBe(0);
  });

  it('holds at most maxKeys, dropping the oldest first', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock: clock.now, maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) {
      limiter.hit(k);
      clock.advance(1);
    }
    expect(limiter.hit('a').allowed).toBe(false); // still tracked
    limiter.hit('d'); // evicts the oldest: a
    expect(limiter.size()).toBe(3);
    expect(limiter.hit('b').allowed).toBe(false); // b survived
    expect(limiter.hit('a').allowed).toBe(true); // a was forgotten (and now evicts c)
    expect(limiter.size()).toBe(3);
    for (let i = 0; i < 10_000; i += 1) limiter.hit(`flood${i}`);
    expect(limiter.size()).toBe(3);
  });

  it('defaults maxKeys to 100k', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock: fakeClock().now });
    for (let i = 0; i < 100_050; i += 1) limiter.hit(`k${i}`);
    expect(limiter.size()).toBe(100_000);
  });

  it('rejects nonsense settings', () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1000 })).toThrow(/limit/);
    expect(() => createRateLimiter({ limit: 1, windowMs: -1 })).toThrow(/windowMs/);
    expect(() => createRateLimiter({ limit: 1, windowMs: 1000, maxKeys: 0 })).toThrow(/maxKeys/);
  });
});

describe('rateLimit middleware over HTTP', () => {
  it('puts X-RateLimit-* on normal responses', async () => {
    const app = await start(createRateLimiter({ limit: 3, windowMs: 60_000 }), byHeader);
    const before = Math.floor(Date.now() / 1000);
    const first = await post(app, { 'X-Test-Key': 'k' });
    expect(first.status).toBe(201);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset).toBeGreaterThanOrEqual(before + 59);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
    expect(first.headers.get('retry-after')).toBeNull();
    const second = await post(app, { 'X-Test-Key': 'k' });
    expect(second.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(second.headers.get('x-ratelimit-reset')).toBe(String(reset));
  });

  it('answers 429 with Retry-After and the seed body plus the error shape, without running the handler', async () => {
    const clock = fakeClock();
    const app = await start(
      createRateLimiter({ limit: 2, windowMs: 60_000, clock: clock.now }),
      byHeader,
      'API rate limit exceeded. Slow down session creation.',
    );
    await post(app, { 'X-Test-Key': 'k' });
    await post(app, { 'X-Test-Key': 'k' });
    expect(app.calls()).toBe(2);
    clock.advance(23_000);
    const limited = await post(app, { 'X-Test-Key': 'k' });
    expect(limited.status).toBe(429);
    expect(app.calls()).toBe(2);
    expect(limited.headers.get('content-type')).toMatch(/^application\/json/);
    expect(limited.headers.get('retry-after')).toBe('37');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String((T0 + 60_000) / 1000));
    const body = (await limited.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'error', 'merchant_message', 'retry_after_seconds']);
    expect(body.error).toBe('API rate limit exceeded. Slow down session creation.');
    expect(body.retry_after_seconds).toBe(37);
    expect(body.code).toBe('rate_limited');
    expect(typeof body.merchant_message).toBe('string');
    expect(body.merchant_message).toMatch(/2 per minute/);
    expect(JSON.stringify(body)).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
  });

  it('lets a key through again once its window resets', async () => {
    const clock = fakeClock();
    const app = await start(createRateLimiter({ limit: 1, windowMs: 60_000, clock: clock.now }), byHeader);
    expect((await post(app, { 'X-Test-Key': 'k' })).status).toBe(201);
    expect((await post(app, { 'X-Test-Key': 'k' })).status).toBe(429);
    clock.advance(60_000);
    const again = await post(app, { 'X-Test-Key': 'k' });
    expect(again.status).toBe(201);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(app.calls()).toBe(2);
  });

  it('keeps buckets apart per key', async () => {
    const app = await start(createRateLimiter({ limit: 1, windowMs: 60_000 }), byHeader);
    expect((await post(app, { 'X-Test-Key': 'alpha' })).status).toBe(201);
    expect((await post(app, { 'X-Test-Key': 'alpha' })).status).toBe(429);
    expect((await post(app, { 'X-Test-Key': 'beta' })).status).toBe(201);
    expect(app.calls()).toBe(2);
  });

  it('does not limit (or label) a request whose key is null', async () => {
    const app = await start(createRateLimiter({ limit: 1, windowMs: 60_000 }), byHeader);
    for (let i = 0; i < 3; i += 1) {
      const res = await post(app);
      expect(res.status).toBe(201);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
    expect(app.calls()).toBe(3);
  });

  it('by client address: a trusted proxy separates customers, an untrusted socket cannot escape with XFF', async () => {
    let trusted: string[] = ['127.0.0.1'];
    const app = await start(
      createRateLimiter({ limit: 1, windowMs: 60_000 }),
      (req) => `ip:${clientAddress(req, trusted, { cfConnectingIp: true })}`,
    );
    // Behind the tunnel (socket 127.0.0.1 trusted): each customer has a bucket.
    expect((await post(app, { 'CF-Connecting-IP': '203.0.113.1' })).status).toBe(201);
    expect((await post(app, { 'CF-Connecting-IP': '203.0.113.1' })).status).toBe(429);
    expect((await post(app, { 'CF-Connecting-IP': '203.0.113.2' })).status).toBe(201);
    // Nothing trusted: headers are ignored, so rotating forged addresses all land in one bucket.
    trusted = [];
    expect((await post(app, { 'X-Forwarded-For': '198.51.100.1' })).status).toBe(201);
    expect((await post(app, { 'X-Forwarded-For': '198.51.100.2' })).status).toBe(429);
    expect((await post(app, { 'CF-Connecting-IP': '198.51.100.3' })).status).toBe(429);
  });
});

describe('DEFAULT_RATE_LIMITS', () => {
  it('carries the seed contract limits', () => {
    const simplified = Object.fromEntries(
      Object.entries(DEFAULT_RATE_LIMITS).map(([name, r]) => [name, [r.route, r.limit, r.windowMs, r.keyedBy]]),
    );
    expect(simplified).toEqual({
      sessionCreate: ['POST /api/payment/sessions', 60, 60_000, 'api_key'],
      checkoutSubmit: ['POST /api/checkout/:id/submit', 6, 60_000, 'ip+session'],
      merchantLogin: ['POST /api/merchant/login', 8, 900_000, 'ip'],
      merchantVerify: ['POST /api/merchant/verify', 20, 60_000, 'ip'],
      deviceSms: ['POST /api/device/sms', 120, 60_000, 'device_auth_key'],
    });
    for (const rule of Object.values(DEFAULT_RATE_LIMITS)) {
      expect(rule.message.length).toBeGreaterThan(0);
      expect(() => createRateLimiter(rule)).not.toThrow();
    }
    // Plain data: survives a JSON round trip (config files).
    expect(JSON.parse(JSON.stringify(DEFAULT_RATE_LIMITS))).toEqual(DEFAULT_RATE_LIMITS);
  });
});
