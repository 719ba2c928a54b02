import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-cloud/open-database';
import { addShop } from '../../src-cloud/shops';
import type { SyncStatusView } from '../../src-shared/contract/sync';
import { bkashTxnid, startPayCore, type PayCore } from '../core/payments/helpers';
import { cleanEnv, killAllChildren, startServer } from '../support/child-process';
import { closeDatabase as closeCounterDatabase, openDatabase as openCounterDatabase } from '../../src-main/core/db';
import { ensureShop } from '../../src-main/core/shop';
import { httpRequest } from '../support/http-client';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import { BACKENDS, freshTarget, killCloudChildren, spawnCloud, type BackendName, type CloudProcess } from './helpers';
import { freePort } from '../support/free-port';

/**
 * Issue 13, end to end: a real counter core (its sync worker, over real HTTP) and a real cloud
 * process (`npm run cloud`), on PGlite and on a PostgreSQL server. What arrives is compared row by
 * row: the cloud's events are numbered 1..N with no gap and no double, and the cloud's read API
 * answers what the counter answers.
 */

const children = new Set<ChildProcess>();
const cores: PayCore[] = [];
const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.stop()));
  await killCloudChildren(children);
  await killAllChildren();
});
afterAll(async () => {
  await Promise.all(drops.map((d) => d()));
  removeTempDirs();
});

interface Setup {
  target: Awaited<ReturnType<typeof freshTarget>>['target'];
  port: number;
  shop: { shop_id: string; sync_token: string };
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** A cloud database with one shop (made before any cloud process runs), and the flags to serve it on a fixed port. */
async function prepare(
  backend: BackendName,
  names: string[] = ['Shop'],
): Promise<Setup & { shops: { shop_id: string; sync_token: string }[] }> {
  const fresh = await freshTarget(backend);
  drops.push(fresh.drop);
  const opened = await openDatabase(fresh.target, 'cli');
  const shops = [];
  try {
    for (const name of names) shops.push(await addShop(opened.db, name));
  } finally {
    await opened.close();
  }
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    ...(fresh.target.databaseUrl ? ['--database-url', fresh.target.databaseUrl] : ['--data-dir', fresh.target.dataDir]),
  ];
  return { target: fresh.target, port, shop: shops[0] as Setup['shop'], shops, args, env: cleanEnv(makeTempDir('counterpay-cloud-env-')) };
}

async function counter(cloudUrl: string, token: string): Promise<PayCore> {
  const pc = await startPayCore({ config: { sync: { maxBackoffSeconds: 1, timeoutSeconds: 5, heartbeatSeconds: 3600 } } });
  cores.push(pc);
  const res = await pc.rpc('sync.set', { url: cloudUrl, token });
  expect(res.status, res.text).toBe(200);
  return pc;
}

async function status(pc: PayCore): Promise<SyncStatusView> {
  return ((await pc.rpc('sync.status', {})).json as { result: SyncStatusView }).result;
}

/** Waits (real time: the worker backs off at most 1 s here) until the counter has nothing left to send. */
async function synced(pc: PayCore, timeoutMs = 30_000): Promise<SyncStatusView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    pc.core.sync.kick();
    const st = await status(pc);
    if (st.backlog === 0 && st.last_error === null) return st;
    if (Date.now() > end) throw new Error(`not synced: ${JSON.stringify(st)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function paidSession(pc: PayCore, amount: string): Promise<string> {
  const id = await pc.newSession({ amount });
  const txnid = bkashTxnid();
  await pc.bkashCredit({ txnid, amount });
  expect(((await pc.submit(id, { txnid })).json as { status: string }).status).toBe('success');
  return id;
}

/** The cloud's stored events of a shop, in order (the cloud process must be stopped for PGlite). */
async function storedEvents(
  target: Setup['target'],
  shopId: string,
): Promise<{ seq: number; event_id: string; session_id: string | null }[]> {
  const opened = await openDatabase(target, 'cli', 15_000);
  try {
    const rows = await opened.db.query<{ seq: string | number; event_id: string; session_id: string | null }>(
      'SELECT seq, event_id, session_id FROM events WHERE shop_id = $1 ORDER BY stream, seq',
      [shopId],
    );
    return rows.map((r) => ({ seq: Number(r.seq), event_id: r.event_id, session_id: r.session_id }));
  } finally {
    await opened.close();
  }
}

/** The counter's own numbering of what it sent: every sync row's seq and event id. */
function counterEvents(pc: PayCore): { seq: number; event_id: string; session_id: string }[] {
  return pc.sql<{ seq: number; event_id: string; session_id: string }>(
    "SELECT seq, event_id, subject_id AS session_id FROM outbox WHERE channel = 'sync' AND seq IS NOT NULL ORDER BY seq",
  );
}

describe.each(BACKENDS)('counter to cloud on %s', (backend) => {
  it('sessions paid while the cloud is down all arrive once, in order, when it comes up; its read API answers as the counter does', async () => {
    const s = await prepare(backend);
    const pc = await counter(`http://127.0.0.1:${s.port}`, s.shop.sync_token);
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await paidSession(pc, `${100 + i}.00`));
    const cancelled = await pc.newSession({ amount: '9.00' });
    await pc.cancel(cancelled);
    const test = await pc.newSession({ amount: '7.00' }, { key: pc.keys.test });
    pc.core.sync.kick();
    await pc.core.sync.runOnce();
    const down = await status(pc);
    expect(down.last_error).toMatch(/refused the connection|timed out/);
    expect(down.backlog).toBeGreaterThanOrEqual(11);

    const cloud: CloudProcess = await spawnCloud(s.args, s.env, children);
    const up = await synced(pc);
    expect(up.cursor).toBe(counterEvents(pc).length);

    // The read API, for a merchant whose tunnel is down: the counter's bytes, each mode with its own key.
    for (const id of [...ids, cancelled]) {
      const here = await pc.getSession(id);
      const there = await httpRequest(cloud.url, `/api/payment/sessions/${id}`, { headers: { 'X-API-Key': pc.keys.live } });
      expect(there.status, there.text).toBe(200);
      expect(there.text).toBe(here.text);
      expect(there.headers['x-counterpay-synced-at']).toBeTruthy();
    }
    const testThere = await httpRequest(cloud.url, `/api/payment/sessions/${test}`, { headers: { 'X-API-Key': pc.keys.test } });
    expect(testThere.text).toBe((await pc.getSession(test, pc.keys.test)).text);
    expect((await httpRequest(cloud.url, `/api/payment/sessions/${test}`, { headers: { 'X-API-Key': pc.keys.live } })).status).toBe(404);

    await cloud.stop();
    const stored = await storedEvents(s.target, s.shop.shop_id);
    expect(stored).toEqual(counterEvents(pc));
  });

  it('the cloud killed mid-batch: nothing lost, nothing twice', async () => {
    const s = await prepare(backend);
    let cloud = await spawnCloud(s.args, s.env, children);
    const pc = await counter(cloud.url, s.shop.sync_token);
    await synced(pc);
    // Traffic, and the cloud killed with SIGKILL in the middle of it (batches in flight).
    const traffic = (async () => {
      for (let i = 0; i < 40; i += 1) await pc.cancel(await pc.newSession({ amount: '5.00' }));
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cloud.stop('SIGKILL');
    await traffic;
    cloud = await spawnCloud(s.args, s.env, children);
    await synced(pc);
    await cloud.stop();
    const stored = await storedEvents(s.target, s.shop.shop_id);
    expect(stored.length).toBeGreaterThanOrEqual(80);
    expect(stored).toEqual(counterEvents(pc));
  });

  it('the counter killed (kill -9) mid-batch: after its restart nothing is lost or doubled', async () => {
    const s = await prepare(backend);
    const cloud = await spawnCloud(s.args, s.env, children);
    const dir = makeTempDir('counterpay-sync-kill-');
    const env = cleanEnv(dir);
    const db0 = openCounterDatabase(dir);
    const keys = ensureShop(db0, dir).keys;
    closeCounterDatabase(db0);
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ sync: { batchSize: 5, maxBackoffSeconds: 1, heartbeatSeconds: 3600 } }),
    );
    fs.writeFileSync(path.join(dir, 'sync.json'), JSON.stringify({ url: cloud.url, token: s.shop.sync_token }));
    const serveArgs = [
      'serve',
      '--data-dir',
      dir,
      '--public-port',
      '0',
      '--device-port',
      '0',
      '--admin-port',
      '0',
      '--device-host',
      '127.0.0.1',
    ];
    const first = await startServer(serveArgs, env);
    const create = (base: string, i: number) =>
      fetch(`${base}/api/payment/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keys.api_key },
        body: JSON.stringify({ amount: '10.00', order_id: `KILL-SYNC-${i}` }),
      }).then((r) => r.status);
    for (let i = 0; i < 60; i += 1) expect(await create(first.urls.public, i)).toBe(201);
    // Batches of 5 are going out now; kill without a word.
    await first.stop('SIGKILL');
    const second = await startServer(serveArgs, env);
    const admin = (name: string) =>
      fetch(`${second.urls.admin}/api/admin/rpc/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin_token}` },
        body: '{}',
      }).then(async (r) => ((await r.json()) as { result: SyncStatusView }).result);
    const end = Date.now() + 30_000;
    let st = await admin('sync.status');
    while ((st.backlog > 0 || st.last_error !== null) && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      st = await admin('sync.status');
    }
    expect(st.backlog).toBe(0);
    await second.stop();
    await cloud.stop();
    const reader = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
    const numbered = reader
      .prepare("SELECT seq, event_id, subject_id AS session_id FROM outbox WHERE channel = 'sync' AND seq IS NOT NULL ORDER BY seq")
      .all() as { seq: number; event_id: string; session_id: string }[];
    reader.close();
    expect(numbered.length).toBe(60);
    expect(await storedEvents(s.target, s.shop.shop_id)).toEqual(numbered);
  });

  it('two shops syncing at once stay apart', async () => {
    const s = await prepare(backend, ['North', 'South']);
    const cloud = await spawnCloud(s.args, s.env, children);
    const [north, south] = s.shops as [Setup['shop'], Setup['shop']];
    const a = await counter(cloud.url, north.sync_token);
    const b = await counter(cloud.url, south.sync_token);
    const make = async (pc: PayCore, n: number) => {
      const ids = [];
      for (let i = 0; i < n; i += 1) ids.push(await pc.newSession({ amount: '3.00' }));
      return ids;
    };
    const [aIds, bIds] = await Promise.all([make(a, 15), make(b, 15)]);
    await Promise.all([synced(a), synced(b)]);
    // Each shop reads its own sessions with its own key, and not the other's.
    expect((await httpRequest(cloud.url, `/api/payment/sessions/${aIds[0]}`, { headers: { 'X-API-Key': a.keys.live } })).status).toBe(200);
    expect((await httpRequest(cloud.url, `/api/payment/sessions/${aIds[0]}`, { headers: { 'X-API-Key': b.keys.live } })).status).toBe(404);
    expect((await httpRequest(cloud.url, `/api/payment/sessions/${bIds[0]}`, { headers: { 'X-API-Key': a.keys.live } })).status).toBe(404);
    await cloud.stop();
    const storedA = await storedEvents(s.target, north.shop_id);
    const storedB = await storedEvents(s.target, south.shop_id);
    expect(storedA).toEqual(counterEvents(a));
    expect(storedB).toEqual(counterEvents(b));
    expect(storedA.every((e) => aIds.includes(e.session_id as string))).toBe(true);
    expect(storedB.every((e) => bIds.includes(e.session_id as string))).toBe(true);
  });
});
