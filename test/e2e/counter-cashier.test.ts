import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { RENDERER_DIR } from '../support/counter-core';
import { createCore, loadConfig, type Core } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/logging';
import { addGateway, dismissSetup } from '../../src-main/core/shop';

const BKASH = (amount: string, txnid: string, balance: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 7. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:25`;

/**
 * Issue 14 item 5, per cashier, in Debian's Chromium against a real headless core: the counter
 * asks who is at it, the sale accepted from that window carries the name, and closing that
 * cashier's shift shows the name in the summary (and the audit log).
 */
describe('The cashier at the counter, in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is not built: run `npm run build:renderer`');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-e2e-cashier-'));
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ modem: { probe: false } }));
    const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0 }, {});
    core = createCore(config, { logger: silentLogger(), rendererDir: RENDERER_DIR });
    dismissSetup(core.db, core.shop.merchantId, { dismissed: true }, Date.now());
    adminUrl = (await core.listen()).admin;
    addGateway(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
      { provider: 'bkash', account: '01711111111' },
    );
    core.sms.ingest(
      { sender: 'bKash', body: BKASH('420.00', 'BKCASH0001', '10,420.00') },
      { source: 'apk', origin: 'phone', isTest: false },
    );

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await core?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks who is at the counter, accepts a sale under that name, and closes that cashier’s shift', async () => {
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.getByTestId('live').textContent()).toBe('Live');

    // Who is at the counter? A name typed (spaces trimmed), kept on this PC.
    const ask = page.getByRole('form', { name: 'Who is at the counter?' });
    await ask.getByLabel('Cashier name').fill('  Rahima ');
    await ask.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByTestId('cashier').textContent()).toContain('Cashier: Rahima');
    expect(await page.evaluate(() => localStorage.getItem('counterpay.cashier'))).toBe('Rahima');

    // A sale accepted from this window carries the name.
    const box = page.getByLabel('TxnID', { exact: true });
    const verdict = page.getByTestId('txnid-verdict');
    await box.fill('BKCASH0001');
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('received');
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('accepted');
    const sale = core.db.prepare("SELECT actor FROM audit_log WHERE action = 'counter.sale_accepted'").all() as { actor: string }[];
    expect(sale).toEqual([{ actor: 'staff:Rahima' }]);

    // A reload remembers who is at the counter.
    await page.reload();
    await expect.poll(() => page.getByTestId('cashier').textContent()).toContain('Cashier: Rahima');

    // Reports: close Rahima's shift; the summary names her.
    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    await page.getByRole('button', { name: 'Close the shift of Rahima…' }).click();
    expect(await page.getByRole('alertdialog').textContent()).toContain("other cashiers' shifts stay open");
    await page.getByRole('button', { name: 'Close shift', exact: true }).click();
    const summary = page.getByTestId('closeout');
    await expect.poll(() => summary.count()).toBe(1);
    const words = await summary.innerText();
    expect(words).toContain('Shift of Rahima');
    expect(words).toContain('Cashier: Rahima');
    expect(words).toContain('Closed by Rahima');
    expect(await summary.locator('tbody tr').nth(1).locator('td').allTextContents()).toEqual(['bKash', '1 · 420.00 BDT', '–']);
    const closed = core.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'shift.closed'").all() as {
      actor: string;
      details: string;
    }[];
    expect(closed.map((r) => [r.actor, (JSON.parse(r.details) as { cashier: unknown }).cashier])).toEqual([['staff:Rahima', 'Rahima']]);

    // Change who is at the counter: the names used before are offered.
    await page.getByTestId('cashier').getByRole('button', { name: 'Change' }).click();
    expect(await page.locator('#cashier-names option').evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual([
      'Rahima',
    ]);
    await page.getByLabel('Cashier name').fill('Karim');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByTestId('cashier').textContent()).toContain('Cashier: Karim');
    expect(errors).toEqual([]);
  });
});
