/**
 * Scratch profiler (not a benchmark; run by hand): in-process ingest of chained bKash SMS on a
 * data dir given as argv[2] (a copy is made), with the per-statement SQL profile.
 */
import { enableSqlProfile, sqlProfileReport } from './_sqlprofile';
if (process.env.SQLPROF) enableSqlProfile();
const { createCore, loadConfig } = await import('../src-main/core');
const { silentLogger } = await import('../src-main/core/logging');
const { Rng, TxnIds, bdPhone, creditSms } = await import('./_wallets');
const { chainHead, copyDataDir, emptyShopDir } = await import('./_year');

const src = process.argv[2];
const dir = src ? copyDataDir(src) : await emptyShopDir();
const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
if (process.env.PRAGMAS) for (const p of process.env.PRAGMAS.split(';')) core.db.pragma(p);
let balance = chainHead(core, 'bkash') ?? 1_000_000;
const rng = new Rng(4242);
const ids = new TxnIds(rng);
const batchOf = () =>
  Array.from({ length: 100 }, () => {
    const amountMinor = rng.int(50, 5000) * 100;
    balance += amountMinor;
    const at = Date.now();
    const sms = creditSms('bkash', { txnid: ids.next('bkash'), amountMinor, balanceMinor: balance, at, payer: bdPhone(rng), rng });
    return { sender: sms.sender, body: sms.body, received_at: new Date(at).toISOString() };
  });
const context = { source: 'apk' as const, origin: 'prof', isTest: false };
for (let i = 0; i < 5; i += 1) core.sms.ingestBatch(batchOf(), context);
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < 5000) {
  core.sms.ingestBatch(batchOf(), context);
  n += 100;
}
const secs = (performance.now() - t0) / 1000;
process.stdout.write(`ingest ${Math.round(n / secs)} SMS/s\n${sqlProfileReport(30)}\n`);
await core.stop();
