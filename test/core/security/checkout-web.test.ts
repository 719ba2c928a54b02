import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { addBkash, adminRpc, bkashBody, createSession, raw, startSecCore, type SecCore } from './support';

const XSS = `"><img src=x onerror="window.__xss='attr'"><script>window.__xss='script'</script>'\`<svg onload=window.__xss=1>`;
const RENDERER_DIR = path.resolve('out/renderer');

function cspDirectives(header: string | string[] | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of String(header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

describe('security: hosted checkout and counter UI (HTTP)', () => {
  let s: SecCore;
  beforeAll(async () => {
    s = await startSecCore({ rendererDir: fs.existsSync(path.join(RENDERER_DIR, 'index.html')) ? RENDERER_DIR : null });
    addBkash(s.core, `L ${XSS}`.slice(0, 100));
  });
  afterAll(async () => s?.stop());

  it('escapes order_id, customer_name and the gateway label; ignores metadata and unknown ?error=', async () => {
    const created = await createSession(s, {
      order_id: `ord-${XSS}`.slice(0, 128),
      customer_name: `N ${XSS}`.slice(0, 100),
      metadata: { note: XSS },
    });
    expect(created.status, created.text).toBe(201);
    const id = String(created.json?.session_id);
    for (const q of ['', `?error=${encodeURIComponent(XSS)}`, '?error=txnid_invalid', `?error=<script>`]) {
      const page = await raw(s.urls.public, `/pay/${id}${q}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('<script>window.__xss');
      expect(page.text).not.toContain('<svg');
      expect(page.text).toContain('&lt;img src=x onerror=&quot;');
      // Only the one external script, no inline script body.
      expect(page.text.match(/<script\b[^>]*>/g)).toEqual([
        expect.stringMatching(/^<script src="\/pay\/assets\/checkout\.[0-9a-f]{12}\.js" defer>$/),
      ]);
    }
  });

  it('CSP on /pay/:id and its 404: no unsafe-inline/eval, scripts from self only, framing denied', async () => {
    const created = await createSession(s, { order_id: 'csp-1', redirect_url: 'https://merchant.example/done' });
    const id = String(created.json?.session_id);
    for (const p of [`/pay/${id}`, '/pay/does-not-exist']) {
      const r = await raw(s.urls.public, p);
      const csp = cspDirectives(r.headers['content-security-policy']);
      expect(String(r.headers['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      expect(csp.get('object-src') ?? csp.get('default-src')).toEqual(["'none'"]);
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    const withRedirect = cspDirectives((await raw(s.urls.public, `/pay/${id}`)).headers['content-security-policy']);
    expect(withRedirect.get('form-action')).toEqual(["'self'", 'https://merchant.example']);
  });

  it('CSP and framing headers on the admin UI and API', async () => {
    for (const p of ['/', '/index.html', '/anything', '/api/health']) {
      const r = await raw(s.urls.admin, p);
      const header = String(r.headers['content-security-policy']);
      expect(header, p).not.toMatch(/unsafe-inline|unsafe-eval/);
      const csp = cspDirectives(header);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('redirect_url must be http(s): javascript:, data:, vbscript:, protocol-relative and odd forms are refused', async () => {
    const bad = [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'javascript://example.com/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.com/x',
      '/\\evil.com',
      'http:evil.com',
      'https:/\\evil.com',
      'ftp://evil.com',
      'file:///etc/passwd',
      `https://${'a'.repeat(2100)}.com`,
    ];
    for (const redirect_url of bad) {
      const r = await createSession(s, { order_id: `redir-${Math.random()}`, redirect_url });
      expect(r.status, redirect_url).toBe(400);
      expect(r.json?.code).toBe('validation_failed');
    }
  });

  it('cancel and submit redirects go only to the merchant http(s) URL or back to /pay/:id', async () => {
    const created = await createSession(s, { order_id: 'redir-ok', redirect_url: 'https://merchant.example/return?x=1' });
    const id = String(created.json?.session_id);
    const submit = await raw(s.urls.public, `/api/checkout/${id}/submit`, {
      body: 'txnid=%3Cscript%3E&gateway_id=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(submit.status).toBe(303);
    expect(submit.headers.location).toMatch(new RegExp(`^/pay/${id}(\\?error=[a-z_]+)?$`));
    const cancel = await raw(s.urls.public, `/api/checkout/${id}/cancel`, {
      body: 'redirect_url=javascript:alert(1)',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(cancel.status).toBe(303);
    const loc = new URL(String(cancel.headers.location));
    expect(loc.origin).toBe('https://merchant.example');
    expect(loc.searchParams.get('status')).toBe('cancelled');
    // A session without redirect_url never takes a redirect target from the request.
    const plain = await createSession(s, { order_id: 'redir-none' });
    const pid = String(plain.json?.session_id);
    const c2 = await raw(s.urls.public, `/api/checkout/${pid}/cancel?redirect_url=https://evil.com`, {
      body: 'redirect_url=https%3A%2F%2Fevil.com&next=//evil.com',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(c2.headers.location).toBe(`/pay/${pid}`);
  });

  it('checkout submits are limited per session for all tunnelled clients: X-Forwarded-For / CF-Connecting-IP do not buy new buckets', async () => {
    const created = await createSession(s, { order_id: 'rl-1' });
    const id = String(created.json?.session_id);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const r = await raw(s.urls.public, `/api/checkout/${id}/submit`, {
        body: { txnid: `BKRL${String(i).padStart(6, '0')}` },
        headers: { 'X-Forwarded-For': `203.0.113.${i + 1}`, 'CF-Connecting-IP': `198.51.100.${i + 1}`, 'X-Real-IP': `192.0.2.${i + 1}` },
      });
      statuses.push(r.status);
    }
    expect(statuses.filter((x) => x === 429).length, statuses.join(',')).toBeGreaterThanOrEqual(4);
    // Staff verify on the admin listener: same story.
    const verifyStatuses: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      const r = await raw(s.urls.admin, '/api/merchant/verify', {
        body: { txnid: `BKV${i}XXXXXX` },
        headers: { Authorization: `Bearer ${s.core.shop.keys.admin_token}`, 'X-Forwarded-For': `203.0.113.${i + 1}` },
      });
      verifyStatuses.push(r.status);
    }
    expect(verifyStatuses).toContain(429);
  });
});

describe('security: XSS in Chromium (checkout page and counter UI)', () => {
  let s: SecCore;
  let browser: Browser;
  const hasRenderer = fs.existsSync(path.join(RENDERER_DIR, 'index.html'));
  beforeAll(async () => {
    s = await startSecCore({ rendererDir: hasRenderer ? RENDERER_DIR : null });
    addBkash(s.core, `L ${XSS}`.slice(0, 100));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('the hosted checkout shows hostile merchant text literally and runs no injected script', async () => {
    const created = await createSession(s, {
      order_id: `o${XSS}`.slice(0, 128),
      customer_name: `c${XSS}`.slice(0, 100),
      metadata: { x: XSS },
    });
    const id = String(created.json?.session_id);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${s.urls.public}/pay/${id}?error=${encodeURIComponent(XSS)}`);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.getByTestId('order-id').textContent()).toBe(`o${XSS}`.slice(0, 128).trim());
    expect(await page.locator('img[src="x"], svg').count()).toBe(0);
    expect(await page.locator('.gateway-label').first().textContent()).toContain('<img src=x');
    // Submit a hostile TxnID through the page script; the waiting/notice text stays text.
    await page.locator('#txnid').fill(`<img src=x onerror="window.__xss='txn'">`);
    await page.locator('#verify').click();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('the counter UI shows a hostile SMS sender and body (Wallet SMS and review queue) as text', async () => {
    if (!hasRenderer) throw new Error('out/renderer is not built: run `npm run build:renderer`');
    const sender = `<img src=x onerror="window.__xss='sender'">`;
    const hostileBody = bkashBody('BKXSS00001').replace(
      'Ref 42.',
      `Ref <img src=x onerror="window.__xss='body'"><script>window.__xss='b2'</script>.`,
    );
    expect((await adminRpc(s, 'sms.import', { sender, body: `Money in ${XSS}` })).status).toBe(200);
    const pasted = await adminRpc(s, 'sms.import', { sender: 'bKash', body: hostileBody });
    expect(pasted.status).toBe(200);
    // A pasted-only credit claimed at checkout waits for a person: it lands in the review queue.
    const created = await createSession(s, { order_id: 'xss-review', amount: '500.00' });
    const id = String(created.json?.session_id);
    const submit = await raw(s.urls.public, `/api/checkout/${id}/submit`, { body: { txnid: 'BKXSS00001' } });
    expect(submit.status, submit.text).toBe(202);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${s.urls.admin}/#token=${s.core.shop.keys.admin_token}`);
    await page.getByRole('button', { name: 'Wallet SMS' }).click();
    await expect.poll(() => page.getByTestId('sms-row').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="sms-row"]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(sender)]),
    );
    await page.getByRole('button', { name: /To check/ }).click();
    await expect.poll(() => page.getByTestId('verification').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.sms-body').first().textContent()).toContain(`<script>window.__xss='b2'</script>`);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"], script:not([src]), svg[onload]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
