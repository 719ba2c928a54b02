/**
 * Adversarial review: each test here demonstrates a defect (it FAILS against the current code)
 * and states what should happen instead. See the review report for file/function and severity.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bkash } from '../../../src-main/core/parsers/bkash';
import { removeTempDirs } from '../../support/temp-dir';
import { attemptsOf, bkashTxnid, body, startPayCore, type PayCore } from '../payments/helpers';
import { apkReport, bkashBody, restartCore, sessionRow } from './support';

const HOUR = 3_600_000;

describe('review: false PAID and lost SMS holes, now closed', () => {
  let pc: PayCore;
  beforeEach(async () => {
    pc = await startPayCore();
  });
  afterEach(async () => {
    await pc.stop();
  });
  afterAll(() => removeTempDirs());

  /**
   * R6 (balance continuity) is the stated defence against a forger who can fake the wallet's
   * sender ID. checkBalance() returns null when the SMS prints no balance, so a forged credit
   * that simply leaves the "Balance Tk ..." part out skips R6 and settles by itself, even
   * though the wallet has a known previous balance to compare with.
   */
  it('(R6-1, fixed) a wallet-sender credit that omits its balance is not a clean match when the chain has a balance', async () => {
    await pc.bkashCredit({ txnid: bkashTxnid(), via: 'apk' }); // genuine: the chain now has a balance
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const forged = await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000, balanceMinor: null }));
    expect(forged.status, forged.text).toBe(200);
    const r = await pc.submit(id, { txnid });
    // Should wait for staff (balance missing where the wallet always prints one), not settle.
    expect(r.status, r.text).toBe(202);
    expect(sessionRow(pc, id).status).toBe('pending');
  });

  /**
   * R6 trusts every stored credit/debit as a link of the chain, including credits nobody ever
   * checked. A forger sends one unclaimed credit with an invented balance (never submitted, so
   * its own mismatch is never evaluated), then a second credit whose balance follows the
   * first: the second passes R6 and pays the session.
   */
  it('(R6-2, fixed) two forged credits re-seed the balance chain and the second one settles a session', async () => {
    await pc.bkashCredit({ txnid: bkashTxnid(), via: 'apk' }); // genuine chain head: 1000 + 500 = 1500.00
    const seed = await pc.apkSms('bKash', bkashBody({ txnid: bkashTxnid(), amountMinor: 100, balanceMinor: 1_000 }));
    expect(seed.status, seed.text).toBe(200);
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000, balanceMinor: 51_000 }));
    const r = await pc.submit(id, { txnid });
    // The chain was broken by an SMS whose balance did not follow (1500.00 + 1.00 != 10.00):
    // anything built on it must not settle by itself.
    expect(r.status, r.text).toBe(202);
    expect(sessionRow(pc, id).status).toBe('pending');
  });

  /**
   * Decisions.verify (admin `txnid.verify`, `/api/merchant/verify`, APK `/api/device/verify`)
   * is the counter's "is this TxnID paid?" lookup. When the TxnID is claimed by an attempt held
   * for review (here: a balance that does not follow, i.e. a possible forgery), verify settles
   * that session on amount equality alone, ignoring the review reasons, and answers matched.
   */
  it('(VERIFY-1, fixed) txnid.verify settles an attempt held for review (balance mismatch) without a decision', async () => {
    await pc.bkashCredit({ txnid: bkashTxnid(), via: 'apk' });
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000, balanceMinor: 9_999_900 }));
    const submitted = await pc.submit(id, { txnid });
    expect(submitted.status, submitted.text).toBe(202);
    expect(body(submitted).review).toBe(true);

    const v = await pc.rpc('txnid.verify', { txnid });
    // Expected: the review-held attempt stays for verifications.decide (matched false / a conflict),
    // the session stays pending.
    expect(sessionRow(pc, id).status).toBe('pending');
    expect(v.status === 200 ? (v.json as { result: { matched: boolean } }).result.matched : false).toBe(false);
  });

  /**
   * Decisions.decide never expires a session that is past expires_at but not yet swept (the
   * sweep runs on a timer; submit and late match both call expireIfDue first). Staff or the
   * phone approving after the deadline turns an expired session into success.
   */
  it('(EXPIRY-1, fixed) approving (counter) after expires_at settles a session that is already over', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const [attempt] = attemptsOf(pc, id);
    pc.advance(25 * HOUR); // ttl is 24 h; the sweep has not run
    const d = await pc.decide(attempt?.id as number, 'success');
    expect(d.status, d.text).toBe(409);
    expect(sessionRow(pc, id).status).toBe('expired');
  });

  it('(EXPIRY-2, fixed) approving from the phone (/api/device/report) after expires_at settles an expired session', async () => {
    await pc.apkSms('bKash', 'hello'); // binds the phone
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const [attempt] = attemptsOf(pc, id);
    pc.advance(25 * HOUR);
    const r = await apkReport(pc, attempt?.id as number, 'success');
    expect(r.status, r.text).toBe(409);
    expect(sessionRow(pc, id).status).toBe('expired');
  });

  /**
   * docs/sms-fingerprint.md: "A parser that throws cannot lose the SMS: it is stored raw as
   * `unparsed` and parsed again at the next start." parseSms() catches every exception itself
   * and returns kind 'unknown' (provider null), so the row is never 'unparsed', reparseUnparsed
   * never sees it, and catchUp never matches it: a genuine credit is lost for good.
   */
  it('(LOST-1, fixed) a credit whose parser threw is stored as unknown and never parsed again', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202); // waiting for its SMS
    const original = bkash.parse;
    (bkash as { parse: typeof bkash.parse }).parse = () => {
      throw new Error('parser bug');
    };
    try {
      const r = await pc.apkSms('bKash', bkashBody({ txnid, amountMinor: 50_000, balanceMinor: 150_000 }));
      expect(r.status, r.text).toBe(200);
    } finally {
      (bkash as { parse: typeof bkash.parse }).parse = original;
    }
    const [row] = pc.sql<{ kind: string }>('SELECT kind FROM sms WHERE txnid_normalized IS NULL AND body LIKE ?', `%${txnid}%`);
    expect.soft(row?.kind).toBe('unparsed');
    await pc.stop();
    const again = await restartCore(pc.dir); // reparse + catchUp run at start
    try {
      const [sms] = again.sql<{ kind: string }>('SELECT kind FROM sms WHERE body LIKE ?', `%${txnid}%`);
      expect.soft(sms?.kind).toBe('credit');
      const [session] = again.sql<{ status: string }>('SELECT status FROM sessions WHERE id = ?', id);
      expect(session?.status).toBe('success');
    } finally {
      await again.stop();
      // afterEach stops pc again: make that a no-op.
      pc.stop = async () => {};
    }
  });

  /**
   * Decisions.decide() does not check the attempt's mode: the live phone (device key) can
   * approve a TEST-mode attempt by id, although pendingVerifications hides test attempts
   * ("test mode never asks staff") and live and test must never mix.
   */
  it('(MODE-1, fixed) the phone cannot approve a test-mode attempt by id', async () => {
    await pc.apkSms('bKash', 'hello'); // binds the phone
    const id = await pc.newSession({}, { key: pc.keys.test });
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const [attempt] = attemptsOf(pc, id);
    expect((await pc.verifications()).some((v) => v.verification_id === attempt?.id)).toBe(false);
    const r = await apkReport(pc, attempt?.id as number, 'success');
    expect(r.status, r.text).toBe(404);
    expect(sessionRow(pc, id).status).toBe('pending');
  });

  /**
   * lateMatchInTx(): a spoof carrying a waiting TxnID fails the waiting attempt. When the real
   * SMS then arrives, reclaimAfterWait() only re-matches attempts failed as "not found", so the
   * genuine payment is never applied automatically: the customer who paid was told "rejected"
   * and the session stays pending. The same text from a sender variant (a forwarder reporting
   * "+bKash") is enough; no knowledge of the shop is needed beyond the TxnID.
   */
  it('(SPOOF-1, fixed) a spoof arriving before the genuine SMS does not stop the genuine SMS from paying', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const text = bkashBody({ txnid, amountMinor: 50_000, balanceMinor: 150_000 });
    const spoof = await pc.apkSms('+8801999999999', text);
    expect(spoof.status, spoof.text).toBe(200);
    // The attempt keeps waiting for the wallet's own SMS (failing it would let the spoof's sender line up a lapsed attempt).
    expect(attemptsOf(pc, id).map((a) => a.status)).toEqual(['pending']);
    const genuine = await pc.apkSms('bKash', text);
    expect(genuine.status, genuine.text).toBe(200);
    expect(sessionRow(pc, id).status).toBe('success');
  });
});
