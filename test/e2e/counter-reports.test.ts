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

/** Where the browser tests leave their screenshots (test-results/ is ignored by git). */
const ARTIFACTS = path.resolve(process.env.COUNTERPAY_E2E_ARTIFACTS ?? 'test-results/e2e', 'reports');

const HOUR = 3_600_000;
const OFFSET = 6 * HOUR;
/** The shop day (UTC+06:00, config devices.utcOffsetMinutes) of an instant. */
const dayOf = (ms: number) => new Date(ms + OFFSET).toISOString().slice(0, 10);

const BKASH = (amount: string, txnid: string, balance: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 7. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:25`;

/** The day as the counter writes it in English (its locale, en-US): "Tuesday, May 12, 2026". */
const WEEKDAY_DATE = new Intl.DateTimeFormat('en-US', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayWords = (date: string) => WEEKDAY_DATE.format(Date.parse(`${date}T00:00:00Z`));

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Issue 14 item 5 in Debian's Chromium against a real headless core whose clock the test sets:
 * yesterday an online order (its order id a spreadsheet formula) and a counter sale; today a
 * counter sale and a credit nobody claimed. The Reports tab shows today's totals, moves to
 * yesterday, downloads its CSV (checked byte for byte where it matters), and closes a shift.
 */
describe('Reports in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  let offset = 0;
  const clock = () => Date.now() + offset;
  const today = dayOf(Date.now());
  const yesterday = dayOf(Date.now() - 24 * HOUR);

  async function rpc<T>(name: string, arg: unknown = {}): Promise<T> {
    const res = await fetch(`${adminUrl}/api/admin/rpc/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
      body: JSON.stringify(arg),
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return (JSON.parse(text) as { result: T }).result;
  }

  function credit(amount: string, txnid: string, balance: string): void {
    core.sms.ingest(
      { sender: 'bKash', body: BKASH(amount, txnid, balance), received_at: new Date(clock()).toISOString() },
      { source: 'apk', origin: 'phone', isTest: false },
    );
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is not built: run `npm run build:renderer`');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-e2e-reports-'));
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ modem: { probe: false }, devices: { utcOffsetMinutes: 360 } }));
    const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0 }, {});
    core = createCore(config, { logger: silentLogger(), rendererDir: RENDERER_DIR, clock });
    dismissSetup(core.db, core.shop.merchantId, { dismissed: true }, Date.now());
    adminUrl = (await core.listen()).admin;
    const gateway = addGateway(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
      { provider: 'bkash', account: '01711111111' },
    );

    // Yesterday at noon in the shop: an online order whose id is a formula, and a counter sale.
    offset = Date.parse(`${yesterday}T12:00:00+06:00`) - Date.now();
    const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
    const session = core.payments.create(caller, { amount: '250.00', order_id: '=2+3', customer_name: 'Karim' }, (id) => `/pay/${id}`).body
      .session_id;
    credit('250.00', 'BREPYDAY01', '10,250.00');
    expect(core.payments.submit(session, { txnid: 'BREPYDAY01', gateway_id: gateway.id }).status).toBe('success');
    offset += 60_000;
    credit('120.00', 'BREPYDAY02', '10,370.00');
    await rpc('txnid.accept', { txnid: 'BREPYDAY02', amount: '120.00' });

    // Today at noon: a counter sale, and a credit nobody claims.
    offset = Date.parse(`${today}T12:00:00+06:00`) - Date.now();
    credit('500.00', 'BREPTDAY01', '10,870.00');
    await rpc('txnid.accept', { txnid: 'BREPTDAY01', amount: '500.00' });
    offset += 60_000;
    credit('80.00', 'BREPTDAY02', '10,950.00');

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
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

  it("opens Reports on today's totals: wallets by name, counter vs online, the unclaimed credit", async () => {
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.getByTestId('live').textContent()).toBe('Live');
    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    await expect.poll(() => page.getByTestId('reports-day').textContent()).toContain(dayWords(today));
    expect(await page.getByTestId('reports-day').textContent()).toContain('UTC+06:00');
    const wallets = page.getByTestId('reports-wallets');
    await expect.poll(() => wallets.locator('tbody tr').count()).toBe(1);
    // Wallet | Online | Counter sales | Verified by TxnID | Total | Reversed since
    expect(await wallets.locator('tbody tr').first().locator('th, td').allTextContents()).toEqual([
      'bKash',
      '–',
      '1 · 500.00 BDT',
      '–',
      '1 · 500.00 BDT',
      '–',
    ]);
    expect(await page.getByTestId('reports-gateways').locator('tbody th').allTextContents()).toEqual(['bKash 01711111111']);
    const unclaimed = page.getByTestId('reports-unclaimed');
    expect(await unclaimed.locator('tbody tr').count()).toBe(1);
    const cells = await unclaimed.locator('tbody td').allTextContents();
    expect(cells.slice(1)).toEqual(['bKash', 'BREPTDAY02', '80.00 BDT', '01712345678', 'Not claimed']);
    expect(cells[0]).toMatch(/^12:0\d$/);
    expect(await page.getByTestId('reports-unclaimed-totals').textContent()).toBe('bKash: 1 credit, 80.00 BDT in all');
    // No raw codes on the screen: wallets by name, no snake_case.
    const text = await page.getByTestId('reports').innerText();
    expect(text).not.toMatch(/\bbkash\b|_[a-z]+_|\bcounter_sale\b/);
    // Today is the last day: no "next".
    expect(await page.getByRole('button', { name: 'Next day' }).isDisabled()).toBe(true);
    await shot(page, '1-today-1366x768');
    await page.setViewportSize({ width: 800, height: 1280 });
    await shot(page, '1-today-800x1280');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('moves to yesterday and downloads its payments as CSV, a formula order id neutralised', async () => {
    await page.getByRole('button', { name: 'Previous day' }).click();
    await expect.poll(() => page.getByTestId('reports-day').textContent()).toContain(dayWords(yesterday));
    expect(await page.getByLabel('Day', { exact: true }).inputValue()).toBe(yesterday);
    const row = page.getByTestId('reports-wallets').locator('tbody tr').first();
    await expect
      .poll(() => row.locator('th, td').allTextContents())
      .toEqual(['bKash', '1 · 250.00 BDT', '1 · 120.00 BDT', '–', '2 · 370.00 BDT', '–']);
    expect(await page.getByTestId('reports-unclaimed').count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download payments (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`counterpay-payments-${yesterday}.csv`);
    const content = fs.readFileSync(await download.path(), 'utf8');
    // A byte-order mark for spreadsheets, then RFC 4180 with CRLF.
    expect(content.startsWith('\ufeffpaid_at,wallet,gateway,channel,txnid,amount,currency,order_id,')).toBe(true);
    const lines = content.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    const online = (lines[1] as string).split(',');
    expect(online.slice(1, 10)).toEqual(['bKash', '01711111111', 'online', 'BREPYDAY01', '250.00', 'BDT', "'=2+3", 'Karim', '01712345678']);
    expect(online[0]).toMatch(new RegExp(`^${yesterday}T12:00:\\d\\d\\+06:00$`));
    const counter = (lines[2] as string).split(',');
    expect(counter.slice(1, 12)).toEqual([
      'bKash',
      '01711111111',
      'counter',
      'BREPYDAY02',
      '120.00',
      'BDT',
      '',
      '',
      '01712345678',
      counter[10],
      'staff',
    ]);
    expect(await page.getByRole('status').filter({ hasText: 'Saved' }).textContent()).toContain(`counterpay-payments-${yesterday}.csv`);
    await shot(page, '2-yesterday');
  });

  it('closes the shift after a confirmation, prints the summary, and records it in the audit log', async () => {
    await page.getByRole('button', { name: 'Next day' }).click();
    await expect.poll(() => page.getByTestId('reports-day').textContent()).toContain(dayWords(today));
    await page.getByRole('button', { name: 'Close shift…' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('Close the shift now?');
    // Esc cancels; nothing is recorded.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'Close shift…' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Close shift');
    await page.getByRole('button', { name: 'Close shift', exact: true }).click();
    const summary = page.getByTestId('closeout');
    await expect.poll(() => summary.count()).toBe(1);
    const words = await summary.innerText();
    expect(words).toContain(`From ${dayWords(today)} 00:00 to ${dayWords(today)} 12:0`);
    expect(words).toContain('Cashier: Staff (no name)');
    expect(await summary.locator('tbody tr').nth(1).locator('td').allTextContents()).toEqual(['bKash', '1 · 500.00 BDT', '–']);
    expect(await page.getByTestId('closeout-note').textContent()).toContain('staff sign-in is shared');
    await shot(page, '3-close-out');

    const rows = core.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'shift.closed'").all() as {
      actor: string;
      details: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe('staff');
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({
      from: `${today}T00:00:00+06:00`,
      wallets: [{ provider: 'bkash', count: 1, amount: '500.00' }],
    });
    expect(errors).toEqual([]);
  });
});
