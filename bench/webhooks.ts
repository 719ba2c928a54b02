/**
 * Merchant webhooks (issue 12), in process (createCore, as the shells build it):
 *  - delivery rate: 2,000 session events committed while the worker is idle, then the time for
 *    the worker to hand them to their URL, sign, POST and record every attempt, to a real HTTP
 *    receiver on 127.0.0.1 that answers 200 (in this process too: it shares the CPU).
 *  - the outbox's cost per state change: the time a cancel takes in its IMMEDIATE transaction
 *    (its two outbox rows included), and the time the two outbox rows alone add (the same
 *    enqueue, 2,000 times inside one transaction, so no fsync is counted twice).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createCore, loadConfig } from '../src-main/core';
import { writeTransaction } from '../src-main/core/db';
import { silentLogger } from '../src-main/core/logging';
import { enqueueSessionChange } from '../src-main/core/outbox';
import { emit, round, stats } from './_util';

const EVENTS = 2_000;

class RollBack extends Error {}

const received = { n: 0 };
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received.n += 1;
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('SUCCESS');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-webhooks-'));
fs.writeFileSync(
  path.join(dir, 'config.json'),
  JSON.stringify({ webhooks: { allowPrivate: true }, rateLimits: { sessionCreate: { limit: 1_000_000, windowMs: 60_000 } } }),
);
// Not listening: the worker runs only when flushed, so the events wait in the outbox first.
const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
const db = core.db;
db.prepare('INSERT INTO webhook_endpoints (brand_id, is_test, url, updated_at) VALUES (?, 0, ?, ?)').run(
  core.shop.brandId,
  url,
  Date.now(),
);

// ---- the outbox's cost per state change
const ids: string[] = [];
for (let i = 0; i < EVENTS; i += 1) {
  ids.push(core.payments.create(caller, { amount: '100.00', order_id: `WH-${i}` }, (id) => `http://x/pay/${id}`).body.session_id);
}
const cancelTimes: number[] = [];
for (const id of ids) {
  const t0 = performance.now();
  core.payments.cancel(id, () => true);
  cancelTimes.push(performance.now() - t0);
}
const cancel = stats(cancelTimes);
const view = core.payments.recentSessions(1)[0];
if (!view) throw new Error('no session');
const t0 = performance.now();
let outboxUs = 0;
try {
  writeTransaction(db, () => {
    for (let i = 0; i < EVENTS; i += 1) enqueueSessionChange(db, core.shop.merchantId, view, Date.now());
    outboxUs = ((performance.now() - t0) * 1000) / EVENTS;
    // Measured, not kept: the outbox rows of this loop are not events anyone should receive.
    throw new RollBack();
  });
} catch (err) {
  if (!(err instanceof RollBack)) throw err;
}
process.stdout.write(
  `webhooks: a cancel (state change, IMMEDIATE transaction, fsync) p50 ${cancel.p50.toFixed(3)} ms, mean ${cancel.mean.toFixed(3)} ms; ` +
    `its two outbox rows alone ${outboxUs.toFixed(1)} µs (${((outboxUs / 1000 / cancel.mean) * 100).toFixed(1)}% of the mean)\n`,
);
emit({ name: 'webhooks.outbox_per_change', value: round(outboxUs, 1), unit: 'µs', better: 'lower', change_mean_ms: round(cancel.mean, 3) });
emit({ name: 'webhooks.state_change.p50', value: round(cancel.p50, 3), unit: 'ms', better: 'lower' });

// ---- delivery rate
const d0 = performance.now();
await core.webhooks.flush();
const seconds = (performance.now() - d0) / 1000;
const delivered = (db.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivered'").get() as { n: number }).n;
process.stdout.write(
  `webhooks: ${delivered}/${EVENTS} events delivered to a local receiver in ${seconds.toFixed(2)} s: ${Math.round(delivered / seconds)} events/s ` +
    `(receiver got ${received.n})\n`,
);
emit({
  name: 'webhooks.delivered_per_s',
  value: Math.round(delivered / seconds),
  unit: 'events/s',
  better: 'higher',
  delivered,
  of: EVENTS,
});

await core.stop();
server.close();
fs.rmSync(dir, { recursive: true, force: true });
