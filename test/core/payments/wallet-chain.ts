import { expect } from 'vitest';
import { bkashCreditBody, type PayCore } from './helpers';

/** A genuine bKash wallet for payments tests: its SMS follow one balance ledger per core, and admin rpc results typed. */

export const PAYER = '01712345678';

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
