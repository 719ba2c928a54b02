import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkashCreditBody, bkashTxnid, body, orderId, startPayCore, type PayCore } from './helpers';

/**
 * Issue 14 items 3 and 4: the counter's Payments screen (search by TxnID, order id, phone;
 * filters by status, wallet, date, mode, kind; a detail with its timeline and audit entries)
 * and the SMS screen's tabs (all, unclaimed credits, spoofs, unparsed) with each credit's claim.
 */

interface Item {
  kind: string;
  session_id: string | null;
  transaction_id: number | null;
  order_id: string | null;
  status: string;
  wallet: string | null;
  txnid: string | null;
  test: boolean;
  decision: { result: string; by: string; reason: string | null } | null;
}
interface Detail {
  payment: Item;
  attempts: { transaction_id: number; status: string }[];
  sms: { id: number; body: string }[];
  timeline: { event: string; who: string | null; reason: string | null; alert_kind: string | null }[];
  audit: { action: string; actor: string; subject_id: string }[];
}
interface SmsItem {
  id: number;
  kind: string;
  body: string;
  txnid: string | null;
  deliveries: { source: string }[];
  claim: { kind: string; order_id: string | null; session_id: string | null } | null;
}

let pc: PayCore;
const s = {
  paidId: '',
  paidOrder: '',
  paidTxnid: '',
  lateId: '',
  lateTxnid: '',
  approvedId: '',
  rejectedId: '',
  phoneId: '',
  testId: '',
  counterTxnid: '',
  unclaimedTxnid: '',
  spoofTxnid: '',
};

async function search(arg: Record<string, unknown>): Promise<{ payments: Item[]; next_before: string | null }> {
  const r = await pc.rpc('payments.search', arg);
  expect(r.status, r.text).toBe(200);
  return (r.json as { result: { payments: Item[]; next_before: string | null } }).result;
}
async function detail(arg: Record<string, unknown>): Promise<Detail> {
  const r = await pc.rpc('payments.detail', arg);
  expect(r.status, r.text).toBe(200);
  return (r.json as { result: Detail }).result;
}
async function smsList(arg: Record<string, unknown>): Promise<{ sms: SmsItem[]; next_before: number | null }> {
  const r = await pc.rpc('sms.list', arg);
  expect(r.status, r.text).toBe(200);
  return (r.json as { result: { sms: SmsItem[]; next_before: number | null } }).result;
}

beforeAll(async () => {
  pc = await startPayCore();
  // Paid online: the SMS first, then the TxnID.
  s.paidOrder = orderId('PAID');
  s.paidId = await pc.newSession({ amount: '300.00', order_id: s.paidOrder });
  s.paidTxnid = bkashTxnid();
  await pc.bkashCredit({ txnid: s.paidTxnid, amount: '300.00' });
  expect((await pc.submit(s.paidId, { txnid: s.paidTxnid })).status).toBe(200);
  // A late match: the TxnID first, its SMS after.
  s.lateId = await pc.newSession({ amount: '200.00' });
  s.lateTxnid = bkashTxnid();
  expect((await pc.submit(s.lateId, { txnid: s.lateTxnid })).status).toBe(202);
  await pc.bkashCredit({ txnid: s.lateTxnid, amount: '200.00', via: 'apk' });
  // Staff approve a wrong amount; staff reject another.
  s.approvedId = await pc.newSession({ amount: '500.00' });
  const approvedTxnid = bkashTxnid();
  await pc.bkashCredit({ txnid: approvedTxnid, amount: '450.00' });
  expect((await pc.submit(s.approvedId, { txnid: approvedTxnid })).status).toBe(202);
  s.rejectedId = await pc.newSession({ amount: '500.00' });
  const rejectedTxnid = bkashTxnid();
  await pc.bkashCredit({ txnid: rejectedTxnid, amount: '5.00' });
  expect((await pc.submit(s.rejectedId, { txnid: rejectedTxnid })).status).toBe(202);
  const queue = await pc.verifications();
  const approve = queue.find((v) => v.session_id === s.approvedId);
  const reject = queue.find((v) => v.session_id === s.rejectedId);
  expect((await pc.decide(approve?.verification_id as number, 'success')).status).toBe(200);
  expect((await pc.decide(reject?.verification_id as number, 'failed', 'Wrong amount sent')).status).toBe(200);
  // A session found by the customer's phone, never paid.
  s.phoneId = await pc.newSession({ amount: '75.00', customer_phone: '01899887766' });
  // A test-mode session.
  s.testId = await pc.newSession({ amount: '120.00' }, { key: pc.keys.test });
  // A counter sale.
  s.counterTxnid = bkashTxnid();
  await pc.bkashCredit({ txnid: s.counterTxnid, amount: '150.00' });
  const sale = await pc.rpc('txnid.accept', { txnid: s.counterTxnid, amount: '150.00' });
  expect(sale.status, sale.text).toBe(200);
  // An unclaimed credit, a spoof and an unparsed SMS.
  s.unclaimedTxnid = bkashTxnid();
  await pc.bkashCredit({ txnid: s.unclaimedTxnid, amount: '990.00' });
  s.spoofTxnid = bkashTxnid();
  const spoof = await pc.importSms('01812345678', bkashCreditBody({ txnid: s.spoofTxnid, amountMinor: 50_000, balanceMinor: 1 }));
  expect(spoof.kind).toBe('spoof');
  await pc.importSms('bKash', 'Your bKash app has a new look. Update today!');
});

afterAll(async () => {
  await pc?.stop();
});

describe('payments.search', () => {
  it('lists sessions and counter sales newest first, with their status in words', async () => {
    const { payments } = await search({});
    expect(payments[0]?.kind).toBe('counter');
    const byId = new Map(payments.map((p) => [p.session_id ?? `t${p.transaction_id}`, p]));
    expect(byId.get(s.paidId)).toMatchObject({ status: 'paid', wallet: 'bkash', txnid: s.paidTxnid, decision: null });
    expect(byId.get(s.lateId)?.status).toBe('paid');
    expect(byId.get(s.approvedId)).toMatchObject({ status: 'paid', decision: { result: 'approved', by: 'staff' } });
    expect(byId.get(s.rejectedId)).toMatchObject({
      status: 'rejected',
      decision: { result: 'rejected', by: 'staff', reason: 'Wrong amount sent' },
    });
    expect(byId.get(s.phoneId)).toMatchObject({ status: 'pending', wallet: null });
    expect(byId.get(s.testId)?.test).toBe(true);
  });

  it('finds by TxnID (sessions and counter sales), order id or its start, phone in any form, session id', async () => {
    expect((await search({ q: s.paidTxnid })).payments.map((p) => p.session_id)).toEqual([s.paidId]);
    expect((await search({ q: s.paidTxnid.toLowerCase() })).payments.map((p) => p.session_id)).toEqual([s.paidId]);
    const counter = (await search({ q: s.counterTxnid })).payments;
    expect(counter).toHaveLength(1);
    expect(counter[0]).toMatchObject({ kind: 'counter', status: 'paid', decision: { result: 'approved', by: 'staff' } });
    expect((await search({ q: s.paidOrder })).payments.map((p) => p.session_id)).toEqual([s.paidId]);
    expect((await search({ q: 'PAID-' })).payments.map((p) => p.session_id)).toContain(s.paidId);
    for (const phone of ['01899887766', '+8801899887766', '8801899887766', '018 9988 7766'])
      expect(
        (await search({ q: phone })).payments.map((p) => p.session_id),
        phone,
      ).toEqual([s.phoneId]);
    expect((await search({ q: s.lateId })).payments.map((p) => p.session_id)).toEqual([s.lateId]);
    expect((await search({ q: 'NOTHING-LIKE-THIS' })).payments).toEqual([]);
  });

  it('filters by status, wallet, mode, kind and date', async () => {
    expect((await search({ status: 'rejected' })).payments.map((p) => p.session_id)).toEqual([s.rejectedId]);
    expect((await search({ status: 'paid' })).payments).toHaveLength(4);
    expect((await search({ wallet: 'nagad' })).payments).toEqual([]);
    expect((await search({ wallet: 'bkash' })).payments.length).toBeGreaterThanOrEqual(5);
    expect((await search({ test: true })).payments.map((p) => p.session_id)).toEqual([s.testId]);
    expect((await search({ test: false })).payments.some((p) => p.test)).toBe(false);
    expect((await search({ kind: 'counter' })).payments.map((p) => p.kind)).toEqual(['counter']);
    expect((await search({ kind: 'sessions' })).payments.some((p) => p.kind === 'counter')).toBe(false);
    const today = new Date(pc.now()).toISOString();
    expect((await search({ from: today.slice(0, 10), to: today.slice(0, 10) })).payments.length).toBeGreaterThanOrEqual(7);
    expect((await search({ to: '2001-01-01' })).payments).toEqual([]);
    expect((await search({ q: s.paidTxnid, status: 'pending' })).payments).toEqual([]);
  });

  it('pages with next_before', async () => {
    const first = await search({ limit: 3 });
    expect(first.payments).toHaveLength(3);
    expect(first.next_before).not.toBeNull();
    const all = await search({});
    expect(all.payments.length).toBeGreaterThan(3);
  });

  it('refuses bad input with 400', async () => {
    for (const arg of [
      { status: 'weird' },
      { wallet: 'paypal' },
      { from: 'yesterday' },
      { kind: 'both' },
      { limit: 0 },
      { test: 'yes' },
      { q: 'x'.repeat(200) },
      { nonsense: 1 },
      { from: '2026-02-10', to: '2026-02-01' },
    ]) {
      const r = await pc.rpc('payments.search', arg);
      expect(r.status, JSON.stringify(arg)).toBe(400);
      expect(body(r).code).toBe('validation_failed');
    }
  });
});

describe('payments.detail', () => {
  it('a rejected session: created, submitted, SMS, rejected by staff with the reason, and its audit entry', async () => {
    const d = await detail({ session_id: s.rejectedId });
    expect(d.payment.status).toBe('rejected');
    expect(d.timeline.map((e) => e.event)).toEqual(['created', 'sms', 'submitted', 'rejected']);
    expect(d.timeline.at(-1)).toMatchObject({ who: 'staff', reason: 'Wrong amount sent' });
    expect(d.sms).toHaveLength(1);
    expect(d.audit.map((a) => [a.action, a.actor])).toEqual([['verification.rejected', 'staff']]);
  });

  it('an approved session says approved by staff; a paid one paid by CounterPay itself', async () => {
    const approved = await detail({ session_id: s.approvedId });
    expect(approved.timeline.find((e) => e.event === 'approved')).toMatchObject({ who: 'staff' });
    expect(approved.audit.map((a) => a.action)).toEqual(['verification.approved']);
    const paid = await detail({ session_id: s.paidId });
    expect(paid.timeline.map((e) => e.event)).toEqual(['created', 'sms', 'submitted', 'paid']);
    expect(paid.timeline.at(-1)?.who).toBe('system');
    expect(paid.audit).toEqual([]);
  });

  it('a late match: submitted before its SMS', async () => {
    const d = await detail({ session_id: s.lateId });
    expect(d.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['created', 'submitted', 'sms', 'paid']));
    const events = d.timeline.map((e) => e.event);
    expect(events.indexOf('submitted')).toBeLessThan(events.indexOf('sms'));
  });

  it('a counter sale by its transaction, and a session by one of its attempts', async () => {
    const sale = (await search({ q: s.counterTxnid })).payments[0] as Item;
    const d = await detail({ transaction_id: sale.transaction_id });
    expect(d.payment.kind).toBe('counter');
    expect(d.timeline.map((e) => e.event)).toEqual(['sms', 'counter_sale']);
    expect(d.timeline.at(-1)?.who).toBe('staff');
    expect(d.audit.map((a) => a.action)).toEqual(['counter.sale_accepted']);
    const paid = (await search({ q: s.paidTxnid })).payments[0] as Item;
    expect((await detail({ transaction_id: paid.transaction_id })).payment.session_id).toBe(s.paidId);
  });

  it('unknown ids are 404, bad input 400', async () => {
    expect((await pc.rpc('payments.detail', { session_id: 'ps_nosuchsessionatall00' })).status).toBe(404);
    expect((await pc.rpc('payments.detail', { transaction_id: 999_999 })).status).toBe(404);
    for (const arg of [{}, { session_id: '' }, { transaction_id: -1 }, { transaction_id: 'x' }, { session_id: 'a', transaction_id: 1 }])
      expect((await pc.rpc('payments.detail', arg)).status, JSON.stringify(arg)).toBe(400);
  });
});

describe('sms.list', () => {
  it('all: every message with its text, sources and claim', async () => {
    const { sms } = await smsList({});
    const paid = sms.find((m) => m.txnid === s.paidTxnid);
    expect(paid?.body).toContain(s.paidTxnid);
    expect(paid?.deliveries.length).toBeGreaterThan(0);
    expect(paid?.claim).toMatchObject({ kind: 'session', session_id: s.paidId, order_id: s.paidOrder });
    expect(sms.find((m) => m.txnid === s.counterTxnid)?.claim).toMatchObject({ kind: 'counter', session_id: null });
    expect(sms.find((m) => m.txnid === s.unclaimedTxnid)?.claim).toBeNull();
  });

  it('unclaimed: credits nobody claimed; spoofs; unparsed', async () => {
    const unclaimed = (await smsList({ filter: 'unclaimed' })).sms;
    // The unclaimed credit, and the one staff rejected: money arrived that nothing claimed.
    expect(unclaimed).toHaveLength(2);
    expect(unclaimed[0]?.txnid).toBe(s.unclaimedTxnid);
    expect(unclaimed.every((m) => m.kind === 'credit' && m.claim === null)).toBe(true);
    for (const claimed of [s.paidTxnid, s.lateTxnid, s.counterTxnid]) expect(unclaimed.map((m) => m.txnid)).not.toContain(claimed);
    const spoofs = (await smsList({ filter: 'spoofs' })).sms;
    expect(spoofs.map((m) => [m.kind, m.txnid])).toEqual([['spoof', s.spoofTxnid]]);
    const unparsed = (await smsList({ filter: 'unparsed' })).sms;
    expect(unparsed.map((m) => m.body)).toEqual(['Your bKash app has a new look. Update today!']);
  });

  it('pages with next_before, and refuses bad input with 400', async () => {
    const first = await smsList({ limit: 2 });
    expect(first.sms).toHaveLength(2);
    expect(first.next_before).toBe(first.sms[1]?.id);
    const next = await smsList({ limit: 2, before: first.next_before });
    expect(next.sms[0]?.id).toBeLessThan(first.next_before as number);
    for (const arg of [{ filter: 'credits' }, { limit: 0 }, { before: 'x' }, { other: true }])
      expect((await pc.rpc('sms.list', arg)).status, JSON.stringify(arg)).toBe(400);
  });
});
