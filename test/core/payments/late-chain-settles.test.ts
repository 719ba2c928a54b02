import { describe, expect, it } from 'vitest';
import { attemptsOf, bkashCreditBody, bkashTxnid, usePayCore, type PayCore } from './helpers';
import { PAYER } from './wallet-chain';

/**
 * Issue 8, finding 8 at the payments level: a checkout held because its credit's balance did
 * not follow (an earlier SMS of the wallet had not arrived) settles by itself when the missing
 * SMS comes late, out of order and from a second source (the modem after the phone), with no
 * staff action.
 */
describe('a checkout held for the balance chain settles when the missing SMS arrives late', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: '01711111111' }] });

  const at = (secondsAgo: number) => new Date(pc.now() - secondsAgo * 1000).toISOString();

  it('held (balance_mismatch), then the earlier SMS from the modem re-links the chain and pays it', async () => {
    const B0 = 300_000;
    // The wallet's first SMS: the chain starts here (phone).
    const seed = await pc.apkSms(
      'bKash',
      bkashCreditBody({ txnid: bkashTxnid(), amountMinor: 10_000, from: '01811111111', balanceMinor: B0 }),
      at(300),
    );
    expect(seed.status, seed.text).toBe(200);

    // The customer's payment; the wallet had received 100.00 in between, whose SMS is late.
    const missingTxnid = bkashTxnid();
    const missing = bkashCreditBody({ txnid: missingTxnid, amountMinor: 10_000, from: '01822222222', balanceMinor: B0 + 10_000 });
    const txnid = bkashTxnid();
    const id = await pc.newSession({ amount: '500.00' });
    const paid = await pc.apkSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: B0 + 60_000 }), at(0));
    expect(paid.status, paid.text).toBe(200);

    const submit = await pc.submit(id, { txnid });
    expect(submit.status, submit.text).toBe(202);
    expect((submit.json as { review: boolean }).review).toBe(true);
    const held = attemptsOf(pc, id).at(-1);
    expect(held?.status).toBe('pending');
    expect(JSON.parse(held?.review_reasons ?? '[]').map((r: { code: string }) => r.code)).toEqual(['balance_mismatch']);
    expect((await pc.verifications()).map((v) => v.session_id)).toContain(id);

    // The missing SMS arrives late, from the modem, received before the customer's.
    const late = pc.core.sms.ingest(
      { sender: 'bKash', body: missing, received_at: at(60) },
      { source: 'modem', origin: 'modem-1', isTest: false },
    );
    expect(late.is_new).toBe(true);

    // No staff action: the session is paid by itself, and nothing waits in the queue.
    const view = await pc.view(id);
    expect(view.status).toBe('success');
    expect(view.successful_transaction?.result_source).toBe('sms_late_match');
    expect((await pc.verifications()).map((v) => v.session_id)).not.toContain(id);
    expect(pc.sql('SELECT balance_link FROM sms WHERE txnid_normalized IN (?, ?) ORDER BY received_at', missingTxnid, txnid)).toEqual([
      { balance_link: 'follows' },
      { balance_link: 'follows' },
    ]);
    expect(pc.sql("SELECT actor FROM audit_log WHERE action LIKE 'verification.%'")).toEqual([]);
  });
});
