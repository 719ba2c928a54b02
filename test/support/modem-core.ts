import fs from 'node:fs';
import path from 'node:path';
import { createCore, loadConfig, type Core } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/logging';
import type { ModemSimulator } from './modem-sim';
import { makeTempDir } from './temp-dir';

/**
 * The real core reading a simulated modem (test/support/modem-sim) on free ports, as the modem
 * tests start it: config.json names the simulator's device, short sweeps, no port probing.
 */
export interface ModemCore {
  core: Core;
  dir: string;
  urls: { public: string; device: string; admin: string };
}

const running: Core[] = [];

export async function startModemCore(
  sim: ModemSimulator,
  options: { modem?: Record<string, unknown>; settings?: Record<string, unknown>; dir?: string; clock?: () => number } = {},
): Promise<ModemCore> {
  const dir = options.dir ?? makeTempDir('counterpay-modem-');
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      public: { port: 0 },
      device: { port: 0 },
      admin: { port: 0 },
      log: { level: 'silent' },
      modems: [{ path: sim.devicePath, label: 'sim', ...options.modem }],
      modem: {
        probe: false,
        sweepSeconds: 5,
        keepaliveSeconds: 5,
        commandTimeoutSeconds: 3,
        incompleteWaitMinutes: 60,
        ...options.settings,
      },
    }),
  );
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null, clock: options.clock });
  running.push(core);
  const urls = await core.listen();
  return { core, dir, urls };
}

/** Stops one core started here (the others stay). */
export async function stopModemCore(core: Core): Promise<void> {
  const i = running.indexOf(core);
  if (i >= 0) running.splice(i, 1);
  await core.stop();
}

/** Stops every core started here (for afterEach). */
export async function stopModemCores(): Promise<void> {
  await Promise.all(running.splice(0).map((c) => c.stop()));
}

/** Polls until `probe` answers something truthy. */
export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A genuine-looking bKash credit. */
export const BKASH = (txnid: string, amount = '500.00', balance = '1,500.00') =>
  `You have received Tk ${amount} from 01712345678. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 15/06/2026 10:30`;
