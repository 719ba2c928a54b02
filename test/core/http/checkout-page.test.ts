import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { addGateway } from '../../../src-main/core/shop';
import { escapeHtml } from '../../../src-main/core/http/checkout-page/html';
import { ERROR_TABLE } from '../../../src-shared/contract/errors';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

const NASTY = `<script>alert(1)</script>"'&`;
const REDIRECT = 'https://shop.example/payment/result?x=1';

let core: Core;
let base: string;
let bkashId: number;
let smsCount = 0;

/** A real bKash credit for 500.00; balances chain up so the balance check stays quiet. */
function smsBody(txnid: string): string {
  const balance = 1000 + 500 * ++smsCount;
  return `You have received Tk 500.00 from 01712345678. Ref 123. Fee Tk 0.00. Balance Tk ${balance.toLocaleString('en-US')}.50. TrxID ${txnid} at 12/05/2026 11:25`;
}

function ingest(txnid: string): void {
  core.sms.ingest({ sender: 'bKash', body: smsBody(txnid) }, { source: 'apk', origin: 'counter-phone', isTest: false });
}

async function createSession(body: Record<string, unknown>): Promise<string> {
  const res = await httpRequest(base, '/api/payment/sessions', {
    method: 'POST',
    headers: { 'X-API-Key': core.shop.keys.api_key },
    body: { amount: '500.00', ...body },
  });
  expect(res.status).toBe(201);
  return (res.json as { session_id: string }).session_id;
}

function page(id: string, query = ''): Promise<HttpResult> {
  return httpRequest(base, `/pay/${encodeURIComponent(id)}${query}`);
}

function postForm(path: string, fields: Record<string, string>): Promise<HttpResult> {
  return httpRequest(base, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

beforeAll(async () => {
  core = createCore(loadConfig({ dataDir: makeTempDir(), publicPort: 0, devicePort: 0, adminPort: 0 }, {}), {
    logger: silentLogger(),
    rendererDir: null,
  });
  base = (await core.listen()).public;
  const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' };
  bkashId = addGateway(core.db, ctx, { provider: 'bkash', account: '01711111111', label: `Counter ${NASTY}` }).id;
  addGateway(core.db, ctx, { provider: 'nagad', account: '01822222222, XX6788', variant: 'merchant' });
  addGateway(core.db, ctx, { provider: 'easypaisa', account: '03001234567', label: 'Karachi branch' });
});

afterAll(async () => {
  await core?.stop();
  removeTempDirs();
});

describe('hosted checkout page', () => {
  it('renders the amount, the gateways of the session currency, the form and a strict CSP', async () => {
    const id = await createSession({ amount: 1500.5, order_id: 'ORD-1', redirect_url: REDIRECT, customer_name: 'Rahim Khan' });
    const res = await page(id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self' https://shop.example; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(res.headers['x-frame-options']).toBe('DENY');
    const text = res.text;
    expect(text).toMatch(/<html lang="en">/);
    expect(text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(text).toContain('<link rel="icon" href="data:,">');
    expect(text).toContain('<details id="pay-details" class="pay-details" open>');
    expect(text).toContain('<span class="currency">BDT</span>1,500.50');
    expect(text).toContain('Rahim Khan');
    expect(text).toContain('ORD-1');
    expect(text).toContain('bKash');
    expect(text).toContain('01711111111');
    expect(text).toContain('Nagad');
    expect(text).toContain('XX6788');
    expect(text).toContain('Merchant');
    // A PKR wallet does not belong on a BDT checkout.
    expect(text).not.toContain('EasyPaisa');
    expect(text).not.toContain('03001234567');
    expect(text).toContain(`<form id="pay-form" method="post" action="/api/checkout/${id}/submit">`);
    expect(text).toMatch(/<label[^>]*for="txnid"/);
    expect(text).toMatch(/<input[^>]*id="txnid"[^>]*name="txnid"/);
    expect(text).toContain(`name="gateway_id" id="gateway-${bkashId}" value="${bkashId}"`);
    expect(text).toContain('Verify payment');
    expect(text).toContain(`action="/api/checkout/${id}/cancel"`);
    expect(text).toMatch(/data-copy="01711111111"/);
    // No inline script or style anywhere.
    expect(text).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves its CSS and JS as hashed, cacheable assets, and the JS parses', async () => {
    const id = await createSession({ order_id: 'ORD-ASSETS' });
    const text = (await page(id)).text;
    const css = /href="(\/pay\/assets\/checkout\.[0-9a-f]{12}\.css)"/.exec(text)?.[1];
    const js = /src="(\/pay\/assets\/checkout\.[0-9a-f]{12}\.js)"/.exec(text)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    const cssRes = await httpRequest(base, css as string);
    expect(cssRes.status).toBe(200);
    expect(cssRes.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(cssRes.headers['cache-control']).toContain('immutable');
    const jsRes = await httpRequest(base, js as string);
    expect(jsRes.status).toBe(200);
    expect(jsRes.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(() => new vm.Script(jsRes.text)).not.toThrow();
    expect((await httpRequest(base, '/pay/assets/checkout.000000000000.js')).status).toBe(404);
  });

  it('escapes everything that came from outside', async () => {
    const id = await createSession({ order_id: NASTY, customer_name: NASTY, metadata: { note: NASTY } });
    const res = await page(id, `?error=${encodeURIComponent(NASTY)}`);
    expect(res.status).toBe(200);
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;';
    expect(res.text).toContain(`data-testid="order-id">${escaped}</strong>`);
    expect(res.text).toContain(`data-testid="customer-name">${escaped}</strong>`);
    expect(res.text).toContain(`Counter ${escaped}`);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).not.toContain(`"'&`);
    // An unknown ?error= is not reflected and shows no notice.
    expect(res.text).toMatch(/id="notice"[^>]*hidden><\/div>/);
    expect(escapeHtml('a`b')).toBe('a&#96;b');
  });

  it('completes the payment with a plain form post when the SMS is there (no JavaScript)', async () => {
    const id = await createSession({ order_id: 'ORD-FORM', redirect_url: REDIRECT });
    ingest('BKX92H1ABC');
    const res = await postForm(`/api/checkout/${id}/submit`, { txnid: 'bkx92h1abc', gateway_id: String(bkashId) });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location as string);
    expect(location.origin + location.pathname).toBe('https://shop.example/payment/result');
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('session_id')).toBe(id);
    expect(location.searchParams.get('status')).toBe('success');
    const after = await page(id);
    expect(after.text).toContain('data-final="success"');
    expect(after.text).toContain('Payment received');
    expect(after.text).toContain('Return to the shop');
    expect(after.text).toContain(`href="https://shop.example/payment/result?x=1&amp;session_id=${id}&amp;status=success"`);
    expect(after.text).not.toContain('id="pay-form"');
  });

  it('sends a bad TxnID back to the page, which shows only the customer-safe text', async () => {
    const id = await createSession({ order_id: 'ORD-BAD' });
    const res = await postForm(`/api/checkout/${id}/submit`, { txnid: '12', gateway_id: String(bkashId) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/pay/${id}?error=txnid_invalid`);
    const shown = await page(id, '?error=txnid_invalid');
    expect(shown.text).toContain(ERROR_TABLE.txnid_invalid.error);
    expect(shown.text).not.toContain(ERROR_TABLE.txnid_invalid.merchant);
    expect(shown.text).toMatch(/<div id="notice"[^>]*role="alert"[^>]*>That transaction ID/);
    // An error code the page does not expect (an operator-side one) is not shown.
    const odd = await page(id, '?error=unauthorized');
    expect(odd.text).not.toContain(ERROR_TABLE.unauthorized.error);
  });

  it('waits for the SMS after a TxnID that has not arrived yet, then shows the payment received', async () => {
    const id = await createSession({ order_id: 'ORD-WAIT', redirect_url: REDIRECT });
    const res = await postForm(`/api/checkout/${id}/submit`, { txnid: 'BKW1234567', gateway_id: String(bkashId) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/pay/${id}`);
    const waiting = await page(id);
    expect(waiting.text).toContain('data-state="waiting"');
    expect(waiting.text).toMatch(/<div id="waiting"[^>]*data-testid="waiting">/);
    expect(waiting.text).toContain('Waiting for confirmation');
    expect(waiting.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(waiting.text).toContain('<strong id="waiting-txnid" class="mono">BKW1234567</strong>');
    expect(waiting.text).toContain('<details id="pay-details" class="pay-details collapsible">');
    ingest('BKW1234567');
    const done = await page(id);
    expect(done.text).toContain('data-final="success"');
    expect(done.text).not.toContain('http-equiv="refresh"');
  });

  it('shows a staff rejection and lets the customer try again', async () => {
    const id = await createSession({ order_id: 'ORD-REJECT' });
    await postForm(`/api/checkout/${id}/submit`, { txnid: 'BKR1234567', gateway_id: String(bkashId) });
    const attempt = core.payments.pendingVerifications().find((v) => v.session_id === id);
    core.payments.decide(attempt!.verification_id, { result: 'failed', source: 'manual', actor: 'test', failureReason: 'Wrong TxnID' });
    const res = await page(id);
    expect(res.text).toContain('data-state="form"');
    expect(res.text).toContain(ERROR_TABLE.payment_rejected.error);
    expect(res.text).toContain('id="pay-form"');
  });

  it('cancels through the form, back to the merchant, and shows the final state', async () => {
    const id = await createSession({ order_id: 'ORD-CANCEL', redirect_url: REDIRECT });
    const res = await postForm(`/api/checkout/${id}/cancel`, {});
    expect(res.status).toBe(303);
    expect(new URL(res.headers.location as string).searchParams.get('status')).toBe('cancelled');
    const after = await page(id);
    expect(after.text).toContain('data-final="cancelled"');
    expect(after.text).toContain('Payment cancelled');
    expect(after.text).toContain('Back to the shop');
    expect(after.text).not.toContain('id="pay-form"');

    const local = await createSession({ order_id: 'ORD-CANCEL-2' });
    const back = await postForm(`/api/checkout/${local}/cancel`, {});
    expect(back.headers.location).toBe(`/pay/${local}`);
    const shown = await page(local);
    expect(shown.text).toContain('data-final="cancelled"');
    expect(shown.text).not.toContain('data-testid="return"');
    // The CSP of a session without redirect_url allows posting to itself only.
    expect(shown.headers['content-security-policy']).toContain("form-action 'self'; ");
  });

  it('shows an expired session as final', async () => {
    const id = await createSession({ order_id: 'ORD-EXPIRED' });
    core.db.prepare('UPDATE sessions SET expires_at = created_at + 1 WHERE id = ?').run(id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await page(id);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-final="expired"');
    expect(res.text).toContain(ERROR_TABLE.session_expired.error);
    expect(res.text).not.toContain('id="pay-form"');
  });

  it('offers a PKR session only the PKR wallets', async () => {
    const id = await createSession({ order_id: 'ORD-PKR', currency: 'PKR' });
    const res = await page(id);
    expect(res.text).toContain('<span class="currency">PKR</span>500.00');
    expect(res.text).toContain('EasyPaisa');
    expect(res.text).toContain('Karachi branch');
    expect(res.text).not.toContain('01711111111');
    // The only wallet is chosen already.
    expect(res.text).toMatch(/name="gateway_id" id="gateway-\d+" value="\d+" checked>/);
  });

  it('answers an unknown session with a plain 404 page', async () => {
    const res = await page('NoSuchSession0000000', '?x=<b>');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).toContain(ERROR_TABLE.session_not_found.error);
    expect(res.text).not.toContain('NoSuchSession');
    expect(res.text).not.toContain('<b>');
    expect(res.text).not.toContain('merchant_message');
  });
});
