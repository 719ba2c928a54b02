/**
 * Scale: the same work on an empty shop (0 stored SMS) and on a year of traffic (the generated
 * data dir, COUNTERPAY_BENCH_SMS, default 1,000,000), each beside its ceiling measured in the same
 * run (bench/_ceiling-server.ts: express + better-sqlite3 with the core's pragmas, nothing else).
 *
 * Over HTTP, against the headless core as a shop runs it (a child process, `serve`):
 *  - push-to-settled: a checkout waits on a TxnID; its bKash SMS is pushed (a batch of 1), then
 *    GET /api/payment/sessions/:id is polled until it says success. p50/p99 over 200.
 *    Ceiling: a bare POST that inserts the SMS with synchronous=FULL, then a GET of its row.
 *  - the out-of-order four-client push: four clients (two phones, a modem bridge, a forwarder,
 *    each bound as its own device) push genuine bKash SMS in batches of 100 to /api/device/sms,
 *    concurrently, for COUNTERPAY_BENCH_PUSH_SECONDS (15). The SMS follow one balance chain and
 *    are dealt out round-robin, so each batch holds every fourth SMS: nearly every SMS arrives
 *    before the one its balance follows, breaks, and is re-linked when the missing one lands.
 *    SMS/s, batch p50/p99, errors (ECONNRESET and the like, and non-200 answers).
 *    Ceiling: the same four clients and batches against the bare server's insert, into a table
 *    already holding as many SMS as the run's data dir.
 *  - TxnID lookup: the counter's check (admin rpc txnid.lookup), 1,000 sequential, p50/p99.
 *    Ceiling: a bare POST that reads the TxnID's rows on the same index of the same file.
 *
 * In-process, on the same data dir afterwards (createCore, as the shells build it):
 *  - ingest: core.sms.ingestBatch of 100 genuine bKash SMS that follow the chain, 5 s.
 *    Ceiling: better-sqlite3 inserting the same batches (one IMMEDIATE transaction each, FULL)
 *    into a table already holding as many SMS as the run's data dir (bench/_bare-sms.ts).
 *  - TxnID lookup in the repository (SmsRepo.byTxnid) and the whole counter check
 *    (core.payments.check), p50/p99. Ceiling: a primary-key read on the same connection.
 *
 * Rate limits are raised through config.json in the copies (the seed's 120 SMS uploads and 60
 * session creations a minute would otherwise be what is measured).
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
  removeDir,
  round,
  sizeLabel,
  startCeiling,
  startHeadless,
  stats,
  writeBenchConfig,
  type Ceiling,
  type Headless,
} from './_util';
import { BARE_SMS_TABLE, corePragmas, prefillSms } from './_bare-sms';
import { Rng, TxnIds, bdPhone, creditSms } from './_wallets';
import { benchSmsCount, chainHead, copyDataDir, emptyShopDir, ensureYear } from './_year';

const PUSH_SECONDS = Number(process.env.COUNTERPAY_BENCH_PUSH_SECONDS ?? 15);
const SETTLE_N = 200;
const LOOKUPS = 1_000;
const BATCH = 100;
const CLIENTS = ['phone-a', 'phone-b', 'modem-bridge', 'forwarder-app'];

/** Genuine bKash credits whose balances follow one another, from a starting balance. */
class BkashStream {
  private readonly rng: Rng;
  private readonly ids: TxnIds;
  private balance: number;
  readonly txnids: string[] = [];
  constructor(startBalance: number, seed: number) {
    this.rng = new Rng(seed);
    this.ids = new TxnIds(this.rng);
    this.balance = startBalance;
  }
  next(amountMinor = this.rng.int(50, 5_000) * 100): {
    sender: string;
    body: string;
    received_at: string;
    txnid: string;
    amountMinor: number;
  } {
    const at = Date.now();
    const txnid = this.ids.next('bkash');
    this.balance += amountMinor;
    this.txnids.push(txnid);
    const sms = creditSms('bkash', { txnid, amountMinor, balanceMinor: this.balance, at, payer: bdPhone(this.rng), rng: this.rng });
    return { ...sms, received_at: new Date(at).toISOString(), txnid, amountMinor };
  }
  get head(): number {
    return this.balance;
  }
  /** A credit of this amount happened (its SMS built elsewhere): the balance moves on. */
  credit(amountMinor: number, txnid: string): number {
    this.balance += amountMinor;
    this.txnids.push(txnid);
    return this.balance;
  }
}

interface SizeRun {
  size: number;
  dir: string;
  startBalance: number;
  sampleTxnids: string[];
}

async function pushFourClients(
  target: (client: JsonClient, name: string, messages: unknown[]) => Promise<{ status: number; accepted: number; ms: number }>,
  stream: BkashStream,
): Promise<{ perSecond: number; accepted: number; batches: number[]; errors: Record<string, number>; non200: number; seconds: number }> {
  // The chain is dealt round-robin: client k gets SMS k, k+4, k+8, ... of one balance sequence.
  const queues: unknown[][] = CLIENTS.map(() => []);
  let dealt = 0;
  const refill = (k: number) => {
    while ((queues[k] as unknown[]).length < BATCH) {
      const m = stream.next();
      (queues[dealt % CLIENTS.length] as unknown[]).push({ sender: m.sender, body: m.body, received_at: m.received_at });
      dealt += 1;
    }
  };
  const batches: number[] = [];
  let accepted = 0;
  let non200 = 0;
  const clients = CLIENTS.map(() => new JsonClient(1));
  const t0 = performance.now();
  const deadline = t0 + PUSH_SECONDS * 1000;
  await Promise.all(
    CLIENTS.map(async (name, k) => {
      const client = clients[k] as JsonClient;
      while (performance.now() < deadline) {
        refill(k);
        const batch = (queues[k] as unknown[]).splice(0, BATCH);
        try {
          const r = await target(client, name, batch);
          batches.push(r.ms);
          if (r.status === 200) accepted += r.accepted;
          else non200 += 1;
        } catch {
          // counted by the client (ECONNRESET, …); the phone would retry later
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const errors: Record<string, number> = {};
  for (const c of clients) {
    for (const [code, n] of c.errors) errors[code] = (errors[code] ?? 0) + n;
    c.close();
  }
  return { perSecond: accepted / seconds, accepted, batches, errors, non200, seconds };
}

async function overHttp(run: SizeRun): Promise<void> {
  const { size, dir } = run;
  const keys = readKeyFile(dir);
  if (!keys) throw new Error(`no keys.json in ${dir}`);
  const core: Headless = await startHeadless(dir);
  const ceiling: Ceiling = await startCeiling({ readDb: path.join(dir, 'counterpay.sqlite'), ownDir: dir, prefill: size });
  ceiling.pause();
  const api = new JsonClient(1);
  const rpc = (name: string, arg: unknown) =>
    api.post(`${core.urls.admin}/api/admin/rpc/${name}`, arg, { authorization: `Bearer ${keys.admin_token}` });
  const stream = new BkashStream(run.startBalance, Date.now() % 1_000_000_007);
  try {
    const gateways = (await rpc('gateways.list', {})).json as { result: { gateways: { id: number; provider: string }[] } };
    const bkash = gateways.result.gateways.find((g) => g.provider === 'bkash');
    if (!bkash) throw new Error('no bKash gateway');
    for (const device of CLIENTS) {
      const bound = await api.post(`${core.urls.device}/api/device/bind`, {
        auth_key: keys.device_auth_key,
        device_id: device,
        model: 'bench',
      });
      if (bound.status !== 200) throw new Error(`bind ${device}: ${bound.status} ${JSON.stringify(bound.json)}`);
    }

    // ---- push-to-settled
    const waiting: { id: string; txnid: string; amountMinor: number }[] = [];
    const rng = new Rng(7);
    const ids = new TxnIds(new Rng(Date.now() % 2_147_483_647));
    for (let i = 0; i < SETTLE_N; i += 1) {
      const amountMinor = rng.int(50, 5_000) * 100;
      const made = await api.post(
        `${core.urls.public}/api/payment/sessions`,
        { amount: (amountMinor / 100).toFixed(2), order_id: `BENCH-SETTLE-${Date.now()}-${i}` },
        { 'x-api-key': keys.api_key },
      );
      if (made.status !== 201) throw new Error(`create: ${made.status} ${JSON.stringify(made.json)}`);
      const id = (made.json as { session_id: string }).session_id;
      const txnid = ids.next('bkash');
      const submitted = await api.post(`${core.urls.public}/api/checkout/${id}/submit`, { txnid, gateway_id: bkash.id });
      if (submitted.status !== 202) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.json)}`);
      waiting.push({ id, txnid, amountMinor });
    }
    const settle: number[] = [];
    let unsettled = 0;
    let firstPoll = 0;
    for (const w of waiting) {
      const at = Date.now();
      const balanceMinor = stream.credit(w.amountMinor, w.txnid);
      const body = creditSms('bkash', { txnid: w.txnid, amountMinor: w.amountMinor, balanceMinor, at, payer: bdPhone(rng), rng }).body;
      const t0 = performance.now();
      const pushed = await api.post(`${core.urls.device}/api/device/sms`, {
        auth_key: keys.device_auth_key,
        device_id: CLIENTS[0],
        messages: [{ sender: 'bKash', body, received_at: new Date(at).toISOString() }],
      });
      if (pushed.status !== 200) throw new Error(`push: ${pushed.status} ${JSON.stringify(pushed.json)}`);
      let polls = 0;
      for (;;) {
        polls += 1;
        const got = await api.get(`${core.urls.public}/api/payment/sessions/${w.id}`, { 'x-api-key': keys.api_key });
        if ((got.json as { session?: { status?: string } }).session?.status === 'success') {
          settle.push(performance.now() - t0);
          if (polls === 1) firstPoll += 1;
          break;
        }
        if (performance.now() - t0 > 5_000) {
          unsettled += 1;
          break;
        }
      }
    }

    // ---- the four-client out-of-order push
    const push = await pushFourClients(async (client, name, messages) => {
      const r = await client.post(`${core.urls.device}/api/device/sms`, { auth_key: keys.device_auth_key, device_id: name, messages });
      return { status: r.status, accepted: (r.json as { accepted?: number }).accepted ?? 0, ms: r.ms };
    }, stream);

    // ---- TxnID lookup at the counter
    const lookupRng = new Rng(11);
    const pool = [...run.sampleTxnids, ...stream.txnids];
    const lookups = Array.from({ length: LOOKUPS }, () => lookupRng.pick(pool));
    const lookupMs: number[] = [];
    const verdicts = new Map<string, number>();
    for (const txnid of lookups) {
      const r = await rpc('txnid.lookup', { txnid });
      lookupMs.push(r.ms);
      const v = (r.json as { result?: { verdict?: string } }).result?.verdict ?? `http ${r.status}`;
      verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
    }

    // ---- the same work against the ceiling, the core paused
    core.pause();
    ceiling.resume();
    const bare = new JsonClient(1);
    const bareSettle: number[] = [];
    for (let i = 0; i < SETTLE_N; i += 1) {
      const m = stream.next();
      const t0 = performance.now();
      const r = await bare.post(`${ceiling.url}/sms`, { messages: [{ sender: m.sender, body: m.body, received_at: m.received_at }] });
      const id = (r.json as { results: { sms_id: number }[] }).results[0]?.sms_id;
      await bare.get(`${ceiling.url}/sms/${id}`);
      bareSettle.push(performance.now() - t0);
    }
    const barePush = await pushFourClients(
      async (client, _name, messages) => {
        const r = await client.post(`${ceiling.url}/sms`, { messages });
        return { status: r.status, accepted: (r.json as { accepted?: number }).accepted ?? 0, ms: r.ms };
      },
      new BkashStream(0, 99),
    );
    const bareLookup: number[] = [];
    for (const txnid of lookups) bareLookup.push((await bare.post(`${ceiling.url}/lookup`, { txnid })).ms);
    bare.close();
    ceiling.pause();
    core.resume();

    const s = stats(settle);
    const bs = stats(bareSettle);
    const b = stats(push.batches);
    const bb = stats(barePush.batches);
    const l = stats(lookupMs);
    const bl = stats(bareLookup);
    const errors = Object.values(push.errors).reduce((x, y) => x + y, 0);
    process.stdout.write(
      `scale-push @${sizeLabel(size)}: push-to-settled p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms ` +
        `(${s.n}/${SETTLE_N} settled, ${firstPoll} at the first GET; bare POST+GET p50 ${bs.p50.toFixed(2)} / p99 ${bs.p99.toFixed(2)} ms)\n` +
        `scale-push @${sizeLabel(size)}: 4 clients, batches of ${BATCH}, out of balance order: ${Math.round(push.perSecond)} SMS/s ` +
        `(${push.accepted} accepted in ${push.seconds.toFixed(1)} s), batch p50 ${b.p50.toFixed(1)} ms, p99 ${b.p99.toFixed(1)} ms, ` +
        `errors ${errors} ${JSON.stringify(push.errors)}, non-200 ${push.non200}; bare ${Math.round(barePush.perSecond)} SMS/s ` +
        `(batch p50 ${bb.p50.toFixed(1)}, p99 ${bb.p99.toFixed(1)} ms)\n` +
        `scale-push @${sizeLabel(size)}: txnid.lookup over HTTP p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms ` +
        `(${JSON.stringify(Object.fromEntries(verdicts))}); bare lookup p50 ${bl.p50.toFixed(2)} / p99 ${bl.p99.toFixed(2)} ms\n`,
    );
    const common = { size };
    emit({
      ...common,
      name: 'push_to_settled.p50',
      value: round(s.p50),
      unit: 'ms',
      better: 'lower',
      ceiling: round(bs.p50),
      ceiling_name: 'bare POST (insert, FULL) + GET',
    });
    emit({
      ...common,
      name: 'push_to_settled.p99',
      value: round(s.p99),
      unit: 'ms',
      better: 'lower',
      ceiling: round(bs.p99),
      ceiling_name: 'bare POST (insert, FULL) + GET',
      settled: s.n,
      of: SETTLE_N,
      unsettled,
    });
    emit({
      ...common,
      name: 'push.sms_per_s',
      value: Math.round(push.perSecond),
      unit: 'SMS/s',
      better: 'higher',
      ceiling: Math.round(barePush.perSecond),
      ceiling_name: 'bare express + better-sqlite3 insert, same 4 clients',
      accepted: push.accepted,
      seconds: round(push.seconds, 1),
    });
    emit({
      ...common,
      name: 'push.batch_p50',
      value: round(b.p50, 1),
      unit: 'ms',
      better: 'lower',
      ceiling: round(bb.p50, 1),
      ceiling_name: 'bare insert batch',
    });
    emit({
      ...common,
      name: 'push.batch_p99',
      value: round(b.p99, 1),
      unit: 'ms',
      better: 'lower',
      ceiling: round(bb.p99, 1),
      ceiling_name: 'bare insert batch',
    });
    emit({
      ...common,
      name: 'push.errors',
      value: errors + push.non200,
      unit: 'errors',
      better: 'lower',
      econnreset: push.errors.ECONNRESET ?? 0,
      by_code: push.errors,
      non200: push.non200,
      batches: b.n,
    });
    emit({
      ...common,
      name: 'lookup.http.p50',
      value: round(l.p50, 3),
      unit: 'ms',
      better: 'lower',
      ceiling: round(bl.p50, 3),
      ceiling_name: 'bare express + indexed SELECT',
    });
    emit({
      ...common,
      name: 'lookup.http.p99',
      value: round(l.p99, 3),
      unit: 'ms',
      better: 'lower',
      ceiling: round(bl.p99, 3),
      ceiling_name: 'bare express + indexed SELECT',
      verdicts: Object.fromEntries(verdicts),
    });
  } finally {
    api.close();
    await ceiling.stop();
    await core.stop();
  }
}

async function inProcess(run: SizeRun): Promise<void> {
  const { size, dir } = run;
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
  const bareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-bare-'));
  try {
    // ---- ingest: batches of 100 genuine bKash SMS that follow the chain from its head
    const head = chainHead(core, 'bkash') ?? 1_000_000;
    const stream = new BkashStream(head, 4242);
    const batchOf = () =>
      Array.from({ length: BATCH }, () => stream.next()).map(({ sender, body, received_at }) => ({ sender, body, received_at }));
    const context = { source: 'apk' as const, origin: 'bench-in-process', isTest: false };
    for (let i = 0; i < 5; i += 1) core.sms.ingestBatch(batchOf(), context);
    const since = Date.now();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 5_000) {
      core.sms.ingestBatch(batchOf(), context);
      n += BATCH;
    }
    const ingestRate = n / ((performance.now() - t0) / 1000);
    const links = core.db
      .prepare("SELECT balance_link AS l, count(*) AS n FROM sms WHERE provider = 'bkash' AND created_at >= ? GROUP BY 1")
      .all(since) as { l: string; n: number }[];
    const followed = links.filter((x) => x.l === 'follows' || x.l === 'start').reduce((a, x) => a + x.n, 0);

    const bare = new Database(path.join(bareDir, 'bare.sqlite'));
    corePragmas(bare);
    bare.exec(BARE_SMS_TABLE);
    prefillSms(bare, size);
    const insert = bare.prepare(
      'INSERT INTO sms (fingerprint, sender, body, received_at, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING',
    );
    const insertBatch = bare.transaction((rows: { sender: string; body: string; received_at: string; txnid: string }[]) => {
      for (const r of rows) insert.run(r.txnid, r.sender, r.body, r.received_at, Date.now());
    });
    let bn = 0;
    const b0 = performance.now();
    while (performance.now() - b0 < 5_000) {
      insertBatch.immediate(Array.from({ length: BATCH }, () => stream.next()));
      bn += BATCH;
    }
    const bareRate = bn / ((performance.now() - b0) / 1000);
    bare.close();

    // ---- lookups: TxnIDs of the year's sample and of the SMS just ingested
    const rng = new Rng(5);
    const pool = [...run.sampleTxnids, ...stream.txnids.slice(0, n + 5 * BATCH)];
    const merchant = core.shop.merchantId;
    const byTxnid = core.sms.smsRepo.byTxnid;
    for (let i = 0; i < 2_000; i += 1) byTxnid(merchant, false, rng.pick(pool));
    const repoMs: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const txnid = rng.pick(pool);
      const t = performance.now();
      byTxnid(merchant, false, txnid);
      repoMs.push(performance.now() - t);
    }
    const maxId = (core.db.prepare('SELECT max(id) AS m FROM sms').get() as { m: number }).m;
    const pk = core.db.prepare('SELECT * FROM sms WHERE id = ?');
    const pkMs: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const id = rng.int(1, maxId);
      const t = performance.now();
      pk.get(id);
      pkMs.push(performance.now() - t);
    }
    const checkMs: number[] = [];
    for (let i = 0; i < 5_000; i += 1) {
      const txnid = rng.pick(pool);
      const t = performance.now();
      core.payments.check({ txnid });
      checkMs.push(performance.now() - t);
    }
    const r = stats(repoMs);
    const p = stats(pkMs);
    const c = stats(checkMs);
    process.stdout.write(
      `scale-push @${sizeLabel(size)}: in-process ingest ${Math.round(ingestRate)} SMS/s (batches of ${BATCH}; chain ${JSON.stringify(Object.fromEntries(links.map((x) => [x.l, x.n])))}); ` +
        `bare better-sqlite3 insert ${Math.round(bareRate)} SMS/s\n` +
        `scale-push @${sizeLabel(size)}: repository lookup (SmsRepo.byTxnid) p50 ${r.p50.toFixed(4)} ms, p99 ${r.p99.toFixed(4)} ms; ` +
        `primary-key read p50 ${p.p50.toFixed(4)} / p99 ${p.p99.toFixed(4)} ms; counter check (payments.check) p50 ${c.p50.toFixed(3)} ms, p99 ${c.p99.toFixed(3)} ms\n`,
    );
    emit({
      size,
      name: 'ingest.in_process',
      value: Math.round(ingestRate),
      unit: 'SMS/s',
      better: 'higher',
      ceiling: Math.round(bareRate),
      ceiling_name: 'better-sqlite3 batch insert, FULL',
      followed,
      of: n + 5 * BATCH,
    });
    emit({
      size,
      name: 'lookup.repo.p50',
      value: round(r.p50, 4),
      unit: 'ms',
      better: 'lower',
      ceiling: round(p.p50, 4),
      ceiling_name: 'primary-key read',
    });
    emit({
      size,
      name: 'lookup.repo.p99',
      value: round(r.p99, 4),
      unit: 'ms',
      better: 'lower',
      ceiling: round(p.p99, 4),
      ceiling_name: 'primary-key read',
    });
    emit({
      size,
      name: 'lookup.check.p50',
      value: round(c.p50, 3),
      unit: 'ms',
      better: 'lower',
      ceiling: round(r.p50, 4),
      ceiling_name: 'repository lookup',
    });
    emit({
      size,
      name: 'lookup.check.p99',
      value: round(c.p99, 3),
      unit: 'ms',
      better: 'lower',
      ceiling: round(r.p99, 4),
      ceiling_name: 'repository lookup',
    });
  } finally {
    fs.rmSync(bareDir, { recursive: true, force: true });
    await core.stop();
  }
}

const N = benchSmsCount();
const year = await ensureYear(N);
/** A fresh data dir of the size for each phase, so each starts at its size (0, or the year). */
const sizes: { size: number; make: () => Promise<SizeRun> }[] = [
  { size: 0, make: async () => ({ size: 0, dir: await emptyShopDir(), startBalance: 1_000_000, sampleTxnids: [] }) },
  {
    size: N,
    make: async () => ({
      size: N,
      dir: copyDataDir(year.dir),
      startBalance: year.info.balances.bkash ?? 1_000_000,
      sampleTxnids: year.info.sample_txnids,
    }),
  },
];
for (const { make } of sizes) {
  const http = await make();
  try {
    writeBenchConfig(http.dir);
    await overHttp(http);
  } finally {
    removeDir(http.dir);
  }
  const local = await make();
  try {
    await inProcess(local);
  } finally {
    removeDir(local.dir);
  }
}
