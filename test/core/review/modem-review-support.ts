import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import type { ModemSimulator } from '../../support/modem-sim';
import { makeTempDir } from '../../support/temp-dir';

/** Adversarial review of issue 11: the real core against the modem simulator (helpers shared by modem-*.test.ts). */

export const BKASH = (txnid: string, amount = '500.00', balance = '1,500.00') =>
  `You have received Tk ${amount} from 01712345678. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 15/06/2026 10:30`;

export const cores: Core[] = [];

export async function startCore(
  sim: ModemSimulator,
  modem: Record<string, unknown> = {},
  settings: Record<string, unknown> = {},
  dir = makeTempDir('counterpay-modem-review-'),
): Promise<{ core: Core; dir: string }> {
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      public: { port: 0 },
      device: { port: 0 },
      admin: { port: 0 },
      log: { level: 'silent' },
      modems: [{ path: sim.devicePath, label: 'sim', ...modem }],
      modem: { probe: false, sweepSeconds: 5, keepaliveSeconds: 5, commandTimeoutSeconds: 2, incompleteWaitMinutes: 60, ...settings },
    }),
  );
  const core = createCore(loadConfig({ dataDir: dir }, {}), { logger: silentLogger(), rendererDir: null });
  cores.push(core);
  await core.listen();
  return { core, dir };
}

export async function stopCores(): Promise<void> {
  await Promise.all(cores.splice(0).map((c) => c.stop()));
}

export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Row {
  body: string;
  sender: string;
  kind: string;
  txnid: string | null;
  amount_minor: number | null;
  smsc: string | null;
}

export function rows(dir: string): Row[] {
  const db = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT body, sender, kind, txnid, amount_minor, smsc FROM sms ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

export function partTexts(dir: string): string[] {
  const db = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT text FROM modem_parts').all() as { text: string }[]).map((r) => r.text);
  } finally {
    db.close();
  }
}

/** Texts of every message (or part) the reader deleted from the SIM that is in neither the sms table nor modem_parts. */
export function deletedButNotStored(sim: ModemSimulator, dir: string): string[] {
  const bodies = rows(dir).map((r) => r.body);
  const parts = partTexts(dir);
  const lost: string[] = [];
  for (const d of sim.deletions()) {
    const text = d.decoded?.text ?? `<undecodable ${d.pdu}>`;
    if (!bodies.some((b) => b.includes(text)) && !parts.includes(text)) lost.push(text);
  }
  return lost;
}
