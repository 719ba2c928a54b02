import { describe, expect, it } from 'vitest';
import { expectNoStackTrace } from '../../support/http-client';
import { attemptsOf, bkashTxnid, body, usePayCore, type PayCore } from './helpers';

describe('checkout submit rate limit: 6 per minute per IP + session', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('the 7th submit from one IP to one session is 429 with Retry-After, the 3 headers and the body; the handler did not run', async () => {
    const id = await pc.newSession();
    const ip = '10.200.0.7';
    const waiting = bkashTxnid();
    const remaining: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const r = await pc.submit(id, { txnid: waiting }, { ip });
      expect(r.status, r.text).toBe(202);
      expect(r.headers['x-ratelimit-limit']).toBe('6');
      expect(r.headers['retry-after']).toBeUndefined();
      remaining.push(String(r.headers['x-ratelimit-remaining']));
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    // The 7th carries a TxnID that would pay the session if the handler ran.
    const paying = bkashTxnid();
    await pc.bkashCredit({ txnid: paying });
    const beforeSeconds = Math.floor(Date.now() / 1000);
    const r = await pc.submit(id, { txnid: paying }, { ip });
    expect(r.status, r.text).toBe(429);
    expect(r.headers['x-ratelimit-limit']).toBe('6');
    expect(r.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(r.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(beforeSeconds);
    expect(reset).toBeLessThanOrEqual(beforeSeconds + 61);
    const retryAfter = Number(r.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body(r)).toMatchObject({ code: 'rate_limited', retry_after_seconds: retryAfter });
    expect(typeof body(r).error).toBe('string');
    expect(typeof body(r).merchant_message).toBe('string');
    expectNoStackTrace(r.text);
    expect((await pc.view(id)).status).toBe('pending');
    expect(attemptsOf(pc, id).map((a) => a.txnid_normalized)).toEqual([waiting]);

    // Keyed by IP + session: another customer, or this customer on another session, is not throttled.
    const other = await pc.submit(id, { txnid: paying }, { ip: '10.200.0.8' });
    expect(other.status, other.text).toBe(200);
    const second = await pc.newSession();
    const fresh = await pc.submit(second, { txnid: bkashTxnid() }, { ip });
    expect(fresh.status, fresh.text).toBe(202);
  });

  it('form posts count against the same limit', async () => {
    const id = await pc.newSession();
    const ip = '10.200.1.1';
    for (let i = 0; i < 6; i += 1) {
      const r = await pc.submit(id, { txnid: 'no' }, { ip, form: true });
      expect(r.status).toBe(303);
    }
    // A customer without JavaScript is sent back to the page, which explains the wait.
    const r = await pc.submit(id, { txnid: 'no' }, { ip, form: true });
    expect(r.status).toBe(303);
    expect(String(r.headers.location)).toBe(`/pay/${id}?error=rate_limited`);
  });
});

describe('wrong-TxnID guesses are capped per session (matching.maxGuessesPerSession)', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('after 8 wrong guesses even the right TxnID is refused with 429 too_many_attempts', async () => {
    const id = await pc.newSession();
    for (let i = 0; i < 8; i += 1) {
      const r = await pc.submit(id, { txnid: `bad-${i}!` });
      expect(r.status, r.text).toBe(400);
      expect(body(r).code).toBe('txnid_invalid');
    }
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(429);
    expect(body(r).code).toBe('too_many_attempts');
    expect((await pc.view(id)).status).toBe('pending');
    expect(attemptsOf(pc, id)).toHaveLength(0);
    // The money is not lost: staff verify the TxnID out of band.
    const verify = await pc.rpc('txnid.verify', { txnid });
    expect((body(verify).result as { matched: boolean }).matched).toBe(true);
  });

  it('7 wrong guesses still let the right TxnID through', async () => {
    const id = await pc.newSession();
    for (let i = 0; i < 7; i += 1) expect((await pc.submit(id, { txnid: `x${i}` })).status).toBe(400);
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    expect((await pc.submit(id, { txnid })).status).toBe(200);
  });

  it('TxnIDs already used elsewhere count as guesses', async () => {
    const victim = await pc.newSession();
    const used: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const t = bkashTxnid();
      used.push(t);
      await pc.bkashCredit({ txnid: t });
    }
    // Each TxnID pays its own session first.
    for (const t of used) {
      const s = await pc.newSession();
      expect((await pc.submit(s, { txnid: t })).status).toBe(200);
    }
    for (const t of used) expect((await pc.submit(victim, { txnid: t })).status).toBe(409);
    const r = await pc.submit(victim, { txnid: bkashTxnid() });
    expect(r.status).toBe(429);
    expect(body(r).code).toBe('too_many_attempts');
  });

  it('TxnIDs whose SMS never comes fail after notFoundAfterMinutes and count as guesses', async () => {
    const id = await pc.newSession();
    // At most 3 unconfirmed TxnIDs wait at once, so the 8 guesses come in rounds.
    for (const round of [3, 3, 2]) {
      for (let i = 0; i < round; i += 1) expect((await pc.submit(id, { txnid: bkashTxnid() })).status).toBe(202);
      pc.advance(31 * 60_000);
      pc.core.sweep();
    }
    const view = await pc.view(id);
    expect(view.status).toBe('pending');
    expect(view.latest_transaction?.status).toBe('failed');
    expect(view.latest_transaction?.failure_reason).toMatch(/not found/i);
    const r = await pc.submit(id, { txnid: bkashTxnid() });
    expect(r.status, r.text).toBe(429);
    expect(body(r).code).toBe('too_many_attempts');
  });
});

describe('a configured guess cap', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { config: { matching: { sweepIntervalSeconds: 3600, maxGuessesPerSession: 2 } } });

  it('maxGuessesPerSession 2 refuses the third try', async () => {
    const id = await pc.newSession();
    expect((await pc.submit(id, { txnid: 'a' })).status).toBe(400);
    expect((await pc.submit(id, { txnid: 'b' })).status).toBe(400);
    const r = await pc.submit(id, { txnid: bkashTxnid() });
    expect(r.status).toBe(429);
    expect(body(r).code).toBe('too_many_attempts');
  });
});

describe('limits that keep a guesser from holding a session open', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('a session holds at most 3 TxnIDs still waiting for their SMS; the 4th is 429 too_many_attempts', async () => {
    const id = await pc.newSession();
    for (let i = 0; i < 3; i += 1) {
      const r = await pc.submit(id, { txnid: bkashTxnid() }, { ip: `10.9.0.${i + 1}` });
      expect(r.status, r.text).toBe(202);
    }
    const fourth = await pc.submit(id, { txnid: bkashTxnid() }, { ip: '10.9.0.9' });
    expect(fourth.status, fourth.text).toBe(429);
    expect(body(fourth).code).toBe('too_many_attempts');
    expect(attemptsOf(pc, id)).toHaveLength(3);
  });
});
