import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createCore, loadConfig, type Core } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/logging';
import { openDatabase, closeDatabase } from '../../src-main/core/db';
import { addGateway } from '../../src-main/core/shop';

/**
 * The counter UI in Debian's Chromium against the real headless core. `npm test` builds
 * the renderer into out/renderer before vitest runs.
 */
const RENDERER_DIR = path.resolve('out/renderer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('counter UI in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
      throw new Error('out/renderer is not built: run `npm run build:renderer` (npm test does it first)');
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-e2e-'));
    const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0 }, {});
    core = createCore(config, { logger: silentLogger(), rendererDir: RENDERER_DIR });
    adminUrl = (await core.listen()).admin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
    await expect
      .poll(() => page.getByTestId('count-gateways').locator('.value').textContent(), { timeout: 15_000 })
      .toBe('1');
    await expect.poll(() => page.getByTestId('gateway').first().textContent(), { timeout: 10_000 }).toContain(
      '01711111111, XX6788',
    );
    // The CSP the admin listener sends let the bundle run without a single violation.
    expect(errors).toEqual([]);
    await page.close();
  });
});
