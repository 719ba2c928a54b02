/**
 * A year of a shop's traffic, generated through the core's own functions (createCore,
 * core.sms.ingestBatch, core.payments.create / submit / check / accept / decide / cancel,
 * core.sweep, the staff balance anchor), so the data dir is what a year of real use leaves:
 *
 *  - five gateways: bKash, Nagad (balance check "warn"), UPI at HDFC and at SBI, M-Pesa;
 *  - wallet SMS whose balances follow one another per account (credits, debits with fees,
 *    reversals), delivered by a phone (apk), a USB modem and a forwarder app in batches of up
 *    to 500, some by two of them (one row, two deliveries), some late or out of their balance
 *    order (the chain re-links them), a few never (staff re-anchor the balance), a few forged
 *    (spoofed sender ID, a balance that does not follow) and spoofs from ordinary numbers;
 *  - checkout sessions: paid (SMS first, or TxnID first and a late match), held for a person
 *    (wrong amount, another payer, forged SMS) and decided, wrong TxnIDs that fail, abandoned
 *    sessions that expire, cancellations; counter sales (check, then accept); reversals of paid
 *    credits; alerts, most resolved.
 *
 * Parameterised by the number of stored SMS (COUNTERPAY_BENCH_SMS, default 1,000,000) and of
 * sessions (COUNTERPAY_BENCH_SESSIONS, default a fifth of that). The core's clock is moved
 * through the year, which ends an hour before generation. Seeded: the same size gives the same year.
 *
 * Cached under os.tmpdir()/counterpay-bench-<sms>-<schema user_version>; `year.json` in it marks
 * a finished generation (with its figures). Benchmarks call ensureYear() and copyDataDir() before
 * writing. Run directly to generate (or reuse) and print the rate:
 *
 *   COUNTERPAY_BENCH_SMS=20000 node --import tsx bench/_year.ts [--force]
 *
 * Speed: generation runs with synchronous=OFF (the file is the same; a crash mid-generation just
 * means generating again; every benchmark reopens it through the core with synchronous=FULL).
 * COUNTERPAY_BENCH_GEN_SYNC=full keeps FULL. See `helperIndexes` for the other knob.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, loadConfig, type Core } from '../src-main/core';
import { anchorChain } from '../src-main/core/balance';
import { closeDatabase, latestVersion, MIGRATIONS, openDatabase } from '../src-main/core/db';
import { silentLogger } from '../src-main/core/logging';
import { addGateway, updateGatewaySettings } from '../src-main/core/shop';
import type { DeliveryContext } from '../src-main/core/sms';
import { enableSqlProfile, sqlProfileReport } from './_sqlprofile';
import {
  CHAINED,
  CURRENCY,
  GATEWAYS,
  Rng,
  TxnIds,
  WALLETS,
  bdPhone,
  bkashReversalSms,
  chatSms,
  creditSms,
  debitFee,
  debitSms,
  kePhone,
  mpesaReversalSms,
  noiseSms,
  payerFor,
  personName,
  plain,
  spoofSms,
  type Sms,
  type Wallet,
} from './_wallets';

/** Bump when the generated year changes shape: cached dirs of another version are not reused. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SMS = 1_000_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EPOCH = 8 * HOUR;
const EPOCHS = (365 * DAY) / EPOCH;
const BATCH = 500;
const SEED = 20_260_101;

export function benchSmsCount(): number {
  const raw = process.env.COUNTERPAY_BENCH_SMS;
  const n = raw ? Number(raw.replace(/[_,]/g, '')) : DEFAULT_SMS;
  if (!Number.isInteger(n) || n < 1_000) throw new Error(`COUNTERPAY_BENCH_SMS must be an integer ≥ 1000, got ${raw}`);
  return n;
}

export function sessionsFor(sms: number): number {
  const raw = process.env.COUNTERPAY_BENCH_SESSIONS;
  return raw ? Number(raw.replace(/[_,]/g, '')) : Math.round(sms / 5);
}

export function schemaVersion(): number {
  return latestVersion(MIGRATIONS);
}

export function cacheDirFor(sms: number): string {
  return path.join(os.tmpdir(), `counterpay-bench-${sms}-${schemaVersion()}`);
}

export type YearCounts = Record<string, number> & { sms: number; sessions: number; transactions: number };

export interface YearInfo {
  generator: number;
  user_version: number;
  /** The schema the year was written under, when later migrations were run on it since. */
  generated_at_user_version?: number;
  sms_target: number;
  sessions_target: number;
  generated_at: string;
  /** Wall-clock seconds the generation took, and the options it ran with. */
  seconds: number;
  synchronous: 'off' | 'full';
  helper_indexes: boolean;
  year: { start: string; end: string };
  /** What the core was asked to do. */
  calls: Record<string, number>;
  /** What the database holds afterwards. */
  counts: YearCounts;
  /** Each chained wallet's true balance at the end (minor units): where new SMS continue. */
  balances: Partial<Record<Wallet, number>>;
  /** TxnIDs stored in the year (credits of every wallet), for lookups. */
  sample_txnids: string[];
  /** Sessions of the year, for GET benchmarks. */
  sample_sessions: string[];
  database_bytes: number;
  /**
   * The maintenance pass caught up at the year's end (tendYear): what a shop that ran all year
   * under this code holds. Absent on a year cached before the purge knew it had work to do.
   */
  tended?: { purged: number; bytes_before: number; bytes_after: number; at_user_version: number; analyzed?: string[] };
}

/** A shop as the year uses it: the core's shop and keys, the five gateways with their settings. */
export function setUpShop(core: Core): Record<Wallet, number> {
  const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'bench' };
  const ids = {} as Record<Wallet, number>;
  for (const w of WALLETS) {
    const g = GATEWAYS[w];
    const view = addGateway(core.db, ctx, { provider: g.provider, account: g.account });
    if (g.balanceCheck !== 'review') updateGatewaySettings(core.db, ctx, { id: view.id, balance_check: g.balanceCheck });
    ids[w] = view.id;
  }
  return ids;
}

/** A fresh data dir with the shop and its gateways and nothing else: the "0 stored SMS" size. */
export async function emptyShopDir(prefix = 'counterpay-bench-empty-'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
  setUpShop(core);
  await core.stop();
  return dir;
}

/**
 * Copies a data dir (the cache stays untouched); the copy is the benchmark's to write. The copy is
 * flushed to disk before it is used: a gigabyte of dirty pages written back during a benchmark
 * would slow its synchronous=FULL commits and show up as noise.
 */
export function copyDataDir(src: string, prefix = 'counterpay-bench-copy-'): string {
  const dst = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const flush = (file: string) => {
    const fd = fs.openSync(file, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };
  for (const entry of fs.readdirSync(src)) {
    if (entry === 'logs') continue;
    const from = path.join(src, entry);
    const to = path.join(dst, entry);
    if (fs.statSync(from).isDirectory()) fs.cpSync(from, to, { recursive: true });
    else {
      fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
      flush(to);
    }
  }
  fs.chmodSync(dst, 0o700);
  return dst;
}

export function readYearInfo(dir: string): YearInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'year.json'), 'utf8')) as YearInfo;
    return info.generator === GENERATOR_VERSION && info.user_version === schemaVersion() ? info : null;
  } catch {
    return null;
  }
}

/** The cached year for this size, generated first when missing (or of another generator/schema). */
export async function ensureYear(
  sms = benchSmsCount(),
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<{ dir: string; info: YearInfo; generated: boolean }> {
  const dir = cacheDirFor(sms);
  const found = options.force ? null : readYearInfo(dir);
  // COUNTERPAY_BENCH_SESSIONS is not in the directory's name: a year of another mix is made again.
  const cached = found && found.sessions_target === sessionsFor(sms) ? found : null;
  if (cached) return { dir, info: await tendYear(dir, cached), generated: false };
  if (!options.force) {
    const upgraded = upgradeOlderYear(sms, dir);
    if (upgraded) return { dir, info: await tendYear(dir, upgraded), generated: false };
  }
  const work = `${dir}.partial-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true, mode: 0o700 });
  const info = await generateYear(work, { sms, sessions: sessionsFor(sms), log: options.log ?? ((l) => process.stdout.write(`${l}\n`)) });
  fs.writeFileSync(path.join(work, 'year.json'), JSON.stringify(info, null, 1));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(work, dir);
  return { dir, info: await tendYear(dir, info), generated: true };
}

/**
 * The year as a shop that ran all year keeps it: the core's own maintenance purge at the year's
 * last moment, pass after pass until one comes back short, then the VACUUM the idle shop runs
 * when free pages are many, and the statistics it refreshes (PRAGMA optimize). A year generated before a purge rule existed (the unsent `sync`
 * events of a shop with no cloud) would otherwise measure rows a running shop no longer has.
 * Done once per cached year and schema; year.json records what it took.
 */
async function tendYear(dir: string, info: YearInfo): Promise<YearInfo> {
  if (info.tended?.analyzed && info.tended.at_user_version === schemaVersion()) return info;
  const file = path.join(dir, 'counterpay.sqlite');
  const before = fs.statSync(file).size;
  const t0 = performance.now();
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
  let purged = 0;
  let analyzed: string[] = [];
  try {
    for (let pass = 0; pass < 100_000; pass += 1) {
      const r = core.maintenance.purge(Date.parse(info.year.end));
      purged += r.spentSigns + r.deliveredOutbox + r.finishedWebhooks + r.resolvedAlerts + r.unsentSync;
      if (!r.more) break;
    }
    if (purged > 0) core.db.exec('VACUUM');
    // And the statistics an idle shop keeps fresh (PRAGMA optimize): a start would otherwise ANALYZE the purged tables.
    analyzed = core.maintenance.optimizeWhenIdle(Date.parse(info.year.end)).analyzed;
  } finally {
    await core.stop();
  }
  const after = fs.statSync(file).size;
  const tended: YearInfo = {
    ...info,
    database_bytes: after,
    tended: { purged, bytes_before: before, bytes_after: after, at_user_version: schemaVersion(), analyzed },
  };
  fs.writeFileSync(path.join(dir, 'year.json'), JSON.stringify(tended, null, 1));
  process.stdout.write(
    `year: the maintenance pass caught up at the year's end: ${purged.toLocaleString('en-US')} rows purged, ` +
      `${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - t0)} ms\n`,
  );
  return tended;
}

/**
 * A year cached under an older schema, brought forward the way a shop's database is: opened, so
 * the newer migrations run on it. Generating a million-SMS year takes about 25 minutes; a
 * migration that adds an index takes seconds. year.json keeps the version it was generated at.
 */
function upgradeOlderYear(sms: number, dir: string): YearInfo | null {
  const prefix = `counterpay-bench-${sms}-`;
  const older = fs
    .readdirSync(os.tmpdir())
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({ name, version: Number(name.slice(prefix.length)) }))
    .filter((c) => c.version < schemaVersion())
    .sort((a, b) => b.version - a.version);
  for (const { name } of older) {
    const from = path.join(os.tmpdir(), name);
    let info: YearInfo;
    try {
      info = JSON.parse(fs.readFileSync(path.join(from, 'year.json'), 'utf8')) as YearInfo;
    } catch {
      continue;
    }
    if (info.generator !== GENERATOR_VERSION || info.sessions_target !== sessionsFor(sms)) continue;
    const t0 = performance.now();
    closeDatabase(openDatabase(from));
    const upgradedInfo: YearInfo = {
      ...info,
      generated_at_user_version: info.generated_at_user_version ?? info.user_version,
      user_version: schemaVersion(),
      database_bytes: fs.statSync(path.join(from, 'counterpay.sqlite')).size,
    };
    fs.writeFileSync(path.join(from, 'year.json'), JSON.stringify(upgradedInfo, null, 1));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(from, dir);
    process.stdout.write(
      `year: migrated the cached year from user_version ${info.user_version} to ${schemaVersion()} in ${Math.round(performance.now() - t0)} ms\n`,
    );
    return upgradedInfo;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/**
 * Indexes the generator adds while it runs and drops before the dir is cached (COUNTERPAY_BENCH_GEN_INDEXES=0
 * leaves them out). Without them some of the core's per-SMS and per-session queries scan whole
 * tables (an attempt's TxnID, a session's order), and a million-SMS year takes hours: the
 * generation is O(n²). They change how fast the year is written, not what is written; the cached
 * database has exactly the schema the migrations make. Each is created only when no index of
 * the schema starts with the same columns (migration 0080 adds both), so on a schema that has
 * them this does nothing.
 */
const HELPER_INDEXES: { name: string; table: string; columns: string[] }[] = [
  { name: 'bench_gen_sessions_order', table: 'sessions', columns: ['brand_id', 'is_test', 'order_id'] },
  { name: 'bench_gen_transactions_txnid', table: 'transactions', columns: ['merchant_id', 'is_test', 'txnid_normalized'] },
];

/** Whether the schema already has a full (not partial) index starting with these columns. */
function covered(db: Core['db'], table: string, columns: string[]): boolean {
  const list = db.pragma(`index_list(${table})`) as { name: string; partial: number }[];
  return list.some((ix) => {
    if (ix.partial) return false;
    const cols = (db.pragma(`index_info(${ix.name})`) as { name: string }[]).map((c) => c.name);
    return columns.every((c, i) => cols[i] === c);
  });
}

interface Delivery {
  sms: Sms;
  at: number;
  source: 'apk' | 'modem' | 'forwarder';
}

type Outcome =
  'pay_sms_first' | 'pay_submit_first' | 'held_amount' | 'held_payer' | 'forged' | 'spoof' | 'wrong_txnid' | 'abandoned' | 'cancelled';

const OUTCOMES: Record<Outcome, number> = {
  pay_sms_first: 0.437,
  pay_submit_first: 0.3,
  held_amount: 0.04,
  held_payer: 0.02,
  forged: 0.001,
  spoof: 0.002,
  wrong_txnid: 0.06,
  abandoned: 0.12,
  cancelled: 0.02,
};

/** Which wallet a checkout or a counter customer pays with. */
const PAY_WALLETS: Record<Wallet, number> = { bkash: 0.45, nagad: 0.2, upi_hdfc: 0.1, upi_sbi: 0.07, mpesa: 0.18 };
/** The rest of a wallet account's SMS traffic. */
const FILL_WALLETS: Record<Wallet, number> = { bkash: 0.4, nagad: 0.2, upi_hdfc: 0.12, upi_sbi: 0.08, mpesa: 0.2 };
const FILL_KINDS = { credit: 0.3, debit: 0.28, noise: 0.37, spoof: 0.02, chat: 0.03, forged: 0.0005 } as const;
const SOURCES = { apk: 0.55, modem: 0.3, forwarder: 0.15 } as const;
const ORIGIN: Record<Delivery['source'], string> = { apk: 'counter-phone-1', modem: 'modem-ttyUSB0', forwarder: 'forwarder-pixel' };

/** Delivery faults, per SMS. */
const P_DUPLICATE = 0.12;
const P_LATE = 0.004;
const P_MISSING = 0.0003;
const P_REVERSED = 0.002;

interface PlannedSession {
  id: string;
  wallet: Wallet;
  amountMinor: number;
  outcome: Outcome;
  txnid: string | null;
  createdAt: number;
  epoch: number;
  order: string;
  /** The customer_phone the merchant sent, if any. */
  phone: string | null;
}

/** A money SMS waiting to be written in time order (its balance is known only then). */
interface WalletEvent {
  at: number;
  wallet: Wallet;
  kind: 'credit' | 'debit' | 'reversal' | 'forged' | 'spoof' | 'noise' | 'chat';
  txnid?: string;
  amountMinor?: number;
  payer?: string | null;
  /** Which session or sale it pays, for the delivery faults' bookkeeping. */
  purpose?: 'session' | 'counter' | 'fill';
  original?: { txnid: string; amountMinor: number };
}

function startBalance(w: Wallet): number {
  return w === 'bkash' ? 5_000_000 : w === 'nagad' ? 2_000_000 : w === 'mpesa' ? 3_000_000 : 0;
}

function amountFor(wallet: Wallet, rng: Rng): number {
  const currency = CURRENCY[wallet];
  const [lo, hi] = currency === 'INR' ? [100, 6_000] : currency === 'KES' ? [50, 8_000] : [50, 6_000];
  const whole = Math.round(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))));
  return whole * 100 + (rng.chance(0.15) ? rng.pick([50, 25, 75]) : 0);
}

function share(total: number, epoch: number): number {
  return Math.floor(((epoch + 1) * total) / EPOCHS) - Math.floor((epoch * total) / EPOCHS);
}

/** Errors the core answers with are part of the traffic (a rejected spoof, a used TxnID): counted, not fatal. */
function attempt<T>(calls: Record<string, number>, name: string, fn: () => T): T | undefined {
  calls[name] = (calls[name] ?? 0) + 1;
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    if (code === 'internal' || code === 'error' || code.startsWith('SQLITE')) throw err;
    calls[`${name}:${code}`] = (calls[`${name}:${code}`] ?? 0) + 1;
    return undefined;
  }
}

export async function generateYear(dir: string, opts: { sms: number; sessions: number; log: (line: string) => void }): Promise<YearInfo> {
  const started = performance.now();
  const rng = new Rng(SEED);
  const ids = new TxnIds(rng);
  const end = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const start = end - EPOCHS * EPOCH;
  let now = start - HOUR;
  const clock = () => now;

  const profile = process.env.COUNTERPAY_BENCH_PROFILE === '1';
  if (profile) enableSqlProfile();
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null, clock });
  const gateways = setUpShop(core);
  const fullSync = process.env.COUNTERPAY_BENCH_GEN_SYNC === 'full';
  const helperIndexes = process.env.COUNTERPAY_BENCH_GEN_INDEXES !== '0';
  if (!fullSync) core.db.pragma('synchronous = OFF');
  const created: string[] = [];
  if (helperIndexes) {
    for (const ix of HELPER_INDEXES) {
      if (covered(core.db, ix.table, ix.columns)) continue;
      core.db.exec(`CREATE INDEX ${ix.name} ON ${ix.table} (${ix.columns.join(', ')})`);
      created.push(ix.name);
    }
  }

  const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
  const auditCtx = () => ({ merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'staff', now });
  const calls: Record<string, number> = {};
  const balances: Record<Wallet, number> = Object.fromEntries(WALLETS.map((w) => [w, startBalance(w)])) as Record<Wallet, number>;
  const deliveriesDue = new Map<number, Delivery[]>();
  const reversalsDue = new Map<number, { wallet: Wallet; txnid: string; amountMinor: number }[]>();
  const retriesDue = new Map<number, PlannedSession[]>();
  const plans = new Map<string, PlannedSession>();
  const sampleTxnids: string[] = [];
  const sampleSessions: string[] = [];
  let storedNew = 0;
  let ingestMs = 0;
  let ingested = 0;
  let lastLog = performance.now();
  const phaseMs: Record<string, number> = {};
  let phaseAt = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    phaseMs[name] = (phaseMs[name] ?? 0) + (t - phaseAt);
    phaseAt = t;
  };
  const seenAlerts = new Set<number>();

  const due = <T>(map: Map<number, T[]>, epoch: number, item: T) => {
    const list = map.get(epoch);
    if (list) list.push(item);
    else map.set(epoch, [item]);
  };
  const sourceOf = (): Delivery['source'] => rng.weighted(SOURCES);

  /** Delivery faults: duplicates via a second source, late, missing (staff re-anchor the stuck chain). */
  const deliver = (epoch: number, sms: Sms, at: number, money: Wallet | null) => {
    const source = sourceOf();
    if (money && CHAINED[money] && rng.chance(P_MISSING)) return;
    const late = rng.chance(P_LATE) ? rng.int(1, 3) : 0;
    due(deliveriesDue, epoch + late, { sms, at, source });
    if (rng.chance(P_DUPLICATE)) {
      const other = (['apk', 'modem', 'forwarder'] as const).filter((s) => s !== source);
      due(deliveriesDue, epoch + (rng.chance(0.1) ? 1 : 0), { sms, at, source: rng.pick(other) });
    }
  };

  /** Writes the epoch's wallet SMS in time order, keeping each account's true balance. */
  const writeEvents = (epoch: number, events: WalletEvent[]) => {
    events.sort((a, b) => a.at - b.at);
    for (const e of events) {
      const w = e.wallet;
      let sms: Sms;
      let money: Wallet | null = null;
      switch (e.kind) {
        case 'credit': {
          const a = e.amountMinor as number;
          if (CHAINED[w]) balances[w] += a;
          sms = creditSms(w, {
            txnid: e.txnid as string,
            amountMinor: a,
            balanceMinor: balances[w],
            at: e.at,
            payer: e.payer ?? null,
            rng,
          });
          money = w;
          if (sampleTxnids.length < 5_000 || rng.chance(0.01)) {
            if (sampleTxnids.length >= 5_000) sampleTxnids[rng.int(0, 4_999)] = e.txnid as string;
            else sampleTxnids.push(e.txnid as string);
          }
          if (e.purpose !== 'fill' && (w === 'bkash' || w === 'mpesa') && rng.chance(P_REVERSED)) {
            due(reversalsDue, epoch + rng.int(1, 6), { wallet: w, txnid: e.txnid as string, amountMinor: a });
          }
          break;
        }
        case 'debit': {
          const kind = rng.weighted({ send: 4, cashout: 3, payment: 3 });
          let a: number;
          if (CHAINED[w]) {
            const room = balances[w] - 10_000;
            if (room < 20_000) {
              sms = noiseSms(w, rng, e.at);
              break;
            }
            a = Math.max(10_000, Math.round((room * (0.05 + rng.next() * 0.35)) / 100) * 100);
            const fee = debitFee(w, kind, a);
            if (a + fee > balances[w]) a = Math.max(100, balances[w] - fee - 100);
            balances[w] -= a + fee;
          } else a = amountFor(w, rng);
          sms = debitSms(w, { txnid: ids.next(w), amountMinor: a, balanceMinor: balances[w], at: e.at, rng, kind });
          money = w;
          break;
        }
        case 'reversal': {
          const o = e.original as { txnid: string; amountMinor: number };
          if (balances[w] < o.amountMinor) {
            sms = noiseSms(w, rng, e.at);
            break;
          }
          balances[w] -= o.amountMinor;
          sms =
            w === 'mpesa'
              ? mpesaReversalSms({
                  code: ids.next('mpesa'),
                  original: o.txnid,
                  amountMinor: o.amountMinor,
                  balanceMinor: balances[w],
                  at: e.at,
                })
              : bkashReversalSms({ original: o.txnid, amountMinor: o.amountMinor, balanceMinor: balances[w], at: e.at, rng });
          money = w;
          break;
        }
        case 'forged': {
          // The wallet's sender ID, faked: the balance is the forger's guess, so it breaks the chain.
          const a = e.amountMinor as number;
          const guess = CHAINED[w] ? balances[w] + a + rng.int(1, 5_000) * 100 : 0;
          sms = creditSms(w, { txnid: e.txnid as string, amountMinor: a, balanceMinor: guess, at: e.at, payer: e.payer ?? null, rng });
          break;
        }
        case 'spoof':
          sms = spoofSms(w, { txnid: e.txnid ?? ids.next(w), amountMinor: e.amountMinor ?? amountFor(w, rng), at: e.at, rng });
          break;
        case 'chat':
          sms = chatSms(rng);
          break;
        default:
          sms = noiseSms(w, rng, e.at);
      }
      deliver(epoch, sms, e.at, money);
    }
  };

  const ingestDue = (epoch: number) => {
    const list = deliveriesDue.get(epoch) ?? [];
    deliveriesDue.delete(epoch);
    const bySource = new Map<Delivery['source'], Delivery[]>();
    for (const d of list) {
      const l = bySource.get(d.source);
      if (l) l.push(d);
      else bySource.set(d.source, [d]);
    }
    const chunks: { source: Delivery['source']; items: Delivery[] }[] = [];
    for (const [source, items] of bySource) {
      items.sort((a, b) => a.at - b.at);
      // A phone's queue is not perfectly ordered either.
      for (let i = 0; i + 1 < items.length; i += 1)
        if (rng.chance(0.02)) [items[i], items[i + 1]] = [items[i + 1] as Delivery, items[i] as Delivery];
      for (let i = 0; i < items.length; i += BATCH) chunks.push({ source, items: items.slice(i, i + BATCH) });
    }
    rng.shuffle(chunks);
    for (const chunk of chunks) {
      now += 2_000;
      const context: DeliveryContext = { source: chunk.source, origin: ORIGIN[chunk.source], isTest: false };
      const t0 = performance.now();
      const outcomes = core.sms.ingestBatch(
        chunk.items.map((d) => ({ sender: d.sms.sender, body: d.sms.body, received_at: new Date(d.at).toISOString() })),
        context,
      );
      ingestMs += performance.now() - t0;
      ingested += chunk.items.length;
      calls.ingest_batches = (calls.ingest_batches ?? 0) + 1;
      for (const o of outcomes) {
        if (!o.ok) throw o.error;
        if (o.result.is_new) storedNew += 1;
      }
    }
  };

  const submit = (p: PlannedSession, txnid: string) =>
    attempt(calls, 'submit', () => core.payments.submit(p.id, { txnid, gateway_id: gateways[p.wallet] }));

  const anchor = (wallet: Wallet) => {
    const g = GATEWAYS[wallet];
    const outcome = attempt(calls, 'anchor', () =>
      anchorChain(core.db, auditCtx(), { provider: g.provider as 'bkash', balance: plain(balances[wallet]) }),
    );
    if (outcome && outcome.relinked.length > 0) core.payments.onBalanceRelinked(outcome.relinked);
  };
  /**
   * What staff do when the counter keeps saying CHECK FIRST (balance does not follow) for a
   * wallet: a chain whose head is more than `olderThanMs` old while several SMS after it broke
   * is stuck (an SMS never came, or something took its place); they read the balance off the
   * wallet app and re-anchor it. (The core's "missing SMS" view does not always show such a
   * chain: see docs/performance.md.)
   */
  const anchorStuck = (olderThanMs: number) => {
    for (const w of WALLETS) {
      if (!CHAINED[w]) continue;
      const provider = GATEWAYS[w].provider;
      const head = chainHeadPoint(core, provider);
      if (head && head.at > now - olderThanMs) continue;
      const after = core.db
        .prepare(
          `SELECT count(*) AS n FROM sms WHERE merchant_id = ? AND provider = ? AND balance_chain = '' AND balance_link = 'breaks'
           AND balance_at > ?`,
        )
        .get(core.shop.merchantId, provider, head?.at ?? 0) as { n: number };
      if (after.n >= 3) anchor(w);
    }
  };

  for (let epoch = 0; epoch <= EPOCHS; epoch += 1) {
    const last = epoch === EPOCHS;
    const tS = start + epoch * EPOCH;
    const tE = tS + EPOCH;
    const events: WalletEvent[] = [];
    const sessions: PlannedSession[] = [];
    const counter: { wallet: Wallet; txnid: string; amountMinor: number }[] = [];
    if (!last) {
      // ---- the epoch's plan: sessions, counter sales, reversals, and the rest of each account's SMS
      for (let i = share(opts.sessions, epoch); i > 0; i -= 1) {
        const wallet = rng.weighted(PAY_WALLETS);
        const outcome = rng.weighted(OUTCOMES);
        const createdAt = tS + Math.floor(rng.next() * (EPOCH - 45 * 60_000));
        const amountMinor = amountFor(wallet, rng);
        const payer = payerFor(wallet, rng);
        const phone = outcome === 'held_payer' ? payer : rng.chance(0.7) ? payer : null;
        const p: PlannedSession = {
          id: '',
          wallet,
          amountMinor,
          outcome,
          txnid: null,
          createdAt,
          epoch,
          order: `ORD-${epoch}-${sessions.length}`,
          phone,
        };
        sessions.push(p);
        const payAt = createdAt + rng.int(60, 300) * 1000;
        if (outcome === 'abandoned' || outcome === 'cancelled') continue;
        p.txnid = ids.next(wallet);
        if (outcome === 'spoof' || (outcome === 'forged' && !CHAINED[wallet])) {
          events.push({ at: payAt, wallet, kind: 'spoof', txnid: p.txnid, amountMinor, purpose: 'session' });
          p.outcome = 'spoof';
        } else if (outcome === 'forged') {
          events.push({ at: payAt, wallet, kind: 'forged', txnid: p.txnid, amountMinor, payer, purpose: 'session' });
        } else {
          const paid = outcome === 'held_amount' ? amountMinor + rng.pick([-1, 1]) * rng.int(1, 50) * 100 : amountMinor;
          const from = outcome === 'held_payer' && payer ? (wallet === 'mpesa' ? kePhone(rng) : bdPhone(rng)) : payer;
          events.push({
            at: payAt,
            wallet,
            kind: 'credit',
            txnid: p.txnid,
            amountMinor: Math.max(100, paid),
            payer: from,
            purpose: 'session',
          });
        }
      }
      for (let i = Math.round(sessions.length * 0.6); i > 0; i -= 1) {
        const wallet = rng.weighted(PAY_WALLETS);
        const sale = { wallet, txnid: ids.next(wallet), amountMinor: amountFor(wallet, rng) };
        counter.push(sale);
        events.push({
          at: tS + Math.floor(rng.next() * (EPOCH - 10 * 60_000)),
          wallet,
          kind: 'credit',
          txnid: sale.txnid,
          amountMinor: sale.amountMinor,
          payer: payerFor(wallet, rng),
          purpose: 'counter',
        });
      }
      for (const r of reversalsDue.get(epoch) ?? []) {
        events.push({
          at: tS + Math.floor(rng.next() * EPOCH),
          wallet: r.wallet,
          kind: 'reversal',
          original: { txnid: r.txnid, amountMinor: r.amountMinor },
        });
      }
      reversalsDue.delete(epoch);
      for (let i = share(opts.sms, epoch) - events.length; i > 0; i -= 1) {
        const wallet = rng.weighted(FILL_WALLETS);
        const kind = rng.weighted(FILL_KINDS);
        const at = tS + Math.floor(rng.next() * EPOCH);
        if (kind === 'credit')
          events.push({
            at,
            wallet,
            kind,
            txnid: ids.next(wallet),
            amountMinor: amountFor(wallet, rng),
            payer: payerFor(wallet, rng),
            purpose: 'fill',
          });
        else if (kind === 'forged' && CHAINED[wallet])
          events.push({ at, wallet, kind, txnid: ids.next(wallet), amountMinor: amountFor(wallet, rng), payer: payerFor(wallet, rng) });
        else events.push({ at, wallet, kind: kind === 'forged' ? 'noise' : kind });
      }
      writeEvents(epoch, events);
      phase('plan');

      // ---- during the epoch: sessions open; some customers type their TxnID before the SMS is in
      const actions: { at: number; run: () => void }[] = [];
      for (const p of sessions) {
        actions.push({
          at: p.createdAt,
          run: () => {
            const phone = p.phone;
            const made = attempt(calls, 'create', () =>
              core.payments.create(
                caller,
                {
                  amount: plain(p.amountMinor),
                  currency: CURRENCY[p.wallet],
                  order_id: p.order,
                  ...(phone ? { customer_phone: phone } : {}),
                  ...(rng.chance(0.5) ? { customer_name: personName(rng) } : {}),
                },
                (id) => `https://pay.example.com/pay/${id}`,
              ),
            );
            if (!made) return;
            p.id = made.body.session_id;
            plans.set(p.id, p);
            if (sampleSessions.length < 2_000) sampleSessions.push(p.id);
            else if (rng.chance(0.01)) sampleSessions[rng.int(0, 1_999)] = p.id;
          },
        });
        if (p.outcome === 'pay_submit_first' && p.txnid) {
          actions.push({ at: p.createdAt + rng.int(20, 55) * 1000, run: () => p.id && submit(p, p.txnid as string) });
        }
        if (p.outcome === 'wrong_txnid') {
          actions.push({ at: p.createdAt + rng.int(20, 55) * 1000, run: () => p.id && submit(p, ids.next(p.wallet)) });
          due(retriesDue, epoch + 1, p);
        }
      }
      actions.sort((a, b) => a.at - b.at);
      for (const a of actions) {
        now = Math.max(now, a.at);
        a.run();
      }
      phase('sessions');
    }

    // ---- the epoch's SMS come in (and late ones from before); the closing round stays at the year's end
    now = Math.max(now, last ? end : tE);
    ingestDue(epoch);
    if (last) for (const e of [...deliveriesDue.keys()].sort((a, b) => a - b)) ingestDue(e);
    phase('ingest');

    // ---- after: customers who paid first type their TxnID; retries; cancellations
    now += 60_000;
    for (const p of sessions) {
      if (!p.id || !p.txnid) continue;
      if (['pay_sms_first', 'held_amount', 'held_payer', 'forged', 'spoof'].includes(p.outcome)) {
        now += 200;
        submit(p, p.txnid);
      }
    }
    for (const p of retriesDue.get(epoch) ?? []) if (p.id && p.txnid) submit(p, p.txnid);
    retriesDue.delete(epoch);
    for (const p of sessions) if (p.id && p.outcome === 'cancelled') attempt(calls, 'cancel', () => core.payments.cancel(p.id, () => true));
    phase('submits');

    // ---- the counter: check what the customer shows, accept when PAID
    for (const sale of counter) {
      now += 1_000;
      const typed = rng.chance(0.1) ? plain(sale.amountMinor + 10_000) : rng.chance(0.5) ? plain(sale.amountMinor) : undefined;
      let check = attempt(calls, 'check', () => core.payments.check({ txnid: sale.txnid, amount: typed }));
      if (check?.verdict === 'wrong_amount')
        check = attempt(calls, 'check', () => core.payments.check({ txnid: sale.txnid, amount: plain(sale.amountMinor) }));
      if (check?.verdict === 'received' && check.sms) {
        const sms = check.sms.id;
        attempt(calls, 'accept', () => core.payments.accept({ txnid: sale.txnid, amount: plain(sale.amountMinor), sms_id: sms }, 'staff'));
      }
    }
    for (let i = Math.round(counter.length * 0.03); i > 0; i -= 1)
      attempt(calls, 'check', () => core.payments.check({ txnid: ids.next('bkash') }));
    phase('counter');

    // ---- staff: re-anchor balances whose SMS never came, decide the queue, resolve alerts
    anchorStuck(last ? 0 : HOUR);
    if (!last) {
      for (const v of core.payments.pendingVerifications(5_000)) {
        if (v.review_reasons.length === 0 || Date.parse(v.created_at) > now - 4 * HOUR) continue;
        const plan = v.session_id ? plans.get(v.session_id) : undefined;
        const approve =
          plan !== undefined &&
          (plan.outcome === 'held_payer' ? rng.chance(0.8) : plan.outcome === 'held_amount' ? rng.chance(0.6) : plan.outcome !== 'forged');
        now += 5_000;
        attempt(calls, approve ? 'approve' : 'reject', () =>
          core.payments.decide(v.verification_id, {
            result: approve ? 'success' : 'failed',
            source: rng.chance(0.7) ? 'manual' : 'apk',
            actor: 'staff',
            failureReason: approve ? null : 'Not in the wallet app.',
          }),
        );
      }
      // Staff look at an alert once; most they resolve, some stay open.
      for (const a of core.payments.openAlerts(500)) {
        if (seenAlerts.has(a.id) || Date.parse(a.created_at) > now - DAY) continue;
        seenAlerts.add(a.id);
        if (rng.chance(0.85)) attempt(calls, 'resolve_alert', () => core.payments.resolveAlert(a.id));
      }
    }
    phase('staff');

    // ---- the sweep: expire sessions past their time, fail TxnIDs whose SMS never came
    now += 5 * 60_000;
    core.sweep();
    phase('sweep');
    for (const p of sessions) if (p.id && (p.outcome === 'abandoned' || p.outcome === 'cancelled')) plans.delete(p.id);

    if (performance.now() - lastLog > 10_000 || last) {
      lastLog = performance.now();
      const s = (performance.now() - started) / 1000;
      const done = (epoch + 1) / (EPOCHS + 1);
      opts.log(
        `year: ${(done * 100).toFixed(1)}% (day ${Math.floor((epoch * EPOCH) / DAY)}), ${storedNew} SMS stored, ` +
          `${Math.round(storedNew / s)} SMS/s overall, ingest ${Math.round(ingested / (ingestMs / 1000))} deliveries/s, ` +
          `${s.toFixed(0)} s elapsed, ~${Math.max(0, s / done - s).toFixed(0)} s left; ` +
          Object.entries(phaseMs)
            .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} s`)
            .join(', '),
      );
    }
  }

  opts.log(
    `year: time by phase: ${JSON.stringify(Object.fromEntries(Object.entries(phaseMs).map(([k, v]) => [k, Math.round(v / 1000)])))}`,
  );
  // The year ends with each chain's head at the wallet's true balance, so new SMS continue it.
  for (const w of WALLETS) {
    if (!CHAINED[w]) continue;
    const head = chainHead(core, GATEWAYS[w].provider);
    if (head !== balances[w]) {
      calls.closing_anchor = (calls.closing_anchor ?? 0) + 1;
      anchor(w);
    }
  }
  if (profile) opts.log(`year: SQL by time:\n${sqlProfileReport()}`);
  const counts = readCounts(core);
  for (const name of created) core.db.exec(`DROP INDEX ${name}`);
  if (created.length > 0) core.db.exec('VACUUM');
  core.db.pragma('synchronous = FULL');
  await core.stop();
  const seconds = (performance.now() - started) / 1000;
  const info: YearInfo = {
    generator: GENERATOR_VERSION,
    user_version: schemaVersion(),
    sms_target: opts.sms,
    sessions_target: opts.sessions,
    generated_at: new Date().toISOString(),
    seconds,
    synchronous: fullSync ? 'full' : 'off',
    helper_indexes: created.length > 0,
    year: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    calls,
    counts,
    balances: { bkash: balances.bkash, nagad: balances.nagad, mpesa: balances.mpesa },
    sample_txnids: sampleTxnids,
    sample_sessions: sampleSessions,
    database_bytes: fs.statSync(path.join(dir, 'counterpay.sqlite')).size,
  };
  opts.log(
    `year: done in ${seconds.toFixed(1)} s: ${counts.sms} SMS (${Math.round(counts.sms / seconds)} SMS/s overall), ` +
      `${counts.sessions} sessions, ${counts.transactions} transactions, ${(info.database_bytes / 1e6).toFixed(1)} MB` +
      ` (synchronous=${info.synchronous}, helper indexes ${info.helper_indexes ? 'on' : 'off'})`,
  );
  return info;
}

/** The balance of a no-account wallet's (first gateway's) chain head: its latest trusted SMS or staff anchor. */
export function chainHead(core: Pick<Core, 'db' | 'shop'>, provider: string): number | null {
  return chainHeadPoint(core, provider)?.b ?? null;
}

function chainHeadPoint(core: Pick<Core, 'db' | 'shop'>, provider: string): { b: number; at: number } | null {
  const m = core.shop.merchantId;
  const sms = core.db
    .prepare(
      `SELECT balance_minor AS b, balance_at AS at FROM sms WHERE merchant_id = ? AND provider = ? AND balance_chain = ''
       AND balance_link IN ('start', 'follows') ORDER BY balance_at DESC, id DESC LIMIT 1`,
    )
    .get(m, provider) as { b: number; at: number } | undefined;
  const anchor = core.db
    .prepare(
      `SELECT balance_minor AS b, anchored_at AS at FROM balance_anchors WHERE merchant_id = ? AND provider = ? AND account_key = ''
       ORDER BY anchored_at DESC, id DESC LIMIT 1`,
    )
    .get(m, provider) as { b: number; at: number } | undefined;
  if (!sms) return anchor ?? null;
  if (!anchor) return sms;
  return anchor.at >= sms.at ? anchor : sms;
}

/** What the year left, by kind and state (raw SQL: the benchmark reads the file, it writes nothing). */
function readCounts(core: Core): YearCounts {
  const one = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
  const out: YearCounts = {
    sms: one('SELECT count(*) AS n FROM sms'),
    sms_deliveries: one('SELECT count(*) AS n FROM sms_deliveries'),
    sessions: one('SELECT count(*) AS n FROM sessions'),
    transactions: one('SELECT count(*) AS n FROM transactions'),
    staff_alerts: one('SELECT count(*) AS n FROM staff_alerts'),
    staff_alerts_open: one('SELECT count(*) AS n FROM staff_alerts WHERE resolved_at IS NULL'),
    balance_anchors: one('SELECT count(*) AS n FROM balance_anchors'),
    audit_log: one('SELECT count(*) AS n FROM audit_log'),
    outbox: one('SELECT count(*) AS n FROM outbox'),
  };
  const group = (prefix: string, sql: string) => {
    for (const r of core.db.prepare(sql).all() as { k: string | null; n: number }[]) out[`${prefix}${r.k ?? 'null'}`] = r.n;
  };
  group('sms_kind_', 'SELECT kind AS k, count(*) AS n FROM sms GROUP BY kind');
  group('sms_provider_', 'SELECT provider AS k, count(*) AS n FROM sms GROUP BY provider');
  group('sms_balance_', 'SELECT balance_link AS k, count(*) AS n FROM sms GROUP BY balance_link');
  group('delivery_', 'SELECT source AS k, count(*) AS n FROM sms_deliveries GROUP BY source');
  group('session_', 'SELECT status AS k, count(*) AS n FROM sessions GROUP BY status');
  group('transaction_', "SELECT status || ':' || coalesce(result_source, '-') AS k, count(*) AS n FROM transactions GROUP BY 1");
  group('alert_', 'SELECT kind AS k, count(*) AS n FROM staff_alerts GROUP BY kind');
  out.transactions_reversed = one('SELECT count(*) AS n FROM transactions WHERE reversed_at IS NOT NULL');
  // Re-links that went back in time: an SMS that broke long ago became the successor of a later point.
  out.balance_links_back_in_time = one(
    `SELECT count(*) AS n FROM sms s JOIN sms p ON p.id = s.balance_follows_sms WHERE s.balance_at < p.balance_at - ${HOUR}`,
  );
  return out;
}

// ---------------------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const sms = benchSmsCount();
  const t0 = performance.now();
  const { dir, info, generated } = await ensureYear(sms, { force });
  process.stdout.write(
    `${generated ? 'generated' : 'reused'} ${dir}: ${info.counts.sms} SMS, ${info.counts.sessions} sessions, ` +
      `generated in ${info.seconds.toFixed(1)} s (${Math.round(info.counts.sms / info.seconds)} SMS/s)` +
      `${generated ? '' : `, checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`}\n`,
  );
  process.stdout.write(`${JSON.stringify({ calls: info.calls, counts: info.counts })}\n`);
  process.stdout.write(
    `BENCH ${JSON.stringify({ name: 'year.generation', value: Math.round(info.counts.sms / info.seconds), unit: 'SMS/s', size: info.sms_target, seconds: Math.round(info.seconds), generated, synchronous: info.synchronous, helper_indexes: info.helper_indexes, sms: info.counts.sms, sessions: info.counts.sessions, database_bytes: info.database_bytes })}\n`,
  );
}
