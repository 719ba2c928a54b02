/**
 * Adversarial review: attacks that were tried and held. Each test is a regression guard that
 * asserts the money-safe outcome over real HTTP and a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../support/temp-dir';
import { attemptsOf, bkashTxnid, body, orderId, startPayCore, type PayCore } from '../payments/helpers';
import { bkashBody, nagadBody, restartCore, sessionRow } from './support';

const HOUR = 3_600_000;

function successCountForTxnid(pc: PayCore, txnid: string): number {
  return pc.sql("SELECT id FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid).length;
}

describe('review guards (shared core)', () => {
  let pc: PayCore;
  beforeAll(async () => {
    pc = await startPayCore();
  });
  afterAll(async () => {
    await pc.stop();
    removeTempDirs();
  });

  it.each([
    ['Cyrillic К', 'b\u041aash'],
    ['zero-width space inside', 'b\u200bKash'],
    ['zero-width space after', 'bKash\u200b'],
    ['leading plus', '+bKash'],
    ['trailing dot', 'bKash.'],
    ['full-width letters', '\uff42\uff2b\uff41\uff53\uff48'],
    ['ordinary phone number', '+8801999999999'],
  ])('a sender look-alike (%s) is stored as a spoof and never pays', async (_label, sender) => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const r = await pc.apkSms(sender, bkashBody({ txnid, amountMinor: 50_000 }));
    expect(r.status, r.text).toBe(200);
    const [sms] = pc.sql<{ kind: string; provider: string | null }>('SELECT kind, provider FROM sms WHERE txnid_normalized = ?', txnid);
    expect(sms).toEqual({ kind: 'spoof', provider: 'bkash' });
    const submit = await pc.submit(id, { txnid });
    expect(submit.status, submit.text).toBe(422);
    expect(body(submit).code).toBe('payment_rejected');
    expect(sessionRow(pc, id).status).toBe('pending');
    expect(successCountForTxnid(pc, txnid)).toBe(0);
    expect((await pc.alerts()).some((a) => a.kind === 'spoof_attempt' && a.sms_id !== null && a.session_id === id)).toBe(true);
  });

  it.each([
    ['trailing space', 'bKash '],
    ['upper case', 'BKASH'],
  ])('a transport variant of the wallet sender (%s) is still the wallet', async (_label, sender) => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.apkSms(sender, bkashBody({ txnid, amountMinor: 50_000 }));
    const submit = await pc.submit(id, { txnid });
    expect(submit.status, submit.text).toBe(200);
    expect(sessionRow(pc, id).status).toBe('success');
  });

  it("a sender ID with no cited source (16247, bKash's helpline) is a spoof until the shop adds it to its gateway", async () => {
    const before = await pc.newSession();
    const first = bkashTxnid();
    await pc.apkSms('16247', bkashBody({ txnid: first, amountMinor: 50_000 }));
    expect((await pc.submit(before, { txnid: first })).status).toBe(422);
    expect(sessionRow(pc, before).status).toBe('pending');

    const added = await pc.rpc('gateways.update', { id: pc.gateways.bkash, extra_sender_ids: ['16247'] });
    expect(added.status, added.text).toBe(200);
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.apkSms('16247', bkashBody({ txnid, amountMinor: 50_000 }));
    const submit = await pc.submit(id, { txnid });
    expect(submit.status, submit.text).toBe(200);
    expect(sessionRow(pc, id).status).toBe('success');
  });

  it.each([
    ['Indian-looking grouping of a small number', '5,00.00'],
    ['three decimals', '500.005'],
    ['European decimal comma', '500,00'],
  ])('an ambiguous amount (%s) never becomes a credit', async (_label, amountText) => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000, amountText }));
    const [sms] = pc.sql<{ kind: string; amount_minor: number | null }>(
      'SELECT kind, amount_minor FROM sms WHERE body LIKE ?',
      `%${txnid}%`,
    );
    expect(sms?.kind).not.toBe('credit');
    const submit = await pc.submit(id, { txnid });
    expect(submit.status).not.toBe(200);
    expect(sessionRow(pc, id).status).toBe('pending');
  });

  it('Bangla digits read as the same amount; a different amount waits for review', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000, amountText: '\u09eb\u09e6\u09e6.\u09e6\u09e6' }));
    expect((await pc.submit(id, { txnid })).status).toBe(200);

    const id2 = await pc.newSession();
    const txnid2 = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid: txnid2, amountMinor: 5_000, amountText: '\u09eb\u09e6.\u09e6\u09e6' }));
    const r = await pc.submit(id2, { txnid: txnid2 });
    expect(r.status, r.text).toBe(202);
    expect(body(r).review).toBe(true);
    expect(sessionRow(pc, id2).status).toBe('pending');
  });

  it('one TxnID printed twice (different letter case → two SMS rows) still pays one session only', async () => {
    const txnid = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000 }));
    await pc.apkSms('bKash', bkashBody({ txnid: txnid.toLowerCase(), amountMinor: 50_000 }));
    expect(pc.sql("SELECT id FROM sms WHERE txnid_normalized = ? AND kind = 'credit'", txnid)).toHaveLength(2);
    const a = await pc.newSession();
    const b = await pc.newSession();
    expect((await pc.submit(a, { txnid })).status).toBe(200);
    const second = await pc.submit(b, { txnid: txnid.toLowerCase() });
    expect(second.status, second.text).toBe(409);
    expect(body(second).code).toBe('txnid_already_used');
    expect(sessionRow(pc, b).status).toBe('pending');
    expect(successCountForTxnid(pc, txnid)).toBe(1);
  });

  it('a test-mode SMS never pays a live session, and a live SMS never pays a test session', async () => {
    const live = await pc.newSession();
    const t1 = bkashTxnid();
    const injected = await pc.testSms('bKash', bkashBody({ txnid: t1, amountMinor: 50_000 }));
    expect(injected.status, injected.text).toBe(201);
    expect((await pc.submit(live, { txnid: t1 })).status).toBe(202);
    expect(sessionRow(pc, live).status).toBe('pending');

    const test = await pc.newSession({}, { key: pc.keys.test });
    const t2 = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid: t2, amountMinor: 50_000 }));
    expect((await pc.submit(test, { txnid: t2 })).status).toBe(202);
    expect(sessionRow(pc, test).status).toBe('pending');

    // Control: the test SMS does pay a test session.
    const test2 = await pc.newSession({}, { key: pc.keys.test });
    expect((await pc.submit(test2, { txnid: t1 })).status).toBe(200);
    expect(sessionRow(pc, live).status).toBe('pending');
    const crossed = pc.sql<{ n: number }>(
      'SELECT count(*) AS n FROM transactions t JOIN sms s ON s.id = t.sms_id WHERE t.is_test <> s.is_test',
    );
    expect(crossed[0]?.n).toBe(0);
  });

  it('a live key cannot use the test SMS endpoint (no test injection into live mode)', async () => {
    const r = await pc.testSms('bKash', bkashBody({ txnid: bkashTxnid(), amountMinor: 50_000 }), pc.keys.live);
    expect(r.status).toBe(401);
    expect(pc.sql("SELECT id FROM sms WHERE is_test = 0 AND id IN (SELECT sms_id FROM sms_deliveries WHERE source = 'test')")).toHaveLength(
      0,
    );
  });

  it('cancel fails the pending attempt; a later approval is refused and the later SMS pays nothing', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const [attempt] = attemptsOf(pc, id);
    expect((await pc.cancel(id)).status).toBe(200);
    const d = await pc.decide(attempt?.id as number, 'success');
    expect(d.status, d.text).toBe(409);
    expect(body(d).code).toBe('verification_already_decided');
    await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000 }));
    expect(sessionRow(pc, id).status).toBe('cancelled');
    expect(successCountForTxnid(pc, txnid)).toBe(0);
  });

  it('approve racing cancel: exactly one wins, and the state agrees with the winner', async () => {
    for (let i = 0; i < 5; i += 1) {
      const id = await pc.newSession();
      expect((await pc.submit(id, { txnid: bkashTxnid() })).status).toBe(202);
      const [attempt] = attemptsOf(pc, id);
      const [d, c] = await Promise.all([pc.decide(attempt?.id as number, 'success'), pc.cancel(id)]);
      const status = sessionRow(pc, id).status;
      expect([d.status, c.status].filter((s) => s === 200)).toHaveLength(1);
      expect(status).toBe(d.status === 200 ? 'success' : 'cancelled');
      const [row] = attemptsOf(pc, id);
      expect(row?.status).toBe(d.status === 200 ? 'success' : 'failed');
    }
  });

  it('the same SMS from the phone and a staff paste at once: one row, two deliveries, one payment', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const text = bkashBody({ txnid, amountMinor: 50_000 });
    await Promise.all([pc.apkSms('bKash', text), pc.rpc('sms.import', { sender: 'bKash', body: text })]);
    const rows = pc.sql<{ id: number }>('SELECT id FROM sms WHERE txnid_normalized = ?', txnid);
    expect(rows).toHaveLength(1);
    const sources = pc.sql<{ source: string }>('SELECT source FROM sms_deliveries WHERE sms_id = ? ORDER BY source', rows[0]?.id);
    expect(sources.map((s) => s.source)).toEqual(['apk', 'manual']);
    expect(sessionRow(pc, id).status).toBe('success');
    expect(successCountForTxnid(pc, txnid)).toBe(1);
  });

  it('a staff-pasted SMS alone is held for a person; the phone delivering it later settles it', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const text = bkashBody({ txnid, amountMinor: 50_000 });
    await pc.importSms('bKash', text);
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect(body(r).review).toBe(true);
    expect(sessionRow(pc, id).status).toBe('pending');
    await pc.apkSms('bKash', text);
    expect(sessionRow(pc, id).status).toBe('success');
  });

  it('idempotency: the same key with another body is refused, never replayed as the first success', async () => {
    const key = `idem-${orderId()}`;
    const first = await pc.createSession({ amount: '500.00', order_id: orderId() }, { headers: { 'X-Idempotency-Key': key } });
    expect(first.status, first.text).toBe(201);
    const other = await pc.createSession({ amount: '900.00', order_id: orderId() }, { headers: { 'X-Idempotency-Key': key } });
    expect(other.status, other.text).toBe(409);
    expect(body(other).code).toBe('idempotency_key_reused');
  });

  it('customer_phone written differently is the same line; another line waits for review', async () => {
    const same = await pc.newSession({ customer_phone: '+880 1712-345678' });
    const t1 = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid: t1, amountMinor: 50_000, from: '01712345678' }));
    expect((await pc.submit(same, { txnid: t1 })).status).toBe(200);

    const other = await pc.newSession({ customer_phone: '01812345678' });
    const t2 = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid: t2, amountMinor: 50_000, from: '01712345678' }));
    const r = await pc.submit(other, { txnid: t2 });
    expect(r.status, r.text).toBe(202);
    expect(sessionRow(pc, other).status).toBe('pending');
  });
});

describe('review guards (own core)', () => {
  afterAll(() => removeTempDirs());

  it('cross-wallet: a Nagad SMS never pays a session that chose bKash for the same TxnID string', async () => {
    const pc = await startPayCore({
      gateways: [
        { provider: 'bkash', account: '01711111111' },
        { provider: 'nagad', account: '01722222222' },
      ],
    });
    try {
      const txnid = '7A1B2C3D4E'; // fits both bKash (8-12) and Nagad (8-10)
      await pc.apkSms('NAGAD', nagadBody({ txnid, amountMinor: 50_000, balanceMinor: 150_000 }));
      const viaBkash = await pc.newSession();
      const r = await pc.submit(viaBkash, { txnid, gateway_id: pc.gateways.bkash });
      expect(r.status, r.text).toBe(202);
      expect(sessionRow(pc, viaBkash).status).toBe('pending');

      const viaNagad = await pc.newSession();
      expect((await pc.submit(viaNagad, { txnid, gateway_id: pc.gateways.nagad })).status).toBe(200);
      // The Nagad SMS has paid once; nothing else can use it.
      const third = await pc.newSession();
      expect((await pc.submit(third, { txnid, gateway_id: pc.gateways.nagad })).status).toBe(409);
      const nagadSms = pc.sql<{ id: number }>("SELECT id FROM sms WHERE provider = 'nagad' AND txnid_normalized = ?", txnid);
      expect(pc.sql("SELECT id FROM transactions WHERE sms_id = ? AND status = 'success'", nagadSms[0]?.id)).toHaveLength(1);
      expect(sessionRow(pc, viaBkash).status).toBe('pending');
    } finally {
      await pc.stop();
    }
  });

  it('an expired session is never paid by a late SMS: paid_late alert instead', async () => {
    const pc = await startPayCore();
    try {
      const id = await pc.newSession();
      const txnid = bkashTxnid();
      expect((await pc.submit(id, { txnid })).status).toBe(202);
      pc.advance(25 * HOUR);
      await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000 }));
      expect(sessionRow(pc, id).status).toBe('expired');
      expect(successCountForTxnid(pc, txnid)).toBe(0);
      expect((await pc.alerts()).some((a) => a.kind === 'paid_late' && a.session_id === id)).toBe(true);
    } finally {
      await pc.stop();
    }
  });

  it('crash between SMS commit and matching: catchUp at the next start pays the waiting session', async () => {
    const pc = await startPayCore();
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    pc.core.payments.onSmsStored = () => {
      throw new Error('simulated crash after the SMS commit');
    };
    expect((await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000 }))).status).toBe(200);
    expect(sessionRow(pc, id).status).toBe('pending');
    expect(pc.sql('SELECT id FROM sms WHERE txnid_normalized = ?', txnid)).toHaveLength(1);
    await pc.stop();
    const again = await restartCore(pc.dir);
    try {
      const [session] = again.sql<{ status: string }>('SELECT status FROM sessions WHERE id = ?', id);
      expect(session?.status).toBe('success');
      const [t] = again.sql<{ result_source: string }>(
        "SELECT result_source FROM transactions WHERE session_id = ? AND status = 'success'",
        id,
      );
      expect(t?.result_source).toBe('sms_late_match');
    } finally {
      await again.stop();
    }
  });

  it('fifty concurrent submits of one TxnID to fifty sessions: exactly one success', async () => {
    const pc = await startPayCore();
    try {
      const txnid = bkashTxnid();
      await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000 }));
      const ids = await Promise.all(Array.from({ length: 50 }, () => pc.newSession()));
      const results = await Promise.all(ids.map((id) => pc.submit(id, { txnid })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(pc.sql("SELECT id FROM sessions WHERE status = 'success'")).toHaveLength(1);
      expect(successCountForTxnid(pc, txnid)).toBe(1);
    } finally {
      await pc.stop();
    }
  });
});
