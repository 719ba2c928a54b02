import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import type { Core } from '../../src-main/core';
import { addGateway } from '../../src-main/core/shop';
import type { WebhookSettingsView } from '../../src-shared/contract/webhooks';

const BKASH = (amount: string, txnid: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 9. Fee Tk 0.00. Balance Tk 9,999.00. TrxID ${txnid} at 12/05/2026 11:25`;

async function rpc<T>(adminUrl: string, core: Core, name: string, arg: unknown = {}): Promise<T> {
  const res = await fetch(`${adminUrl}/api/admin/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
    body: JSON.stringify(arg),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: T }).result;
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

async function sessionStatus(core: Core, id: string): Promise<string> {
  const res = await fetch(`${core.status().listeners.public}/api/payment/sessions/${id}`, {
    headers: { 'x-api-key': core.shop.keys.api_key },
  });
  return ((await res.json()) as { session: { status: string } }).session.status;
}

async function openSettings(page: Page, adminUrl: string, core: Core): Promise<void> {
  await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
  await expect.poll(() => page.getByTestId('live').textContent(), { timeout: 10_000 }).toBe('Live');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Webhooks' }).count(), { timeout: 10_000 }).toBe(1);
}

/**
 * Issue 12 on the counter: staff set the shop's webhook URLs on the Settings screen and watch
 * every delivery and attempt, in Debian's Chromium against a real core that POSTs to a real
 * receiver on loopback (allowed by `webhooks.allowPrivate`).
 */
describe('Webhooks on the Settings screen in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let browser: Browser;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-webhooks-', { config: { webhooks: { allowPrivate: true } } }));
    addGateway(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
      { provider: 'bkash', account: '01711111111', label: 'Shop bKash' },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stop();
    await receiver?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the URLs, shows a paid session delivered, a failing one with its 500 and answer, and sends it again', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await openSettings(page, adminUrl, core);
    expect(await page.getByTestId('webhooks-private').textContent()).toContain('Private addresses are allowed');

    // The live URL, typed and saved with Enter; the test URL saved, then removed.
    const live = page.getByTestId('webhook-endpoint-live');
    await live.getByLabel('Live webhook URL').fill(receiver.url);
    await live.getByLabel('Live webhook URL').press('Enter');
    await expect
      .poll(() => page.getByTestId('webhook-state-live').textContent(), { timeout: 10_000 })
      .toContain(`Sending live events to ${receiver.url}`);
    const test = page.getByTestId('webhook-endpoint-test');
    await test.getByLabel('Test webhook URL').fill('http://127.0.0.1:9/test-hooks');
    await test.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('webhook-state-test').textContent(), { timeout: 10_000 }).toContain('/test-hooks');
    expect((await rpc<WebhookSettingsView>(adminUrl, core, 'webhooks.get')).test.url).toBe('http://127.0.0.1:9/test-hooks');
    await test.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByTestId('webhook-state-test').textContent(), { timeout: 10_000 }).toContain('No test URL');
    const saved = await rpc<WebhookSettingsView>(adminUrl, core, 'webhooks.get');
    expect(saved.live.url).toBe(receiver.url);
    expect(saved.test.url).toBeNull();
    await expect.poll(() => page.getByTestId('no-deliveries').textContent(), { timeout: 10_000 }).toContain('No webhook');

    // A paid session: one delivery, one attempt, 200 and the receiver's SUCCESS.
    const paidId = await createSession(core, 'E2E-WH-PAID', '500.00');
    core.sms.ingest({ sender: 'bKash', body: BKASH('500.00', 'BKWHOOK001') }, { source: 'apk', origin: 'phone', isTest: false });
    const submit = await fetch(`${core.status().listeners.public}/api/checkout/${paidId}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ txnid: 'BKWHOOK001' }),
    });
    expect(submit.ok).toBe(true);
    expect(await sessionStatus(core, paidId)).toBe('success');
    const [first] = await receiver.waitFor(1);
    expect(first?.json?.event).toBe('session.success');
    expect((first?.json?.session as { id: string; order_id: string }).order_id).toBe('E2E-WH-PAID');

    const rows = page.getByTestId('delivery-row');
    const paidRow = rows.filter({ hasText: 'E2E-WH-PAID' });
    await expect.poll(() => paidRow.getByTestId('delivery-status').textContent(), { timeout: 10_000 }).toBe('Delivered');
    expect(await rows.count()).toBe(1);
    expect(await paidRow.getByRole('button', { expanded: false }).textContent()).toContain('Paid');
    expect(await paidRow.locator('td.url').textContent()).toContain(receiver.url);
    expect(await paidRow.getByTestId('delivery-attempts').textContent()).toBe('1');
    expect(await paidRow.getByTestId('delivery-last').textContent()).toMatch(/HTTP 200 OK · \d+ ms/);
    await paidRow.getByRole('button', { name: /Paid/ }).click();
    const paidDetails = page.locator(`#delivery-${await paidRow.getAttribute('data-delivery-id')}-attempts`);
    await expect.poll(() => paidDetails.getByTestId('attempt-row').count(), { timeout: 5_000 }).toBe(1);
    const paidAttempt = await paidDetails.getByTestId('attempt-row').textContent();
    expect(paidAttempt).toContain('HTTP 200 OK');
    expect(paidAttempt).toContain('SUCCESS');
    expect(await paidDetails.textContent()).toContain(String(first?.json?.id));

    // A cancelled session whose receiver fails twice: the first 500 now, the second on the
    // 5-second retry; the next retry is then minutes away, so only "Send again" can deliver it.
    receiver.script = [
      { status: 500, body: 'boom' },
      { status: 500, body: 'boom' },
    ];
    const failId = await createSession(core, 'E2E-WH-FAIL', '120.00');
    const cancel = await fetch(`${core.status().listeners.public}/api/payment/sessions/${failId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': core.shop.keys.api_key },
      body: '{}',
    });
    expect(cancel.status).toBe(200);
    await receiver.waitFor(2);
    const failRow = rows.filter({ hasText: 'E2E-WH-FAIL' });
    await expect.poll(() => failRow.getByTestId('delivery-status').textContent(), { timeout: 10_000 }).toContain('Failing, retry at');
    expect(await failRow.getByRole('button', { name: /Cancelled/ }).count()).toBe(1);
    expect(await failRow.getByTestId('delivery-last').textContent()).toContain('HTTP 500');
    // Newest first.
    expect(await rows.first().textContent()).toContain('E2E-WH-FAIL');
    await expect.poll(() => page.getByTestId('backlog-pending').locator('.value').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await page.getByTestId('backlog-oldest').textContent()).not.toContain('nothing waits');
    await failRow.getByRole('button', { name: /Cancelled/ }).click();
    const failDetails = page.locator(`#delivery-${await failRow.getAttribute('data-delivery-id')}-attempts`);
    await expect.poll(() => failDetails.getByTestId('attempt-row').first().textContent(), { timeout: 5_000 }).toContain('HTTP 500');
    expect(await failDetails.getByTestId('attempt-row').first().textContent()).toContain('boom');

    // The retry comes by itself, and the open row follows it (the `webhooks` event).
    await receiver.waitFor(3, 15_000);
    await expect.poll(() => failRow.getByTestId('delivery-attempts').textContent(), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => failDetails.getByTestId('attempt-row').count(), { timeout: 5_000 }).toBe(2);
    expect(await failRow.getByTestId('delivery-status').textContent()).toContain('Failing');

    // Only what did not get through.
    await page.getByLabel('Show').selectOption('failing');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain('E2E-WH-FAIL');

    // Send again: the same event, now acknowledged; it leaves the "not delivered" list.
    expect(receiver.received).toHaveLength(3);
    await failRow.getByRole('button', { name: 'Send again' }).click();
    const afterResend = await receiver.waitFor(4, 10_000);
    expect(afterResend[3]?.json?.id).toBe(afterResend[1]?.json?.id);
    expect(afterResend[3]?.json?.event).toBe('session.cancelled');
    await expect.poll(() => page.getByTestId('no-deliveries').count(), { timeout: 10_000 }).toBe(1);
    await page.getByLabel('Show').selectOption('all');
    await expect.poll(() => failRow.getByTestId('delivery-status').textContent(), { timeout: 10_000 }).toBe('Delivered');
    expect(await failRow.getByTestId('delivery-attempts').textContent()).toBe('3');
    await expect.poll(() => failDetails.getByTestId('attempt-row').count(), { timeout: 5_000 }).toBe(3);
    const attempts = await failDetails.getByTestId('attempt-row').allTextContents();
    expect(attempts[0]).toContain('HTTP 200 OK');
    expect(attempts[0]).toContain('SUCCESS');
    expect(attempts.slice(1).every((a) => a.includes('HTTP 500') && a.includes('boom'))).toBe(true);
    await expect.poll(() => page.getByTestId('backlog-pending').locator('.value').textContent(), { timeout: 10_000 }).toBe('0');
    expect(await page.getByTestId('backlog-oldest').textContent()).toContain('nothing waits');
    expect(receiver.received).toHaveLength(4);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('Webhook URL refused on the Settings screen in Chromium', () => {
  it('says in words why a private address is refused when the core does not allow them', async () => {
    const { dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-webhooks-private-');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await openSettings(page, adminUrl, core);
      expect(await page.getByTestId('webhooks-private').count()).toBe(0);
      const live = page.getByTestId('webhook-endpoint-live');
      await live.getByLabel('Live webhook URL').fill('http://192.168.1.20/hooks');
      await live.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => page.getByTestId('webhook-error-live').textContent(), { timeout: 10_000 })
        .toContain('Not saved: 192.168.1.20 is a loopback or private address');
      expect(await page.getByTestId('webhook-state-live').textContent()).toContain('No live URL');
      expect((await rpc<WebhookSettingsView>(adminUrl, core, 'webhooks.get')).live.url).toBeNull();
      await page.close();
    } finally {
      await browser.close();
      await core.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
