import path from 'node:path';
import Database from 'better-sqlite3';
import type { Core } from '../../../src-main/core';
import { startModemCore, stopModemCores } from '../../support/modem-core';
import type { ModemSimulator } from '../../support/modem-sim';

/** Adversarial review of issue 11: the real core against the modem simulator (helpers shared by modem-*.test.ts). */

export { BKASH, until } from '../../support/modem-core';

/** The review's start: the shared modem core with a shorter command timeout by default. */
export async function startCore(
  sim: ModemSimulator,
  modem: Record<string, unknown> = {},
  settings: Record<string, unknown> = {},
  dir?: string,
): Promise<{ core: Core; dir: string }> {
  const { core, dir: dataDir } = await startModemCore(sim, { modem, settings: { commandTimeoutSeconds: 2, ...settings }, dir });
  return { core, dir: dataDir };
}

export const stopCores = stopModemCores;

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
