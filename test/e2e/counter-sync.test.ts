import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import { startStandInCloud, type StandInCloud } from '../support/stand-in-cloud';
import type { Core } from '../../src-main/core';
import type { SyncStatusView } from '../../src-shared/contract/sync';

async function syncStatus(adminUrl: string, core: Core): Promise<SyncStatusView> {
  const res = await fetch(`${adminUrl}/api/admin/rpc/sync.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: SyncStatusView }).result;
}

async function createSession(core: Core, orderId: string, amount: string): Promise<string> {
  const res = await fetch(`${core.status().listeners.public}/api/payment/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
    body: JSON.stringify({ amount, order_id: orderId }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { session_id: string }).session_id;
}

async function cancelSession(core: Core, id: string): Promise<void> {
  const res = await fetch(`${core.status().listeners.public}/api/payment/sessions/${id}/cancel`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
    body: '{}',
  });
  expect(res.status).toBe(200);
}

/** What the cloud holds, as `order_id:status` in sequence order, and whether the numbers run 1, 2, 3, … without a gap. */
function appliedOrders(cloud: StandInCloud): string[] {
  expect(cloud.applied.map((e) => e.seq)).toEqual(cloud.applied.map((_, i) => i + 1));
  return cloud.applied.map((e) => `${e.session?.order_id}:${e.session?.status}`);
}

async function openSettings(page: Page, adminUrl: string, core: Core): Promise<void> {
  await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
  await expect.poll(() => page.getByTestId('live').textContent(), { timeout: 10_000 }).toBe('Live');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Cloud sync' }).count(), { timeout: 10_000 }).toBe(1);
}

const POLL = { timeout: 10_000 };

/**
 * Issue 13 on the counter: staff set the merchant's cloud on the Settings screen and read how
 * far it has got, in Debian's Chromium against a real core whose sync worker POSTs its batches to
 * the stand-in cloud on loopback. `maxBackoffSeconds: 2` keeps every retry about 2 s away.
 */
describe('Cloud sync on the Settings screen in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;
  let cloud: StandInCloud;

  beforeAll(async () => {
    cloud = await startStandInCloud();
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-sync-', { config: { sync: { maxBackoffSeconds: 2 } } }));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    await cloud?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the cloud by keyboard, stays up to date, shows an outage and a wrong token in words, recovers and stops', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    // A step that cannot happen fails with its own message, not the test's timeout.
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await openSettings(page, adminUrl, core);
    const state = page.getByTestId('sync-state');
    const cursor = page.getByTestId('sync-cursor');
    const syncError = page.getByTestId('sync-error');
    const formError = page.getByTestId('sync-form-error');
    const form = page.getByTestId('sync-form');
    const urlInput = form.getByLabel('Cloud URL');
    const tokenInput = form.getByLabel('Sync token');

    // No cloud yet: nothing is sent, and a session made now waits on the counter. No `sync` event
    // comes without a cloud, so only the re-read on the `session` event can show it.
    await expect.poll(() => state.textContent(), POLL).toBe('Not syncing: no cloud is set');
    expect(await page.getByTestId('sync-setting').textContent()).toContain('No cloud is set');
    expect(await page.getByRole('button', { name: 'Stop syncing' }).isDisabled()).toBe(true);
    expect(await tokenInput.getAttribute('type')).toBe('password');
    await createSession(core, 'E2E-SYNC-1', '100.00');
    await expect.poll(() => page.getByTestId('sync-kept').textContent(), POLL).toContain('1 change is kept on this counter');
    expect(cloud.batches).toHaveLength(0);

    // The core's refusals, in words naming the field.
    await urlInput.fill('cloud.example');
    await tokenInput.fill(cloud.token);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => formError.textContent(), POLL).toBe('Not saved: Cloud URL: must be an http:// or https:// URL');
    await urlInput.fill(cloud.url);
    await tokenInput.fill('short');
    await tokenInput.press('Enter');
    await expect.poll(() => formError.textContent(), POLL).toContain('Not saved: Sync token: give the sync token');
    expect((await syncStatus(adminUrl, core)).url).toBeNull();
    expect(await state.textContent()).toBe('Not syncing: no cloud is set');

    // Set by keyboard alone: type the URL, Tab to the token, Enter saves.
    await urlInput.fill('');
    await tokenInput.fill('');
    await urlInput.focus();
    await page.keyboard.type(cloud.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sync-token');
    await page.keyboard.type(cloud.token);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('sync-form-done').textContent(), POLL).toContain('Saved');
    expect(await page.getByTestId('sync-url-saved').textContent()).toBe(cloud.url);
    expect(await page.getByTestId('sync-token-hint').textContent()).toBe(`${cloud.token.slice(0, 8)}…`);
    // The hint, never the token: the box is emptied and the page holds it nowhere.
    expect(await tokenInput.inputValue()).toBe('');
    expect(await page.content()).not.toContain(cloud.token);

    // The waiting session reaches the cloud; the status says so by itself (the `sync` event).
    await expect.poll(() => state.textContent(), POLL).toBe('Up to date');
    expect(appliedOrders(cloud)).toEqual(['E2E-SYNC-1:pending']);
    expect(cloud.batches.at(-1)?.keys.live).toHaveLength(1);
    await expect.poll(() => cursor.textContent(), POLL).toContain('1 change sent');
    expect(await page.getByTestId('sync-last-success').textContent()).not.toContain('never');
    expect(await page.getByTestId('sync-kept').count()).toBe(0);
    expect(await syncError.count()).toBe(0);

    // A session made and cancelled: two more events, in order, once each.
    const second = await createSession(core, 'E2E-SYNC-2', '200.00');
    await cancelSession(core, second);
    await expect.poll(() => cloud.applied.length, POLL).toBe(3);
    await expect.poll(() => cursor.textContent(), POLL).toContain('3 changes sent');
    expect(await state.textContent()).toBe('Up to date');
    expect(appliedOrders(cloud)).toEqual(['E2E-SYNC-1:pending', 'E2E-SYNC-2:pending', 'E2E-SYNC-2:cancelled']);

    // The cloud fails: the error in words, what waits and since when, and the next try.
    cloud.fallback = { status: 503 };
    const failingFrom = cloud.batches.length;
    const third = await createSession(core, 'E2E-SYNC-3', '300.00');
    await cancelSession(core, third);
    await expect.poll(() => syncError.textContent(), POLL).toContain('The cloud had a problem and did not take the changes (HTTP 503');
    await expect.poll(() => state.textContent(), POLL).toMatch(/^2 changes waiting since \d/);
    expect(await page.getByTestId('sync-retry').textContent()).toMatch(/Last try at .*(Next try at \d|Trying again now)/);
    expect(await cursor.textContent()).toContain('3 changes sent');
    // It keeps trying (backing off from 2 s), and every failed batch left the cloud unchanged.
    await expect.poll(() => cloud.batches.length - failingFrom, POLL).toBeGreaterThanOrEqual(3);
    expect(cloud.applied).toHaveLength(3);
    expect(await state.textContent()).toMatch(/^2 changes waiting since/);
    expect((await syncStatus(adminUrl, core)).backlog).toBe(2);

    // The cloud answers again: up to date by itself, the error gone, nothing lost or doubled.
    cloud.fallback = 'apply';
    await expect.poll(() => state.textContent(), POLL).toBe('Up to date');
    expect(await syncError.count()).toBe(0);
    await expect.poll(() => cursor.textContent(), POLL).toContain('5 changes sent');
    expect(appliedOrders(cloud)).toEqual([
      'E2E-SYNC-1:pending',
      'E2E-SYNC-2:pending',
      'E2E-SYNC-2:cancelled',
      'E2E-SYNC-3:pending',
      'E2E-SYNC-3:cancelled',
    ]);

    // A wrong token (the URL kept): the new hint, then the cloud's refusal in words.
    const wrong = 'cps_wrong-token-000000000000';
    await tokenInput.fill(wrong);
    await tokenInput.press('Enter');
    await expect.poll(() => page.getByTestId('sync-token-hint').textContent(), POLL).toBe('cps_wron…');
    expect(await page.getByTestId('sync-url-saved').textContent()).toBe(cloud.url);
    await createSession(core, 'E2E-SYNC-4', '400.00');
    await expect.poll(() => syncError.textContent(), POLL).toContain("The cloud refused this counter's sync token (HTTP 401)");
    await expect.poll(() => state.textContent(), POLL).toMatch(/^1 change waiting since \d/);
    expect(await page.content()).not.toContain(wrong);
    expect(cloud.applied).toHaveLength(5);

    // The right token again: the waiting session goes, the refusal is gone.
    await tokenInput.fill(cloud.token);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => state.textContent(), POLL).toBe('Up to date');
    await expect.poll(() => cursor.textContent(), POLL).toContain('6 changes sent');
    expect(await syncError.count()).toBe(0);
    expect(appliedOrders(cloud).at(-1)).toBe('E2E-SYNC-4:pending');

    // Readable at 1366×768: nothing wider than the window.
    const overflow = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      section: document.querySelector('[data-testid="sync-settings"]')?.getBoundingClientRect().right ?? Infinity,
    }));
    expect(overflow.page).toBeLessThanOrEqual(0);
    expect(overflow.section).toBeLessThanOrEqual(1366);

    // Stop syncing asks once more (Escape keeps syncing), then by keyboard: the settings are removed.
    await page.getByRole('button', { name: 'Stop syncing' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, stop syncing');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: 'Yes, stop syncing' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stop syncing');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, stop syncing');
    await page.keyboard.press('Enter');
    await expect.poll(() => state.textContent(), POLL).toBe('Not syncing: no cloud is set');
    expect(await page.getByTestId('sync-form-done').textContent()).toContain('Stopped');
    expect(await page.getByTestId('sync-setting').textContent()).toContain('No cloud is set');
    expect(await urlInput.inputValue()).toBe('');
    const stopped = await syncStatus(adminUrl, core);
    expect(stopped.url).toBeNull();
    expect(stopped.token_hint).toBeNull();
    const sentBefore = cloud.batches.length;
    await createSession(core, 'E2E-SYNC-5', '500.00');
    await expect.poll(() => page.getByTestId('sync-kept').textContent(), POLL).toContain('1 change is kept on this counter');
    expect(cloud.batches).toHaveLength(sentBefore);
    expect(cloud.applied).toHaveLength(6);
    // The browser logs the two refused saves' 400s; nothing else went wrong on the page.
    expect(errors.filter((e) => !e.includes('status of 400 (Bad Request)'))).toEqual([]);
    expect(errors).toHaveLength(2);
    await page.close();
  }, 120_000);
});
