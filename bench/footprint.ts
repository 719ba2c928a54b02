/**
 * What the shop PC pays to keep CounterPay running, at 0 stored SMS and at a year of traffic:
 *
 *  - cold start: spawn of the headless core (`node --import tsx src-main/headless/main.ts serve`,
 *    what `npm run serve` runs) to its `ready` line, median of 5 after one warm-up start (which
 *    also lets tsx fill its cache and the counter UI build if it is stale). Floor: the bare
 *    server (tsx, express, better-sqlite3 opening the same file) to its ready line.
 *  - resident memory (RSS, and its peak) of that process after it opened the data dir and served
 *    a few requests of every kind (merchant polls, counter lookups and lists, an SMS batch).
 *    Floor: the bare server after its own few requests.
 *  - the database file after the year: bytes, bytes per stored SMS, and the SMS text itself.
 *  - the commit ceiling: better-sqlite3 inserting one row per transaction with synchronous=FULL
 *    on this disk, beside the core storing one SMS per call (ingest, a batch of 1: one commit).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore, loadConfig } from '../src-main/core';
import { silentLogger } from '../src-main/core/logging';
import { readKeyFile } from '../src-main/core/secrets';
import {
  JsonClient,
  emit,
  median,
  memoryOf,
  removeDir,
  round,
  sizeLabel,
  sleep,
  startCeiling,
  startHeadless,
  writeBenchConfig,
} from './_util';
import { Rng, TxnIds, bdPhone, creditSms } from './_wallets';
import { benchSmsCount, chainHead, copyDataDir, emptyShopDir, ensureYear } from './_year';

const STARTS = 5;
/** What a year of this traffic may take once tended (docs/performance.md states it). */
export const TENDED_BOUND_BYTES = 1_000_000_000;

async function coldStart(dir: string): Promise<{ median: number; all: number[] }> {
  const warm = await startHeadless(dir);
  await warm.stop();
  const all: number[] = [];
  for (let i = 0; i < STARTS; i += 1) {
    const core = await startHeadless(dir);
    all.push(core.readyMs);
    await core.stop();
  }
  return { median: median(all), all };
}

async function residentAfterWork(
  dir: string,
  startBalance: number,
  sampleTxnids: readonly string[],
): Promise<{ rssMb: number; peakMb: number }> {
  const keys = readKeyFile(dir);
  if (!keys) throw new Error(`no keys.json in ${dir}`);
  const core = await startHeadless(dir);
  const client = new JsonClient(1);
  try {
    const rpc = (name: string, arg: unknown = {}) =>
      client.post(`${core.urls.admin}/api/admin/rpc/${name}`, arg, { authorization: `Bearer ${keys.admin_token}` });
    const sessions: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const made = await client.post(
        `${core.urls.public}/api/payment/sessions`,
        { amount: '500.00', order_id: `BENCH-RSS-${Date.now()}-${i}` },
        { 'x-api-key': keys.api_key },
      );
      sessions.push((made.json as { session_id: string }).session_id);
    }
    for (const id of sessions) await client.get(`${core.urls.public}/api/payment/sessions/${id}`, { 'x-api-key': keys.api_key });
    await client.post(`${core.urls.device}/api/device/bind`, { auth_key: keys.device_auth_key, device_id: 'rss-phone', model: 'bench' });
    const rng = new Rng(3);
    const ids = new TxnIds(rng);
    let balance = startBalance;
    const messages = Array.from({ length: 100 }, () => {
      const amountMinor = rng.int(50, 5000) * 100;
      balance += amountMinor;
      return {
        ...creditSms('bkash', { txnid: ids.next('bkash'), amountMinor, balanceMinor: balance, at: Date.now(), payer: bdPhone(rng), rng }),
        received_at: new Date().toISOString(),
      };
    });
    await client.post(`${core.urls.device}/api/device/sms`, { auth_key: keys.device_auth_key, device_id: 'rss-phone', messages });
    for (const txnid of [...sampleTxnids.slice(0, 20), 'NOTATXNID1']) await rpc('txnid.lookup', { txnid });
    for (const name of [
      'status.get',
      'sms.recent',
      'sessions.recent',
      'verifications.list',
      'alerts.list',
      'balance.missing',
      'gateways.list',
      'devices.list',
    ])
      await rpc(name, {});
    // One status poll (every 2 s) and one sweep (every 30 s) have run once the shop has been up a little.
    await sleep(3_000);
    return memoryOf(core.pid);
  } finally {
    client.close();
    await core.stop();
  }
}

async function bareFloor(dir: string): Promise<{ coldMs: number; rssMb: number; peakMb: number }> {
  const file = path.join(dir, 'counterpay.sqlite');
  const warm = await startCeiling({ readDb: file, ownDir: dir });
  await warm.stop();
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i += 1) {
    const c = await startCeiling({ readDb: file, ownDir: dir });
    starts.push(c.readyMs);
    await c.stop();
  }
  const c = await startCeiling({ readDb: file, ownDir: dir });
  const client = new JsonClient(1);
  try {
    for (let i = 0; i < 20; i += 1) await client.get(`${c.url}/json`);
    for (let i = 0; i < 20; i += 1) await client.post(`${c.url}/lookup`, { txnid: `X${i}` });
    await client.post(`${c.url}/sms`, {
      messages: Array.from({ length: 100 }, (_, i) => ({ sender: 'bKash', body: `bench ${i} ${Date.now()}` })),
    });
    await sleep(500);
    return { coldMs: median(starts), ...memoryOf(c.pid) };
  } finally {
    client.close();
    await c.stop();
  }
}

/** Commits per second with synchronous=FULL: bare better-sqlite3 (one row each) and the core (one SMS each). */
async function commitCeiling(): Promise<{ bare: number; core: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-commit-'));
  const db = new Database(path.join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO t (fingerprint, body) VALUES (?, ?)');
  const one = db.transaction((i: number) =>
    insert.run(`f${i}`, `You have received Tk 500.00 from 01712345678. Balance Tk ${i}.00. TrxID B${i}`),
  );
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 3_000) one.immediate(n++);
  const bare = n / ((performance.now() - t0) / 1000);
  db.close();

  const shop = await emptyShopDir();
  const core = createCore(loadConfig({ dataDir: shop }, {}), { logger: silentLogger(), rendererDir: null });
  const rng = new Rng(9);
  const ids = new TxnIds(rng);
  let balance = chainHead(core, 'bkash') ?? 1_000_000;
  const context = { source: 'modem' as const, origin: 'bench', isTest: false };
  let m = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < 3_000) {
    const amountMinor = rng.int(50, 5000) * 100;
    balance += amountMinor;
    const at = Date.now();
    core.sms.ingest(
      {
        ...creditSms('bkash', { txnid: ids.next('bkash'), amountMinor, balanceMinor: balance, at, payer: bdPhone(rng), rng }),
        received_at: new Date(at).toISOString(),
      },
      context,
    );
    m += 1;
  }
  const coreRate = m / ((performance.now() - t1) / 1000);
  await core.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(shop, { recursive: true, force: true });
  return { bare, core: coreRate };
}

const N = benchSmsCount();
const year = await ensureYear(N);

const commits = await commitCeiling();
process.stdout.write(
  `footprint: commit ceiling ${Math.round(commits.bare)} commits/s (better-sqlite3, one row each, synchronous=FULL); ` +
    `the core stores ${Math.round(commits.core)} SMS/s one at a time (ingest of a batch of 1)\n`,
);
emit({
  name: 'commit.bare_full',
  value: Math.round(commits.bare),
  unit: 'commits/s',
  better: 'higher',
  note: 'better-sqlite3, one row per transaction, WAL + synchronous=FULL',
});
emit({
  name: 'commit.core_single_sms',
  value: Math.round(commits.core),
  unit: 'SMS/s',
  better: 'higher',
  ceiling: Math.round(commits.bare),
  ceiling_name: 'bare commits/s (FULL)',
});

for (const size of [0, N]) {
  const dir = size === 0 ? await emptyShopDir() : copyDataDir(year.dir);
  try {
    writeBenchConfig(dir);
    const bytes = fs.statSync(path.join(dir, 'counterpay.sqlite')).size;
    const cold = await coldStart(dir);
    const mem = await residentAfterWork(
      dir,
      size === 0 ? 1_000_000 : (year.info.balances.bkash ?? 1_000_000),
      size === 0 ? [] : year.info.sample_txnids,
    );
    const floor = await bareFloor(dir);
    process.stdout.write(
      `footprint @${sizeLabel(size)}: cold start to ready ${Math.round(cold.median)} ms (median of ${STARTS}: ${cold.all.map(Math.round).join(', ')}); ` +
        `bare tsx+express+sqlite ${Math.round(floor.coldMs)} ms\n` +
        `footprint @${sizeLabel(size)}: RSS ${mem.rssMb.toFixed(1)} MB (peak ${mem.peakMb.toFixed(1)} MB) after a few requests of each kind; ` +
        `bare server ${floor.rssMb.toFixed(1)} MB (peak ${floor.peakMb.toFixed(1)} MB)\n`,
    );
    emit({
      size,
      name: 'cold_start',
      value: Math.round(cold.median),
      unit: 'ms',
      better: 'lower',
      ceiling: Math.round(floor.coldMs),
      ceiling_name: 'bare tsx + express + better-sqlite3 to ready',
      all: cold.all.map(Math.round),
    });
    emit({
      size,
      name: 'rss',
      value: round(mem.rssMb, 1),
      unit: 'MB',
      better: 'lower',
      peak: round(mem.peakMb, 1),
      ceiling: round(floor.rssMb, 1),
      ceiling_name: 'bare express + better-sqlite3 process',
    });
    if (size > 0) {
      const db = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
      const text = db
        .prepare('SELECT count(*) AS n, sum(length(CAST(body AS BLOB)) + length(CAST(sender AS BLOB))) AS b FROM sms')
        .get() as { n: number; b: number };
      let tables: { name: string; bytes: number }[] = [];
      try {
        tables = db
          .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8')
          .all() as typeof tables;
      } catch {
        // dbstat is compiled into better-sqlite3's SQLite; without it the breakdown is left out
      }
      const pages = db.pragma('page_count', { simple: true }) as number;
      const free = db.pragma('freelist_count', { simple: true }) as number;
      db.close();
      process.stdout.write(
        `footprint @${sizeLabel(size)}: database ${(bytes / 1e6).toFixed(1)} MB for ${text.n} SMS (${Math.round(bytes / text.n)} bytes per SMS; ` +
          `their sender and text are ${(text.b / 1e6).toFixed(1)} MB, ${Math.round(text.b / text.n)} bytes each; ${free} of ${pages} pages free)\n` +
          `footprint @${sizeLabel(size)}: largest tables and indexes: ${tables.map((t) => `${t.name} ${(t.bytes / 1e6).toFixed(1)} MB`).join(', ')}\n`,
      );
      emit({
        size,
        name: 'database_bytes',
        value: bytes,
        unit: 'bytes',
        better: 'lower',
        per_sms: Math.round(bytes / text.n),
        sms: text.n,
        sms_text_bytes: text.b,
        sessions: year.info.counts.sessions,
        largest: Object.fromEntries(tables.map((t) => [t.name, t.bytes])),
      });
      // The year is tended once when cached (bench/_year.ts tendYear): this is what a shop that ran all year holds.
      const tended = year.info.tended;
      if (tended) {
        process.stdout.write(
          `footprint @${sizeLabel(size)}: as generated ${(tended.bytes_before / 1e6).toFixed(1)} MB; the maintenance pass caught up at the ` +
            `year's end purged ${tended.purged.toLocaleString('en-US')} rows, then a VACUUM: ${(tended.bytes_after / 1e6).toFixed(1)} MB\n`,
        );
      }
      emit({
        size,
        name: 'database_bytes_tended',
        value: bytes,
        unit: 'bytes',
        better: 'lower',
        ceiling: TENDED_BOUND_BYTES,
        ceiling_name: 'the bound this page states',
        before_tending: tended?.bytes_before ?? null,
        purged: tended?.purged ?? null,
      });
    }
  } finally {
    removeDir(dir);
  }
}
