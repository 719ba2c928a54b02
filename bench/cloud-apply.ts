/**
 * Cloud sync (issue 13): events applied per second into PostgreSQL by a cloud process
 * (`src-cloud/main.ts`), over real HTTP on 127.0.0.1:
 *  - one shop: one client posting batches of 200 events one after another (a counter catching up);
 *  - 20 shops at once: 20 clients, each its own shop, each posting batches of 200.
 * Every event carries a SessionView, so each is stored raw and its session upserted, as in use.
 * The database is a real PostgreSQL server when one answers (COUNTERPAY_TEST_DATABASE_URL, else
 * the tests' default), in a fresh database dropped afterwards; otherwise the embedded PGlite,
 * and the output says which.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import type { SyncBatchRequest, SyncBatchResponse, SyncEvent } from '../src-shared/contract/sync';
import { openDatabase, type DatabaseTarget } from '../src-cloud/open-database';
import { addShop } from '../src-cloud/shops';
import { emit, ROOT, round, stats } from './_util';

const BATCH = 200;
const ONE_SHOP_EVENTS = 20_000;
const SHOPS = 20;
const PER_SHOP_EVENTS = 2_000;
const DEFAULT_URL = 'postgres://counterpay:counterpay@127.0.0.1:5432/counterpay_test';

/** A fresh database on the server, or null (and why) when none answers. */
async function postgresTarget(): Promise<{ url: string; drop(): Promise<void> } | { why: string }> {
  const base = process.env.COUNTERPAY_TEST_DATABASE_URL || DEFAULT_URL;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    return { why: (err as Error).message };
  }
  const name = `cp_bench_${crypto.randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function session(i: number, shop: number) {
  return {
    id: `s${shop}_${i % 500}_${crypto.randomBytes(4).toString('hex')}`,
    order_id: `ORD-${shop}-${i % 500}`,
    amount: '500.00',
    currency: 'BDT',
    status: i % 3 === 0 ? 'success' : 'pending',
    expires_at: '2030-01-01T00:30:00.000Z',
    created_at: new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString(),
    successful_transaction: null,
    latest_transaction: null,
    test: i % 10 === 0,
  };
}

/** The request bodies a shop sends, built before the clock starts. */
function bodies(shop: number, total: number): string[] {
  const out: string[] = [];
  const keys = { live: [crypto.createHash('sha256').update(`pk_live_${shop}`).digest('hex')], test: [] };
  for (let from = 1; from <= total; from += BATCH) {
    const events: SyncEvent[] = [];
    for (let seq = from; seq < from + BATCH && seq <= total; seq++) {
      events.push({
        id: `sev_${crypto.randomBytes(12).toString('hex')}`,
        seq,
        type: 'session.updated',
        created_at: new Date().toISOString(),
        session: session(seq, shop) as SyncEvent['session'],
        data: null,
      });
    }
    const body: SyncBatchRequest = { stream: `bench-${shop}`, app_version: 'bench', keys, events };
    out.push(JSON.stringify(body));
  }
  return out;
}

/** Posts one shop's batches in order; returns each batch's latency (ms) and the events applied. */
async function sendAll(url: string, token: string, batches: readonly string[]): Promise<{ ms: number[]; applied: number }> {
  const ms: number[] = [];
  let applied = 0;
  for (const body of batches) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/sync/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const answer = (await res.json()) as SyncBatchResponse;
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(answer)}`);
    ms.push(performance.now() - t0);
    applied += answer.applied;
  }
  return { ms, applied };
}

const server = await postgresTarget();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-cloud-'));
const target: DatabaseTarget = 'url' in server ? { databaseUrl: server.url, dataDir } : { databaseUrl: null, dataDir };
const backend = 'url' in server ? 'PostgreSQL server' : 'PGlite (embedded)';
if ('why' in server) process.stdout.write(`cloud-apply: no PostgreSQL server answered (${server.why}); measuring PGlite instead\n`);

// Shops first, with the files or the server to ourselves; then the cloud process.
const setup = await openDatabase(target, 'cli');
const shops: { shop_id: string; sync_token: string }[] = [];
for (let i = 0; i <= SHOPS; i++) shops.push(await addShop(setup.db, `bench ${i}`));
await setup.close();

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(ROOT, 'src-cloud/main.ts'),
    '--port',
    '0',
    ...(target.databaseUrl ? ['--database-url', target.databaseUrl] : ['--data-dir', dataDir]),
  ],
  { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise<string>((resolve, reject) => {
  const lines = readline.createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const m = /^ready cloud=(\S+)$/.exec(line);
    if (m) resolve(m[1] as string);
  });
  child.once('exit', (code) => reject(new Error(`cloud exited (${code}) before ready`)));
});

try {
  // ---- one shop catching up
  const one = bodies(0, ONE_SHOP_EVENTS);
  const t0 = performance.now();
  const single = await sendAll(url, shops[0]!.sync_token, one);
  const s1 = (performance.now() - t0) / 1000;
  const lat1 = stats(single.ms);
  const rate1 = single.applied / s1;
  process.stdout.write(
    `cloud-apply [${backend}]: 1 shop, ${single.applied}/${ONE_SHOP_EVENTS} events in batches of ${BATCH} in ${s1.toFixed(2)} s: ` +
      `${Math.round(rate1)} events/s (batch p50 ${lat1.p50.toFixed(1)} ms, p99 ${lat1.p99.toFixed(1)} ms)\n`,
  );
  emit({
    name: 'cloud.apply_1shop',
    value: Math.round(rate1),
    unit: 'events/s',
    better: 'higher',
    backend,
    batch_p50_ms: round(lat1.p50, 1),
    batch_p99_ms: round(lat1.p99, 1),
    note: backend,
  });

  // ---- 20 shops at once
  const many = Array.from({ length: SHOPS }, (_, i) => bodies(i + 1, PER_SHOP_EVENTS));
  const t1 = performance.now();
  const results = await Promise.all(many.map((b, i) => sendAll(url, shops[i + 1]!.sync_token, b)));
  const s20 = (performance.now() - t1) / 1000;
  const applied = results.reduce((n, r) => n + r.applied, 0);
  const lat20 = stats(results.flatMap((r) => r.ms));
  const rate20 = applied / s20;
  process.stdout.write(
    `cloud-apply [${backend}]: ${SHOPS} shops at once, ${applied}/${SHOPS * PER_SHOP_EVENTS} events in batches of ${BATCH} in ${s20.toFixed(2)} s: ` +
      `${Math.round(rate20)} events/s (batch p50 ${lat20.p50.toFixed(1)} ms, p99 ${lat20.p99.toFixed(1)} ms)\n`,
  );
  emit({
    name: 'cloud.apply_20shops',
    value: Math.round(rate20),
    unit: 'events/s',
    better: 'higher',
    backend,
    batch_p50_ms: round(lat20.p50, 1),
    batch_p99_ms: round(lat20.p99, 1),
    note: backend,
  });
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  if ('url' in server) await server.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
