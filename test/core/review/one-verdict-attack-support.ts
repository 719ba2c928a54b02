import { expect } from 'vitest';
import { bkashCreditBody, type PayCore } from '../payments/helpers';

/** Support for the adversarial review of the one-verdict payments domain (one-verdict-attack.test.ts). */

export const PAYER = '01712345678';
export const FORGER_PHONE = '+8801812345678';

export interface Rpc<T> {
  status: number;
  result: T;
  code?: string;
}

export async function rpc<T = Record<string, unknown>>(pc: PayCore, name: string, arg: unknown): Promise<Rpc<T>> {
  const r = await pc.rpc(name, arg);
  const json = r.json as { result: T; code?: string };
  return { status: r.status, result: json?.result, code: json?.code };
}

/** The wallet's genuine SMS, each balance following the last (one ledger per core). */
const ledgers = new WeakMap<PayCore, number>();
export class Chain {
  constructor(private readonly pc: PayCore) {}
  get balance(): number {
    return ledgers.get(this.pc) ?? 100_000;
  }
  set balance(value: number) {
    ledgers.set(this.pc, value);
  }
  body(txnid: string, amountMinor = 50_000): string {
    this.balance += amountMinor;
    return bkashCreditBody({ txnid, amountMinor, from: PAYER, balanceMinor: this.balance });
  }
  async credit(txnid: string, amountMinor = 50_000, receivedAt?: string): Promise<string> {
    const text = this.body(txnid, amountMinor);
    const r = await this.pc.apkSms('bKash', text, receivedAt);
    expect(r.status, r.text).toBe(200);
    return text;
  }
  async reversal(txnid: string, amountMinor = 50_000): Promise<void> {
    this.balance -= amountMinor;
    const text = `Tk ${(amountMinor / 100).toFixed(2)} from ${PAYER} has been reversed. TrxID ${txnid} at 12/05/2026 11:30. Balance Tk ${(this.balance / 100).toFixed(2)}`;
    const r = await this.pc.apkSms('bKash', text);
    expect(r.status, r.text).toBe(200);
  }
}

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
