import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import type { Core } from '../../src-main/core';
import { addGateway } from '../../src-main/core/shop';
import { anchorBalance } from '../../src-main/core/balance';
import type { CounterSaleResult, StaffAlertView, TxnidLookupResult } from '../../src-shared/contract/admin';
import type { SmsView } from '../../src-shared/sms';

/** A genuine bKash credit; `balance` null leaves the balance line out, as a forger might. */
const BKASH = (amount: string, txnid: string, balance: string | null) =>
  `You have received Tk ${amount} from 01712345678. Ref 9. Fee Tk 0.00.${balance === null ? '' : ` Balance Tk ${balance}.`} TrxID ${txnid} at 12/05/2026 11:25`;

/**
 * The counter's check-and-accept flow and the banner rules, in Debian's Chromium against the
 * real headless core. The first two tests run the core's judgement end to end; the others
 * pin the UI to the admin contract with answers the test chooses (stubbed RPC replies, or
 * SMS events put on the core's bus), so every verdict screen is covered whatever the core says.
 */
describe('counter check, accept and banners in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-accept-'));
    // A credit pays only into an enabled gateway of its wallet.
    addGateway(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
      { provider: 'bkash', account: '01711111111', label: 'Shop bKash' },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Staff's wallet balance as read in the app: the next credit's printed balance must follow it. */
  async function anchor(balance: string): Promise<void> {
    anchorBalance(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'staff', now: Date.now() },
      { provider: 'bkash', balance },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** The counter, signed in and live; the chime is counted instead of played. */
  async function openCounter(): Promise<{ page: Page; errors: string[]; chimes: () => Promise<number> }> {
    const page = await browser.newPage();
    // A missing element fails the poll within its timeout instead of hanging the whole test.
    page.setDefaultTimeout(5_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.addInitScript(() => {
      const w = window as unknown as { __chimes: number; AudioContext: unknown };
      w.__chimes = 0;
      w.AudioContext = function CountingAudioContext() {
        w.__chimes += 1;
        throw new Error('no audio device in this test');
      };
    });
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.getByTestId('live').textContent(), { timeout: 10_000 }).toBe('Live');
    const chimes = () => page.evaluate(() => (window as unknown as { __chimes: number }).__chimes);
    return { page, errors, chimes };
  }

  const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

  // Depends on the core: txnid.lookup's can_accept, txnid.accept, and used_by afterwards.
  it('checks a TxnID (PAID), accepts it with Enter, then answers ALREADY USED here and at the checkout', async () => {
    await anchor('9679.00');
    core.sms.ingest(
      { sender: 'bKash', body: BKASH('320.00', 'BKACPT0001', '9,999.00') },
      { source: 'apk', origin: 'phone', isTest: false },
    );
    const { page, errors } = await openCounter();
    const box = page.getByLabel('TxnID', { exact: true });
    const verdict = page.getByTestId('txnid-verdict');
    const acceptButton = page.getByRole('button', { name: /Accept payment/ });

    await box.fill('bkacpt0001');
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('received');
    const paid = await verdict.textContent();
    expect(paid).toContain('PAID');
    expect(paid).toContain('320.00');
    expect(paid).toContain('bKash');
    expect(paid).toContain('01712345678');
    expect(await acceptButton.isVisible()).toBe(true);
    expect(await focused(page)).toBe('TxnID');

    // Enter again, the TxnID unchanged: accept.
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('accepted');
    const accepted = await verdict.textContent();
    expect(accepted).toContain('ACCEPTED');
    expect(accepted).toContain('320.00');
    expect(accepted).toContain('bKash');
    expect(accepted).toContain('01712345678');
    expect(await box.inputValue()).toBe('');
    expect(await focused(page)).toBe('TxnID');

    // The next customer shows the same TxnID again.
    await box.fill('BKACPT0001');
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('already_used');
    const used = await verdict.textContent();
    expect(used).toContain('ALREADY USED');
    expect(used).toContain('a sale at the counter');
    expect(await acceptButton.count()).toBe(0);
    // Enter on ALREADY USED only checks again; it never accepts.
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('already_used');

    // "Everywhere": an online checkout cannot spend it either.
    const publicUrl = core.status().listeners.public;
    const created = await fetch(`${publicUrl}/api/payment/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
      body: JSON.stringify({ amount: '320.00', order_id: 'E2E-AFTER-COUNTER' }),
    });
    const { session_id: sessionId } = (await created.json()) as { session_id: string };
    const submit = await fetch(`${publicUrl}/api/checkout/${sessionId}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ txnid: 'BKACPT0001' }),
    });
    expect(submit.status).toBe(409);
    expect(((await submit.json()) as { code: string }).code).toBe('txnid_already_used');
    expect(errors).toEqual([]);
    await page.close();
  });

  // Depends on the core: SmsView.credit_check on the `sms` event, and the CHECK FIRST verdict.
  it('shows "To check" (amber, no chime) for a credit without a balance line after one with a balance; test SMS never show', async () => {
    const { page, errors, chimes } = await openCounter();
    await anchor('1000.00');
    core.sms.ingest({ sender: 'bKash', body: BKASH('77.00', 'BKTEST0001', '5,000.00') }, { source: 'apk', origin: 'phone', isTest: true });
    core.sms.ingest(
      { sender: 'bKash', body: BKASH('200.00', 'BKBAL00001', '1,200.00') },
      { source: 'apk', origin: 'phone', isTest: false },
    );
    const green = page.getByTestId('credit-banner');
    await expect.poll(() => green.textContent(), { timeout: 10_000 }).toContain('BKBAL00001');
    expect(await green.textContent()).toContain('200.00');
    expect(await chimes()).toBe(1);

    core.sms.ingest({ sender: 'bKash', body: BKASH('150.00', 'BKNOBAL001', null) }, { source: 'apk', origin: 'phone', isTest: false });
    const amber = page.getByTestId('check-banner');
    await expect.poll(() => amber.count(), { timeout: 10_000 }).toBe(1);
    const notice = await amber.textContent();
    expect(notice).toContain('To check');
    expect(notice).toContain('150.00');
    expect(notice).toContain('BKNOBAL001');
    expect(notice).toMatch(/balance/i);
    expect(await page.getByRole('alert', { name: /Payment to check/ }).count()).toBe(1);
    // No green, no chime for it; the earlier green banner still names the earlier credit.
    expect(await green.textContent()).not.toContain('BKNOBAL001');
    expect(await chimes()).toBe(1);
    // The test-mode credit never showed anywhere.
    expect(await page.locator('.banners').textContent()).not.toContain('BKTEST0001');

    // The counter check agrees: CHECK FIRST with the reason, and nothing to accept.
    const box = page.getByLabel('TxnID', { exact: true });
    await box.fill('BKNOBAL001');
    await box.press('Enter');
    const verdict = page.getByTestId('txnid-verdict');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('held');
    expect(await verdict.textContent()).toContain('CHECK FIRST');
    expect(await verdict.textContent()).toMatch(/balance/i);
    expect(await page.getByRole('button', { name: /Accept payment/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('words every verdict for a cashier, keeps the TxnID box focused, and explains a lost race without a stack', async () => {
    const { page, errors } = await openCounter();
    const at = new Date(Date.now() - 3 * 60_000).toISOString();
    const sms = (id: number, amount: string) => ({
      id,
      provider: 'bkash',
      amount,
      currency: 'BDT',
      counterparty: '01712345678',
      received_at: at,
    });
    const base = { reasons: [], can_accept: false, used_by: null, message: '' };
    const answers: Record<string, TxnidLookupResult> = {
      BKPAID0001: {
        ...base,
        verdict: 'received',
        txnid: 'BKPAID0001',
        can_accept: true,
        message: 'Received 320.00 BDT.',
        sms: sms(11, '320.00'),
      },
      BKRACE0001: {
        ...base,
        verdict: 'received',
        txnid: 'BKRACE0001',
        can_accept: true,
        message: 'Received 90.00 BDT.',
        sms: sms(12, '90.00'),
      },
      BKUSED0001: {
        ...base,
        verdict: 'already_used',
        txnid: 'BKUSED0001',
        message: 'This payment was already used.',
        used_by: { transaction_id: 71, session_id: 'ses_1', order_id: 'ORD-77', source: 'sms_inbound', amount: '500.00', at },
        sms: sms(13, '500.00'),
      },
      BKHELD0001: {
        ...base,
        verdict: 'held',
        txnid: 'BKHELD0001',
        message: 'Check first.',
        reasons: [
          { code: 'pasted_by_staff', message: 'Only staff pasted this SMS; no modem or phone has delivered it.' },
          { code: 'sms_too_old', message: 'The SMS is older than 48 hours.' },
        ],
        sms: sms(14, '60.00'),
      },
      BKFAKE0001: {
        ...base,
        verdict: 'spoof',
        txnid: 'BKFAKE0001',
        message: 'A message with this TxnID came from 01999999999, which is not the wallet.',
        sms: null,
      },
      BKREV00001: {
        ...base,
        verdict: 'reversed',
        txnid: 'BKREV00001',
        message: 'The wallet reversed this payment.',
        reasons: [{ code: 'reversed', message: 'The wallet reversed this payment.' }],
        sms: sms(15, '700.00'),
      },
      BKWRONG001: {
        ...base,
        verdict: 'wrong_amount',
        txnid: 'BKWRONG001',
        message: 'The wallet received 450.00 BDT, not 500.00.',
        sms: sms(16, '450.00'),
      },
      BKNONE0001: { ...base, verdict: 'not_found', txnid: 'BKNONE0001', message: 'No wallet SMS with this TxnID has arrived.', sms: null },
    };
    const accepts: Record<string, unknown>[] = [];
    await page.route('**/api/admin/rpc/txnid.lookup', async (route) => {
      const { txnid } = route.request().postDataJSON() as { txnid: string };
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ result: answers[txnid.toUpperCase()] }) });
    });
    await page.route('**/api/admin/rpc/txnid.accept', async (route) => {
      const arg = route.request().postDataJSON() as { txnid: string; sms_id?: number; amount?: string };
      accepts.push(arg);
      if (arg.txnid === 'BKRACE0001') {
        // Another counter took it between the check and the accept.
        answers.BKRACE0001 = {
          ...base,
          verdict: 'already_used',
          txnid: 'BKRACE0001',
          message: 'Already used.',
          used_by: {
            transaction_id: 72,
            session_id: null,
            order_id: null,
            source: 'counter',
            amount: '90.00',
            at: new Date().toISOString(),
          },
          sms: sms(12, '90.00'),
        };
        await route.fulfill({
          status: 409,
          contentType: 'application/json',
          body: JSON.stringify({
            error: 'This transaction ID has already been used.',
            merchant_message: 'The TxnID already paid another payment.',
            code: 'txnid_already_used',
          }),
        });
        return;
      }
      const sale: CounterSaleResult = {
        ok: true,
        transaction_id: 501,
        txnid: arg.txnid,
        provider: 'bkash',
        amount: '320.00',
        currency: 'BDT',
        accepted_at: new Date().toISOString(),
        sms_id: 14,
        counterparty: '01712345678',
        received_at: new Date().toISOString(),
      };
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ result: sale }) });
    });

    const box = page.getByLabel('TxnID', { exact: true });
    const amountBox = page.getByLabel('Amount (optional)');
    const verdict = page.getByTestId('txnid-verdict');
    const acceptButton = page.getByRole('button', { name: /Accept payment/ });
    const checkTxnid = async (txnid: string, expected: string) => {
      await box.fill(txnid);
      await box.press('Enter');
      await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe(expected);
      expect(await focused(page)).toBe('TxnID');
      return (await verdict.textContent()) ?? '';
    };

    expect(await checkTxnid('BKNONE0001', 'not_found')).toContain('NOT FOUND YET');
    const fake = await checkTxnid('BKFAKE0001', 'spoof');
    expect(fake).toContain('FAKE SMS');
    expect(fake).toContain('Do not hand over goods');
    const reversed = await checkTxnid('BKREV00001', 'reversed');
    expect(reversed).toContain('REVERSED');
    expect(reversed).toContain('took this money back');
    expect(reversed).toContain('Do not hand over goods');
    const held = await checkTxnid('BKHELD0001', 'held');
    expect(held).toContain('CHECK FIRST');
    expect(held).toContain('Only staff pasted this SMS');
    expect(held).toContain('older than 48 hours');
    const used = await checkTxnid('BKUSED0001', 'already_used');
    expect(used).toContain('ALREADY USED');
    expect(used).toContain('order ORD-77');
    expect(used).toContain('500.00');
    await amountBox.fill('500');
    const wrong = await checkTxnid('BKWRONG001', 'wrong_amount');
    expect(wrong).toContain('WRONG AMOUNT');
    expect(wrong).toContain('450.00');
    expect(wrong).toContain('500');
    expect(await acceptButton.count()).toBe(0);

    // PAID, then a different TxnID typed: the PAID answer goes and Enter checks, never accepts.
    await amountBox.fill('320');
    const paid = await checkTxnid('BKPAID0001', 'received');
    expect(paid).toContain('PAID');
    expect(paid).toContain('320.00');
    expect(paid).toContain('01712345678');
    expect(await acceptButton.isVisible()).toBe(true);
    await box.fill('BKNONE0001');
    expect(await verdict.count()).toBe(0);
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('not_found');
    expect(accepts).toEqual([]);

    // PAID, then Enter: accepted with the amount typed and the SMS the check found.
    await checkTxnid('BKPAID0001', 'received');
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('accepted');
    expect(accepts).toEqual([{ txnid: 'BKPAID0001', amount: '320', sms_id: 11 }]);
    const accepted = (await verdict.textContent()) ?? '';
    expect(accepted).toContain('ACCEPTED');
    expect(accepted).toContain('320.00');
    expect(accepted).toContain('bKash');
    expect(accepted).toContain('01712345678');
    expect(await box.inputValue()).toBe('');
    expect(await amountBox.inputValue()).toBe('');
    expect(await focused(page)).toBe('TxnID');

    // Someone else claims it between the check and the accept (here by mouse): words, then the fresh answer.
    await checkTxnid('BKRACE0001', 'received');
    await acceptButton.click();
    const error = page.getByTestId('txnid-error');
    await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain('Someone used this payment a moment ago');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 10_000 }).toBe('already_used');
    expect(await verdict.textContent()).toContain('a sale at the counter');
    expect(await error.textContent()).not.toMatch(/Error:|at \w+ \(|txnid_already_used/);
    expect(await focused(page)).toBe('TxnID');

    // Esc clears everything for the next customer.
    await box.press('Escape');
    expect(await box.inputValue()).toBe('');
    expect(await verdict.count()).toBe(0);
    expect(await error.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('celebrates only a credit that pays: amber "To check" with reasons, nothing for rejected or test SMS', async () => {
    const { page, errors, chimes } = await openCounter();
    const view = (id: number, txnid: string, over: Partial<SmsView>): SmsView => ({
      id,
      sender: 'bKash',
      body: BKASH('10.00', txnid, null),
      received_at: new Date().toISOString(),
      is_test: false,
      provider: 'bkash',
      kind: 'credit',
      amount: '10.00',
      currency: 'BDT',
      txnid,
      txnid_normalized: txnid,
      counterparty: '01712345678',
      balance: null,
      account_hint: null,
      wallet_time: null,
      deliveries: [{ source: 'apk', origin: 'phone', delivered_at: new Date().toISOString() }],
      corroborated: false,
      manual: false,
      ...over,
    });
    const banners = page.locator('.banners');
    core.bus.emit('sms', view(90_001, 'BKEVFAKE01', { kind: 'spoof', credit_check: null }));
    core.bus.emit(
      'sms',
      view(90_002, 'BKEVREJ001', { credit_check: { verdict: 'rejected', reasons: [{ code: 'reversed', message: 'Reversed.' }] } }),
    );
    core.bus.emit('sms', view(90_003, 'BKEVTEST01', { is_test: true, credit_check: { verdict: 'pays', reasons: [] } }));
    core.bus.emit('sms', view(90_004, 'BKEVNONE01', {}));
    core.bus.emit(
      'sms',
      view(90_005, 'BKEVCHK001', {
        amount: '60.00',
        credit_check: { verdict: 'check_first', reasons: [{ code: 'pasted_by_staff', message: 'Only staff pasted this SMS.' }] },
      }),
    );
    const amber = page.getByTestId('check-banner');
    await expect.poll(() => amber.count(), { timeout: 10_000 }).toBe(1);
    expect(await amber.textContent()).toContain('To check');
    expect(await amber.textContent()).toContain('60.00');
    expect(await amber.textContent()).toContain('Only staff pasted this SMS.');
    expect(await page.getByTestId('credit-banner').count()).toBe(0);
    expect(await chimes()).toBe(0);
    const shown = (await banners.textContent()) ?? '';
    for (const hidden of ['BKEVFAKE01', 'BKEVREJ001', 'BKEVTEST01', 'BKEVNONE01']) expect(shown).not.toContain(hidden);

    core.bus.emit('sms', view(90_006, 'BKEVPAYS01', { amount: '75.00', credit_check: { verdict: 'pays', reasons: [] } }));
    const green = page.getByTestId('credit-banner');
    await expect.poll(() => green.textContent(), { timeout: 10_000 }).toContain('75.00');
    expect(await green.getAttribute('role')).toBe('alert');
    expect(await page.getByRole('alert', { name: /Payment received/ }).count()).toBe(1);
    expect(await chimes()).toBe(1);
    // The amber notice stays until staff hide it.
    expect(await amber.count()).toBe(1);
    await page.getByRole('button', { name: 'Hide the notice for TxnID BKEVCHK001' }).click();
    expect(await amber.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names the reversal alert in words and lists the SMS a balance chain says are missing', async () => {
    const { page } = await openCounter();
    const alert = (id: number, kind: StaffAlertView['kind'], message: string): StaffAlertView => ({
      id,
      kind,
      message,
      session_id: null,
      transaction_id: null,
      sms_id: null,
      created_at: new Date().toISOString(),
    });
    await page.route('**/api/admin/rpc/alerts.list', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          result: {
            alerts: [alert(1, 'transaction_reversed', 'bKash reversed TxnID BKREV00001 (700.00 BDT).')],
          },
        }),
      }),
    );
    const at = Date.now();
    await page.route('**/api/admin/rpc/balance.missing', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          result: {
            missing: [
              {
                provider: 'bkash',
                account_key: '',
                bank: null,
                gateway_id: 1,
                direction: 'credit',
                amount: '500.00',
                currency: 'BDT',
                from: new Date(at - 600_000).toISOString(),
                to: new Date(at).toISOString(),
                from_balance: '1000.00',
                before_sms_id: 9,
                ambiguous: false,
              },
            ],
          },
        }),
      }),
    );
    // The stub answers from the next load on.
    await page.reload();
    await page.getByRole('button', { name: /To check/ }).click();
    const items = page.getByTestId('alert');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(1);
    expect(await items.nth(0).textContent()).toContain('Payment reversed by the wallet');
    const gap = page.getByTestId('missing-sms');
    await expect.poll(() => gap.count(), { timeout: 10_000 }).toBe(1);
    expect(await gap.textContent()).toMatch(/bKash.*money in of 500\.00 BDT/);
    await page.close();
  });
});
