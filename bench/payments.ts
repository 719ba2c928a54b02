/**
 * The merchant side under load, against the running headless server (a child process, as
 * a shop runs it), with autocannon in this process as the load generator:
 *   - sessions created per second (POST /api/payment/sessions, a new order_id each time);
 *   - GET /api/payment/sessions/:id per second and its latency p50/p99;
 * and, in-process, the time from an SMS ingested to its pending session showing success,
 * p50/p99 over 1,000 late matches. Rate limits are raised for the run (config.json).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createCore, loadConfig } from '../src-main/core';
import { silentLogger } from '../src-main/core/logging';
import { addGateway } from '../src-main/core/shop';
import { emit } from './_util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'src-main/headless/main.ts');
const RAISED = { rateLimits: { sessionCreate: { limit: 1_000_000, windowMs: 60_000 } }, log: { level: 'warn' } };

function cli(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args, '--data-dir', dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

async function startServer(dataDir: string): Promise<{ publicUrl: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, 'serve', '--data-dir', dataDir, '--public-port', '0', '--device-port', '0', '--admin-port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, COUNTERPAY_LOG_LEVEL: 'warn' },
    },
  );
  const lines = readline.createInterface({ input: child.stdout });
  const publicUrl = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^ready public=(\S+) /.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return {
    publicUrl,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function overHttp(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-pay-'));
  fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(RAISED));
  cli(dataDir, ['gateway', 'add', '--provider', 'bkash', '--account', '01711111111']);
  const keys = JSON.parse(cli(dataDir, ['keys', '--json'])) as { api_key: string };
  const server = await startServer(dataDir);
  try {
    let n = 0;
    const create = await run({
      url: `${server.publicUrl}/api/payment/sessions`,
      method: 'POST',
      connections: 10,
      duration: 5,
      headers: { 'content-type': 'application/json', 'x-api-key': keys.api_key },
      requests: [
        {
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ amount: '500.00', order_id: `B-${process.pid}-${(n += 1)}` }) }),
        },
      ],
    });
    process.stdout.write(
      `sessions create: ${Math.round(create.requests.average)} req/s (p50 ${create.latency.p50} ms, p99 ${create.latency.p99} ms, ` +
        `${create['2xx']} created, ${create.non2xx} non-2xx, 10 connections, 5 s)\n`,
    );
    emit({ name: 'sessions.create', value: Math.round(create.requests.average), unit: 'req/s', better: 'higher' });
    emit({ name: 'sessions.create.p99', value: create.latency.p99, unit: 'ms', better: 'lower' });
    const made = await fetch(`${server.publicUrl}/api/payment/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.api_key },
      body: JSON.stringify({ amount: '500.00', order_id: 'BENCH-GET' }),
    });
    const { session_id: id } = (await made.json()) as { session_id: string };
    const get = await run({
      url: `${server.publicUrl}/api/payment/sessions/${id}`,
      connections: 20,
      duration: 5,
      headers: { 'x-api-key': keys.api_key },
    });
    process.stdout.write(
      `sessions get: ${Math.round(get.requests.average)} req/s (p50 ${get.latency.p50} ms, p99 ${get.latency.p99} ms, ` +
        `${get.non2xx} non-2xx, 20 connections, 5 s)\n`,
    );
    emit({ name: 'sessions.get_20c', value: Math.round(get.requests.average), unit: 'req/s', better: 'higher' });
    emit({ name: 'sessions.get_20c.p99', value: get.latency.p99, unit: 'ms', better: 'lower' });
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function lateMatches(count: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-late-'));
  const core = createCore(loadConfig({ dataDir }, {}), { logger: silentLogger(), rendererDir: null });
  try {
    const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'bench' };
    const gateway = addGateway(core.db, ctx, { provider: 'bkash', account: '01711111111' });
    // Balance continuity is on by default; the credits below follow one another as real ones do.
    core.db.prepare("UPDATE gateways SET balance_check = 'off' WHERE id = ?").run(gateway.id);
    const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
    const pending: { id: string; txnid: string }[] = [];
    for (let i = 0; i < count; i += 1) {
      const { body } = core.payments.create(caller, { amount: '500.00', order_id: `LATE-${i}` }, (s) => s);
      const txnid = `BK${String(i).padStart(8, '0')}`;
      core.payments.submit(body.session_id, { txnid });
      pending.push({ id: body.session_id, txnid });
    }
    const paidAt = new Map<string, number>();
    core.bus.on('session', (view) => {
      if (view.status === 'success') paidAt.set(view.id, performance.now());
    });
    const latencies: number[] = [];
    for (const { id, txnid } of pending) {
      const start = performance.now();
      core.sms.ingest(
        {
          sender: 'bKash',
          body: `You have received Tk 500.00 from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk 1,000.00. TrxID ${txnid} at 12/05/2026 11:25`,
        },
        { source: 'apk', origin: 'bench', isTest: false },
      );
      const at = paidAt.get(id);
      if (at !== undefined) latencies.push(at - start);
    }
    latencies.sort((a, b) => a - b);
    const pick = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(2);
    process.stdout.write(
      `sms-to-success (late match, in-process): p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms (${latencies.length}/${count} settled)\n`,
    );
    emit({ name: 'sms_to_success.p50', value: Number(pick(0.5)), unit: 'ms', better: 'lower' });
    emit({ name: 'sms_to_success.p99', value: Number(pick(0.99)), unit: 'ms', better: 'lower' });
  } finally {
    await core.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await overHttp();
await lateMatches(1_000);
