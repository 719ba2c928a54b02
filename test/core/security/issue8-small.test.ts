import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, createLogger, loadConfig, type Core } from '../../../src-main/core';
import { CONFIG_FILE_NAME } from '../../../src-main/core/config';
import { closeDatabase, DATABASE_FILE_NAME, openDatabase } from '../../../src-main/core/db';
import { DATA_DIR_PRIVATE_FILES } from '../../../src-main/core/files';
import { KEY_FILE_NAME } from '../../../src-main/core/secrets';
import { silentLogger, type LoggerHandle } from '../../../src-main/core/logging';
import { FORWARDER_FILE_NAME, registerForwarder } from '../../../src-main/core/devices';
import { rotateKeys } from '../../../src-main/core/shop';
import { cleanEnv, killAllChildren, runCli } from '../../support/child-process';
import { raw, startSecCore, type RawResult, type SecCore } from './support';

/**
 * Issue 8, the small findings: an event stream outliving its token, device SMS limits that a
 * key guesser never meets, and data files other users can read.
 */

interface SseEvent {
  event: string;
  data: string;
}

interface OpenStream {
  status: number;
  events: SseEvent[];
  /** Resolves when the server ends the stream (or the socket closes). */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Client-side close, for cleanup. */
  destroy(): void;
}

/** A raw SSE client: EventSource semantics are not needed, only what the server writes. */
function openEvents(adminUrl: string, token: string, via: 'query' | 'header'): Promise<OpenStream> {
  const url = new URL(adminUrl);
  const pathName = via === 'query' ? `/api/admin/events?token=${encodeURIComponent(token)}` : '/api/admin/events';
  const headers: Record<string, string> = via === 'header' ? { Authorization: `Bearer ${token}` } : {};
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: pathName, headers, agent: false }, (res) => {
      const events: SseEvent[] = [];
      let buffer = '';
      let ended = false;
      const endedPromise = new Promise<void>((done) => {
        const finish = () => {
          ended = true;
          done();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event !== undefined) events.push({ event, data: data ?? '' });
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended: endedPromise,
        isEnded: () => ended,
        destroy: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

/** Waits for `p`; false if it did not settle within ms. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = p.then(() => true as const);
  const result = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return result;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

/** What the CLI does: its own connection to the data dir's database, no in-process signal. */
function rotateFromAnotherConnection(dataDir: string, kinds: Parameters<typeof rotateKeys>[2]): ReturnType<typeof rotateKeys> {
  const db = openDatabase(dataDir);
  try {
    return rotateKeys(db, dataDir, kinds, 'cli');
  } finally {
    closeDatabase(db);
  }
}

describe('issue 8a: an admin event stream ends when its staff token is rotated', () => {
  let s: SecCore;
  const streams: OpenStream[] = [];
  beforeAll(async () => {
    s = await startSecCore();
  });
  afterEach(() => {
    for (const st of streams.splice(0)) st.destroy();
  });
  afterAll(async () => {
    await killAllChildren();
    await s?.stop();
  });

  async function streamFor(token: string, via: 'query' | 'header'): Promise<OpenStream> {
    const st = await openEvents(s.urls.admin, token, via);
    streams.push(st);
    expect(st.status).toBe(200);
    expect(await until(() => st.events.some((e) => e.event === 'status'), 5_000)).toBe(true);
    return st;
  }

  it('rotating another key leaves the stream open', async () => {
    const st = await streamFor(s.core.shop.keys.admin_token, 'query');
    rotateFromAnotherConnection(s.dir, ['api_key']);
    expect(await within(st.ended, 2_500)).toBe(false);
    const before = st.events.length;
    s.core.bus.emit('verifications', { pending: 41 });
    expect(await until(() => st.events.length > before, 2_000)).toBe(true);
    expect(st.events.at(-1)).toEqual({ event: 'verifications', data: JSON.stringify({ pending: 41 }) });
  });

  it('rotation by another connection closes streams opened with the old token (query and header), and sends nothing more', async () => {
    const old = await currentToken(s);
    const byQuery = await streamFor(old, 'query');
    const byHeader = await streamFor(old, 'header');
    const rotated = rotateFromAnotherConnection(s.dir, ['admin_token']);
    // An event right after the rotation, before any timer could notice: it must not go out.
    s.core.bus.emit('verifications', { pending: 99 });
    expect(await within(byQuery.ended, 5_000), 'stream opened with ?token= still open').toBe(true);
    expect(await within(byHeader.ended, 5_000), 'stream opened with Bearer still open').toBe(true);
    for (const st of [byQuery, byHeader]) {
      expect(st.events.some((e) => e.data.includes('"pending":99'))).toBe(false);
    }

    // New requests with the old token were already refused; with the new one all works.
    const oldEvents = await raw(s.urls.admin, `/api/admin/events?token=${old}`);
    expect(oldEvents.status).toBe(401);
    expect(oldEvents.json?.code).toBe('unauthorized');
    const oldRpc = await raw(s.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers: { Authorization: `Bearer ${old}` } });
    expect(oldRpc.status).toBe(401);
    const fresh = await streamFor(rotated.keys.admin_token, 'query');
    expect(fresh.isEnded()).toBe(false);
  });

  it('`counterpay keys rotate admin_token` from a separate CLI process closes the open stream', async () => {
    const old = await currentToken(s);
    const st = await streamFor(old, 'header');
    const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-sec-cli-'));
    try {
      const result = await runCli(['keys', 'rotate', 'admin_token', '--data-dir', s.dir, '--json'], cleanEnv(sandbox));
      expect(result.code, result.stderr).toBe(0);
      const printed = JSON.parse(result.stdout) as Record<string, string>;
      expect(printed.admin_token).not.toBe(old);
      expect(await within(st.ended, 5_000), 'the stream outlived the CLI rotation').toBe(true);
      expect((await raw(s.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers: { Authorization: `Bearer ${old}` } })).status).toBe(
        401,
      );
      expect(
        (await raw(s.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers: { Authorization: `Bearer ${printed.admin_token}` } }))
          .status,
      ).toBe(200);
    } finally {
      fs.rmSync(sandbox, { recursive: true, force: true });
    }
  });
});

/** The admin token now in keys.json (earlier tests rotate it). */
async function currentToken(s: SecCore): Promise<string> {
  const ring = JSON.parse(fs.readFileSync(path.join(s.dir, 'keys.json'), 'utf8')) as Record<string, string>;
  return ring.admin_token as string;
}

describe('issue 8b: /api/device/sms limits key guessers by client address', () => {
  const LIMIT = 5;
  let s: SecCore;
  let proxied: SecCore;
  beforeAll(async () => {
    s = await startSecCore({ config: { rateLimits: { deviceSms: { limit: LIMIT, windowMs: 60_000 } } } });
    proxied = await startSecCore({
      config: { rateLimits: { deviceSms: { limit: LIMIT, windowMs: 60_000 } }, http: { trustedProxies: ['127.0.0.1', '::1'] } },
    });
  });
  afterAll(async () => {
    await s?.stop();
    await proxied?.stop();
  });

  const guess = (n: number) => `PV-GUESS${String(n).padStart(12, '0')}`;
  const upload = (target: SecCore, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    raw(target.urls.device, '/api/device/sms', {
      body: { device_id: 'phone-1', messages: [{ sender: 'bKash', body: 'hello' }], ...body },
      headers,
    });

  function expectLimited(r: RawResult, label: string): void {
    expect(r.status, `${label}: ${r.text}`).toBe(429);
    expect(Object.keys(r.json ?? {}).sort(), label).toEqual(['code', 'error', 'merchant_message', 'retry_after_seconds']);
    expect(r.json?.code).toBe('rate_limited');
    const retryAfter = Number(r.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, label).toBe(true);
    expect(r.json?.retry_after_seconds).toBe(retryAfter);
    expect(r.headers['x-ratelimit-limit']).toBe(String(LIMIT));
  }

  it('a client guessing a different key each time is refused with 429 after the limit, while the real device keeps its own bucket', async () => {
    const bind = await raw(s.urls.device, '/api/device/bind', {
      body: { auth_key: s.core.shop.keys.device_auth_key, device_id: 'phone-1' },
    });
    expect(bind.status).toBe(200);
    for (let i = 0; i < LIMIT; i += 1) {
      const r = await upload(s, { auth_key: guess(i) });
      expect(r.status, `guess ${i + 1}`).toBe(401);
    }
    expectLimited(await upload(s, { auth_key: guess(LIMIT) }), 'guess past the limit');
    // Still limited with no key, a non-string key, or a forged forwarding header (127.0.0.1 is not a trusted proxy here).
    expectLimited(await upload(s, {}), 'no key');
    expectLimited(await upload(s, { auth_key: 12345678901 }), 'number key');
    expectLimited(
      await upload(s, { auth_key: guess(99) }, { 'X-Forwarded-For': '203.0.113.9', 'CF-Connecting-IP': '203.0.113.9' }),
      'forged XFF',
    );
    // Even the right key from the guesser's address is not limited by the guesses: valid keys are limited per device.
    const real = await upload(s, { auth_key: s.core.shop.keys.device_auth_key });
    expect(real.status, real.text).toBe(200);
    expect(real.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
  });

  it('behind a trusted proxy, guessers are told apart by their forwarded address', async () => {
    const a = { 'X-Forwarded-For': '198.51.100.1' };
    const b = { 'X-Forwarded-For': '198.51.100.2' };
    for (let i = 0; i < LIMIT; i += 1) expect((await upload(proxied, { auth_key: guess(i) }, a)).status).toBe(401);
    expectLimited(await upload(proxied, { auth_key: guess(LIMIT) }, a), 'client a past the limit');
    expect((await upload(proxied, { auth_key: guess(0) }, b)).status).toBe(401);
  });
});

describe('issue 8c: data dir, database, logs and key files are private to the user', () => {
  const posix = process.platform !== 'win32';
  let previousUmask: number;
  let root: string;
  beforeAll(() => {
    // The usual desktop umask: without explicit modes, files come out 0644 and dirs 0755.
    previousUmask = process.umask(0o022);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-modes-'));
  });
  afterAll(() => {
    process.umask(previousUmask);
    fs.rmSync(root, { recursive: true, force: true });
  });

  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('the list of files tightened at start names the files their owners write', () => {
    const names: readonly string[] = DATA_DIR_PRIVATE_FILES;
    for (const name of [
      DATABASE_FILE_NAME,
      `${DATABASE_FILE_NAME}-wal`,
      `${DATABASE_FILE_NAME}-shm`,
      KEY_FILE_NAME,
      FORWARDER_FILE_NAME,
      CONFIG_FILE_NAME,
    ]) {
      expect(names).toContain(name);
    }
  });

  async function startStop(dataDir: string, body: (core: Core, logs: LoggerHandle) => Promise<void> | void = () => {}): Promise<void> {
    const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1' }, {});
    const logs = createLogger({ dataDir, level: 'info', fileMaxBytes: 1024 * 1024, fileCount: 2, console: 'none' });
    const core = createCore(config, { logger: logs.logger, rendererDir: null });
    try {
      await core.listen();
      logs.logger.info('a line, so the log file exists');
      await body(core, logs);
    } finally {
      await core.stop();
      await logs.close();
    }
  }

  function expectPrivate(dataDir: string, label: string): void {
    expect(mode(dataDir), `${label}: data dir`).toBe(0o700);
    expect(mode(path.join(dataDir, 'logs')), `${label}: logs dir`).toBe(0o700);
    for (const name of ['counterpay.sqlite', 'keys.json', path.join('logs', 'counterpay.log')]) {
      expect(mode(path.join(dataDir, name)), `${label}: ${name}`).toBe(0o600);
    }
    for (const name of ['counterpay.sqlite-wal', 'counterpay.sqlite-shm', 'forwarders.json', 'config.json']) {
      const file = path.join(dataDir, name);
      if (fs.existsSync(file)) expect(mode(file), `${label}: ${name}`).toBe(0o600);
    }
  }

  it.runIf(posix)('a new data dir is created 0700 with its database (+ -wal, -shm), keys.json, logs and forwarders.json 0600', async () => {
    const dataDir = path.join(root, 'fresh', 'CounterPay');
    let walSeen = false;
    await startStop(dataDir, async (core) => {
      // While running, WAL mode keeps -wal and -shm next to the database.
      const wal = path.join(dataDir, 'counterpay.sqlite-wal');
      const shm = path.join(dataDir, 'counterpay.sqlite-shm');
      walSeen = fs.existsSync(wal) && fs.existsSync(shm);
      expect(mode(wal)).toBe(0o600);
      expect(mode(shm)).toBe(0o600);
      registerForwarder(core.db, dataDir, { kind: 'capcom6', label: 'SMS gateway' }, 'test');
      expect(mode(path.join(dataDir, 'forwarders.json'))).toBe(0o600);
      expectPrivate(dataDir, 'running');
    });
    expect(walSeen).toBe(true);
    expectPrivate(dataDir, 'stopped');
  });

  it.runIf(posix)('an existing data dir with loose modes (0755 dir, 0644 files) is tightened at start', async () => {
    const dataDir = path.join(root, 'loose');
    await startStop(dataDir);
    fs.writeFileSync(path.join(dataDir, 'config.json'), '{}\n');
    fs.writeFileSync(path.join(dataDir, 'forwarders.json'), '{"forwarders":{}}\n');
    for (const name of ['counterpay.sqlite', 'keys.json', 'config.json', 'forwarders.json', path.join('logs', 'counterpay.log')]) {
      fs.chmodSync(path.join(dataDir, name), 0o644);
    }
    fs.chmodSync(path.join(dataDir, 'logs'), 0o755);
    fs.chmodSync(dataDir, 0o755);

    // The database alone (the CLI path) tightens the data dir and the database.
    const db = openDatabase(dataDir);
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(path.join(dataDir, 'counterpay.sqlite'))).toBe(0o600);
      expect(mode(path.join(dataDir, 'keys.json'))).toBe(0o600);
    } finally {
      closeDatabase(db);
    }
    fs.chmodSync(path.join(dataDir, 'counterpay.sqlite'), 0o644);
    fs.chmodSync(path.join(dataDir, 'keys.json'), 0o644);
    fs.chmodSync(dataDir, 0o755);

    await startStop(dataDir, () => expectPrivate(dataDir, 'restarted'));
    expectPrivate(dataDir, 'restarted, stopped');
  });

  it.runIf(posix)('a rotated log file stays 0600', async () => {
    const dataDir = path.join(root, 'rotate');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const logs = createLogger({ dataDir, level: 'info', fileMaxBytes: 64 * 1024, fileCount: 3, console: 'none' });
    for (let i = 0; i < 2_000; i += 1) logs.logger.info({ i, pad: 'x'.repeat(100) }, 'filler');
    await logs.close();
    const files = fs.readdirSync(path.join(dataDir, 'logs'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(mode(path.join(dataDir, 'logs', f)), f).toBe(0o600);
  });

  it.runIf(posix)('createCore alone (no file logger) creates the data dir 0700', async () => {
    const dataDir = path.join(root, 'silent');
    const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0 }, {});
    const core = createCore(config, { logger: silentLogger(), rendererDir: null });
    await core.stop();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'counterpay.sqlite'))).toBe(0o600);
  });
});
