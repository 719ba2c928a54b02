import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import type { Core } from '../../src-main/core';
import type { GatewayView } from '../../src-shared/contract/api';
import type { SetupStatusView } from '../../src-shared/contract/setup';
import { freePort } from '../support/free-port';

/** Where the browser tests leave their screenshots (test-results/ is ignored by git). */
const ARTIFACTS = path.resolve(process.env.COUNTERPAY_E2E_ARTIFACTS ?? 'test-results/e2e', 'setup');

const BKASH_SMS = (txnid: string) =>
  `You have received Tk 750.00 from 01712345678. Ref 42. Fee Tk 0.00. Balance Tk 10,750.00. TrxID ${txnid} at 12/05/2026 11:25`;

async function rpc<T>(adminUrl: string, core: Core, name: string, arg: unknown = {}): Promise<T> {
  const res = await fetch(`${adminUrl}/api/admin/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
    body: JSON.stringify(arg),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: T }).result;
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function title(page: Page): Promise<string> {
  return (await page.getByTestId('setup-step-title').textContent()) ?? '';
}

/**
 * Issue 14 item 1 in Debian's Chromium against a real headless core on a fresh data dir: the
 * setup flow opens by itself, names the shop, adds the wallet, pairs the phone, sets and checks
 * the tunnel's address and shows the keys; the merchant API then pays through the wallet it
 * added, with the key the screen showed. Keys are replaced under Settings afterwards.
 */
describe('First-run setup in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let publicUrl: string;
  let deviceUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  /** What the setup screen showed, used by the merchant site and the phone below. */
  let shownApiKey = '';
  let shownDeviceKey = '';

  beforeAll(async () => {
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-setup-', { firstRun: true }));
    publicUrl = core.status().listeners.public;
    deviceUrl = core.status().listeners.device;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: adminUrl });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      // The refused wallet below is a 400 on purpose; the browser logs it as a failed load.
      if (msg.type() === 'error' && !msg.text().includes('status of 400')) errors.push(msg.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await core?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens on a fresh shop and walks shop name → wallets → phone → tunnel → keys, keyboard first', async () => {
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.getByTestId('setup-flow').count(), { timeout: 10_000 }).toBe(1);
    expect(await title(page)).toBe('Set up CounterPay · Shop name');
    await shot(page, '1-shop-name');

    // Shop name: the box has the focus; Enter saves.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('shop-name');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Rahim Telecom');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shop-done').textContent(), { timeout: 10_000 }).toContain('“Rahim Telecom”');
    await page.getByTestId('setup-next').click();

    // Wallets: bKash with its account, a name on the counter and an extra sender ID.
    await expect.poll(() => title(page)).toBe('Set up CounterPay · Wallets');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('wallet-provider');
    expect(await page.getByTestId('no-wallets').textContent()).toContain('No wallet yet');
    const options = await page.locator('#wallet-provider option').allTextContents();
    expect(options).toContain('bKash (BDT)');
    expect(options).toContain('M-Pesa (KES)');
    await page.getByLabel('Wallet', { exact: true }).selectOption('bkash');
    await page.getByLabel('Account numbers').fill('01711111111');
    await page.getByLabel('Name on the counter').fill('Counter bKash');
    await page.getByLabel('Extra sender IDs').fill('bKash-Shop');
    await page.getByLabel('Extra sender IDs').press('Enter');
    await expect
      .poll(() => page.getByTestId('wallet-add-done').textContent(), { timeout: 10_000 })
      .toBe('bKash 01711111111 added: its SMS pay from now on.');

    // A bad account is refused in words; nothing is added.
    await page.getByLabel('Wallet', { exact: true }).selectOption('nagad');
    await page.getByLabel('Account numbers').fill('0'.repeat(70));
    await page.getByRole('button', { name: 'Add wallet' }).click();
    await expect
      .poll(() => page.getByTestId('wallet-add-error').textContent(), { timeout: 10_000 })
      .toMatch(/^Not added: Account numbers: /);
    // Nagad added, then disabled.
    await page.getByLabel('Account numbers').fill('01822222222');
    await page.getByRole('button', { name: 'Add wallet' }).click();
    await expect.poll(() => page.getByTestId('wallet-row').count(), { timeout: 10_000 }).toBe(2);
    await page.getByRole('button', { name: 'Disable Nagad' }).click();
    await expect.poll(() => page.getByTestId('wallet-row').nth(1).textContent(), { timeout: 10_000 }).toContain('Disabled');

    // Edit bKash from the keyboard: Edit, the accounts box has the focus, Esc would cancel, Enter saves.
    await page.getByRole('button', { name: 'Edit bKash' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('01711111111');
    await page.getByRole('form', { name: 'Edit bKash' }).getByLabel('Name on the counter').fill('Front counter bKash');
    await page.getByRole('form', { name: 'Edit bKash' }).getByLabel('Name on the counter').press('Enter');
    await expect.poll(() => page.getByTestId('wallet-row').first().textContent(), { timeout: 10_000 }).toContain('Front counter bKash');
    const gateways = (await rpc<{ gateways: GatewayView[] }>(adminUrl, core, 'gateways.list')).gateways;
    expect(gateways.map((g) => [g.provider, g.account_identifiers, g.label, g.enabled, g.extra_sender_ids])).toEqual([
      ['bkash', ['01711111111'], 'Front counter bKash', true, ['bKash-Shop']],
      ['nagad', ['01822222222'], null, false, []],
    ]);
    // Wallets by their names, never their ids.
    const walletsText = await page.getByTestId('wallets-section').innerText();
    expect(walletsText).toContain('bKash');
    expect(walletsText).toContain('Nagad');
    expect(walletsText).not.toMatch(/\bbkash\b|\bnagad\b/);
    await shot(page, '2-wallets');
    await page.getByTestId('setup-next').click();

    // Phone: the pairing QR and its device key; the phone binds with it and shows as seen.
    await expect.poll(() => title(page)).toBe('Set up CounterPay · Phone or modem');
    await expect.poll(() => page.getByTestId('setup-pairing-qr').count(), { timeout: 10_000 }).toBe(1);
    shownDeviceKey = (await page.getByTestId('setup-pairing-key').textContent()) ?? '';
    expect(shownDeviceKey).toMatch(/^PV-/);
    expect(await page.getByTestId('no-sources').textContent()).toContain('No phone or modem yet');
    expect(await page.getByTestId('setup-next').textContent()).toContain('Skip this step');
    const bind = await post(`${deviceUrl}/api/device/bind`, {
      auth_key: shownDeviceKey,
      device_id: 'shop-phone',
      model: 'CPH1937',
      manufacturer: 'OPPO',
      os_version: '11',
    });
    expect(bind.status).toBe(200);
    await expect.poll(() => page.getByTestId('source-phone').textContent(), { timeout: 10_000 }).toContain('OPPO CPH1937');
    await expect.poll(() => page.getByTestId('setup-next').textContent(), { timeout: 10_000 }).toContain('Next');
    await shot(page, '3-phone');
    await page.getByTestId('setup-next').click();

    // Tunnel: this computer's address beside the public one; another port is unreachable, the
    // core's own public listener is reachable (saved with Enter, then checked).
    await expect.poll(() => title(page)).toBe('Set up CounterPay · Public address');
    expect(await page.getByTestId('tunnel-local').textContent()).toBe(publicUrl);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('tunnel-url');
    const closed = `http://127.0.0.1:${await freePort()}`;
    await page.keyboard.type(closed);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => page.getByTestId('tunnel-check').textContent(), { timeout: 15_000 }).toContain('Not reachable');
    expect(await page.getByTestId('tunnel-check').textContent()).toContain('connection refused');
    await page.getByRole('textbox', { name: 'Public address' }).fill(publicUrl);
    await page.getByRole('textbox', { name: 'Public address' }).press('Enter');
    await expect.poll(() => page.getByTestId('tunnel-check').textContent(), { timeout: 15_000 }).toContain('Reachable');
    expect(await page.getByTestId('tunnel-state').textContent()).toBe(`Checkout links start with ${publicUrl}/pay/…`);
    await shot(page, '4-tunnel');
    await page.getByTestId('setup-next').click();

    // Keys: shown on request (Enter on the focused button), copied to the clipboard.
    await expect.poll(() => title(page)).toBe('Set up CounterPay · Keys for the website');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Show keys');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('textbox', { name: 'Live API key', exact: true }).count(), { timeout: 10_000 }).toBe(1);
    shownApiKey = await page.getByRole('textbox', { name: 'Live API key', exact: true }).inputValue();
    expect(shownApiKey).toMatch(/^pk_live_/);
    expect(shownApiKey).toBe(core.shop.keys.api_key);
    expect(await page.getByRole('textbox', { name: 'Test API key', exact: true }).inputValue()).toBe(core.shop.keys.test_api_key);
    expect(await page.getByRole('textbox', { name: 'Phone device key', exact: true }).inputValue()).toBe(shownDeviceKey);
    expect(await page.content()).not.toContain(core.shop.keys.audit_key);
    await page.getByRole('button', { name: 'Copy Live API key' }).click();
    await expect.poll(() => page.getByTestId('key-api_key-note').textContent(), { timeout: 10_000 }).toBe('Live API key copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shownApiKey);
    await shot(page, '5-keys');
    await page.getByTestId('setup-next').click();

    await expect.poll(() => title(page)).toBe('Set up CounterPay · Done');
    await expect.poll(() => page.getByTestId('setup-done').textContent(), { timeout: 10_000 }).toContain('CounterPay is set up');
    await shot(page, '6-done');
    const status = await rpc<SetupStatusView>(adminUrl, core, 'setup.status');
    expect(status).toMatchObject({ complete: true });
    await page.getByTestId('setup-finish').click();
    await expect.poll(() => page.getByTestId('setup-flow').count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Settings' }).count()).toBe(1);
    expect((await rpc<SetupStatusView>(adminUrl, core, 'setup.status')).dismissed).toBe(true);
    expect(errors).toEqual([]);
  });

  it('the merchant API pays through the wallet the setup added, with the key the screen showed', async () => {
    const created = await post(
      `${publicUrl}/api/payment/sessions`,
      { amount: '750.00', order_id: 'SETUP-001', redirect_url: 'https://example.com/done' },
      { 'x-api-key': shownApiKey },
    );
    expect(created.status).toBe(201);
    const sessionId = created.json.session_id as string;
    expect(created.json.checkout_url).toBe(`${publicUrl}/pay/${sessionId}`);

    // The phone pushes the wallet SMS with the device key the setup showed.
    const pushed = await post(`${deviceUrl}/api/device/sms`, {
      auth_key: shownDeviceKey,
      device_id: 'shop-phone',
      messages: [{ sender: 'bKash', body: BKASH_SMS('BKSETUP001'), received_at: new Date().toISOString() }],
    });
    expect(pushed.status).toBe(200);

    const submit = await post(`${publicUrl}/api/checkout/${sessionId}/submit`, { txnid: 'BKSETUP001' });
    expect(submit.status).toBe(200);
    expect(submit.json.status).toBe('success');
    const res = await fetch(`${publicUrl}/api/payment/sessions/${sessionId}`, { headers: { 'x-api-key': shownApiKey } });
    expect(res.status).toBe(200);
    const { session } = (await res.json()) as {
      session: { status: string; latest_transaction: { method: string; account_number: string } };
    };
    expect(session.status).toBe('success');
    expect(session.latest_transaction).toMatchObject({ method: 'bkash', account_number: '01711111111' });
  });

  it('keeps every piece under Settings: the replaced key is refused by the merchant API and the new one accepted', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('live').textContent(), { timeout: 10_000 }).toBe('Live');
    // Finished once: it does not open by itself again.
    expect(await page.getByTestId('setup-flow').count()).toBe(0);
    await page.getByRole('button', { name: 'Settings' }).click();
    for (const heading of ['Shop', 'Wallets', 'Phone & modem', 'Tunnel', 'Keys', 'Webhooks', 'Cloud sync']) {
      await expect.poll(() => page.getByRole('heading', { name: heading, exact: true }).count(), { timeout: 10_000 }).toBe(1);
    }
    await expect.poll(() => page.getByLabel('Shop name').inputValue(), { timeout: 10_000 }).toBe('Rahim Telecom');
    await expect.poll(() => page.getByRole('textbox', { name: 'Public address' }).inputValue(), { timeout: 10_000 }).toBe(publicUrl);

    await page.getByRole('button', { name: 'Show keys' }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Live API key', exact: true }).inputValue(), { timeout: 10_000 })
      .toBe(shownApiKey);
    // Replace: a confirmation first (Esc keeps the key), then Enter on "Yes, replace it".
    await page.getByRole('button', { name: 'Replace Live API key' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, replace it');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('button', { name: 'Yes, replace it' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Live API key', exact: true }).inputValue()).toBe(shownApiKey);
    await page.getByRole('button', { name: 'Replace Live API key' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, replace it');
    await shot(page, '7-settings-replace-key');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('key-api_key-note').textContent(), { timeout: 10_000 }).toContain('Live API key replaced');
    const newKey = await page.getByRole('textbox', { name: 'Live API key', exact: true }).inputValue();
    expect(newKey).toMatch(/^pk_live_/);
    expect(newKey).not.toBe(shownApiKey);

    const refused = await post(
      `${publicUrl}/api/payment/sessions`,
      { amount: '10.00', order_id: 'SETUP-OLD-KEY' },
      { 'x-api-key': shownApiKey },
    );
    expect(refused.status).toBe(401);
    const accepted = await post(
      `${publicUrl}/api/payment/sessions`,
      { amount: '10.00', order_id: 'SETUP-NEW-KEY' },
      { 'x-api-key': newKey },
    );
    expect(accepted.status).toBe(201);

    // The same check from Settings: another port is unreachable, the stored address reachable.
    const closed = `http://127.0.0.1:${await freePort()}`;
    await page.getByRole('textbox', { name: 'Public address' }).fill(closed);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => page.getByTestId('tunnel-check').textContent(), { timeout: 15_000 }).toContain('Not reachable');
    await page.getByRole('textbox', { name: 'Public address' }).fill(publicUrl);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => page.getByTestId('tunnel-check').textContent(), { timeout: 15_000 }).toContain('Reachable');
    await shot(page, '8-settings');

    // A 10-inch tablet: the sections still fit the width.
    await page.setViewportSize({ width: 800, height: 1280 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, '9-settings-tablet');

    // "Run the setup again" opens the flow at its first step.
    await page.getByRole('button', { name: 'Run the setup again' }).click();
    await expect.poll(() => title(page)).toBe('Set up CounterPay · Shop name');
    await shot(page, '10-setup-again-tablet');
    await page.getByRole('button', { name: 'Skip setup for now' }).click();
    await expect.poll(() => page.getByTestId('setup-flow').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
