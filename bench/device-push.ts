/**
 * The phone's side over real HTTP against a full core (createCore + listen, temp dir, ports 0):
 *
 *  - SMS accepted per second through POST /api/device/sms, one phone sending one request after
 *    another, in batches of 1 (a phone forwarding as SMS arrive) and of 50 (its retry queue).
 *    Every message is unique (fixture mix + a counter), so each is a new row: the expensive case.
 *  - push-to-success: N pending sessions each with a submitted TxnID; for each, the time from
 *    starting the /sms request with its matching bKash credit until the core emits the session's
 *    `success` event (core.bus), and until a GET /api/payment/sessions/:id issued right after the
 *    /sms answer says success (what a merchant backend polling would see at best).
 *
 * The deviceSms and sessionCreate limits are raised through config.json in the data dir (the
 * defaults, 120 and 60 a minute, would otherwise be what is measured).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDER_IDS } from '../src-shared/providers';
import { createCore, loadConfig } from '../src-main/core';
import { silentLogger } from '../src-main/core/logging';
import { addGateway } from '../src-main/core/shop';
import { emit } from './_util';

const N_SESSIONS = 200;
const THROUGHPUT_MS = 3_000;
const DEVICE = 'bench-phone';

const fixtures = fileURLToPath(new URL('../test/fixtures/sms/', import.meta.url));
const mix = PROVIDER_IDS.flatMap((p) =>
  (JSON.parse(fs.readFileSync(path.join(fixtures, `${p}.json`), 'utf8')) as { sender: string; body: string }[]).map(({ sender, body }) => ({
    sender,
    body,
  })),
);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-device-push-'));
fs.writeFileSync(
  path.join(dataDir, 'config.json'),
  JSON.stringify({
    rateLimits: {
      deviceSms: { limit: 1_000_000, windowMs: 60_000 },
      sessionCreate: { limit: 1_000_000, windowMs: 60_000 },
    },
  }),
);
const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1', adminHost: '127.0.0.1' }, {});
const core = createCore(config, { logger: silentLogger(), rendererDir: null });
const urls = await core.listen();
addGateway(
  core.db,
  { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'bench' },
  { provider: 'bkash', account: '01799999999' },
);
const authKey = core.shop.keys.device_auth_key;
const apiKey = core.shop.keys.api_key;

async function post(
  base: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function sessionStatus(id: string): Promise<string> {
  const res = await fetch(`${urls.public}/api/payment/sessions/${id}`, { headers: { 'X-API-Key': apiKey } });
  return ((await res.json()) as { session: { status: string } }).session.status;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const bound = await post(urls.device, '/api/device/bind', { auth_key: authKey, device_id: DEVICE, model: 'bench' });
if (bound.status !== 200) throw new Error(`bind failed: ${JSON.stringify(bound.json)}`);

// ---- push-to-success (first, on a fresh database) ----
const sessionIds: string[] = [];
const txnids: string[] = [];
for (let i = 0; i < N_SESSIONS; i += 1) {
  const created = await post(
    urls.public,
    '/api/payment/sessions',
    { amount: 500, order_id: `BENCH-${i}`, customer_phone: '01712345678' },
    { 'X-API-Key': apiKey },
  );
  const id = (created.json as { session_id: string }).session_id;
  const txnid = `BKP${String(i).padStart(7, '0')}`;
  const submitted = await post(urls.public, `/api/checkout/${id}/submit`, { txnid });
  if (submitted.status !== 202) throw new Error(`submit ${i}: ${submitted.status} ${JSON.stringify(submitted.json)}`);
  sessionIds.push(id);
  txnids.push(txnid);
}

const successAt = new Map<string, number>();
const unsubscribe = core.bus.on('session', (view) => {
  if (view.status === 'success' && !successAt.has(view.id)) successAt.set(view.id, performance.now());
});

// Each credit reports the balance the previous one left plus 500, so the balance rule (R6)
// lets it settle by itself, as it would on a real wallet.
const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
let balanceMinor = 1_000_000;
const toEvent: number[] = [];
const toPoll: number[] = [];
let settledByPoll = 0;
for (let i = 0; i < N_SESSIONS; i += 1) {
  balanceMinor += 50_000;
  const id = sessionIds[i] as string;
  const message = {
    sender: 'bKash',
    body: `You have received Tk 500.00 from 01712345678. Ref ${i}. Fee Tk 0.00. Balance Tk ${money(balanceMinor)}. TrxID ${txnids[i]} at 12/05/2026 11:25`,
  };
  const t0 = performance.now();
  const pushed = await post(urls.device, '/api/device/sms', { auth_key: authKey, device_id: DEVICE, messages: [message] });
  if (pushed.status !== 200) throw new Error(`push ${i}: ${pushed.status}`);
  const status = await sessionStatus(id);
  const t1 = performance.now();
  if (status === 'success') {
    settledByPoll += 1;
    toPoll.push(t1 - t0);
  }
  const at = successAt.get(id);
  if (at !== undefined) toEvent.push(at - t0);
}
unsubscribe();

// ---- SMS accepted per second ----
let counter = 0;
async function throughput(batchSize: number): Promise<{ perSecond: number; sent: number; accepted: number }> {
  let sent = 0;
  let accepted = 0;
  const start = performance.now();
  while (performance.now() - start < THROUGHPUT_MS) {
    const messages = [];
    for (let i = 0; i < batchSize; i += 1, counter += 1) {
      const m = mix[counter % mix.length] as { sender: string; body: string };
      messages.push({ sender: m.sender, body: `${m.body} #${counter}` });
    }
    const res = await post(urls.device, '/api/device/sms', { auth_key: authKey, device_id: DEVICE, messages });
    if (res.status !== 200) throw new Error(`sms batch: ${res.status} ${JSON.stringify(res.json)}`);
    sent += batchSize;
    accepted += (res.json as { accepted: number }).accepted;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: Math.round(accepted / seconds), sent, accepted };
}

// A short warm-up so the first figure is not JIT and connection setup.
await throughput(1).catch(() => undefined);
for (const size of [1, 50]) {
  const r = await throughput(size);
  process.stdout.write(
    `device-push batch=${size}: ${r.perSecond} SMS/s (${r.accepted}/${r.sent} accepted over HTTP, one phone, sequential requests)\n`,
  );
  emit({ name: `device_push.batch${size}`, value: r.perSecond, unit: 'SMS/s', better: 'higher' });
}

const sortedEvent = [...toEvent].sort((a, b) => a - b);
const sortedPoll = [...toPoll].sort((a, b) => a - b);
process.stdout.write(
  `push-to-success: p50 ${percentile(sortedEvent, 50).toFixed(2)} ms, p99 ${percentile(sortedEvent, 99).toFixed(2)} ms (n=${sortedEvent.length}; /sms sent → session success event)\n`,
);
process.stdout.write(
  `push-to-success via GET: p50 ${percentile(sortedPoll, 50).toFixed(2)} ms, p99 ${percentile(sortedPoll, 99).toFixed(2)} ms (n=${settledByPoll}/${N_SESSIONS}; /sms sent → its answer → GET /api/payment/sessions/:id says success)\n`,
);

const r2 = (v: number) => Math.round(v * 100) / 100;
emit({ name: 'device_push.to_success_event.p50', value: r2(percentile(sortedEvent, 50)), unit: 'ms', better: 'lower' });
emit({ name: 'device_push.to_success_event.p99', value: r2(percentile(sortedEvent, 99)), unit: 'ms', better: 'lower' });
emit({ name: 'device_push.to_success_get.p50', value: r2(percentile(sortedPoll, 50)), unit: 'ms', better: 'lower' });
emit({ name: 'device_push.to_success_get.p99', value: r2(percentile(sortedPoll, 99)), unit: 'ms', better: 'lower' });

await core.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
