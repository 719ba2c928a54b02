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

describe('Test both paths in Chromium', () => {
  it('sends the canary from the modem and shows its delay once the phone uploads it', async () => {
    const modem = await ModemSimulator.start();
    const { dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-canary-', { modems: [modem.devicePath] });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
      await page.getByRole('button', { name: 'Devices' }).click();
      await expect.poll(() => page.getByTestId('modem-row').textContent(), { timeout: 10_000 }).toContain('reading SMS');
      await page.getByLabel("The shop phone's number").fill('+8801712345678');
      await page.getByRole('button', { name: 'Test both paths' }).click();
      await expect.poll(() => modem.sent().length, { timeout: 10_000 }).toBe(1);
      await expect.poll(() => page.getByTestId('canary-result').textContent(), { timeout: 5_000 }).toContain('waiting');
      const text = modem.sent()[0]?.text ?? '';
      core.sms.ingestBatch([{ sender: '+8801700000099', body: text }], { source: 'apk', origin: 'phone-1', isTest: false });
      await expect.poll(() => page.getByTestId('canary-result').textContent(), { timeout: 10_000 }).toContain('arrived in');
      await page.close();
    } finally {
      await browser.close();
      await core.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
