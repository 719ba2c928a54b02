import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import { ModemSimulator } from '../support/modem-sim';
import type { Core } from '../../src-main/core';

/**
 * Issue 11: the modem's state on the counter's Devices screen, beside the phones, in Chromium
 * against the real core reading a simulated modem on a pty.
 */
describe('Devices screen in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;
  let modem: ModemSimulator;

  beforeAll(async () => {
    modem = await ModemSimulator.start({ profile: 'pin', pin: '4321' });
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-devices-', { modems: [modem.devicePath] }));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    await ModemSimulator.stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the modem with its state in words, and what the shop must do about a locked SIM', async () => {
    const page = await browser.newPage();
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await page.getByRole('button', { name: 'Devices' }).click();
    const row = page.getByTestId('modem-row');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('SIM locked');
    expect(await row.textContent()).toContain('PIN');
    expect(await row.textContent()).toContain(modem.devicePath);
    await page.close();
  });
});
