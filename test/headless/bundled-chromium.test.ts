import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledChromiumVersion, chooseChromium, launchChromium, SYSTEM_CHROMIUM } from '../support/chromium';

/**
 * Issue 14 (9): `npm test` on a fresh machine with no browser. The browser tests then drive the
 * Chromium inside the @sparticuz/chromium npm package: no apt-get, no browser download, no
 * network (its binary is in the package, brotli-compressed). This machine has Debian's Chromium,
 * so COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM=1 hides it, exactly as on a machine without it.
 */
const packageVersion = bundledChromiumVersion();

describe('which Chromium the browser tests use', () => {
  it('CHROMIUM_PATH first, then /usr/bin/chromium, and the hidden switch skips the system one', async () => {
    expect(await chooseChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' })).toMatchObject({
      executablePath: '/opt/chrome/chrome',
      source: 'CHROMIUM_PATH',
    });
    const system = await chooseChromium({});
    if (system.source === 'system') expect(system.executablePath).toBe(SYSTEM_CHROMIUM);
    const hidden = await chooseChromium({ COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM: '1' });
    expect(hidden.source).toBe('@sparticuz/chromium');
    expect(hidden.executablePath).toBe(path.resolve('node_modules/.cache', `sparticuz-chromium-${packageVersion}`, 'chromium'));
  }, 120_000);
});

describe("the npm package's Chromium, with /usr/bin/chromium hidden", () => {
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>t</title><body><h1 id="h">PAID 500.00 BDT</h1><script>document.title = "ran"</script></body>');
  });
  const previous = process.env.COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM;
  afterAll(() => {
    server.close();
    if (previous === undefined) delete process.env.COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM;
    else process.env.COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM = previous;
  });

  it('runs under playwright-core: loads a page, runs its script, lays out text and takes a screenshot', async () => {
    process.env.COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM = '1';
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const browser = await launchChromium();
    try {
      // The browser really is the package's build (its major version is the package's).
      expect(browser.version().split('.')[0]).toBe(packageVersion.split('.')[0]);
      const page = await browser.newPage({ viewport: { width: 400, height: 200 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      expect(await page.title()).toBe('ran');
      expect(await page.textContent('#h')).toBe('PAID 500.00 BDT');
      // Text with a font: the heading has a real width, not zero-width missing glyphs.
      const box = await page.locator('#h').boundingBox();
      // (A string: these tests compile without the DOM's types.)
      const textWidth = (await page.evaluate(
        "(() => { const r = document.createRange(); r.selectNodeContents(document.getElementById('h')); return r.getBoundingClientRect().width; })()",
      )) as number;
      expect(box?.height ?? 0).toBeGreaterThan(10);
      expect(textWidth).toBeGreaterThan(100);
      const png = await page.screenshot();
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  }, 180_000);
});
