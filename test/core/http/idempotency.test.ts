import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { claimIdempotencyKey, countIdempotencyKeys, findIdempotencyRow } from '../../../src-main/core/db/repos/idempotency-repo';
import { AppError } from '../../../src-main/core/errors';
import { errorHandler } from '../../../src-main/core/http/error-handler';
import {
  canonicalJson,
  idempotency,
  idempotencyKeyHash,
  isValidIdempotencyKey,
  purgeExpired,
  requestFingerprint,
  type IdempotencyOptions,
} from '../../../src-main/core/http/idempotency';
import { silentLogger } from '../../../src-main/core/logging';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

const DAY = 24 * 60 * 60 * 1000;
const T0 = 1_790_000_000_000;

const servers: http.Server[] = [];
const dbs: Db[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  for (const db of dbs.splice(0)) closeDatabase(db);
  removeTempDirs();
});

function openDb(dir = makeTempDir()): Db {
  const db = openDatabase(dir);
  dbs.push(db);
  return db;
}

interface TestApp {
  url: string;
  db: Db;
  calls: Record<string, number>;
  /** Resolves the pending /gated handler. */
  release: () => void;
  /** Resolves once /gated's handler has started. */
  gateEntered: Promise<void>;
}

/**
 * A merchant-API-like app: express.json, a fake auth that puts the scope in res.locals,
 * the idempotency middleware, a few handlers that count their calls, the real error handler.
 */
async function start(db: Db, options: Partial<IdempotencyOptions> = {}): Promise<TestApp> {
  const calls: Record<string, number> = {};
  const count = (name: string): number => (calls[name] = (calls[name] ?? 0) + 1);
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const gateEntered = new Promise<void>((resolve) => (entered = resolve));

  const app = express();
  app.use(express.json());
  app.use((req, res, next) => {
    const apiKey = req.get('X-API-Key');
    if (apiKey) res.locals.credentialId = `cred:${apiKey}`;
    next();
  });
  app.use(
    idempotency({
      db,
      scope: (_req, res) => (typeof res.locals.credentialId === 'string' ? res.locals.credentialId : null),
      ...options,
    }),
  );
  app.post(['/pay', '/other'], (req, res) => {
    const n = count('pay');
    res.status(201).json({ n, id: `sess_${Math.random().toString(36).slice(2)}`, echo: req.body });
  });
  app.post('/slow', async (req, res) => {
    const n = count('slow');
    await new Promise((r) => setTimeout(r, 300));
    res.status(201).json({ n, at: Date.now(), random: Math.random() });
  });
  app.post('/gated', async (_req, res) => {
    const n = count('gated');
    entered();
    await gate;
    res.status(201).json({ n, random: Math.random() });
  });
  app.post('/flaky', (_req, res) => {
    const n = count('flaky');
    if (n === 1) res.status(503).json({ error: 'down', n });
    else res.status(201).json({ ok: true, n });
  });
  app.post('/throws', () => {
    count('throws');
    throw new Error('kaboom');
  });
  app.post('/invalid', () => {
    const n = count('invalid');
    throw new AppError('validation_failed', `amount is missing (call ${n})`);
  });
  app.post('/text', (_req, res) => {
    const n = count('text');
    res.status(200).type('text/plain').send(`plain ${n}`);
  });
  app.get('/pay', (_req, res) => {
    res.json({ n: count('get') });
  });
  app.use(errorHandler(silentLogger()));

  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, db, calls, release, gateEntered };
}

interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown>;
  replayed: string | null;
  contentType: string | null;
}

async function send(
  app: TestApp,
  path: string,
  {
    key,
    body = { amount: 500, order_id: 'ORD-1' },
    apiKey = 'pk_test_1',
    method = 'POST',
    raw,
  }: {
    key?: string;
    body?: unknown;
    apiKey?: string | null;
    method?: string;
    raw?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key !== undefined) headers['X-Idempotency-Key'] = key;
  if (apiKey !== null) headers['X-API-Key'] = apiKey;
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : (raw ?? JSON.stringify(body)),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return {
    status: res.status,
    text,
    json,
    replayed: res.headers.get('idempotent-replayed'),
    contentType: res.headers.get('content-type'),
  };
}

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(Object.keys(answer.json).sort()).toEqual(['code', 'error', 'merchant_message']);
  expect(answer.json.code).toBe(code);
  expect(answer.text).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
}

describe('idempotency middleware', () => {
  it('passes requests without the header straight through', async () => {
    const app = await start(openDb());
    const a = await send(app, '/pay');
    const b = await send(app, '/pay');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.json.n, b.json.n]).toEqual([1, 2]);
    expect(a.replayed).toBeNull();
    expect(countIdempotencyKeys(app.db)).toBe(0);
  });

  it('replays the first response exactly and runs the handler once', async () => {
    const app = await start(openDb());
    const first = await send(app, '/pay', { key: 'order-1-attempt' });
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    const second = await send(app, '/pay', { key: 'order-1-attempt' });
    const third = await send(app, '/pay', { key: 'order-1-attempt' });
    for (const again of [second, third]) {
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text); // same random session id: not re-run
      expect(again.replayed).toBe('true');
      expect(again.contentType).toMatch(/^application\/json/);
    }
    expect(app.calls.pay).toBe(1);
    const row = findIdempotencyRow(app.db, idempotencyKeyHash('cred:pk_test_1', 'POST', '/pay', 'order-1-attempt'));
    expect(row?.state).toBe('done');
    expect(row?.response_status).toBe(201);
  });

  it('treats the body as canonical JSON: key order and spacing do not matter', async () => {
    const app = await start(openDb());
    const first = await send(app, '/pay', { key: 'k1', raw: '{"amount":500,"meta":{"x":1,"y":[1,2]}}' });
    const again = await send(app, '/pay', { key: 'k1', raw: '{ "meta": {"y":[1,2], "x":1}, "amount": 500 }' });
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect(app.calls.pay).toBe(1);
  });

  it('refuses the same key with a different body: 409 idempotency_key_reused, handler not run', async () => {
    const app = await start(openDb());
    await send(app, '/pay', { key: 'k2', body: { amount: 500 } });
    const reused = await send(app, '/pay', { key: 'k2', body: { amount: 900 } });
    expectError(reused, 409, 'idempotency_key_reused');
    // Array order is meaningful.
    await send(app, '/pay', { key: 'k3', body: { items: [1, 2] } });
    expectError(await send(app, '/pay', { key: 'k3', body: { items: [2, 1] } }), 409, 'idempotency_key_reused');
    expect(app.calls.pay).toBe(2);
  });

  it('scopes keys by requesting party, URL and method', async () => {
    const app = await start(openDb());
    const a = await send(app, '/pay', { key: 'shared', apiKey: 'pk_a' });
    const b = await send(app, '/pay', { key: 'shared', apiKey: 'pk_b', body: { other: true } });
    const c = await send(app, '/other', { key: 'shared', apiKey: 'pk_a' });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect([a.replayed, b.replayed, c.replayed]).toEqual([null, null, null]);
    expect(app.calls.pay).toBe(3);
    // Only POST is covered: GET ignores the header.
    const g1 = await send(app, '/pay', { key: 'shared', method: 'GET' });
    const g2 = await send(app, '/pay', { key: 'shared', method: 'GET' });
    expect([g1.json.n, g2.json.n]).toEqual([1, 2]);
  });

  it('skips idempotency when the scope is null (unauthenticated)', async () => {
    const app = await start(openDb());
    const a = await send(app, '/pay', { key: 'k', apiKey: null });
    const b = await send(app, '/pay', { key: 'k', apiKey: null });
    expect([a.json.n, b.json.n]).toEqual([1, 2]);
    expect(b.replayed).toBeNull();
  });

  it('rejects an invalid key with 400 idempotency_key_invalid, handler not run', async () => {
    const app = await start(openDb());
    for (const bad of ['', 'x'.repeat(256), 'tab\there', 'caf\u00e9']) {
      expectError(await send(app, '/pay', { key: bad }), 400, 'idempotency_key_invalid');
    }
    expect(app.calls.pay).toBeUndefined();
    // 255 printable characters is fine.
    const ok = await send(app, '/pay', { key: 'x'.repeat(255) });
    expect(ok.status).toBe(201);
    expect(isValidIdempotencyKey('26e50ccb-b3f0-4dde-8061-2353585e872d')).toBe(true);
    expect(isValidIdempotencyKey('a\u0000b')).toBe(false);
  });

  it('two requests fired together with the same key: the handler runs once and both get its answer', async () => {
    const app = await start(openDb());
    const [a, b] = await Promise.all([send(app, '/slow', { key: 'dup' }), send(app, '/slow', { key: 'dup' })]);
    expect(app.calls.slow).toBe(1);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.text).toBe(b.text);
    expect([a.replayed, b.replayed].sort()).toEqual([null, 'true'].sort());
  });

  it('many concurrent duplicates still run the handler once', async () => {
    const app = await start(openDb());
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(app, '/slow', { key: 'burst' })));
    expect(app.calls.slow).toBe(1);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
  });

  it('a retransmission that outwaits waitMs gets 409 conflict; the first still completes and is replayed later', async () => {
    const app = await start(openDb(), { waitMs: 50 });
    const first = send(app, '/gated', { key: 'held' });
    await app.gateEntered;
    const impatient = await send(app, '/gated', { key: 'held' });
    expectError(impatient, 409, 'conflict');
    expect(impatient.json.merchant_message).toMatch(/still being processed/);
    // A different body while in flight is still a reuse error, not a wait.
    expectError(await send(app, '/gated', { key: 'held', body: { other: 1 } }), 409, 'idempotency_key_reused');
    app.release();
    const done = await first;
    expect(done.status).toBe(201);
    const later = await send(app, '/gated', { key: 'held' });
    expect(later.replayed).toBe('true');
    expect(later.text).toBe(done.text);
    expect(app.calls.gated).toBe(1);
  });

  it('does not keep a 5xx answer: a retry runs the handler again, and its success is kept', async () => {
    const app = await start(openDb());
    const failed = await send(app, '/flaky', { key: 'retry-me' });
    expect(failed.status).toBe(503);
    expect(countIdempotencyKeys(app.db)).toBe(0);
    const retried = await send(app, '/flaky', { key: 'retry-me' });
    expect(retried.status).toBe(201);
    expect(retried.replayed).toBeNull();
    const replay = await send(app, '/flaky', { key: 'retry-me' });
    expect(replay.replayed).toBe('true');
    expect(replay.text).toBe(retried.text);
    expect(app.calls.flaky).toBe(2);
  });

  it('does not keep an unexpected exception (500 from the error handler)', async () => {
    const app = await start(openDb());
    expectError(await send(app, '/throws', { key: 'boom' }), 500, 'internal');
    expectError(await send(app, '/throws', { key: 'boom' }), 500, 'internal');
    expect(app.calls.throws).toBe(2);
    expect(countIdempotencyKeys(app.db)).toBe(0);
  });

  it('keeps and replays a 4xx answer from the handler', async () => {
    const app = await start(openDb());
    const first = await send(app, '/invalid', { key: 'bad-order' });
    expectError(first, 400, 'validation_failed');
    const again = await send(app, '/invalid', { key: 'bad-order' });
    expect(again.status).toBe(400);
    expect(again.text).toBe(first.text);
    expect(again.replayed).toBe('true');
    expect(app.calls.invalid).toBe(1);
  });

  it('does not keep a non-JSON answer (it cannot be replayed faithfully)', async () => {
    const app = await start(openDb());
    const a = await send(app, '/text', { key: 't' });
    const b = await send(app, '/text', { key: 't' });
    expect([a.text, b.text]).toEqual(['plain 1', 'plain 2']);
    expect(countIdempotencyKeys(app.db)).toBe(0);
  });

  it('answers an absurdly nested body with 400, not a crash', async () => {
    const app = await start(openDb());
    const deep = '['.repeat(300) + ']'.repeat(300);
    expectError(await send(app, '/pay', { key: 'deep', raw: deep }), 400, 'bad_request');
    expect(app.calls.pay).toBeUndefined();
  });

  it('survives a restart: the answer is replayed from the database file', async () => {
    const dir = makeTempDir();
    const db1 = openDatabase(dir);
    const app1 = await start(db1);
    const first = await send(app1, '/pay', { key: 'durable' });
    closeDatabase(db1);
    const app2 = await start(openDb(dir));
    const again = await send(app2, '/pay', { key: 'durable' });
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect(app2.calls.pay).toBeUndefined();
  });

  it('takes over a claim left in flight by a process that died', async () => {
    const db = openDb();
    const fingerprint = requestFingerprint({ amount: 500, order_id: 'ORD-1' });
    const keyHash = idempotencyKeyHash('cred:pk_test_1', 'POST', '/pay', 'orphan');
    claimIdempotencyKey(db, { keyHash, fingerprint, now: Date.now() - 1000, expiresAt: Date.now() + DAY });
    const app = await start(db, { waitMs: 5_000 });
    const answer = await send(app, '/pay', { key: 'orphan' });
    expect(answer.status).toBe(201);
    expect(answer.replayed).toBeNull();
    expect(app.calls.pay).toBe(1);
    expect(findIdempotencyRow(db, keyHash)?.state).toBe('done');
  });
});

describe('retention', () => {
  it('keeps keys 24 h, then purgeExpired removes them and the key runs fresh', async () => {
    let now = T0;
    const app = await start(openDb(), { clock: () => now });
    const first = await send(app, '/pay', { key: 'day-old' });
    now = T0 + DAY - 1;
    expect(purgeExpired(app.db, now)).toBe(0);
    const stillReplayed = await send(app, '/pay', { key: 'day-old' });
    expect(stillReplayed.text).toBe(first.text);
    now = T0 + DAY;
    expect(purgeExpired(app.db, now)).toBe(1);
    expect(countIdempotencyKeys(app.db)).toBe(0);
    const fresh = await send(app, '/pay', { key: 'day-old', body: { amount: 1 } });
    expect(fresh.status).toBe(201);
    expect(fresh.replayed).toBeNull();
    expect(app.calls.pay).toBe(2);
  });

  it('treats an expired row as gone even before the purge runs', async () => {
    let now = T0;
    const app = await start(openDb(), { clock: () => now });
    await send(app, '/pay', { key: 'stale' });
    now = T0 + DAY + 1;
    const fresh = await send(app, '/pay', { key: 'stale', body: { different: true } });
    expect(fresh.status).toBe(201);
    expect(fresh.replayed).toBeNull();
    expect(app.calls.pay).toBe(2);
  });

  it('purges only expired rows and honours a longer ttl', async () => {
    let now = T0;
    const app = await start(openDb(), { clock: () => now, ttlMs: 2 * DAY });
    await send(app, '/pay', { key: 'a' });
    now = T0 + DAY;
    await send(app, '/pay', { key: 'b' });
    expect(purgeExpired(app.db, T0 + 2 * DAY)).toBe(1);
    expect(countIdempotencyKeys(app.db)).toBe(1);
    expect(purgeExpired(app.db, T0 + 3 * DAY)).toBe(1);
    expect(countIdempotencyKeys(app.db)).toBe(0);
  });

  it('refuses a ttl shorter than 24 h', () => {
    const db = openDb();
    expect(() => idempotency({ db, scope: () => 'x', ttlMs: DAY - 1 })).toThrow(/24 hours/);
  });
});

describe('schema and helpers', () => {
  it('migration 0020 creates a STRICT table that refuses 5xx answers and short retention', () => {
    const db = openDb();
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'idempotency_keys'").get() as { sql: string }).sql;
    expect(sql).toMatch(/\)\s*STRICT\s*$/);
    const insert = db.prepare(
      `INSERT INTO idempotency_keys (key_hash, fingerprint, state, response_status, response_body, created_at, completed_at, expires_at)
       VALUES (?, ?, 'done', ?, '{}', ?, ?, ?)`,
    );
    const h = (c: string): string => c.repeat(64);
    expect(() => insert.run(h('a'), h('b'), 500, T0, T0, T0 + DAY)).toThrow(/CHECK/);
    expect(() => insert.run(h('c'), h('b'), 200, T0, T0, T0 + DAY - 1)).toThrow(/CHECK/);
    expect(() => insert.run(h('d'), h('b'), 'two hundred', T0, T0, T0 + DAY)).toThrow(/cannot store TEXT/); // STRICT
    insert.run(h('e'), h('b'), 200, T0, T0, T0 + DAY);
    expect(countIdempotencyKeys(db)).toBe(1);
  });

  it('canonicalJson sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(requestFingerprint({ a: 1, b: 2 })).toBe(requestFingerprint({ b: 2, a: 1 }));
    expect(requestFingerprint([1, 2])).not.toBe(requestFingerprint([2, 1]));
    expect(requestFingerprint(undefined)).toBe(requestFingerprint(null));
    expect(requestFingerprint({ a: '1' })).not.toBe(requestFingerprint({ a: 1 }));
  });

  it('key hashes separate their parts unambiguously', () => {
    expect(idempotencyKeyHash('ab', 'POST', '/c', 'k')).not.toBe(idempotencyKeyHash('a', 'POST', 'b/c', 'k'));
    expect(idempotencyKeyHash('s', 'post', '/p', 'k')).toBe(idempotencyKeyHash('s', 'POST', '/p', 'k'));
    expect(idempotencyKeyHash('s', 'POST', '/p', 'k')).toMatch(/^[0-9a-f]{64}$/);
  });
});
