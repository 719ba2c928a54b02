import { describe, expect, it } from 'vitest';
import type { ShiftCloseOut } from '../../../src-shared/contract/reports';
import { bkashTxnid, usePayCore, type PayCore } from '../payments/helpers';

/**
 * Issue 14 item 5, per cashier: the staff share one token, so the counter names who is at it and
 * every staff action carries that name (`staff:<name>`); the close-out adds up counter sales per
 * cashier, and one cashier can close their own shift while the others' stay open.
 */

async function result<T>(pc: PayCore, name: string, arg: unknown = {}): Promise<T> {
  const r = await pc.rpc(name, arg);
  expect(r.status, r.text).toBe(200);
  return (r.json as { result: T }).result;
}

describe('reports: the close-out per cashier', () => {
  let pc: PayCore;
  usePayCore((c) => (pc = c));

  async function sale(amount: string, cashier?: string): Promise<number> {
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount });
    pc.advance(1_000);
    const r = await result<{ transaction_id: number }>(pc, 'txnid.accept', { txnid, amount, ...(cashier ? { cashier } : {}) });
    pc.advance(1_000);
    return r.transaction_id;
  }

  const bkash = (count: number, amount: string) => ({
    provider: 'bkash',
    currency: 'BDT',
    count,
    amount,
    reversed: { count: 0, amount: '0.00' },
  });

  it('records the cashier with each sale, adds up per cashier, and closes one cashier’s shift alone', async () => {
    const old = await sale('50');
    const r1 = await sale('100', '  Rahim ');
    await sale('250.50', 'Rahim');
    const k1 = await sale('300', 'Karim');

    const actors = pc.sql<{ subject_id: string; actor: string }>(
      "SELECT subject_id, actor FROM audit_log WHERE action = 'counter.sale_accepted' ORDER BY seq",
    );
    expect(actors.map((a) => [Number(a.subject_id), a.actor]).filter(([id]) => id === old || id === r1 || id === k1)).toEqual([
      [old, 'staff'],
      [r1, 'staff:Rahim'],
      [k1, 'staff:Karim'],
    ]);

    // Rahim closes his shift: his two sales only; Karim's stays open.
    const rahim = await result<ShiftCloseOut>(pc, 'reports.closeShift', { cashier: 'Rahim' });
    expect(rahim.cashier).toBe('Rahim');
    expect(rahim.closed_by).toBe('staff:Rahim');
    expect(rahim.per_cashier).toBe(true);
    expect(rahim.cashiers).toEqual([{ actor: 'staff:Rahim', cashier: 'Rahim', count: 2, wallets: [bkash(2, '350.50')] }]);
    expect(rahim.wallets).toEqual([bkash(2, '350.50')]);

    pc.advance(1_000);
    await sale('20', 'Rahim');

    // Everyone's close-out: every cashier since the day began, old rows as the shared `staff`.
    const all = await result<ShiftCloseOut>(pc, 'reports.closeShift');
    expect(all.cashier).toBeNull();
    expect(all.per_cashier).toBe(true);
    expect(all.closed_by).toBe('staff');
    expect(all.cashiers).toEqual([
      { actor: 'staff', cashier: null, count: 1, wallets: [bkash(1, '50.00')] },
      { actor: 'staff:Karim', cashier: 'Karim', count: 1, wallets: [bkash(1, '300.00')] },
      { actor: 'staff:Rahim', cashier: 'Rahim', count: 3, wallets: [bkash(3, '370.50')] },
    ]);
    expect(all.wallets).toEqual([bkash(5, '720.50')]);
    expect(all.note).toContain('Staff (no name)');

    // Karim's shift was open until now: his close-out starts where everyone's ended, so it is empty.
    pc.advance(1_000);
    await sale('40', 'Karim');
    const karim = await result<ShiftCloseOut>(pc, 'reports.closeShift', { cashier: 'Karim' });
    expect(karim.from).toBe(all.to);
    expect(karim.cashiers).toEqual([{ actor: 'staff:Karim', cashier: 'Karim', count: 1, wallets: [bkash(1, '40.00')] }]);

    const closes = pc.sql<{ actor: string; details: string }>(
      "SELECT actor, details FROM audit_log WHERE action = 'shift.closed' ORDER BY seq",
    );
    expect(closes.map((c) => [c.actor, (JSON.parse(c.details) as { cashier: unknown }).cashier])).toEqual([
      ['staff:Rahim', 'Rahim'],
      ['staff', null],
      ['staff:Karim', 'Karim'],
    ]);
  });

  it('closes one cashier’s shift since their own last close-out, leaving the other’s open', async () => {
    await sale('100', 'Rahim');
    await sale('200', 'Karim');
    const first = await result<ShiftCloseOut>(pc, 'reports.closeShift', { cashier: 'Rahim' });
    expect(first.wallets).toEqual([bkash(1, '100.00')]);
    await sale('10', 'Rahim');
    await sale('20', 'Karim');
    const again = await result<ShiftCloseOut>(pc, 'reports.closeShift', { cashier: 'Rahim' });
    expect(again.from).toBe(first.to);
    expect(again.wallets).toEqual([bkash(1, '10.00')]);
    const karim = await result<ShiftCloseOut>(pc, 'reports.closeShift', { cashier: 'Karim' });
    expect(karim.cashiers).toEqual([{ actor: 'staff:Karim', cashier: 'Karim', count: 2, wallets: [bkash(2, '220.00')] }]);
  });

  it('refuses bad cashier names with a 400 and records nothing', async () => {
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '100' });
    const recorded = () => pc.sql("SELECT seq FROM audit_log WHERE action IN ('counter.sale_accepted', 'shift.closed')").length;
    const before = recorded();
    const bad: unknown[] = ['', '   ', 'x'.repeat(41), 42, ['Rahim'], 'Ra\nhim'];
    for (const cashier of bad) {
      for (const [name, arg] of [
        ['txnid.accept', { txnid, amount: '100', cashier }],
        ['verifications.decide', { verification_id: 1, result: 'success', cashier }],
        ['reports.closeShift', { cashier }],
      ] as const) {
        const r = await pc.rpc(name, arg);
        expect(r.status, `${name} ${JSON.stringify(cashier)}: ${r.text}`).toBe(400);
        const body = r.json as Record<string, unknown>;
        expect(body.code).toBe('validation_failed');
        expect(String(body.merchant_message)).toMatch(/^cashier/);
      }
    }
    expect(recorded()).toBe(before);
    // 40 characters is fine.
    const ok = await result<{ transaction_id: number }>(pc, 'txnid.accept', { txnid, amount: '100', cashier: 'y'.repeat(40) });
    expect(ok.transaction_id).toBeGreaterThan(0);
  });
});
