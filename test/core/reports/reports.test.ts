import { describe, expect, it } from 'vitest';
import type { DayReport, ReportCsv, ShiftCloseOut } from '../../../src-shared/contract/reports';
import {
  BKASH_ACCOUNT,
  CUSTOMER_PHONE,
  UPI_ACCOUNT,
  bkashTxnid,
  taka,
  upiCreditBody,
  upiRef,
  usePayCore,
  type PayCore,
} from '../payments/helpers';

/**
 * Issue 14 item 5 over real HTTP on a real core (its shop day is UTC+06:00, config
 * devices.utcOffsetMinutes): a day of online sessions, counter sales accepted with txnid.accept,
 * an unclaimed credit, a reversal, a missing SMS and a test-mode payment; then the exact totals,
 * lists, CSV files and the close-out with its audit row.
 */

const HOUR = 3_600_000;
const OFFSET = 6 * HOUR;
const FORMULA_ORDER = '=HYPERLINK("http://evil.example","x")';

/** The shop day of an instant, and an instant as the report writes it (+06:00, to the second). */
const dayOf = (ms: number) => new Date(ms + OFFSET).toISOString().slice(0, 10);
const local = (ms: number) => `${new Date(ms + OFFSET).toISOString().slice(0, 19)}+06:00`;

async function result<T>(pc: PayCore, name: string, arg: unknown = {}): Promise<T> {
  const r = await pc.rpc(name, arg);
  expect(r.status, r.text).toBe(200);
  return (r.json as { result: T }).result;
}

describe('reports: a shop day, its CSV, and the end-of-shift close-out', () => {
  let pc: PayCore;
  usePayCore((c) => (pc = c), { config: { devices: { utcOffsetMinutes: 360 } } });

  const t = {
    today: '',
    yesterday: '',
    online500: '',
    online250: '',
    counter300: '',
    upiCounter: '',
    unclaimed: '',
    gapCredit: '',
    order500: '',
    upiSaleId: 0,
    counterSaleId: 0,
  };

  /** A bKash reversal SMS, its balance taking the amount back. */
  const reversal = (amountMinor: number, txnid: string, balanceMinor: number) =>
    `Tk ${taka(amountMinor)} from ${CUSTOMER_PHONE} has been reversed. TrxID ${txnid} at 12/05/2026 11:30. Balance Tk ${taka(balanceMinor)}`;

  async function paidSession(amount: string, extra: Record<string, unknown> = {}): Promise<{ id: string; txnid: string; order: string }> {
    const order = (extra.order_id as string | undefined) ?? `R-${bkashTxnid()}`;
    const id = await pc.newSession({ amount, ...extra, order_id: order });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount });
    const r = await pc.submit(id, { txnid, gateway_id: pc.gateways.bkash });
    expect(r.status, r.text).toBe(200);
    expect((await pc.view(id)).status).toBe('success');
    return { id, txnid, order };
  }

  async function counterSale(txnid: string, amount: string): Promise<number> {
    const sale = await result<{ transaction_id: number }>(pc, 'txnid.accept', { txnid, amount });
    return sale.transaction_id;
  }

  it('builds a day: yesterday a counter sale; today two online payments, two counter sales, a credit nobody claimed, a reversal, a missing SMS', async () => {
    // Today 10:00 in the shop (UTC+06:00), then yesterday at the same hour.
    const real = pc.now();
    t.today = dayOf(real);
    const tenToday = Date.parse(`${t.today}T10:00:00+06:00`);
    pc.advance(tenToday - 24 * HOUR - real);
    t.yesterday = dayOf(pc.now());

    const early = bkashTxnid();
    await pc.bkashCredit({ txnid: early, amount: '100.00' }); // balance 1,100.00
    await counterSale(early, '100.00');

    pc.advance(24 * HOUR);
    expect(dayOf(pc.now())).toBe(t.today);
    const a = await paidSession('500.00'); // 1,600.00
    t.online500 = a.txnid;
    t.order500 = a.order;
    pc.advance(60_000);
    const b = await paidSession('250.00', { order_id: FORMULA_ORDER, customer_name: 'Rahim, "Bhai"' }); // 1,850.00
    t.online250 = b.txnid;
    pc.advance(60_000);
    t.counter300 = bkashTxnid();
    await pc.bkashCredit({ txnid: t.counter300, amount: '300.00' }); // 2,150.00
    t.counterSaleId = await counterSale(t.counter300, '300.00');
    pc.advance(60_000);
    t.upiCounter = upiRef();
    const upi = await pc.apkSms('AD-HDFCBK', upiCreditBody({ ref: t.upiCounter, amount: '1000.00', account: UPI_ACCOUNT }));
    expect(upi.status, upi.text).toBe(200);
    t.upiSaleId = await counterSale(t.upiCounter, '1000.00');
    pc.advance(60_000);
    t.unclaimed = bkashTxnid();
    await pc.bkashCredit({ txnid: t.unclaimed, amount: '75.50' }); // 2,225.50
    pc.advance(60_000);
    // The wallet takes the 300.00 counter sale back.
    const rev = await pc.apkSms('bKash', reversal(30_000, t.counter300, 192_550));
    expect(rev.status, rev.text).toBe(200);
    pc.advance(60_000);
    // A 100.00 credit SMS never came: this one prints 1,925.50 + 100.00 + 40.00.
    t.gapCredit = bkashTxnid();
    await pc.bkashCredit({ txnid: t.gapCredit, amount: '40.00', balanceMinor: 206_550 });
    // Test mode: a test session paid by a test SMS.
    const testSession = await pc.newSession({ amount: '20.00' }, { key: pc.keys.test });
    const testTxnid = bkashTxnid();
    const injected = await pc.testSms(
      'bKash',
      `You have received Tk 20.00 from ${CUSTOMER_PHONE}. Ref 1. Fee Tk 0.00. Balance Tk 20.00. TrxID ${testTxnid} at 12/05/2026 11:25`,
    );
    expect(injected.status, injected.text).toBe(201);
    const submitted = await pc.submit(testSession, { txnid: testTxnid, gateway_id: pc.gateways.bkash });
    expect(submitted.status, submitted.text).toBe(200);
  });

  it("today's report: exact totals per wallet and gateway, the unclaimed credits, the reversal and the balance gap", async () => {
    const report = await result<DayReport>(pc, 'reports.day', { date: t.today });
    expect(report.date).toBe(t.today);
    expect(report.today).toBe(t.today);
    expect(report.from).toBe(`${t.today}T00:00:00+06:00`);
    expect(report.time_zone).toEqual({ source: 'config', name: 'UTC+06:00' });
    expect(report.test).toBe(false);
    const none = { count: 0, amount: '0.00' };
    expect(report.wallets).toEqual([
      {
        provider: 'bkash',
        currency: 'BDT',
        online: { count: 2, amount: '750.00' },
        counter: { count: 1, amount: '300.00' },
        verified: none,
        total: { count: 3, amount: '1050.00' },
        reversed: { count: 1, amount: '300.00' },
      },
      {
        provider: 'upi',
        currency: 'INR',
        online: none,
        counter: { count: 1, amount: '1000.00' },
        verified: none,
        total: { count: 1, amount: '1000.00' },
        reversed: none,
      },
    ]);
    expect(report.gateways.map((g) => [g.gateway_id, g.provider, g.account, g.label, g.online, g.counter, g.total])).toEqual([
      [
        pc.gateways.bkash,
        'bkash',
        BKASH_ACCOUNT,
        null,
        { count: 2, amount: '750.00' },
        { count: 1, amount: '300.00' },
        { count: 3, amount: '1050.00' },
      ],
      [pc.gateways.upi, 'upi', UPI_ACCOUNT, null, none, { count: 1, amount: '1000.00' }, { count: 1, amount: '1000.00' }],
    ]);
    expect(report.unclaimed.map((u) => [u.provider, u.txnid, u.amount, u.currency, u.counterparty, u.held_for_review])).toEqual([
      ['bkash', t.unclaimed, '75.50', 'BDT', CUSTOMER_PHONE, false],
      ['bkash', t.gapCredit, '40.00', 'BDT', CUSTOMER_PHONE, false],
    ]);
    expect(report.unclaimed[0]?.received_at).toMatch(new RegExp(`^${t.today}T10:0\\d:\\d\\d\\+06:00$`));
    expect(report.unclaimed_totals).toEqual([{ provider: 'bkash', currency: 'BDT', count: 2, amount: '115.50' }]);
    expect(report.reversals).toHaveLength(1);
    expect(report.reversals[0]).toMatchObject({
      provider: 'bkash',
      txnid: t.counter300,
      amount: '300.00',
      paid: { transaction_id: t.counterSaleId, channel: 'counter', order_id: null, amount: '300.00' },
    });
    expect(report.balance_gaps.map((g) => [g.provider, g.direction, g.amount, g.from_balance])).toEqual([
      ['bkash', 'credit', '100.00', '1925.50'],
    ]);
    // Between the reversal and the credit after the gap, on the shop's clock.
    expect(report.balance_gaps[0]?.from).toMatch(new RegExp(`^${t.today}T10:0\\d:\\d\\d\\+06:00$`));
  });

  it("yesterday's report has only yesterday's sale; test mode is apart and asked for", async () => {
    const report = await result<DayReport>(pc, 'reports.day', { date: t.yesterday });
    expect(report.today).toBe(t.today);
    expect(report.wallets.map((w) => [w.provider, w.counter, w.online, w.total])).toEqual([
      ['bkash', { count: 1, amount: '100.00' }, { count: 0, amount: '0.00' }, { count: 1, amount: '100.00' }],
    ]);
    expect(report.unclaimed).toEqual([]);
    expect(report.reversals).toEqual([]);
    // The gap's window is today: it does not touch yesterday.
    expect(report.balance_gaps).toEqual([]);

    const test = await result<DayReport>(pc, 'reports.day', { date: t.today, test: true });
    expect(test.test).toBe(true);
    expect(test.wallets.map((w) => [w.provider, w.online, w.total])).toEqual([
      ['bkash', { count: 1, amount: '20.00' }, { count: 1, amount: '20.00' }],
    ]);
    expect(test.balance_gaps).toEqual([]);
    // No date: the shop's today.
    expect((await result<DayReport>(pc, 'reports.day')).date).toBe(t.today);
  });

  it('the payments CSV: a header, one row per payment, RFC 4180 quoting, a formula cell neutralised', async () => {
    const csv = await result<ReportCsv>(pc, 'reports.csv', { date: t.today, kind: 'payments' });
    expect(csv.filename).toBe(`counterpay-payments-${t.today}.csv`);
    expect(csv.rows).toBe(4);
    const rows = pc.sql<{ id: number; txnid_normalized: string; verified_at: number; reversed_at: number | null; received_at: number }>(
      `SELECT t.id, t.txnid_normalized, t.verified_at, t.reversed_at, m.received_at FROM transactions t JOIN sms m ON m.id = t.sms_id
       WHERE t.status = 'success' AND t.is_test = 0 ORDER BY t.verified_at, t.id`,
    );
    const row = (txnid: string) => rows.find((r) => r.txnid_normalized === txnid) as (typeof rows)[number];
    const [a, b, c, u] = [row(t.online500), row(t.online250), row(t.counter300), row(t.upiCounter)];
    expect(c.reversed_at).not.toBeNull();
    expect(csv.content).toBe(
      [
        'paid_at,wallet,gateway,channel,txnid,amount,currency,order_id,customer_name,payer,sms_received_at,accepted_by,reversed_at,transaction_id',
        `${local(a.verified_at)},bKash,${BKASH_ACCOUNT},online,${t.online500},500.00,BDT,${t.order500},,${CUSTOMER_PHONE},${local(a.received_at)},,,${a.id}`,
        `${local(b.verified_at)},bKash,${BKASH_ACCOUNT},online,${t.online250},250.00,BDT,"'=HYPERLINK(""http://evil.example"",""x"")","Rahim, ""Bhai""",${CUSTOMER_PHONE},${local(b.received_at)},,,${b.id}`,
        `${local(c.verified_at)},bKash,${BKASH_ACCOUNT},counter,${t.counter300},300.00,BDT,,,${CUSTOMER_PHONE},${local(c.received_at)},staff,${local(c.reversed_at as number)},${c.id}`,
        `${local(u.verified_at)},UPI (bank SMS),${UPI_ACCOUNT},counter,${t.upiCounter},1000.00,INR,,,payer.one@okicici,${local(u.received_at)},staff,,${u.id}`,
        '',
      ].join('\r\n'),
    );
  });

  it('the credits CSV: one row per credit SMS of the day with what became of it', async () => {
    const csv = await result<ReportCsv>(pc, 'reports.csv', { date: t.today, kind: 'credits' });
    expect(csv.filename).toBe(`counterpay-credits-${t.today}.csv`);
    const lines = csv.content.split('\r\n');
    expect(lines[0]).toBe('received_at,wallet,account,txnid,amount,currency,payer,sender,status,paid_by,order_id,paid_at,sms_id');
    expect(lines.at(-1)).toBe('');
    const cells = lines.slice(1, -1).map((l) => l.split(','));
    // [wallet, txnid, amount, currency, payer, status, paid_by]
    expect(cells.map((c) => [c[1], c[3], c[4], c[5], c[6], c[8], c[9]])).toEqual([
      ['bKash', t.online500, '500.00', 'BDT', CUSTOMER_PHONE, 'paid', 'online'],
      ['bKash', t.online250, '250.00', 'BDT', CUSTOMER_PHONE, 'paid', 'online'],
      ['bKash', t.counter300, '300.00', 'BDT', CUSTOMER_PHONE, '"paid', ' reversed"'],
      ['UPI (bank SMS)', t.upiCounter, '1000.00', 'INR', 'payer.one@okicici', 'paid', 'counter'],
      ['bKash', t.unclaimed, '75.50', 'BDT', CUSTOMER_PHONE, 'unclaimed', ''],
      ['bKash', t.gapCredit, '40.00', 'BDT', CUSTOMER_PHONE, 'unclaimed', ''],
    ]);
    expect(lines[3]).toContain(',"paid, reversed",counter,,');
    expect(csv.rows).toBe(6);
  });

  it('closes a shift: counter sales per cashier since the day began, audit-logged; the next one starts where it ended', async () => {
    const closed = await result<ShiftCloseOut>(pc, 'reports.closeShift');
    expect(closed.from).toBe(`${t.today}T00:00:00+06:00`);
    expect(closed.closed_by).toBe('staff');
    expect(closed.per_cashier).toBe(false);
    expect(closed.note).toContain('staff sign-in is shared');
    const bkash = { provider: 'bkash', currency: 'BDT', count: 1, amount: '300.00', reversed: { count: 1, amount: '300.00' } };
    const upi = { provider: 'upi', currency: 'INR', count: 1, amount: '1000.00', reversed: { count: 0, amount: '0.00' } };
    expect(closed.cashiers).toEqual([{ actor: 'staff', cashier: null, count: 2, wallets: [bkash, upi] }]);
    expect(closed.wallets).toEqual([bkash, upi]);

    const [audit] = pc.sql<{ seq: number; actor: string; subject_type: string; subject_id: string; details: string }>(
      "SELECT seq, actor, subject_type, subject_id, details FROM audit_log WHERE action = 'shift.closed'",
    );
    expect(audit).toMatchObject({ seq: closed.audit_seq, actor: 'staff', subject_type: 'shift', subject_id: closed.to });
    const details = JSON.parse(audit?.details ?? '{}') as Record<string, unknown>;
    expect(details).toMatchObject({
      from: closed.from,
      to: closed.to,
      wallets: [
        { provider: 'bkash', count: 1, amount: '300.00', reversed: { count: 1, amount: '300.00' } },
        { provider: 'upi', count: 1, amount: '1000.00', reversed: { count: 0, amount: '0.00' } },
      ],
      cashiers: [{ actor: 'staff', count: 2 }],
    });

    pc.advance(1_000);
    const next = await result<ShiftCloseOut>(pc, 'reports.closeShift');
    expect(next.from).toBe(closed.to);
    expect(next.cashiers).toEqual([]);
    expect(next.wallets).toEqual([]);
    // A range staff give: from yesterday's start, yesterday's sale too.
    const wide = await result<ShiftCloseOut>(pc, 'reports.closeShift', { from: `${t.yesterday}T00:00:00+06:00` });
    expect(wide.wallets.map((w) => [w.provider, w.count, w.amount])).toEqual([
      ['bkash', 2, '400.00'],
      ['upi', 1, '1000.00'],
    ]);
    expect(pc.sql("SELECT seq FROM audit_log WHERE action = 'shift.closed'")).toHaveLength(3);
  });

  it('refuses bad input with a 400 in the documented shape', async () => {
    const cases: [string, unknown, string][] = [
      ['reports.day', { date: '2026-02-30' }, 'date'],
      ['reports.day', { date: 'yesterday' }, 'date'],
      ['reports.day', { date: 20260512 }, 'date'],
      ['reports.day', { date: t.today, test: 'yes' }, 'test'],
      ['reports.day', { date: t.today, shop: 2 }, 'body'],
      ['reports.csv', { kind: 'payments' }, 'date'],
      ['reports.csv', { date: t.today, kind: 'everything' }, 'kind'],
      ['reports.csv', [], 'The command argument must be a JSON object'],
      ['reports.closeShift', { from: '2026-05-12 10:00' }, 'from'],
      ['reports.closeShift', { from: `${t.yesterday}T12:00:00+06:00`, to: `${t.yesterday}T11:00:00+06:00` }, 'from'],
      ['reports.closeShift', { to: new Date(pc.now() + 2 * HOUR).toISOString() }, 'to'],
      ['reports.closeShift', { from: '2020-01-01T00:00:00Z' }, 'from'],
    ];
    for (const [name, arg, field] of cases) {
      const r = await pc.rpc(name, arg);
      expect(r.status, `${name} ${JSON.stringify(arg)}: ${r.text}`).toBe(400);
      const body = r.json as Record<string, unknown>;
      expect(body.code).toBe('validation_failed');
      expect(typeof body.error).toBe('string');
      expect(String(body.merchant_message)).toMatch(new RegExp(`^${field}`));
      expect(r.text).not.toMatch(/at .*\.ts:\d+/);
    }
    // None of the refused close-outs was recorded.
    expect(pc.sql("SELECT seq FROM audit_log WHERE action = 'shift.closed'")).toHaveLength(3);
  });
});
