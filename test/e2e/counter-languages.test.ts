import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import type { Core } from '../../src-main/core';
import { addGateway } from '../../src-main/core/shop';
import { anchorBalance } from '../../src-main/core/balance';

/** Where the browser tests leave their screenshots (test-results/ is ignored by git). */
const ARTIFACTS = path.resolve(process.env.COUNTERPAY_E2E_ARTIFACTS ?? 'test-results/e2e', 'languages');

const VIEWPORTS = [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '800x1280', width: 800, height: 1280 },
] as const;

/** The tabs, in the header's order (their labels change with the language, their order does not). */
const TABS = ['overview', 'queue', 'payments', 'sms', 'reports', 'devices', 'settings'] as const;

/** The first-run setup flow's steps, in its order (a fresh shop opens on it, before any tab). */
const SETUP_STEPS = ['shop', 'wallets', 'phone', 'tunnel', 'keys', 'done'] as const;

const BENGALI = /[\u0980-\u09FF]/;
const ARABIC_SCRIPT = /[\u0600-\u06FF]/;
/** A snake_case id as the core writes its codes (`sms_late_match`, `amount_mismatch`). */
const SNAKE_CASE = /\b[a-z]+_[a-z_]+\b/g;
/** A wallet's id as the core stores it; on screen a wallet is "bKash", never `bkash`. */
const WALLET_IDS = /\b(bkash|nagad|rocket|upay|easypaisa|jazzcash|gcash|maya|upi|mpesa)\b/g;

const bkash = (amount: string, txnid: string, balance: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 9. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:25`;

/** Issue 14 item 6 and the "no raw code" rule, in Debian's Chromium against a real headless core. */
describe('counter languages in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let publicUrl: string;
  let browser: Browser;
  /** A second core on a fresh data dir, whose counter opens on the first-run setup flow. */
  let setupDataDir: string;
  let setupCore: Core;
  let setupUrl: string;

  async function rpc<T>(name: string, arg: unknown = {}): Promise<T> {
    const res = await fetch(`${adminUrl}/api/admin/rpc/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
      body: JSON.stringify(arg),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { result: T }).result;
  }

  async function session(amount: string, orderId: string): Promise<string> {
    const res = await fetch(`${publicUrl}/api/payment/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
      body: JSON.stringify({ amount, order_id: orderId }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { session_id: string }).session_id;
  }

  async function submit(sessionId: string, txnid: string): Promise<number> {
    const res = await fetch(`${publicUrl}/api/checkout/${sessionId}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ txnid }),
    });
    return res.status;
  }

  async function sessionView(id: string): Promise<{ status: string; latest_transaction: { result_source: string | null } | null }> {
    const res = await fetch(`${publicUrl}/api/payment/sessions/${id}`, { headers: { 'x-api-key': core.shop.keys.api_key } });
    return ((await res.json()) as { session: { status: string; latest_transaction: { result_source: string | null } | null } }).session;
  }

  function credit(amount: string, txnid: string, balance: string): void {
    core.sms.ingest({ sender: 'bKash', body: bkash(amount, txnid, balance) }, { source: 'apk', origin: 'phone', isTest: false });
  }

  beforeAll(async () => {
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-lang-'));
    publicUrl = core.status().listeners.public;
    ({
      dataDir: setupDataDir,
      core: setupCore,
      adminUrl: setupUrl,
    } = await startCounterCore('counterpay-e2e-lang-setup-', { firstRun: true }));
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' };
    addGateway(core.db, ctx, { provider: 'bkash', account: '01711111111', label: 'Shop bKash' });
    anchorBalance(core.db, { ...ctx, actor: 'staff', now: Date.now() }, { provider: 'bkash', balance: '10000.00' });
    await new Promise((resolve) => setTimeout(resolve, 5));

    // A TxnID typed on the checkout before its SMS: matched late (`sms_late_match`).
    const late = await session('500.00', 'LANG-LATE');
    expect(await submit(late, 'BKLATE0001')).toBe(202);
    credit('500.00', 'BKLATE0001', '10,500.00');
    // The ingest matched it synchronously: the session is paid, by the late match.
    expect((await sessionView(late)).latest_transaction?.result_source).toBe('sms_late_match');

    // Paid less than asked: held for a person, who approves (`manual`), rejects, or has not decided yet.
    const approved = await session('700.00', 'LANG-MANUAL');
    credit('650.00', 'BKMANU0001', '11,150.00');
    expect(await submit(approved, 'BKMANU0001')).toBe(202);
    const rejected = await session('300.00', 'LANG-REJECT');
    credit('250.00', 'BKREJE0001', '11,400.00');
    expect(await submit(rejected, 'BKREJE0001')).toBe(202);
    const waiting = await session('900.00', 'LANG-WAIT');
    credit('850.00', 'BKWAIT0001', '12,250.00');
    expect(await submit(waiting, 'BKWAIT0001')).toBe(202);
    const { verifications } = await rpc<{ verifications: { verification_id: number; session_id: string | null }[] }>('verifications.list');
    const byId = (id: string) => verifications.find((v) => v.session_id === id)?.verification_id;
    expect(byId(approved)).toBeDefined();
    expect(byId(rejected)).toBeDefined();
    await rpc('verifications.decide', { verification_id: byId(approved), result: 'success' });
    await rpc('verifications.decide', { verification_id: byId(rejected), result: 'failed', failure_reason: 'The customer paid 50 less' });
    expect((await sessionView(approved)).latest_transaction?.result_source).toBe('manual');

    // An SMS nobody can read, a spoof from a phone number, and one pasted by staff.
    core.sms.ingest(
      { sender: 'bKash', body: 'Dear customer, your bKash app has a new look. Update today!' },
      { source: 'apk', origin: 'phone', isTest: false },
    );
    core.sms.ingest(
      { sender: '+8801799999999', body: bkash('5,000.00', 'BKFAKE0001', '99,999.00') },
      { source: 'apk', origin: 'phone', isTest: false },
    );
    await rpc('sms.import', { sender: 'bKash', body: bkash('120.00', 'BKPAST0001', '12,370.00') });
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    await setupCore?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (setupDataDir) fs.rmSync(setupDataDir, { recursive: true, force: true });
  });

  /** Script errors on the page (a missing key, a bad translation call): each test ends asserting none. */
  const pageErrors: string[] = [];

  /** A fresh browser profile (nothing remembered), signed in, on the tabs. */
  async function open(viewport: { width: number; height: number } = VIEWPORTS[0]): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await expect.poll(() => page.locator('nav.tabs .tab').count(), { timeout: 10_000 }).toBe(TABS.length);
    return page;
  }

  async function close(page: Page): Promise<void> {
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }

  async function showTab(page: Page, tab: (typeof TABS)[number]): Promise<void> {
    await page.locator('nav.tabs .tab').nth(TABS.indexOf(tab)).click();
    await expect.poll(() => page.locator('nav.tabs .tab.active').count()).toBe(1);
    // Each screen's first section is there (the SMS list, the devices table…): wait for the screen's data.
    if (tab === 'overview') await page.getByTestId('session-row').first().waitFor();
    if (tab === 'queue') await page.getByTestId('verification').first().waitFor();
    if (tab === 'payments') await page.getByTestId('payment-row').first().waitFor();
    if (tab === 'sms') await page.getByTestId('sms-row').first().waitFor();
    if (tab === 'reports') await page.getByTestId('reports-day').waitFor();
    if (tab === 'devices') await page.getByTestId('pairing-key').waitFor();
    if (tab === 'settings') {
      await page.getByTestId('sync-settings').waitFor();
      await page.getByTestId('wallet-row').first().waitFor();
      await page.getByTestId('tunnel-local').waitFor();
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  }

  /** A fresh browser profile signed in to the fresh shop: the counter opens on the setup flow by itself. */
  async function openSetup(viewport: { width: number; height: number } = VIEWPORTS[0]): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${setupUrl}/#token=${setupCore.shop.keys.admin_token}`);
    await page.getByTestId('setup-flow').waitFor({ timeout: 10_000 });
    return page;
  }

  /** One step of the setup flow, from its list of steps (neither finishing nor skipping the flow), with its data on screen. */
  async function showStep(page: Page, step: (typeof SETUP_STEPS)[number]): Promise<void> {
    await page.locator('ol.setup-steps li button').nth(SETUP_STEPS.indexOf(step)).click();
    await expect.poll(() => page.locator('ol.setup-steps li.current').count()).toBe(1);
    if (step === 'shop') await expect.poll(() => page.locator('#shop-name').inputValue()).not.toBe('');
    if (step === 'wallets') await page.getByTestId('no-wallets').waitFor();
    if (step === 'phone') await page.getByTestId('setup-pairing-qr').waitFor();
    if (step === 'tunnel') await page.getByTestId('tunnel-local').waitFor();
    if (step === 'keys') {
      // The keys shown: their names, help and buttons are words to translate too.
      if ((await page.getByTestId('key-api_key').count()) === 0) await page.locator('[data-testid="keys-section"] button.approve').click();
      await page.getByTestId('key-device_auth_key').waitFor();
    }
    if (step === 'done') await page.getByTestId('setup-done').waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  }

  async function chooseLanguage(page: Page, code: 'en' | 'bn' | 'ur'): Promise<void> {
    await page.getByTestId('language-menu').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  }

  /**
   * The text a cashier sees: visible text nodes, placeholders and the options of menus. Data the
   * shop typed or the wallet sent (TxnIDs and keys in <code>, an SMS's own text, what is typed in a
   * box) is left out: the rule is about CounterPay's words.
   */
  function visibleText(page: Page): Promise<string> {
    return page.evaluate(() => {
      const out: string[] = [];
      const skip = 'code, pre, textarea, script, style, .sms-body, [data-testid="pairing-key"]';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || el.closest(skip) || !node.textContent?.trim()) continue;
        if (el.closest('option')) continue;
        if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        out.push(node.textContent.trim());
      }
      for (const input of document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]')) {
        if (input.checkVisibility()) out.push(input.placeholder);
      }
      for (const option of document.querySelectorAll('select option')) {
        if (option.closest('select')?.checkVisibility()) out.push(option.textContent ?? '');
      }
      return out.join('\n');
    });
  }

  async function shoot(page: Page, lang: string, tab: string, viewport: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${lang}-${tab}-${viewport}.png`), fullPage: true });
  }

  it('English (the default) shows no raw code on any screen: no snake_case ids, no lowercase wallet ids', async () => {
    const page = await open();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    const found: Record<string, string[]> = {};
    for (const tab of TABS) {
      await showTab(page, tab);
      const text = await visibleText(page);
      const raw = [...(text.match(SNAKE_CASE) ?? []), ...(text.match(WALLET_IDS) ?? [])];
      if (raw.length > 0) found[tab] = raw;
      if (tab === 'overview') {
        // The late match, the staff decisions and the rejection, in words.
        expect(text).toContain('SMS arrived later and matched');
        expect(text).toContain('Staff decision');
        expect(text).toContain('Rejected: The customer paid 50 less');
        expect(text).not.toMatch(/Pending · manual/);
      }
      if (tab === 'queue') expect(text).toContain('The amount is not what was asked.');
      if (tab === 'reports') {
        expect(text).toContain('Totals per wallet');
        expect(text).toContain('Credits nobody claimed');
      }
      if (tab === 'settings') {
        expect(text).toContain('The setup is not finished yet.');
        expect(text).toContain('Shop bKash');
      }
      if (tab === 'sms') {
        // The wallet's SMS this build cannot read: its kind in words ("Not a payment" or "Not understood"), never `unknown`.
        expect(text).toMatch(/Not a payment|Not understood/);
        expect(text).toContain('Fake');
        expect(text).toContain('pasted by staff');
      }
    }
    expect(found).toEqual({});
    await close(page);
  });

  it('English (the default) shows no raw code on any step of the first-run setup', async () => {
    const page = await openSetup();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    const found: Record<string, string[]> = {};
    for (const step of SETUP_STEPS) {
      await showStep(page, step);
      const text = await visibleText(page);
      const raw = [...(text.match(SNAKE_CASE) ?? []), ...(text.match(WALLET_IDS) ?? [])];
      if (raw.length > 0) found[step] = raw;
      if (step === 'wallets') expect(text).toContain('bKash (BDT)');
      if (step === 'keys') expect(text).toContain('Live API key');
    }
    expect(found).toEqual({});
    await close(page);
  });

  it('Bangla from the menu: Bengali script on every screen, drawn with the bundled font, and remembered after a reload', async () => {
    const page = await open();
    // The menu names each language in its own script.
    expect(await page.getByTestId('language-menu').locator('option').allTextContents()).toEqual(['English', 'বাংলা', 'اردو']);
    await chooseLanguage(page, 'bn');
    for (const tab of TABS) {
      await showTab(page, tab);
      const text = await visibleText(page);
      const bengali = [...text].filter((c) => BENGALI.test(c)).length;
      expect(bengali, `${tab}: ${text.slice(0, 200)}`).toBeGreaterThan(20);
      // The tab's own label and the header are Bangla too.
      expect(await page.locator('nav.tabs .tab').nth(TABS.indexOf(tab)).textContent()).toMatch(BENGALI);
    }

    // The bundled font, not a system one (this PC has none): loaded, in use, and drawing real glyphs.
    const font = await page.evaluate(async () => {
      await document.fonts.load('16px "Noto Sans Bengali"', 'বাংলা');
      const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Noto Sans Bengali');
      const tab = document.querySelector('nav.tabs .tab');
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const width = (family: string, text: string) => {
        ctx.font = `32px ${family}`;
        return ctx.measureText(text).width;
      };
      // Missing glyphs are drawn as one same-width box each: two different words of equal length
      // measure the same in a font without Bengali, and differently in one that has it.
      const a = 'কখগঘ';
      const b = 'িিিি';
      return {
        check: document.fonts.check('16px "Noto Sans Bengali"', 'বাংলা'),
        loaded: faces.filter((f) => f.status === 'loaded').length,
        family: tab ? getComputedStyle(tab).fontFamily : '',
        bundled: [width('"Noto Sans Bengali"', a), width('"Noto Sans Bengali"', b)],
      };
    });
    expect(font.check).toBe(true);
    expect(font.loaded).toBeGreaterThan(0);
    expect(font.family).toMatch(/^"?Noto Sans Bengali"?/);
    const [consonants = 0, signs = 0] = font.bundled;
    expect(Math.abs(consonants - signs)).toBeGreaterThan(5);

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const tab of TABS) {
        await showTab(page, tab);
        await shoot(page, 'bn', tab, viewport.name);
      }
    }

    await page.reload();
    await expect.poll(() => page.locator('nav.tabs .tab').count(), { timeout: 10_000 }).toBe(TABS.length);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('bn');
    expect(await page.getByTestId('language-menu').inputValue()).toBe('bn');
    expect(await page.locator('nav.tabs').textContent()).toMatch(BENGALI);
    await close(page);
  });

  it('Bangla on every step of the first-run setup, which a shop owner may read only in Bangla', async () => {
    const page = await openSetup();
    await chooseLanguage(page, 'bn');
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const step of SETUP_STEPS) {
        await showStep(page, step);
        const text = await visibleText(page);
        const bengali = [...text].filter((c) => BENGALI.test(c)).length;
        expect(bengali, `${step}: ${text.slice(0, 200)}`).toBeGreaterThan(20);
        // The step's title and the step list are Bangla too.
        expect(await page.getByTestId('setup-step-title').textContent()).toMatch(BENGALI);
        expect(await page.locator('ol.setup-steps li button').nth(SETUP_STEPS.indexOf(step)).textContent()).toMatch(BENGALI);
        await shoot(page, 'bn', `setup-${step}`, viewport.name);
      }
    }
    await close(page);
  });

  it('Urdu on every step of the first-run setup, right to left', async () => {
    const page = await openSetup();
    await chooseLanguage(page, 'ur');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    for (const step of SETUP_STEPS) {
      await showStep(page, step);
      const text = await visibleText(page);
      expect([...text].filter((c) => ARABIC_SCRIPT.test(c)).length, step).toBeGreaterThan(20);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, step).toBeLessThanOrEqual(0);
      await shoot(page, 'ur', `setup-${step}`, '1366x768');
    }
    await chooseLanguage(page, 'en');
    await close(page);
  });

  it('Urdu turns the layout right to left, with nothing overflowing at 1366×768', async () => {
    const page = await open();
    await chooseLanguage(page, 'ur');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    for (const tab of TABS) {
      await showTab(page, tab);
      const text = await visibleText(page);
      expect([...text].filter((c) => ARABIC_SCRIPT.test(c)).length, tab).toBeGreaterThan(10);
      const overflow = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: document.documentElement.clientWidth,
        // The header starts on the right in a right-to-left layout.
        titleRight: (document.querySelector('header h1') as HTMLElement).getBoundingClientRect().right,
        mainRight: (document.querySelector('main') as HTMLElement).getBoundingClientRect().right,
      }));
      expect(overflow.scroll, tab).toBeLessThanOrEqual(overflow.width);
      expect(overflow.mainRight - overflow.titleRight, tab).toBeLessThan(40);
      await shoot(page, 'ur', tab, '1366x768');
    }
    // Back to English for whoever uses this browser profile next.
    await chooseLanguage(page, 'en');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await close(page);
  });

  it('saves English screenshots of every screen at 1366×768 and 800×1280', async () => {
    const page = await open();
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const tab of TABS) {
        await showTab(page, tab);
        await shoot(page, 'en', tab, viewport.name);
      }
    }
    await close(page);
    const setup = await openSetup();
    for (const viewport of VIEWPORTS) {
      await setup.setViewportSize(viewport);
      for (const step of SETUP_STEPS) {
        await showStep(setup, step);
        await shoot(setup, 'en', `setup-${step}`, viewport.name);
      }
    }
    await close(setup);
    const screens = [...TABS, ...SETUP_STEPS.map((step) => `setup-${step}`)];
    for (const viewport of VIEWPORTS) {
      for (const screen of screens) {
        for (const lang of ['en', 'bn']) expect(fs.existsSync(path.join(ARTIFACTS, `${lang}-${screen}-${viewport.name}.png`))).toBe(true);
      }
    }
  });

  it('the sign-in screen has the menu too, and speaks the chosen language', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    const page = await context.newPage();
    await page.goto(`${adminUrl}/`);
    await page.getByTestId('language-menu').selectOption('bn');
    await expect.poll(() => page.locator('main.login').textContent()).toMatch(BENGALI);
    await page.screenshot({ path: path.join(ARTIFACTS, 'bn-login-1366x768.png'), fullPage: true });
    await context.close();
  });
});
