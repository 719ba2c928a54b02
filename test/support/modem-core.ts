import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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

/**
 * A core reading `sim` (label "sim"), or several configured ports: `[{ path, label }, …]` as
 * config.json lists them (two ports of one modem, two modems).
 */
export async function startModemCore(
  sim: ModemSimulator | readonly { path: string; label: string }[],
  options: { modem?: Record<string, unknown>; settings?: Record<string, unknown>; dir?: string; clock?: () => number } = {},
): Promise<ModemCore> {
  const dir = options.dir ?? makeTempDir('counterpay-modem-');
  const modems = 'devicePath' in sim ? [{ path: sim.devicePath, label: 'sim', ...options.modem }] : sim;
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      public: { port: 0 },
      device: { port: 0 },
      admin: { port: 0 },
      log: { level: 'silent' },
      modems,
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

/**
 * Watches every delete the simulated modem carries out and, at that very moment, looks in the
 * database: the deleted message (or multipart part) must already be committed, as an SMS row
 * whose body holds its text or as a part row (modem_parts) with its text. Returns the list of
 * violations, filled as deletes happen (empty: the rule held). Works for a core in this process
 * and for one in a child process (SQLite shows another process's committed rows).
 */
export function watchDeletions(sim: ModemSimulator, dbPath: string | (() => string)): string[] {
  const violations: string[] = [];
  sim.on('deleted', (d) => {
    const text = d.decoded?.text ?? null;
    if (text === null) {
      violations.push(`undecodable PDU deleted (${d.command})`);
      return;
    }
    const file = typeof dbPath === 'string' ? dbPath : dbPath();
    if (!fs.existsSync(file)) {
      violations.push(`${d.command}: no database yet for ${JSON.stringify(text.slice(0, 40))}`);
      return;
    }
    let db: Database.Database | null = null;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      const inSms = db.prepare('SELECT 1 FROM sms WHERE instr(body, ?) > 0 LIMIT 1').get(text) !== undefined;
      const inParts = db.prepare('SELECT 1 FROM modem_parts WHERE text = ? LIMIT 1').get(text) !== undefined;
      if (!inSms && !inParts) {
        const part = d.decoded?.concat ? ` (part ${d.decoded.concat.seq} of ${d.decoded.concat.total})` : '';
        violations.push(`${d.command}${part}: deleted before stored: ${JSON.stringify(text.slice(0, 60))}`);
      }
    } catch (err) {
      violations.push(`${d.command}: could not look in the database: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      db?.close();
    }
  });
  return violations;
}

/** An SMS row as the modem tests read it back from a core's data dir. */
export interface StoredSmsRow {
  body: string;
  sender: string;
  kind: string;
  txnid: string | null;
  created_at: number;
  sender_toa: number | null;
  smsc: string | null;
  received_at: number;
}

/** The SMS a core stored in `dir`, oldest first (a read-only connection of the test's own). */
export function storedSms(dir: string): StoredSmsRow[] {
  const db = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT body, sender, kind, txnid, created_at, sender_toa, smsc, received_at FROM sms ORDER BY id')
      .all() as StoredSmsRow[];
  } finally {
    db.close();
  }
}
