import { describe, expect, it } from 'vitest';
import { updateGatewaySettings } from '../../../src-main/core/shop';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { attemptsOf, bkashCreditBody, bkashTxnid, usePayCore, type PayCore } from './helpers';
import { Chain, PAYER } from './wallet-chain';

/**
 * A person's decision (staff `verifications.decide`, the phone's `/api/device/report`) asks the
 * same verdict as every other path: a person may overrule CHECK FIRST and may vouch for a
 * payment whose SMS never came, but nobody may approve what the records disprove — whether or
 * not an SMS was linked to the attempt.
 */
describe('a person may overrule only what a person may overrule', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  const FORGED = '+8801812345678';
  const report = (verificationId: number, result: 'success' | 'failed'): Promise<HttpResult> =>
    httpRequest(pc.urls.device, '/api/device/report', {
      method: 'POST',
      body: { auth_key: pc.keys.device, device_id: 'counter-phone-1', verification_id: verificationId, result },
    });
  const debitBody = (txnid: string) =>
    `Send Money Tk 500.00 to 01812345678 successful. Ref 1. Fee Tk 5.00. Balance Tk 995.00. TrxID ${txnid} at 12/05/2026 11:25`;

  /** A session whose TxnID waits for its SMS (no SMS linked): a queue item. */
  async function waiting(): Promise<{ session: string; txnid: string; attempt: number }> {
    // Binds the phone (the first apkSms call does) so /api/device/report answers.
    await new Chain(pc).credit(bkashTxnid());
    const session = await pc.newSession({ amount: '500.00' });
    const txnid = bkashTxnid();
    const r = await pc.submit(session, { txnid, gateway_id: pc.gateways.bkash });
    expect(r.status, r.text).toBe(202);
    const attempt = attemptsOf(pc, session).at(-1);
    expect(attempt?.sms_id).toBeNull();
    return { session, txnid, attempt: attempt?.id ?? 0 };
  }

  function expectRefused(r: HttpResult, status: number, code: string, reason: string): void {
    expect(r.status, r.text).toBe(status);
    const json = r.json as { error?: unknown; merchant_message?: unknown; code?: unknown; reasons?: { code: string }[] };
    expect(json.code).toBe(code);
    expect(typeof json.error).toBe('string');
    expect(typeof json.merchant_message).toBe('string');
    expect(json.reasons?.map((x) => x.code)).toEqual([reason]);
  }

  for (const who of ['staff', 'phone'] as const) {
    const decide = (id: number) => (who === 'staff' ? pc.decide(id, 'success') : report(id, 'success'));

    it(`${who}: a waiting TxnID whose only SMS came from a forged sender cannot be approved (probe A)`, async () => {
      const w = await waiting();
      const spoof = await pc.apkSms(FORGED, bkashCreditBody({ txnid: w.txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 999_900 }));
      expect(spoof.status, spoof.text).toBe(200);
      expect(pc.sql('SELECT kind FROM sms WHERE txnid_normalized = ?', w.txnid)).toEqual([{ kind: 'spoof' }]);
      expectRefused(await decide(w.attempt), 422, 'payment_rejected', 'spoofed_sender');
      // The queue shows why, so staff see it before they press Mark Paid.
      const item = (await pc.verifications()).find((v) => v.verification_id === w.attempt);
      expect(item?.review_reasons.map((r) => r.code)).toEqual(['spoofed_sender']);
      expect(item?.review_reasons[0]?.message).toContain(FORGED);
      expect((await pc.view(w.session)).status).toBe('pending');
      expect(attemptsOf(pc, w.session).at(-1)?.status).toBe('pending');
      // Rejecting it is always possible.
      expect((who === 'staff' ? await pc.decide(w.attempt, 'failed') : await report(w.attempt, 'failed')).status).toBe(200);
    });

    it(`${who}: a waiting TxnID that a debit SMS carries cannot be approved (probe B)`, async () => {
      const w = await waiting();
      const debit = await pc.apkSms('bKash', debitBody(w.txnid));
      expect(debit.status, debit.text).toBe(200);
      expect(pc.sql('SELECT kind FROM sms WHERE txnid_normalized = ?', w.txnid)).toEqual([{ kind: 'debit' }]);
      expectRefused(await decide(w.attempt), 422, 'payment_rejected', 'not_credit');
      const item = (await pc.verifications()).find((v) => v.verification_id === w.attempt);
      expect(item?.review_reasons.map((r) => r.code)).toEqual(['not_credit']);
      expect((await pc.view(w.session)).status).toBe('pending');
    });

    it(`${who}: with no SMS at all for the TxnID (lost), a person's word may still pay it (R7)`, async () => {
      const w = await waiting();
      const item = (await pc.verifications()).find((v) => v.verification_id === w.attempt);
      expect(item?.review_reasons).toEqual([]);
      const r = await decide(w.attempt);
      expect(r.status, r.text).toBe(200);
      const view = await pc.view(w.session);
      expect(view.status).toBe('success');
      expect(view.successful_transaction?.result_source).toBe(who === 'staff' ? 'manual' : 'apk');
    });

    it(`${who}: a waiting TxnID whose only SMS the parsers could not read whole (unknown) may still be approved`, async () => {
      const w = await waiting();
      // A genuine receipt in a wording not yet known is stored `unknown`: no evidence either way.
      const stored = await pc.apkSms('bKash', debitBody(w.txnid));
      expect(stored.status, stored.text).toBe(200);
      pc.core.db.prepare("UPDATE sms SET kind = 'unknown', amount_minor = NULL WHERE txnid_normalized = ?").run(w.txnid);
      expect(pc.sql('SELECT kind FROM sms WHERE txnid_normalized = ?', w.txnid)).toEqual([{ kind: 'unknown' }]);
      const r = await decide(w.attempt);
      expect(r.status, r.text).toBe(200);
      expect((await pc.view(w.session)).status).toBe('success');
    });

    it(`${who}: a credit held for the balance chain may be approved (CHECK FIRST is a person's call)`, async () => {
      const w = await waiting();
      const broken = await pc.apkSms(
        'bKash',
        bkashCreditBody({ txnid: w.txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 7_777_700 }),
      );
      expect(broken.status, broken.text).toBe(200);
      const item = (await pc.verifications()).find((v) => v.verification_id === w.attempt);
      expect(item?.review_reasons.map((r) => r.code)).toContain('balance_mismatch');
      const r = await decide(w.attempt);
      expect(r.status, r.text).toBe(200);
      expect((await pc.view(w.session)).status).toBe('success');
    });
  }

  it('a held credit of a wallet no enabled gateway takes cannot be approved (wrong wallet)', async () => {
    const w = await waiting();
    await pc.importSms('bKash', bkashCreditBody({ txnid: w.txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 7_777_700 }));
    expect(attemptsOf(pc, w.session).at(-1)?.sms_id).not.toBeNull();
    const ctx = { merchantId: pc.core.shop.merchantId, auditKey: pc.core.shop.keys.audit_key, actor: 'test' };
    updateGatewaySettings(pc.core.db, ctx, { id: pc.gateways.bkash, enabled: false });
    try {
      expectRefused(await pc.decide(w.attempt, 'success'), 422, 'payment_rejected', 'wrong_wallet');
      expect((await pc.view(w.session)).status).toBe('pending');
    } finally {
      updateGatewaySettings(pc.core.db, ctx, { id: pc.gateways.bkash, enabled: true });
    }
  });
});
