import type { PayCore } from '../payments/helpers';

/** Support for the adversarial review of the one-verdict payments domain (one-verdict-attack.test.ts). */

export { Chain, PAYER, rpc, type Rpc } from '../payments/wallet-chain';
export const FORGER_PHONE = '+8801812345678';

/** "dd/MM/yyyy HH:mm" as bKash prints it, in Bangladesh time (UTC+6). */
export function bkashWalletTime(epochMs: number): string {
  const d = new Date(epochMs + 6 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export function syncRows(pc: PayCore, subjectId: string, topic?: string): { channel: string; topic: string; payload: string }[] {
  return topic
    ? pc.sql('SELECT channel, topic, payload FROM outbox WHERE subject_id = ? AND topic = ? ORDER BY id', subjectId, topic)
    : pc.sql('SELECT channel, topic, payload FROM outbox WHERE subject_id = ? ORDER BY id', subjectId);
}
