import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startCounterCore } from '../support/counter-core';
import type { Core } from '../../src-main/core';
import { addGateway } from '../../src-main/core/shop';

/** Where the browser tests leave their screenshots (test-results/ is ignored by git). */
const ARTIFACTS = path.resolve(process.env.COUNTERPAY_E2E_ARTIFACTS ?? 'test-results/e2e', 'payments');

const BKASH = (amount: string, txnid: string, balance: string) =>
  `You have received Tk ${amount} from 01712345678. Ref 7. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:25`;

/** The TxnIDs of the story below (bKash: 8–12 uppercase letters and digits). */
const T = {
  /** SHOP-7781: the TxnID typed at the checkout before its SMS came (paid by the late match). */
  paid: 'BKPAY7781Q',
  /** SHOP-7782: a short payment staff approved. */
  approved: 'BKAPR7782Q',
  /** SHOP-7783: a payment of 5.00 for 500.00 that staff rejected. */
  rejected: 'BKREJ7783Q',
  /** A counter sale: a claimed credit. */
  counter: 'BKCTR7784Q',
  /** A credit nobody claimed. */
  unclaimed: 'BKUNC7785Q',
  /** A credit nobody claimed, with the letter O; the cashier types a zero instead. */
  near: 'BKO7NEAR42',
  nearTyped: 'BK07NEAR42',
  /** A wallet-looking SMS from an ordinary phone number. */
  spoof: 'BKSPF7786Q',
};
const REJECT_REASON = 'Wrong amount sent';

/** Raw codes a cashier must never read: wallet ids, snake_case codes (result sources, session ids, verdicts). */
const RAW_WORDS = /\b(?:bkash|nagad|rocket|upay|manual|apk|pending|success|failed)\b/;
const SNAKE_CASE = /\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b/;

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** expect.poll for beforeAll (vitest allows it only inside a test): the value once it equals `want`, else throws. */
async function waitFor<V>(read: () => Promise<V>, want: V, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: V = await read();
  while (last !== want && Date.now() < until) {
    await sleep(100);
    last = await read();
  }
  if (last !== want) throw new Error(`${what}: ${String(last)}, expected ${String(want)}`);
}

/** The visible words of a screen part: no raw wallet ids, no snake_case codes. */
async function expectNoRawCodes(locator: Locator, what: string): Promise<void> {
  const text = await locator.innerText();
  expect(text.length, what).toBeGreaterThan(0);
  expect(text, what).not.toMatch(RAW_WORDS);
  expect(text, what).not.toMatch(SNAKE_CASE);
}

/**
 * Issue 14 items 2 (near matches at the counter), 3 (Payments: search, detail with timeline,
 * audit and staff decisions) and 4 (SMS tabs) in Chromium against a real headless core. The
 * data comes in as in a shop: sessions from the merchant API, SMS from the phone over the
 * device API, the customer's TxnID at the checkout, staff decisions and a counter sale over
 * the admin API.
 */
describe('Payments, SMS tabs and near matches in Chromium', () => {
  let dataDir: string;
  let core: Core;
  let adminUrl: string;
  let publicUrl: string;
  let deviceUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const sessions: Record<'paid' | 'approved' | 'rejected', string> = { paid: '', approved: '', rejected: '' };

  async function rpc<R>(name: string, arg: unknown = {}): Promise<R> {
    const res = await fetch(`${adminUrl}/api/admin/rpc/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
      body: JSON.stringify(arg),
    });
    const text = await res.text();
    expect(res.status, `${name}: ${text}`).toBe(200);
    return (JSON.parse(text) as { result: R }).result;
  }

  async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  }

  async function newSession(amount: string, orderId: string): Promise<string> {
    const created = await post(`${publicUrl}/api/payment/sessions`, { amount, order_id: orderId }, { 'x-api-key': core.shop.keys.api_key });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    return (created.json as { session_id: string }).session_id;
  }

  async function submit(sessionId: string, txnid: string): Promise<number> {
    const res = await post(`${publicUrl}/api/checkout/${sessionId}/submit`, { txnid });
    return res.status;
  }

  /** The phone forwards one SMS over the device API. */
  async function phoneSms(sender: string, body: string): Promise<void> {
    await sleep(5);
    const pushed = await post(`${deviceUrl}/api/device/sms`, {
      auth_key: core.shop.keys.device_auth_key,
      device_id: 'shop-phone',
      messages: [{ sender, body, received_at: new Date().toISOString() }],
    });
    expect(pushed.status, JSON.stringify(pushed.json)).toBe(200);
    await sleep(5);
  }

  async function sessionStatus(id: string): Promise<string> {
    const res = await fetch(`${publicUrl}/api/payment/sessions/${id}`, { headers: { 'x-api-key': core.shop.keys.api_key } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { session: { status: string } }).session.status;
  }

  /** Transactions (any kind: online attempt or counter sale) whose TxnID is this one, straight from the database. */
  function transactionsFor(
    txnid: string,
  ): { status: string; result_source: string | null; sms_id: number | null; session_id: string | null }[] {
    return core.db
      .prepare('SELECT status, result_source, sms_id, session_id FROM transactions WHERE txnid_normalized = ? ORDER BY id')
      .all(txnid) as { status: string; result_source: string | null; sms_id: number | null; session_id: string | null }[];
  }

  beforeAll(async () => {
    ({ dataDir, core, adminUrl } = await startCounterCore('counterpay-e2e-payments-'));
    publicUrl = core.status().listeners.public;
    deviceUrl = core.status().listeners.device.replace('://0.0.0.0:', '://127.0.0.1:');
    addGateway(
      core.db,
      { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
      { provider: 'bkash', account: '01711111111' },
    );
    const bind = await post(`${deviceUrl}/api/device/bind`, {
      auth_key: core.shop.keys.device_auth_key,
      device_id: 'shop-phone',
      model: 'CPH1937',
      manufacturer: 'OPPO',
      os_version: '11',
    });
    expect(bind.status, JSON.stringify(bind.json)).toBe(200);

    // SHOP-7781: the customer types the TxnID first (202: waiting), the SMS lands, the core pays it.
    sessions.paid = await newSession('200.00', 'SHOP-7781');
    expect(await submit(sessions.paid, T.paid)).toBe(202);
    await phoneSms('bKash', BKASH('200.00', T.paid, '10,200.00'));
    await waitFor(() => sessionStatus(sessions.paid), 'success', 'SHOP-7781 after its SMS');

    // SHOP-7782 and SHOP-7783: short payments wait for staff; one approved, one rejected.
    sessions.approved = await newSession('500.00', 'SHOP-7782');
    await phoneSms('bKash', BKASH('450.00', T.approved, '10,650.00'));
    expect(await submit(sessions.approved, T.approved)).toBe(202);
    sessions.rejected = await newSession('500.00', 'SHOP-7783');
    await phoneSms('bKash', BKASH('5.00', T.rejected, '10,655.00'));
    expect(await submit(sessions.rejected, T.rejected)).toBe(202);
    const queue = (await rpc<{ verifications: { verification_id: number; session_id: string | null }[] }>('verifications.list'))
      .verifications;
    const approve = queue.find((v) => v.session_id === sessions.approved);
    const reject = queue.find((v) => v.session_id === sessions.rejected);
    expect(approve).toBeDefined();
    expect(reject).toBeDefined();
    await rpc('verifications.decide', { verification_id: approve?.verification_id, result: 'success' });
    await rpc('verifications.decide', { verification_id: reject?.verification_id, result: 'failed', failure_reason: REJECT_REASON });
    expect(await sessionStatus(sessions.approved)).toBe('success');

    // A counter sale claims one credit; two more arrive that nobody claims; then a fake SMS.
    await phoneSms('bKash', BKASH('150.00', T.counter, '10,805.00'));
    await rpc('txnid.accept', { txnid: T.counter, amount: '150.00' });
    await phoneSms('bKash', BKASH('990.00', T.unclaimed, '11,795.00'));
    await phoneSms('bKash', BKASH('275.00', T.near, '12,070.00'));
    await phoneSms('01812345678', BKASH('500.00', T.spoof, '99,999.00'));
    const kinds = core.db
      .prepare('SELECT txnid_normalized AS txnid, kind FROM sms WHERE txnid_normalized IN (?, ?)')
      .all(T.spoof, T.near) as { txnid: string; kind: string }[];
    expect(Object.fromEntries(kinds.map((k) => [k.txnid, k.kind]))).toEqual({ [T.spoof]: 'spoof', [T.near]: 'credit' });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${adminUrl}/#token=${core.shop.keys.admin_token}`);
    await waitFor(() => page.getByTestId('live').textContent(), 'Live', 'the counter');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await core?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const rows = () => page.getByTestId('payment-row');
  const cells = (row: Locator) => row.locator('td').allTextContents();

  async function searchFor(q: string): Promise<void> {
    const box = page.getByLabel('Search payments', { exact: true });
    await box.fill(q);
    await box.press('Enter');
  }

  it('Payments: the list has every session and the counter sale; the search finds one by its TxnID and one by its order id', async () => {
    await page.getByRole('button', { name: 'Payments', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(4);
    // Newest first: the counter sale, then the three orders; the rejection in words.
    const all = await Promise.all([0, 1, 2, 3].map(async (i) => (await cells(rows().nth(i))).slice(1)));
    expect(all).toEqual([
      ['Counter sale', '150.00 BDT', 'bKash', T.counter, 'Paid'],
      ['SHOP-7783', '500.00 BDT', 'bKash', T.rejected, `Rejected: ${REJECT_REASON}`],
      ['SHOP-7782', '500.00 BDT', 'bKash', T.approved, 'Paid'],
      ['SHOP-7781', '200.00 BDT', 'bKash', T.paid, 'Paid'],
    ]);
    await expectNoRawCodes(page.locator('main'), 'Payments list');
    await shot(page, '01-payments-list');

    // By TxnID, typed in lowercase as a cashier might.
    await searchFor(T.paid.toLowerCase());
    await expect.poll(() => rows().count()).toBe(1);
    expect((await cells(rows().first())).slice(1)).toEqual(['SHOP-7781', '200.00 BDT', 'bKash', T.paid, 'Paid']);
    await shot(page, '02-payments-search-txnid');

    // By order id.
    await searchFor('SHOP-7783');
    await expect.poll(() => rows().first().textContent()).toContain('SHOP-7783');
    expect(await rows().count()).toBe(1);
    expect((await cells(rows().first())).slice(1)).toEqual(['SHOP-7783', '500.00 BDT', 'bKash', T.rejected, `Rejected: ${REJECT_REASON}`]);

    // Nothing like it: no row, and the words say so.
    await searchFor('NO-SUCH-ORDER-99');
    await expect.poll(() => rows().count()).toBe(0);
    expect(await page.getByText('No payments match.', { exact: true }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  /** The timeline's events (data-event) and the words of each line. */
  async function timeline(): Promise<{ events: (string | null)[]; words: string[] }> {
    const items = page.getByTestId('payment-timeline').locator('li');
    const n = await items.count();
    const events: (string | null)[] = [];
    for (let i = 0; i < n; i += 1) events.push(await items.nth(i).getAttribute('data-event'));
    return { events, words: await items.locator('strong').allTextContents() };
  }

  async function openOrder(orderId: string): Promise<void> {
    if ((await page.getByTestId('payment-detail').count()) > 0) await page.getByRole('button', { name: 'Back to the list' }).click();
    await searchFor(orderId);
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().getByRole('button', { name: orderId, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: `Order ${orderId}`, exact: true }).count()).toBe(1);
  }

  it('the detail of a paid order: created, TxnID entered, SMS, paid, and no staff action', async () => {
    await openOrder('SHOP-7781');
    expect(await page.getByTestId('payment-status').textContent()).toBe('Paid');
    const { events, words } = await timeline();
    expect(events).toEqual(['created', 'submitted', 'sms', 'paid']);
    expect(words).toEqual(['Order created', 'TxnID entered', 'Wallet SMS arrived', 'Paid automatically']);
    // The wallet SMS itself, in full.
    expect(await page.getByTestId('payment-detail').locator('blockquote').allTextContents()).toEqual([
      BKASH('200.00', T.paid, '10,200.00'),
    ]);
    expect(await page.getByTestId('payment-audit').locator('li').count()).toBe(0);
    expect(await page.getByText('No staff action recorded.', { exact: true }).count()).toBe(1);
    await expectNoRawCodes(page.getByTestId('payment-detail'), 'paid detail');
    await shot(page, '03-detail-paid');
    expect(errors).toEqual([]);
  });

  it('the detail of a rejected order says "Rejected: <reason>", an approved one "Approved by staff", each with its audit entry', async () => {
    await openOrder('SHOP-7783');
    expect(await page.getByTestId('payment-status').textContent()).toBe(`Rejected: ${REJECT_REASON}`);
    let line = await timeline();
    expect(line.events).toEqual(['created', 'sms', 'submitted', 'rejected']);
    expect(line.words.at(-1)).toBe(`Rejected: ${REJECT_REASON}`);
    // The rejection's line names who decided: staff.
    expect(await page.getByTestId('payment-timeline').locator('li[data-event="rejected"]').innerText()).toContain('staff');
    const rejectedAudit = await page.getByTestId('payment-audit').locator('li').allInnerTexts();
    expect(rejectedAudit).toHaveLength(1);
    expect(rejectedAudit[0]).toMatch(/ Rejected · staff$/);
    await expectNoRawCodes(page.getByTestId('payment-detail'), 'rejected detail');
    await shot(page, '04-detail-rejected');

    await openOrder('SHOP-7782');
    expect(await page.getByTestId('payment-status').textContent()).toBe('Paid');
    line = await timeline();
    expect(line.events).toEqual(['created', 'sms', 'submitted', 'approved']);
    expect(line.words.at(-1)).toBe('Approved by staff');
    const approvedAudit = await page.getByTestId('payment-audit').locator('li').allInnerTexts();
    expect(approvedAudit).toHaveLength(1);
    expect(approvedAudit[0]).toMatch(/ Approved · staff$/);
    // The staff's check: the amount that did not match, in words.
    expect(await page.getByRole('heading', { name: 'Needed a check', exact: true }).count()).toBe(1);
    await expectNoRawCodes(page.getByTestId('payment-detail'), 'approved detail');
    await shot(page, '05-detail-approved');
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await expect.poll(() => page.getByTestId('payment-detail').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  const smsRows = () => page.getByTestId('sms-row');
  const smsWith = (txnid: string) => smsRows().filter({ has: page.locator('code', { hasText: txnid }) });

  it('SMS: "Money nobody claimed" lists unclaimed credits and not claimed ones; "Fake SMS" lists the spoof', async () => {
    await page.getByRole('button', { name: 'Wallet SMS', exact: true }).click();
    // All: every SMS, each credit with its claim in words.
    await expect.poll(() => smsRows().count()).toBe(7);
    expect(await smsWith(T.paid).getByTestId('sms-claim').textContent()).toBe('Paid order SHOP-7781');
    expect(await smsWith(T.counter).getByTestId('sms-claim').textContent()).toMatch(/^Counter sale, /);
    expect(await smsWith(T.unclaimed).getByTestId('sms-claim').textContent()).toBe('Not claimed by any sale');
    expect(await smsWith(T.unclaimed).getByTestId('sms-body').textContent()).toBe(BKASH('990.00', T.unclaimed, '11,795.00'));
    await expectNoRawCodes(page.locator('section[aria-label="Wallet SMS"]'), 'SMS list (all)');
    await shot(page, '06-sms-all');

    await page.getByRole('tab', { name: 'Money nobody claimed' }).click();
    expect(await page.getByRole('tab', { name: 'Money nobody claimed' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => smsWith(T.paid).count()).toBe(0);
    // The unclaimed credit, the near-match one, and the 5.00 staff rejected (money came, nothing claimed it).
    await expect.poll(() => smsWith(T.unclaimed).count()).toBe(1);
    const unclaimed = smsRows().locator('code');
    expect((await unclaimed.allTextContents()).sort()).toEqual([T.near, T.rejected, T.unclaimed].sort());
    for (const claimed of [T.paid, T.approved, T.counter]) expect(await smsWith(claimed).count(), claimed).toBe(0);
    expect(await smsRows().evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['credit', 'credit', 'credit']);
    expect(await smsRows().getByTestId('sms-claim').allTextContents()).toEqual([
      'Not claimed by any sale',
      'Not claimed by any sale',
      'Not claimed by any sale',
    ]);
    await expectNoRawCodes(page.locator('section[aria-label="Wallet SMS"]'), 'SMS list (unclaimed)');
    await shot(page, '07-sms-unclaimed');

    await page.getByRole('tab', { name: 'Fake SMS' }).click();
    await expect.poll(() => smsWith(T.unclaimed).count()).toBe(0);
    await expect.poll(() => smsRows().count()).toBe(1);
    expect(await smsRows().first().getAttribute('data-kind')).toBe('spoof');
    expect(await smsWith(T.spoof).count()).toBe(1);
    expect(await smsRows().first().getByTestId('sms-body').textContent()).toBe(BKASH('500.00', T.spoof, '99,999.00'));
    expect(await smsRows().first().innerText()).toContain('01812345678');
    await expectNoRawCodes(page.locator('section[aria-label="Wallet SMS"]'), 'SMS list (spoofs)');
    await shot(page, '08-sms-spoofs');
    expect(errors).toEqual([]);
  });

  it('counter: O/0 confused gives NOT FOUND YET with the near match; choosing it checks it (PAID), and only Accept accepts', async () => {
    await page.getByRole('button', { name: 'Overview', exact: true }).click();
    const box = page.getByLabel('TxnID', { exact: true });
    const verdict = page.getByTestId('txnid-verdict');
    const near = page.getByTestId('near-match');
    expect(transactionsFor(T.near)).toEqual([]);
    expect(transactionsFor(T.nearTyped)).toEqual([]);

    await box.fill(T.nearTyped);
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('not_found');
    expect(await verdict.locator('.verdict-word').textContent()).toBe('NOT FOUND YET');
    await expect.poll(() => near.count()).toBe(1);
    expect(await near.first().getAttribute('data-why')).toBe('similar_txnid');
    expect(await near.first().locator('code').textContent()).toBe(T.near);
    const nearText = await near.first().innerText();
    expect(nearText).toContain('275.00 BDT');
    expect(nearText).toContain('bKash');
    expect(nearText).toContain('from 01712345678');
    expect(nearText).toContain('TxnID almost the same');
    expect(await page.getByTestId('near-matches').innerText()).toContain(
      'Nothing is accepted until you check it and press Accept payment.',
    );
    // Not matched by itself: the box still holds what was typed, and no sale exists.
    expect(await box.inputValue()).toBe(T.nearTyped);
    expect(await page.getByRole('button', { name: /Accept payment/ }).count()).toBe(0);
    expect(transactionsFor(T.near)).toEqual([]);
    expect((await rpc<{ payments: unknown[] }>('payments.search', { q: T.near })).payments).toEqual([]);
    // The whole counter screen (check box, counts, recent orders with how they were paid).
    await expectNoRawCodes(page.locator('main'), 'counter: near matches');
    await shot(page, '09-counter-near-match');

    // Choosing it fills the box with the stored TxnID and checks that one: PAID, not yet accepted.
    await near.first().getByRole('button').click();
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('received');
    expect(await box.inputValue()).toBe(T.near);
    const paid = await verdict.innerText();
    expect(paid).toContain('PAID');
    expect(paid).toContain('275.00 BDT');
    expect(paid).toContain(T.near);
    expect(await near.count()).toBe(0);
    const acceptButton = page.getByRole('button', { name: /Accept payment/ });
    expect(await acceptButton.isVisible()).toBe(true);
    await expectNoRawCodes(page.locator('main'), 'counter: PAID');
    await shot(page, '10-counter-chosen-paid');
    // Give any stray request time to land: still nothing accepted, in the database or the admin API.
    await sleep(500);
    expect(transactionsFor(T.near)).toEqual([]);
    expect((await rpc<{ payments: unknown[] }>('payments.search', { q: T.near })).payments).toEqual([]);
    const credit = core.db.prepare('SELECT id FROM sms WHERE txnid_normalized = ?').get(T.near) as { id: number };

    await acceptButton.click();
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('accepted');
    const accepted = await verdict.innerText();
    expect(accepted).toContain('ACCEPTED');
    expect(accepted).toContain('275.00 BDT');
    expect(accepted).toContain(T.near);
    expect(transactionsFor(T.near)).toEqual([{ status: 'success', result_source: 'counter', sms_id: credit.id, session_id: null }]);
    expect(transactionsFor(T.nearTyped)).toEqual([]);
    const found = (await rpc<{ payments: { kind: string; txnid: string; status: string }[] }>('payments.search', { q: T.near })).payments;
    expect(found.map((p) => [p.kind, p.txnid, p.status])).toEqual([['counter', T.near, 'paid']]);
    await expectNoRawCodes(page.locator('main'), 'counter: accepted');
    await shot(page, '11-counter-accepted');
    expect(errors).toEqual([]);
  });
});
