import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpRequest } from '../../support/http-client';
import { BKASH_ACCOUNT, attemptsOf, bkashCreditBody, bkashTxnid, startPayCore, type PayCore } from './helpers';

/**
 * One verdict: every path that can tell someone "paid" asks the same rules (judge-credit.ts).
 * Each case below is set up afresh for each path (a new core, so the paths cannot see each
 * other's side effects) and every path must land in the same column:
 *   pays        — settles by itself / PAID / matched / celebrated
 *   check_first — waits for a person, with reasons
 *   rejected    — can never pay (spoof, reversed, already used)
 *   absent      — no live credit to speak of
 */
type Outcome = 'pays' | 'check_first' | 'rejected' | 'absent';
type PathName =
  | 'checkout'
  | 'late_match'
  | 'counter_check'
  | 'counter_accept'
  | 'banner'
  | 'device_verify'
  | 'merchant_verify'
  | 'admin_verify'
  | 'staff_decide'
  | 'phone_decide'
  | 'sweep';

const SEED_BALANCE = 100_000;
const SEED_AMOUNT = 20_000;
const CHAIN = SEED_BALANCE + SEED_AMOUNT;
const PAYER = '01712345678';

interface Case {
  name: string;
  expected: Outcome;
  /** Paths that cannot express this case, and why. */
  skip?: Partial<Record<PathName, string>>;
  /** State before the customer's TxnID is asked about (never the credit itself). */
  before?: (pc: PayCore, txnid: string) => Promise<void>;
  /**
   * The SMS behind the TxnID (delivered after the submit on the late-match, decide and sweep
   * paths). Device-delivered SMS go through `send`, so the sweep path can deliver them its way.
   */
  deliver: (pc: PayCore, txnid: string, send: Send) => Promise<void>;
}

/** How a case's device-delivered SMS reach the core. */
type Send = (sender: string, body: string, receivedAt?: string) => Promise<void>;

async function apk(pc: PayCore, sender: string, body: string, receivedAt?: string): Promise<void> {
  const r = await pc.apkSms(sender, body, receivedAt);
  expect(r.status, r.text).toBe(200);
}

/** The phone delivers it (the default). */
const byPhone =
  (pc: PayCore): Send =>
  (sender, body, receivedAt) =>
    apk(pc, sender, body, receivedAt);

/**
 * For the sweep: staff paste it first (a waiting attempt is judged on the paste and held), then
 * the phone's delivery is committed while payments is not told (another process wrote it, or a
 * crash came between the commit and the match): only the sweep's re-decision can move it.
 */
const pastedThenUntold =
  (pc: PayCore): Send =>
  async (sender, body, receivedAt) => {
    await pc.importSms(sender, body, receivedAt);
    const untold = vi.spyOn(pc.core.payments, 'onSmsStored').mockImplementation(() => undefined);
    try {
      await apk(pc, sender, body, receivedAt);
    } finally {
      untold.mockRestore();
    }
  };

/** A genuine bKash credit of 500.00 that follows the seeded chain. */
const genuine = (txnid: string) => bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: CHAIN + 50_000 });

/** A first genuine SMS so the wallet has a trusted balance to be checked against. */
async function seed(pc: PayCore): Promise<void> {
  await apk(pc, 'bKash', bkashCreditBody({ txnid: bkashTxnid(), amountMinor: SEED_AMOUNT, from: '01811111111', balanceMinor: CHAIN }));
}

const CASES: Case[] = [
  { name: 'clean credit', expected: 'pays', deliver: (_pc, t, send) => send('bKash', genuine(t)) },
  {
    name: 'forged sender (a phone number)',
    expected: 'rejected',
    deliver: (_pc, t, send) => send('+8801812345678', genuine(t)),
  },
  {
    name: 'no balance line although the wallet prints one',
    expected: 'check_first',
    deliver: (_pc, t, send) => send('bKash', `You have received Tk 500.00 from ${PAYER}. Ref 1. TrxID ${t} at 12/05/2026 11:25`),
  },
  {
    name: 'balance breaks the chain',
    expected: 'check_first',
    deliver: (_pc, t, send) =>
      send('bKash', bkashCreditBody({ txnid: t, amountMinor: 50_000, from: PAYER, balanceMinor: CHAIN + 50_000 + 77_700 })),
  },
  {
    name: 'reversed by the wallet',
    expected: 'rejected',
    deliver: async (_pc, t, send) => {
      // The reversal first (operators deliver out of order), so no path has paid before it lands.
      await send('bKash', `Tk 500.00 from ${PAYER} has been reversed. TrxID ${t} at 12/05/2026 11:30. Balance Tk 1,200.00`);
      await send('bKash', genuine(t));
    },
  },
  {
    name: 'already used by another session',
    expected: 'rejected',
    skip: { late_match: 'an SMS that already paid cannot also arrive late' },
    before: async (pc, t) => {
      await apk(pc, 'bKash', genuine(t));
      const other = await pc.newSession({ amount: '500.00' });
      expect((await pc.submit(other, { txnid: t })).status).toBe(200);
    },
    deliver: async () => {},
  },
  {
    name: 'stale: older than the maximum SMS age',
    expected: 'check_first',
    deliver: (pc, t, send) => send('bKash', genuine(t), new Date(pc.now() - 49 * 3_600_000).toISOString()),
  },
  {
    name: 'wrong amount (450.00 for 500.00)',
    expected: 'check_first',
    skip: {
      banner: 'the banner has no amount to compare',
      device_verify: 'verify carries no amount',
      merchant_verify: 'verify carries no amount',
      admin_verify: 'verify carries no amount',
    },
    deliver: (_pc, t, send) => send('bKash', bkashCreditBody({ txnid: t, amountMinor: 45_000, from: PAYER, balanceMinor: CHAIN + 45_000 })),
  },
  {
    name: 'test-mode SMS asked on live paths',
    expected: 'absent',
    deliver: async (pc, t) => {
      const r = await pc.testSms('bKash', genuine(t));
      expect(r.status, r.text).toBe(201);
    },
  },
  {
    name: 'pasted by staff only',
    expected: 'check_first',
    deliver: async (pc, t) => {
      await pc.importSms('bKash', genuine(t));
    },
  },
];

function errorCode(r: { json: unknown }): string | undefined {
  return (r.json as { code?: string } | null)?.code;
}

function fromVerify(r: { status: number; json: unknown; text: string }, unwrap = false): Outcome {
  if (r.status === 404) return 'absent';
  expect(r.status, r.text).toBe(200);
  const v = (unwrap ? (r.json as { result: unknown }).result : r.json) as { matched: boolean; already_existed: boolean; reason?: string };
  // A used TxnID is never `matched`: a phone app that reads only `matched` must not show PAID.
  if (v.already_existed) {
    expect(v.matched, r.text).toBe(false);
    return 'rejected';
  }
  if (v.matched) return 'pays';
  return v.reason?.startsWith('Check first') ? 'check_first' : 'rejected';
}

/**
 * A TxnID submitted before its SMS, the case's SMS delivered, then a person approves what waits:
 * staff in the queue or the merchant's phone. Whatever settled or failed by itself is read as
 * the late-match path reads it. A person's approval answers `check_first` when it overruled an
 * SMS's reasons, `absent` when no live SMS exists at all (the person's word, R7); a refusal is
 * `rejected`. So a decide agrees with the verdict only if it overrules no more than a person may.
 */
async function decidePath(pc: PayCore, c: Case, txnid: string, who: 'staff' | 'phone' | 'sweep', send: Send): Promise<Outcome> {
  const id = await pc.newSession({ amount: '500.00' });
  const first = await pc.submit(id, { txnid });
  if (first.status !== 202) {
    // Already used: the TxnID cannot even reach the queue.
    expect([409, 422], first.text).toContain(first.status);
    return 'rejected';
  }
  await c.deliver(pc, txnid, send);
  if (who === 'sweep') pc.core.sweep();
  if ((await pc.view(id)).status === 'success') return 'pays';
  const [attempt] = attemptsOf(pc, id).slice(-1);
  if (!attempt || attempt.status === 'failed') return 'rejected';
  if (who === 'sweep') return attempt.sms_id !== null ? 'check_first' : (await spoofAlerted(pc, id)) ? 'rejected' : 'absent';
  const r =
    who === 'staff'
      ? await pc.decide(attempt.id, 'success')
      : await httpRequest(pc.urls.device, '/api/device/report', {
          method: 'POST',
          body: { auth_key: pc.keys.device, device_id: 'counter-phone-1', verification_id: attempt.id, result: 'success' },
        });
  if (r.status === 200) {
    expect((await pc.view(id)).status).toBe('success');
    return attempt.sms_id === null ? 'absent' : 'check_first';
  }
  expect(['payment_rejected', 'txnid_already_used'], r.text).toContain(errorCode(r));
  expect((await pc.view(id)).status).toBe('pending');
  return 'rejected';
}

async function spoofAlerted(pc: PayCore, sessionId: string): Promise<boolean> {
  return (await pc.alerts()).some((a) => a.kind === 'spoof_attempt' && a.session_id === sessionId);
}

const PATHS: Record<PathName, (pc: PayCore, c: Case, txnid: string) => Promise<Outcome>> = {
  async checkout(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    const id = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(id, { txnid });
    if (r.status === 200) return 'pays';
    if (r.status === 202) return (r.json as { review: boolean }).review ? 'check_first' : 'absent';
    expect([409, 422], r.text).toContain(r.status);
    return 'rejected';
  },
  async late_match(pc, c, txnid) {
    const id = await pc.newSession({ amount: '500.00' });
    const first = await pc.submit(id, { txnid });
    expect(first.status, first.text).toBe(202);
    await c.deliver(pc, txnid, byPhone(pc));
    if ((await pc.view(id)).status === 'success') return 'pays';
    const [attempt] = attemptsOf(pc, id).slice(-1);
    if (!attempt || attempt.status === 'failed') return 'rejected';
    if (attempt.sms_id !== null) return 'check_first';
    // A spoof never fails the waiting attempt (its sender could then line up a lapsed attempt of
    // their own for the real SMS): it is refused by raising the alert, and the attempt waits on.
    const spoofed = (await pc.alerts()).some((a) => a.kind === 'spoof_attempt' && a.session_id === id);
    return spoofed ? 'rejected' : 'absent';
  },
  async counter_check(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    const r = await pc.rpc('txnid.lookup', { txnid, amount: '500.00' });
    expect(r.status, r.text).toBe(200);
    const { verdict } = (r.json as { result: { verdict: string } }).result;
    if (verdict === 'received') return 'pays';
    if (verdict === 'held' || verdict === 'wrong_amount') return 'check_first';
    if (verdict === 'not_found') return 'absent';
    return 'rejected';
  },
  async counter_accept(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    const r = await pc.rpc('txnid.accept', { txnid, amount: '500.00' });
    if (r.status === 200) return 'pays';
    const code = errorCode(r);
    if (code === 'payment_needs_check') return 'check_first';
    if (code === 'txnid_not_found') return 'absent';
    expect(['txnid_already_used', 'payment_rejected'], r.text).toContain(code);
    return 'rejected';
  },
  async banner(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    const r = await pc.rpc('sms.recent', { limit: 50 });
    const live = (
      r.json as {
        result: { sms: { txnid_normalized: string | null; is_test: boolean; kind: string; credit_check?: { verdict: string } | null }[] };
      }
    ).result.sms.filter((s) => s.txnid_normalized === txnid && !s.is_test && (s.kind === 'credit' || s.kind === 'spoof'));
    if (live.length === 0) return 'absent';
    const checks = live.map((s) => s.credit_check?.verdict ?? 'rejected');
    if (checks.includes('pays')) return 'pays';
    return checks.includes('check_first') ? 'check_first' : 'rejected';
  },
  async device_verify(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    // seed() delivered through the phone, so counter-phone-1 is bound.
    const r = await httpRequest(pc.urls.device, '/api/device/verify', {
      method: 'POST',
      body: { auth_key: pc.keys.device, device_id: 'counter-phone-1', txnid },
    });
    return fromVerify(r);
  },
  async merchant_verify(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    const r = await httpRequest(pc.urls.admin, '/api/merchant/verify', {
      method: 'POST',
      body: { txnid },
      headers: { Authorization: `Bearer ${pc.keys.admin}` },
    });
    return fromVerify(r);
  },
  async admin_verify(pc, c, txnid) {
    await c.deliver(pc, txnid, byPhone(pc));
    return fromVerify(await pc.rpc('txnid.verify', { txnid }), true);
  },
  staff_decide: (pc, c, txnid) => decidePath(pc, c, txnid, 'staff', byPhone(pc)),
  phone_decide: (pc, c, txnid) => decidePath(pc, c, txnid, 'phone', byPhone(pc)),
  // The sweep's re-decision of held attempts: it settles exactly what now pays, nothing else.
  sweep: (pc, c, txnid) => decidePath(pc, c, txnid, 'sweep', pastedThenUntold(pc)),
};

describe('one verdict: every path that can say PAID agrees', () => {
  let pc: PayCore | null = null;
  afterEach(async () => {
    await pc?.stop();
    pc = null;
  });

  for (const c of CASES) {
    for (const path of Object.keys(PATHS) as PathName[]) {
      // A path that cannot express a case says why in the case's `skip`; it is not run.
      if (c.skip?.[path] !== undefined) continue;
      it(`${c.name} → ${c.expected} on ${path}`, async () => {
        pc = await startPayCore({ gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });
        const txnid = bkashTxnid();
        await seed(pc);
        await c.before?.(pc, txnid);
        expect(await PATHS[path](pc, c, txnid)).toBe(c.expected);
      });
    }
  }
});
