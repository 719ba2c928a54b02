import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { createCore, loadConfig, type Core } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/logging';
import { addGateway } from '../../src-main/core/shop';
import { ERROR_TABLE } from '../../src-shared/contract/errors';

/**
 * The hosted checkout in Debian's Chromium against the real core: with JavaScript (fetch,
 * polling, copy buttons) and without it (plain form posts). The merchant's redirect_url is
 * the public listener's own /api/health, so following it needs no second server.
 */
const LONG = 30_000;

describe('hosted checkout in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let publicUrl: string;
  let browser: Browser;
  let smsCount = 0;

  function ingest(txnid: string): void {
    const balance = 1000 + 500 * ++smsCount;
    const body = `You have received Tk 500.00 from 01712345678. Ref 123. Fee Tk 0.00. Balance Tk ${balance.toLocaleString('en-US')}.50. TrxID ${txnid} at 12/05/2026 11:25`;
    core.sms.ingest({ sender: 'bKash', body }, { source: 'apk', origin: 'counter-phone', isTest: false });
  }

  async function createSession(orderId: string): Promise<string> {
    const response = await fetch(`${publicUrl}/api/payment/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
      body: JSON.stringify({
        amount: '500.00',
        order_id: orderId,
        customer_name: 'Rahim Khan',
        redirect_url: `${publicUrl}/api/health?x=1`,
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { session_id: string }).session_id;
  }

  /** Console errors, page errors and CSP violations; all should stay empty. */
  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // The stand-in merchant page (/api/health, JSON) makes Chromium ask for /favicon.ico;
      // the checkout page itself declares a data: icon and never does.
      if (new URL(msg.location().url || 'about:blank').pathname === '/favicon.ico') return;
      if (msg.type() === 'error' || msg.type() === 'warning')
        problems.push(`console ${msg.type()}: ${msg.text()} at ${msg.location().url}`);
    });
    return problems;
  }

  async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
    const page = await context.newPage();
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    return { context, page };
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-checkout-e2e-'));
    core = createCore(loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0 }, {}), {
      logger: silentLogger(),
      rendererDir: null,
    });
    publicUrl = (await core.listen()).public;
    const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' };
    addGateway(core.db, ctx, { provider: 'bkash', account: '01711111111', label: 'Counter 1' });
    addGateway(core.db, ctx, { provider: 'nagad', account: '01822222222, XX6788', variant: 'merchant', label: 'Shop Nagad' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('with JavaScript: waits for the SMS, then returns to the shop by itself', async () => {
    const id = await createSession('E2E-JS-1');
    const { context, page } = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    const problems = watch(page);
    await page.goto(`${publicUrl}/pay/${id}`);
    expect(await page.getByTestId('amount').textContent()).toBe('BDT500.00');
    await page.screenshot({ path: '/tmp/checkout.png', fullPage: true });
    // Readable on a small phone: nothing scrolls sideways at 360 px.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 390, height: 844 });

    // Copy buttons appear with JavaScript and copy the account number.
    const copy = page.getByRole('button', { name: 'Copy 01711111111' });
    await copy.waitFor({ state: 'visible' });
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('01711111111');

    // A bad TxnID is answered in place with the customer-safe text.
    await page.getByRole('radio', { name: /bKash/ }).check();
    await page.getByLabel('2. Enter the transaction ID').fill('12');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe(ERROR_TABLE.txnid_invalid.error);
    expect(page.url()).toBe(`${publicUrl}/pay/${id}`);
    // Chromium logs the deliberate 400 of that fetch as a failed load; nothing else may appear.
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    problems.length = 0;

    // Before the SMS: pending, shown in place.
    await page.getByLabel('2. Enter the transaction ID').fill('BKJ1234567');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await page.getByTestId('waiting').waitFor({ state: 'visible', timeout: LONG });
    expect(await page.getByTestId('waiting').textContent()).toContain('Waiting for confirmation');
    expect(await page.getByTestId('waiting').textContent()).toContain('BKJ1234567');
    expect(await page.getByTestId('notice').isVisible()).toBe(false);
    // The form folds away behind a "wrong TxnID?" summary while waiting.
    expect(await page.getByTestId('retry').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Verify payment' }).isVisible()).toBe(false);
    await page.screenshot({ path: '/tmp/checkout-waiting.png', fullPage: true });

    // The SMS arrives; the poll sees the session paid and follows the redirect_url.
    ingest('BKJ1234567');
    await page.waitForURL((url) => url.pathname === '/api/health', { timeout: LONG });
    const landed = new URL(page.url());
    expect(landed.searchParams.get('x')).toBe('1');
    expect(landed.searchParams.get('session_id')).toBe(id);
    expect(landed.searchParams.get('status')).toBe('success');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('with JavaScript: shows a staff rejection, and a retry with the right TxnID pays', async () => {
    const id = await createSession('E2E-JS-2');
    const { context, page } = await newPage();
    const problems = watch(page);
    await page.goto(`${publicUrl}/pay/${id}`);
    await page.getByRole('radio', { name: /bKash/ }).check();
    await page.getByLabel('2. Enter the transaction ID').fill('BKR7654321');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await page.getByTestId('waiting').waitFor({ state: 'visible', timeout: LONG });

    const attempt = core.payments.pendingVerifications().find((v) => v.session_id === id);
    expect(attempt).toBeDefined();
    core.payments.decide(attempt!.verification_id, { result: 'failed', source: 'manual', actor: 'test', failureReason: 'Wrong TxnID' });
    await page.getByTestId('notice').waitFor({ state: 'visible', timeout: LONG });
    expect(await page.getByTestId('notice').textContent()).toBe(ERROR_TABLE.payment_rejected.error);
    expect(await page.getByTestId('waiting').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Verify payment' }).isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/checkout-rejected.png', fullPage: true });

    ingest('BKT1112223');
    await page.getByLabel('2. Enter the transaction ID').fill('BKT1112223');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await page.waitForURL((url) => url.pathname === '/api/health', { timeout: LONG });
    expect(new URL(page.url()).searchParams.get('status')).toBe('success');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without JavaScript: the form posts, the page refreshes while waiting, and the shop link returns', async () => {
    const id = await createSession('E2E-NOJS');
    const { context, page } = await newPage({ javaScriptEnabled: false });
    const problems = watch(page);
    await page.goto(`${publicUrl}/pay/${id}`);
    expect(await page.getByRole('button', { name: 'Copy 01711111111' }).isVisible()).toBe(false);

    // A wrong TxnID comes back as ?error= with the safe text.
    await page.getByRole('radio', { name: /bKash/ }).check();
    await page.getByLabel('2. Enter the transaction ID').fill('12');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await page.waitForURL((url) => url.searchParams.get('error') === 'txnid_invalid', { timeout: LONG });
    expect(await page.getByTestId('notice').textContent()).toBe(ERROR_TABLE.txnid_invalid.error);

    // Submitted before the SMS: the waiting state, which reloads itself.
    await page.getByRole('radio', { name: /bKash/ }).check();
    await page.getByLabel('2. Enter the transaction ID').fill('BKN1234567');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await page.getByTestId('waiting').waitFor({ state: 'visible', timeout: LONG });
    expect(await page.getByTestId('waiting').textContent()).toContain('BKN1234567');
    // Without JavaScript the folded form still opens (it is a <details>).
    await page.getByTestId('retry').click();
    expect(await page.getByRole('button', { name: 'Verify payment' }).isVisible()).toBe(true);
    ingest('BKN1234567');
    await page.getByTestId('final').waitFor({ state: 'visible', timeout: LONG });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Payment received');
    await page.screenshot({ path: '/tmp/checkout-final.png', fullPage: true });
    await page.getByRole('link', { name: 'Return to the shop' }).click();
    await page.waitForURL((url) => url.pathname === '/api/health', { timeout: LONG });
    expect(new URL(page.url()).searchParams.get('status')).toBe('success');

    // And a second order paid in one go: SMS first, then the form redirects straight back.
    const second = await createSession('E2E-NOJS-2');
    ingest('BKN7654321');
    await page.goto(`${publicUrl}/pay/${second}`);
    await page.getByRole('radio', { name: /bKash/ }).check();
    await page.getByLabel('2. Enter the transaction ID').fill('BKN7654321');
    await page.getByRole('button', { name: 'Verify payment' }).click();
    await page.waitForURL((url) => url.pathname === '/api/health' && url.searchParams.get('session_id') === second, {
      timeout: LONG,
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('cancels from the page and shows the 404 page for an unknown link', async () => {
    const id = await createSession('E2E-CANCEL');
    const { context, page } = await newPage();
    const problems = watch(page);
    await page.goto(`${publicUrl}/pay/${id}`);
    await page.getByRole('button', { name: 'Cancel payment' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'cancelled', { timeout: LONG });
    await page.goto(`${publicUrl}/pay/${id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Payment cancelled');
    expect(problems).toEqual([]);
    // The 404 itself is reported by Chromium as a failed load; that is the point here.
    const missing = await page.goto(`${publicUrl}/pay/NoSuchSession0000000`);
    expect(missing?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(ERROR_TABLE.session_not_found.error);
    expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
    await context.close();
  });
});
