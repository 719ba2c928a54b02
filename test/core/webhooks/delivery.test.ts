import crypto from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../../src-main/core/db';
import { enqueueSessionChange } from '../../../src-main/core/outbox';
import { rotateKeys } from '../../../src-main/core/shop';
import type { SessionView } from '../../../src-shared/contract/payments';
import { bkashTxnid, startPayCore, type PayCore } from '../payments/helpers';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../support/webhook-receiver';

/**
 * Issue 12: session changes reach the merchant's receiver as signed webhooks, retried on the
 * Standard Webhooks schedule against the core's injectable clock (no sleeping), from the
 * outbox rows committed with the change. Real core, real SQLite, real HTTP on loopback.
 */

const cores: PayCore[] = [];
const receivers: WebhookReceiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop()));
});

async function core(config: Record<string, unknown> = {}): Promise<PayCore> {
  const pc = await startPayCore({ config: { webhooks: { allowPrivate: true, timeoutSeconds: 1 }, ...config } });
  cores.push(pc);
  return pc;
}

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
}

async function setUrl(pc: PayCore, url: string, test = false): Promise<void> {
  const res = await pc.rpc('webhooks.set', { url, test });
  expect(res.status, res.text).toBe(200);
}

/** A paid session: created, its bKash credit stored, the customer's TxnID submitted. */
async function paidSession(pc: PayCore, amount = '500.00', extra: Record<string, unknown> = {}): Promise<string> {
  const id = await pc.newSession({ amount, ...extra });
  const txnid = bkashTxnid();
  await pc.bkashCredit({ txnid, amount });
  const res = await pc.submit(id, { txnid });
  expect((res.json as { status: string }).status).toBe('success');
  return id;
}

function hmacHex(key: string, text: string): string {
  return crypto.createHmac('sha256', key).update(text).digest('hex');
}

/** Verifies both signature headers of a received webhook with one key, the way docs/webhooks.md does by hand. */
function verifiesWith(w: ReceivedWebhook, key: string): { stripe: boolean; standard: boolean } {
  const header = String(w.headers['x-counterpay-signature']);
  const t = /(?:^|,)t=(\d+)/.exec(header)?.[1] ?? '';
  const v1s = [...header.matchAll(/v1=([0-9a-f]{64})/g)].map((m) => m[1]);
  const expected = hmacHex(key, `${t}.${w.raw}`);
  const id = String(w.headers['webhook-id']);
  const ts = String(w.headers['webhook-timestamp']);
  const std = String(w.headers['webhook-signature'])
    .split(' ')
    .map((s) => s.replace(/^v1,/, ''));
  const expectedStd = crypto.createHmac('sha256', key).update(`${id}.${ts}.${w.raw}`).digest('base64');
  return { stripe: v1s.includes(expected), standard: std.includes(expectedStd) };
}

async function deliveries(pc: PayCore): Promise<
  {
    id: number;
    event_id: string;
    event: string;
    status: string;
    attempts: number;
    session_id: string;
    url: string;
    target: string;
    recent_attempts: { http_status: number | null; ok: boolean; error: string | null; response_excerpt: string | null }[];
  }[]
> {
  const res = await pc.rpc('webhooks.deliveries', { limit: 100 });
  expect(res.status).toBe(200);
  return (res.json as { result: { deliveries: never[] } }).result.deliveries;
}

describe('webhooks: what a receiver gets', () => {
  it('session.success: the GET view, exactly, in {id, event, created_at, session}, signed twice with secret_key', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const id = await paidSession(pc);
    await pc.core.webhooks.flush();
    const got = rx.received.filter((w) => (w.json?.session as { id?: string } | undefined)?.id === id);
    expect(got).toHaveLength(1);
    const w = got[0] as ReceivedWebhook;
    expect(Object.keys(w.json ?? {})).toEqual(['id', 'event', 'created_at', 'session']);
    expect(w.json?.event).toBe('session.success');
    expect(w.json?.session).toEqual(await pc.view(id));
    expect(w.json?.id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(w.headers['webhook-id']).toBe(w.json?.id);
    expect(w.headers['x-counterpay-event']).toBe('session.success');
    expect(w.headers['content-type']).toBe('application/json');
    expect(verifiesWith(w, pc.core.shop.keys.secret_key)).toEqual({ stripe: true, standard: true });
    expect(verifiesWith(w, pc.core.shop.keys.test_secret_key)).toEqual({ stripe: false, standard: false });
    const t = Number(/t=(\d+)/.exec(String(w.headers['x-counterpay-signature']))?.[1]);
    expect(Math.abs(t - pc.now() / 1000)).toBeLessThan(5);
  });

  it('a test session goes to the test URL, signed with test_secret_key; the live URL hears nothing of it', async () => {
    const pc = await core();
    const live = await receiver();
    const test = await receiver();
    await setUrl(pc, live.url);
    await setUrl(pc, test.url, true);
    const id = await pc.newSession({ amount: '120.00' }, { key: pc.keys.test });
    expect((await pc.cancel(id, { key: pc.keys.test })).status).toBe(200);
    await pc.core.webhooks.flush();
    expect(live.received.filter((w) => (w.json?.session as { id: string }).id === id)).toHaveLength(0);
    const got = test.received.filter((w) => (w.json?.session as { id: string }).id === id);
    expect(got.map((w) => w.json?.event)).toEqual(['session.cancelled']);
    expect((got[0]?.json?.session as { test: boolean }).test).toBe(true);
    expect(verifiesWith(got[0] as ReceivedWebhook, pc.core.shop.keys.test_secret_key)).toEqual({ stripe: true, standard: true });
    expect(verifiesWith(got[0] as ReceivedWebhook, pc.core.shop.keys.secret_key)).toEqual({ stripe: false, standard: false });
  });

  it("notify_url (or notifyUrl) gets the session's events besides the brand URL, with the same event id", async () => {
    const pc = await core();
    const brand = await receiver();
    const own = await receiver();
    await setUrl(pc, brand.url);
    const id = await pc.newSession({ amount: '75.00', notifyUrl: own.url });
    expect(pc.sql<{ notify_url: string }>('SELECT notify_url FROM sessions WHERE id = ?', id)[0]?.notify_url).toBe(own.url);
    await pc.cancel(id);
    await pc.core.webhooks.flush();
    const a = brand.received.find((w) => (w.json?.session as { id: string }).id === id);
    const b = own.received.find((w) => (w.json?.session as { id: string }).id === id);
    expect(a?.json?.event).toBe('session.cancelled');
    expect(b?.raw).toBe(a?.raw);
    const targets = (await deliveries(pc)).filter((d) => d.session_id === id).map((d) => d.target);
    expect(targets.sort()).toEqual(['brand', 'session']);
  });

  it('staff rejecting a TxnID tells the merchant transaction.failed; the session stays pending', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '300.00' });
    const txnid = bkashTxnid();
    // A credit of another amount: held for a person (amount_mismatch).
    await pc.bkashCredit({ txnid, amount: '30.00' });
    await pc.submit(id, { txnid });
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    expect(v).toBeDefined();
    expect((await pc.decide(v?.verification_id as number, 'failed', 'Customer paid 30, not 300')).status).toBe(200);
    await pc.core.webhooks.flush();
    const got = rx.received.filter((w) => (w.json?.session as { id: string }).id === id);
    expect(got.map((w) => w.json?.event)).toEqual(['transaction.failed']);
    const session = got[0]?.json?.session as { status: string; latest_transaction: { status: string; failure_reason: string } };
    expect(session.status).toBe('pending');
    expect(session.latest_transaction.status).toBe('failed');
    expect(session.latest_transaction.failure_reason).toBe('Customer paid 30, not 300');
  });

  it('a wallet reversal after payment: transaction.reversed, the session stays paid, staff get an alert', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '640.00' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '640.00' });
    await pc.submit(id, { txnid });
    // The wallet's reversal names the original TrxID (the shape issue 8's tests use).
    const r = await pc.apkSms(
      'bKash',
      `Tk 640.00 from 01712345678 has been reversed. TrxID ${txnid} at 12/05/2026 11:30. Balance Tk 10.00`,
    );
    expect(r.status, r.text).toBe(200);
    await pc.core.webhooks.flush();
    const events = rx.received.filter((w) => (w.json?.session as { id: string }).id === id).map((w) => w.json);
    expect(events.map((e) => e?.event)).toEqual(['session.success', 'transaction.reversed']);
    const session = events[1]?.session as { status: string; successful_transaction: { reversed_at: string | null } };
    expect(session.status).toBe('success');
    expect(session.successful_transaction.reversed_at).not.toBeNull();
    expect((await pc.alerts()).some((a) => a.kind === 'transaction_reversed' && a.session_id === id)).toBe(true);
  });
});

describe('webhooks: retries on the schedule, on the injectable clock', () => {
  it('a 500, then a timeout, then a 2xx: one event id, fresh timestamps and signatures, every attempt on record', async () => {
    const pc = await core();
    const rx = await receiver();
    rx.script = [{ status: 500, body: 'database is down' }, 'hang'];
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '90.00' });
    await pc.cancel(id);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(1);
    // The first retry waits 5 s (±10%): not before 4.5 s…
    pc.advance(4_000);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(1);
    // …and by 5.5 s it is made (this one hangs past the 1 s timeout).
    pc.advance(2_000);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(2);
    // The second retry waits 5 minutes.
    pc.advance(4 * 60_000);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(2);
    pc.advance(2 * 60_000);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(3);

    const [a, b, c] = rx.received as [ReceivedWebhook, ReceivedWebhook, ReceivedWebhook];
    expect(new Set([a.json?.id, b.json?.id, c.json?.id]).size).toBe(1);
    expect(b.raw).toBe(a.raw);
    const stamps = [a, b, c].map((w) => w.headers['webhook-timestamp']);
    expect(new Set(stamps).size).toBe(3);
    expect(new Set([a, b, c].map((w) => w.headers['x-counterpay-signature'])).size).toBe(3);
    for (const w of [a, b, c]) expect(verifiesWith(w, pc.core.shop.keys.secret_key)).toEqual({ stripe: true, standard: true });

    const d = (await deliveries(pc)).find((x) => x.session_id === id);
    expect(d?.status).toBe('delivered');
    expect(d?.attempts).toBe(3);
    const attempts = [...(d?.recent_attempts ?? [])].reverse();
    expect(attempts.map((x) => x.http_status)).toEqual([500, null, 200]);
    expect(attempts[0]?.response_excerpt).toBe('database is down');
    expect(attempts[1]?.error).toMatch(/timed out/);
    expect(attempts[2]?.ok).toBe(true);
  });

  it('a receiver down for a simulated day: eight attempts on the schedule, then dead; staff resend delivers it', async () => {
    const pc = await core();
    const rx = await receiver();
    rx.fallback = { status: 503, body: 'maintenance' };
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '45.00' });
    await pc.cancel(id);
    await pc.core.webhooks.flush();
    // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 27 h 35 min in all, at most a tenth more with jitter.
    for (const seconds of [5, 300, 1800, 7200, 18_000, 36_000, 36_000]) {
      pc.advance(seconds * 1100 + 1000);
      await pc.core.webhooks.flush();
    }
    expect(rx.received).toHaveLength(8);
    pc.advance(48 * 3_600_000);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(8);
    let d = (await deliveries(pc)).find((x) => x.session_id === id);
    expect(d?.status).toBe('dead');
    expect(d?.attempts).toBe(8);
    const backlog = (await pc.rpc('webhooks.get', {})).json as { result: { backlog: { dead: number; pending: number } } };
    expect(backlog.result.backlog.dead).toBeGreaterThanOrEqual(1);

    rx.fallback = { status: 200, body: 'SUCCESS' };
    const resent = await pc.rpc('webhooks.resend', { id: d?.id });
    expect(resent.status).toBe(200);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(9);
    expect(rx.received[8]?.json?.id).toBe(d?.event_id);
    d = (await deliveries(pc)).find((x) => x.session_id === id);
    expect(d?.status).toBe('delivered');
    expect(d?.attempts).toBe(9);
  });

  it('a redirect is not followed: a 302 is a failed attempt', async () => {
    const pc = await core();
    const rx = await receiver();
    const target = await receiver();
    rx.fallback = { status: 302, body: '' };
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '12.00' });
    await pc.cancel(id);
    await pc.core.webhooks.flush();
    expect(target.received).toHaveLength(0);
    const d = (await deliveries(pc)).find((x) => x.session_id === id);
    expect(d?.status).toBe('pending');
    expect(d?.recent_attempts[0]?.http_status).toBe(302);
    expect(d?.recent_attempts[0]?.ok).toBe(false);
  });
});

describe('webhooks: order and isolation', () => {
  it('one session, one URL: a later event waits for an earlier one still being retried; other sessions go on', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '300.00' });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '30.00' });
    await pc.submit(id, { txnid });
    const v = (await pc.verifications()).find((x) => x.session_id === id);
    rx.script = [{ status: 500 }];
    await pc.decide(v?.verification_id as number, 'failed', 'wrong amount');
    await pc.core.webhooks.flush();
    // Now the session is paid: its session.success must not overtake the failed transaction.failed.
    const good = bkashTxnid();
    await pc.bkashCredit({ txnid: good, amount: '300.00' });
    await pc.submit(id, { txnid: good });
    const other = await pc.newSession({ amount: '11.00' });
    await pc.cancel(other);
    await pc.core.webhooks.flush();
    const bySession = (sid: string) => rx.received.filter((w) => (w.json?.session as { id: string }).id === sid).map((w) => w.json?.event);
    expect(bySession(id)).toEqual(['transaction.failed']);
    expect(bySession(other)).toEqual(['session.cancelled']);
    pc.advance(6_000);
    await pc.core.webhooks.flush();
    expect(bySession(id)).toEqual(['transaction.failed', 'transaction.failed', 'session.success']);
  });

  it('a receiver that hangs holds only its own turns: another receiver is served meanwhile', async () => {
    const pc = await core({ webhooks: { allowPrivate: true, timeoutSeconds: 5 } });
    const slow = await receiver();
    const fast = await receiver();
    slow.fallback = 'hang';
    await setUrl(pc, slow.url);
    const ids = [];
    for (let i = 0; i < 6; i += 1) {
      const id = await pc.newSession({ amount: '10.00', notify_url: fast.url });
      await pc.cancel(id);
      ids.push(id);
    }
    pc.core.webhooks.kick();
    await fast.waitFor(6, 3_000);
    // The slow receiver got at most its share at once (4), and none of them answered yet.
    expect(slow.received.length).toBeGreaterThan(0);
    expect(slow.received.length).toBeLessThanOrEqual(4);
    expect(fast.received.map((w) => (w.json?.session as { id: string }).id).sort()).toEqual([...ids].sort());
  });
});

describe('webhooks: only what committed, and after a restart', () => {
  it('a change that rolls back leaves no event; the next committed one is delivered', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '66.00' });
    const view = await pc.view(id);
    const before = pc.sql<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'webhook'")[0]?.n;
    expect(() =>
      writeTransaction(pc.core.db, () => {
        enqueueSessionChange(pc.core.db, pc.core.shop.merchantId, { ...(view as unknown as SessionView), status: 'success' }, pc.now());
        throw new Error('the change failed after its event was written');
      }),
    ).toThrow(/change failed/);
    expect(pc.sql<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'webhook'")[0]?.n).toBe(before);
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(0);
    await pc.cancel(id);
    await pc.core.webhooks.flush();
    expect(rx.received.map((w) => w.json?.event)).toEqual(['session.cancelled']);
  });

  it('sessions that ran out while the counter was off expire at start and are announced', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const id = await pc.newSession({ amount: '88.00' });
    pc.advanceHours(48);
    // What listen() does at start, before serving anyone.
    expect(pc.core.payments.expireAllDue()).toBeGreaterThanOrEqual(1);
    await pc.core.webhooks.flush();
    const got = rx.received.filter((w) => (w.json?.session as { id: string }).id === id);
    expect(got.map((w) => w.json?.event)).toEqual(['session.expired']);
  });
});

describe('webhooks: key rotation overlap', () => {
  it('after keys rotate secret_key, both keys sign for the overlap; then only the new one', async () => {
    const pc = await core();
    const rx = await receiver();
    await setUrl(pc, rx.url);
    const oldKey = pc.core.shop.keys.secret_key;
    const rotated = rotateKeys(pc.core.db, pc.dir, ['secret_key'], 'test');
    const newKey = rotated.keys.secret_key;
    expect(newKey).not.toBe(oldKey);
    const a = await pc.newSession({ amount: '10.00' });
    await pc.cancel(a);
    await pc.core.webhooks.flush();
    const first = rx.received[0] as ReceivedWebhook;
    expect(String(first.headers['x-counterpay-signature']).match(/v1=/g)).toHaveLength(2);
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiesWith(first, newKey)).toEqual({ stripe: true, standard: true });
    expect(verifiesWith(first, oldKey)).toEqual({ stripe: true, standard: true });
    pc.advanceHours(25);
    const b = await pc.newSession({ amount: '10.00' });
    await pc.cancel(b);
    await pc.core.webhooks.flush();
    const second = rx.received.find((w) => (w.json?.session as { id: string }).id === b) as ReceivedWebhook;
    expect(verifiesWith(second, newKey)).toEqual({ stripe: true, standard: true });
    expect(verifiesWith(second, oldKey)).toEqual({ stripe: false, standard: false });
  });
});

describe('webhooks: a life for delivery records', () => {
  it('deliveries that ended go (with their attempts) after webhookDeliveryDays; waiting ones stay', async () => {
    const pc = await core({ maintenance: { webhookDeliveryDays: 90 } });
    const ok = await receiver();
    const down = await receiver();
    down.fallback = { status: 503 };
    await setUrl(pc, ok.url);
    const done = await pc.newSession({ amount: '10.00' });
    await pc.cancel(done);
    const waiting = await pc.newSession({ amount: '10.00', notify_url: down.url });
    await pc.cancel(waiting);
    await pc.core.webhooks.flush();
    const count = (table: string) => pc.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n;
    expect(count('webhook_deliveries')).toBe(3);
    const attemptsBefore = count('webhook_attempts');
    pc.advanceHours(89 * 24);
    expect(pc.core.maintenance.purge(pc.now()).finishedWebhooks).toBe(0);
    pc.advanceHours(2 * 24);
    expect(pc.core.maintenance.purge(pc.now()).finishedWebhooks).toBe(2);
    const left = pc.sql<{ session_id: string; url: string; status: string }>('SELECT session_id, url, status FROM webhook_deliveries');
    expect(left).toEqual([{ session_id: waiting, url: down.url, status: 'pending' }]);
    expect(count('webhook_attempts')).toBe((attemptsBefore ?? 0) - 2);
  });
});

describe('webhooks: a long backlog never holds the counter', () => {
  it('events committed before any URL existed are handed on a batch per pass, not all in one loop', async () => {
    const pc = await core();
    const id = await pc.newSession({ amount: '10.00' });
    const view = (await pc.view(id)) as unknown as SessionView;
    await pc.core.webhooks.flush();
    // Months of changes of a shop that never had a webhook URL (the year of traffic has 200,000).
    writeTransaction(pc.core.db, () => {
      for (let i = 0; i < 1_000; i += 1)
        enqueueSessionChange(pc.core.db, pc.core.shop.merchantId, { ...view, status: 'cancelled' }, pc.now());
    });
    const waiting = () => pc.sql<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'webhook' AND status = 'pending'")[0]?.n;
    expect(waiting()).toBe(1_000);
    pc.core.webhooks.tick();
    expect(waiting()).toBe(800);
    await pc.core.webhooks.flush();
    expect(waiting()).toBe(0);
  });
});
