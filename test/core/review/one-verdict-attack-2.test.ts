import { describe, expect, it } from 'vitest';
import { BKASH_ACCOUNT, attemptsOf, bkashCreditBody, bkashTxnid, usePayCore, type PayCore } from '../payments/helpers';
import { Chain, PAYER, bkashWalletTime, rpc } from './one-verdict-attack-support';

/**
 * Adversarial review, round 2. Every test asserts the CORRECT behaviour, so each fails while
 * the bug it names is in the code.
 */

const HOUR = 3_600_000;

describe('attack 2: a forged copy of a TxnID that arrived first', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('does not stop the genuine credit from being accepted at the counter', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000); // the chain has a trusted point
    const txnid = bkashTxnid();
    // Sender ID spoofed to "bKash": same TxnID, a balance the forger had to guess. It comes first.
    const forged = bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 987_654 });
    expect((await pc.apkSms('bKash', forged, new Date(pc.now() - 60_000).toISOString())).status).toBe(200);
    await chain.credit(txnid); // the wallet's own SMS: follows the chain exactly
    const check = await rpc<{ verdict: string }>(pc, 'txnid.lookup', { txnid, amount: '500' });
    expect(check.result.verdict).toBe('received');
    const accepted = await rpc(pc, 'txnid.accept', { txnid, amount: '500' });
    expect(accepted.status).toBe(200);
  });

  it('does not keep the genuine online payment waiting for a person for ever (submit, late SMS, sweep)', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000);
    const txnid = bkashTxnid();
    const forged = bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 876_543 });
    expect((await pc.apkSms('bKash', forged, new Date(pc.now() - 60_000).toISOString())).status).toBe(200);
    await chain.credit(txnid);
    const id = await pc.newSession({ amount: '500.00' });
    await pc.submit(id, { txnid });
    pc.core.sweep();
    expect((await pc.view(id)).status).toBe('success');
  });
});

describe('attack 2: R5 reads only the phone-supplied time', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('a credit the wallet stamped three days ago, forwarded now, is still too old to pay by itself', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000);
    const txnid = bkashTxnid();
    const old = chain.body(txnid).replace(/at \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/, `at ${bkashWalletTime(pc.now() - 72 * HOUR)}`);
    // The phone was offline for three days (or its forwarder re-sent its inbox): it reports now.
    expect((await pc.apkSms('bKash', old)).status).toBe(200);
    const check = await rpc<{ verdict: string; reasons: { code: string }[] }>(pc, 'txnid.lookup', { txnid });
    expect(check.result.verdict).toBe('held');
    expect(check.result.reasons.map((r) => r.code)).toContain('sms_too_old');
  });
});

describe('attack 2: the banner agrees with the counter check for a credit held on another copy', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('a device copy of a pasted SMS whose attempt stays held shows "To check", not rejected', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000);
    const txnid = bkashTxnid();
    const text = chain.body(txnid, 45_000);
    await pc.importSms('bKash', text);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202); // held: wrong amount, pasted
    const seen: { txnid: string | null; credit_check: unknown }[] = [];
    const off = pc.core.bus.on('sms', (e) => seen.push(e as unknown as { txnid: string | null; credit_check: unknown }));
    try {
      const r = await pc.apkSms('bKash', text.replace('. Ref 123.', '. Ref 123 .'));
      expect(r.status, r.text).toBe(200);
    } finally {
      off();
    }
    expect(attemptsOf(pc, id).at(-1)?.status).toBe('pending');
    const check = await rpc<{ verdict: string }>(pc, 'txnid.lookup', { txnid });
    expect(check.result.verdict).toBe('held');
    expect(seen.find((e) => e.txnid === txnid)?.credit_check).toMatchObject({ verdict: 'check_first' });
  });
});

describe('attack 2: a held attempt re-decided on a copy that contradicts its SMS', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('a forged copy with the asked amount does not settle an attempt held on the genuine (wrong-amount) SMS', async () => {
    // balance_check 'warn' (documented: a mismatch settles with an alert) on this shop's gateway.
    pc.core.db.prepare("UPDATE gateways SET balance_check = 'warn'").run();
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000);
    const txnid = bkashTxnid();
    await chain.credit(txnid, 45_000); // the customer really paid 450.00
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202); // held: wrong amount, for a person
    // The customer sends a "copy" of their TxnID from a spoofed "bKash" sender saying 500.00.
    const forged = bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 765_432 });
    expect((await pc.apkSms('bKash', forged)).status).toBe(200);
    expect((await pc.view(id)).status).toBe('pending');
  });
});
