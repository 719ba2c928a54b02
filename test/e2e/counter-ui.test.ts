import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import type { Core } from '../../src-main/core';
import { openDatabase, closeDatabase } from '../../src-main/core/db';
import { addGateway } from '../../src-main/core/shop';
import { anchorBalance } from '../../src-main/core/balance';

const BKASH = (amount: string, txnid: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 9. Fee Tk 0.00. Balance Tk 9,999.00. TrxID ${txnid} at 12/05/2026 11:25`;

/**
 * The counter UI in Debian's Chromium against the real headless core. `npm test` builds
 * the renderer into out/renderer before vitest runs.
 */
describe('counter UI in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for the staff token and refuses a wrong one', async () => {
    const page = await browser.newPage();
    await page.goto(`${adminUrl}/`);
    await page.getByLabel('Staff token').fill('cpa_wrong-token-000000000000');
    await page.getByRole('button', { name: 'Open the counter' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');
    await page.close();
  });

  it('shows the live status and follows a gateway added by another process', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.getByTestId('database-path').textContent()).toContain(dataDir);
    expect(await page.getByTestId('listener-admin').textContent()).toBe(adminUrl);
    expect(await page.getByTestId('count-gateways').locator('.value').textContent()).toBe('0');
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.getByTestId('live').textContent(), { timeout: 10_000 }).toBe('Live');

    // A second connection, as the CLI would open while the server runs.
    const other = openDatabase(dataDir);
    try {
      addGateway(
        other,
        { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
        { provider: 'bkash', account: '01711111111,XX6788', label: 'Shop bKash' },
      );
    } finally {
      closeDatabase(other);
    }
    await expect.poll(() => page.getByTestId('count-gateways').locator('.value').textContent(), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('gateway').first().textContent(), { timeout: 10_000 }).toContain('01711111111, XX6788');
    // The CSP the admin listener sends let the bundle run without a single violation.
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a credit banner, lets staff approve a payment held for review, and shows the pairing QR', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.getByTestId('live').textContent(), { timeout: 10_000 }).toBe('Live');

    const publicUrl = core.status().listeners.public;
    const created = await fetch(`${publicUrl}/api/payment/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
      body: JSON.stringify({ amount: '500.00', order_id: 'E2E-REVIEW' }),
    });
    const { session_id: sessionId } = (await created.json()) as { session_id: string };
    // The customer paid 450, not 500: the SMS arrives, the attempt waits for a person.
    core.sms.ingest({ sender: 'bKash', body: BKASH('450.00', 'BKE2E12345') }, { source: 'apk', origin: 'phone', isTest: false });
    await expect.poll(() => page.getByTestId('credit-banner').textContent(), { timeout: 10_000 }).toContain('450.00');
    const submit = await fetch(`${publicUrl}/api/checkout/${sessionId}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ txnid: 'BKE2E12345' }),
    });
    expect(submit.status).toBe(202);

    await page.getByRole('button', { name: /To check/ }).click();
    const card = page.getByTestId('verification').first();
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('450.00');
    expect(await card.textContent()).toContain('500.00');
    await card.getByRole('button', { name: 'Mark paid' }).click();
    await expect.poll(() => page.getByTestId('verification').count(), { timeout: 10_000 }).toBe(0);
    const after = await fetch(`${publicUrl}/api/payment/sessions/${sessionId}`, { headers: { 'x-api-key': core.shop.keys.api_key } });
    const body = (await after.json()) as { session: { status: string; successful_transaction: { result_source: string } } };
    expect(body.session.status).toBe('success');
    expect(body.session.successful_transaction.result_source).toBe('manual');

    await page.getByRole('button', { name: 'Devices' }).click();
    await expect.poll(() => page.getByTestId('pairing-key').textContent(), { timeout: 10_000 }).toBe(core.shop.keys.device_auth_key);
    await expect.poll(() => page.getByTestId('pairing-qr').getAttribute('src'), { timeout: 10_000 }).toMatch(/^data:image\/png;base64,/);
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.screenshot({ path: path.join(os.tmpdir(), 'counterpay-counter.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stores a pasted SMS and imports a CSV export, each marked as pasted by staff', async () => {
    const page = await browser.newPage();
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await page.getByRole('button', { name: 'Wallet SMS' }).click();
    await page.getByLabel('Sender', { exact: true }).fill('bKash');
    await page.getByLabel('Message', { exact: true }).fill(BKASH('700.00', 'BKPASTE001'));
    await page.getByRole('button', { name: 'Store SMS' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 10_000 }).toContain('Stored as “Money in”');
    const csv = `address,body\nbKash,"${BKASH('800.00', 'BKCSV00001')}"\nbKash,"${BKASH('700.00', 'BKPASTE001')}"\n`;
    await page.getByTestId('sms-import').setInputFiles({ name: 'backup.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toBe('Imported: 1 new, 1 already stored, 0 refused.');
    const rows = page.getByTestId('sms-row').filter({ hasText: 'BKCSV00001' });
    await expect.poll(() => rows.first().textContent(), { timeout: 10_000 }).toContain('pasted by staff');
    await page.close();
  });

  it('lets staff set a wallet balance after a missed SMS, audit-logged', async () => {
    const page = await browser.newPage();
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await page.getByRole('button', { name: /To check/ }).click();
    await page.getByLabel('Balance', { exact: true }).fill('12,345.60');
    await page.getByRole('button', { name: 'Set balance' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toBe('Balance of bKash set to 12,345.60; new SMS are checked against it.');
    const row = core.db.prepare('SELECT provider, balance_minor, set_by FROM balance_anchors ORDER BY id DESC LIMIT 1').get();
    expect(row).toEqual({ provider: 'bkash', balance_minor: 1_234_560, set_by: 'staff' });
    const audit = core.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'balance.anchored' ORDER BY seq DESC LIMIT 1").get();
    expect(audit).toEqual({ actor: 'staff', details: JSON.stringify({ balance: '12345.60' }) });
    await page.close();
  });

  it('checks a TxnID a customer shows: PAID, WRONG AMOUNT, NOT FOUND', async () => {
    // The wallet's balance is known (as staff would set it), so this credit's 9,999.00 follows.
    anchorBalance(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'staff', now: Date.now() },
      { provider: 'bkash', balance: '9679.00' },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    core.sms.ingest({ sender: 'bKash', body: BKASH('320.00', 'BKCHECK001') }, { source: 'apk', origin: 'phone', isTest: false });
    const page = await browser.newPage();
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    const verdict = page.getByTestId('txnid-verdict');
    await page.getByLabel('TxnID', { exact: true }).fill('bkcheck001');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toContain('PAID');
    await page.getByLabel('Amount (optional)').fill('500');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toContain('WRONG AMOUNT');
    await page.getByLabel('TxnID', { exact: true }).fill('BKNOPE0000');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toContain('NOT FOUND');
    await page.close();
  });
});
