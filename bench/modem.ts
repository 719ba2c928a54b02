/**
 * The GSM modem reader against the simulator on a real pseudo-terminal (socat), in process
 * (createCore, as the shells build it). Issue 11's goals:
 *  - +CMTI to the committed row: the simulator stores a message and announces it; the time
 *    until its row is in the database. p50/p99 over 40 messages. Goal < 150 ms.
 *  - backlog drain: 50 messages on the SIM at start; the time from the reader's start until all
 *    50 are stored and deleted from the SIM. Goal < 10 s.
 * Needs socat (installed by .ci/run); without it the benchmark says so and emits nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore, loadConfig, type Core } from '../src-main/core';
import { silentLogger } from '../src-main/core/logging';
import { ModemSimulator } from '../test/support/modem-sim';
import { emit, round, stats } from './_util';

const text = (i: number) =>
  `You have received Tk ${100 + i}.00 from 01712345678. Fee Tk 0.00. Balance Tk ${5000 + i}.00. TrxID BKB${String(1_000_000 + i)} at 15/06/2026 10:30`;

async function start(sim: ModemSimulator): Promise<{ core: Core; dir: string; count: () => number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-modem-'));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      public: { port: 0 },
      device: { port: 0 },
      admin: { port: 0 },
      modems: [{ path: sim.devicePath, label: 'bench' }],
      modem: { probe: false },
    }),
  );
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
  const reader = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
  const count = reader.prepare("SELECT count(*) AS n FROM sms WHERE sender = 'bKash'");
  return { core, dir, count: () => (count.get() as { n: number }).n };
}

async function until(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (probe()) return true;
    await new Promise((r) => setImmediate(r));
  }
  return false;
}

if (!fs.existsSync('/usr/bin/socat') && !fs.existsSync('/bin/socat')) {
  process.stdout.write('modem: socat is not installed; skipped\n');
  process.exit(0);
}

// ---- +CMTI to the committed row
{
  const sim = await ModemSimulator.start();
  const { core, count, dir } = await start(sim);
  await core.listen();
  await until(() => core.modems.status()[0]?.state === 'ready', 10_000);
  const times: number[] = [];
  for (let i = 0; i < 40; i += 1) {
    const before = count();
    const t0 = performance.now();
    sim.deliver({ sender: 'bKash', text: text(i) });
    if (await until(() => count() > before, 5_000)) times.push(performance.now() - t0);
  }
  const s = stats(times);
  process.stdout.write(
    `modem: +CMTI to committed row p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (${s.n}/40 read; goal < 150 ms)\n`,
  );
  emit({ name: 'modem.cmti_to_row.p50', value: round(s.p50, 1), unit: 'ms', better: 'lower' });
  emit({ name: 'modem.cmti_to_row.p99', value: round(s.p99, 1), unit: 'ms', better: 'lower', read: s.n, of: 40 });
  await core.stop();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- backlog of 50
{
  const sim = await ModemSimulator.start({
    storages: { SM: 60, ME: 23 },
    initialMessages: Array.from({ length: 50 }, (_, i) => ({ sender: 'bKash', text: text(i) })),
  });
  const { core, count, dir } = await start(sim);
  const t0 = performance.now();
  await core.listen();
  const done = await until(() => count() === 50 && sim.stored().length === 0, 60_000);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`modem: backlog of 50 drained in ${seconds.toFixed(2)} s${done ? '' : ' (NOT finished)'} (goal < 10 s)\n`);
  emit({ name: 'modem.backlog50', value: round(seconds, 2), unit: 's', better: 'lower', finished: done });
  await core.stop();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
