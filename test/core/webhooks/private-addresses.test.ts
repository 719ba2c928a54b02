import { afterAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl, isNonPublicAddress } from '../../../src-main/core/webhooks';
import { startPayCore, type PayCore } from '../payments/helpers';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';

/**
 * Issue 12: a webhook URL never becomes a way into the shop's network. Without
 * --allow-private-webhooks, loopback, LAN, link-local and other non-public addresses are
 * refused when a URL is set (brand URL, notify_url) and again when delivering, on the address
 * the connection actually uses (a name can resolve elsewhere tomorrow).
 */

const cores: PayCore[] = [];
const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop()));
  await Promise.all(receivers.map((r) => r.close()));
});

describe('which addresses are not public', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::5',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:0101::1',
  ])('%s is refused', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '203.0.114.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it.each([
    'http://localhost:8080/hook',
    'http://printer/hook',
    'http://shop-pc.local/hook',
    'http://router.lan/hook',
    'http://[::1]/hook',
    'http://[::ffff:192.168.0.1]/x',
    'http://2130706433/x',
    'http://0x7f.1/x',
    'http://127.1/x',
  ])('%s is refused without the flag, taken with it', (url) => {
    expect(() => checkWebhookUrl(url, false)).toThrow(/private address/);
    expect(() => checkWebhookUrl(url, true)).not.toThrow();
  });

  it.each([
    'ftp://merchant.example/x',
    'javascript:alert(1)',
    'https://user:pw@merchant.example/x',
    'not a url',
    `https://merchant.example/${'a'.repeat(2048)}`,
  ])('%s is not a webhook URL at all', (url) => {
    expect(() => checkWebhookUrl(url, true)).toThrow(/url:/);
  });
});

describe('refused when set', () => {
  it('webhooks.set answers 400 in the documented shape and stores nothing', async () => {
    const pc = await startPayCore();
    cores.push(pc);
    for (const url of [
      'http://127.0.0.1:8788/api/admin/rpc/status.get',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const res = await pc.rpc('webhooks.set', { url });
      expect(res.status).toBe(400);
      const body = res.json as { code: string; error: string; merchant_message: string };
      expect(body.code).toBe('validation_failed');
      expect(body.merchant_message).toMatch(/private address/);
      expect(typeof body.error).toBe('string');
      expect(body).toMatchObject({ field: 'url' });
    }
    expect(pc.sql('SELECT * FROM webhook_endpoints')).toHaveLength(0);
    // A public name that does not resolve from here (the shop may be offline) is taken; delivery checks it again.
    const ok = await pc.rpc('webhooks.set', { url: 'https://merchant.example/hooks' });
    expect(ok.status, ok.text).toBe(200);
  });

  it('a notify_url on a private address refuses the session (400, field notify_url); no session is created', async () => {
    const pc = await startPayCore();
    cores.push(pc);
    const before = pc.sql<{ n: number }>('SELECT count(*) AS n FROM sessions')[0]?.n;
    for (const body of [
      { amount: '10.00', order_id: 'N1', notify_url: 'http://10.0.0.7/cb' },
      { amount: '10.00', order_id: 'N2', notifyUrl: 'http://localhost:3000/cb' },
    ]) {
      const res = await pc.createSession(body);
      expect(res.status).toBe(400);
      expect((res.json as { code: string }).code).toBe('validation_failed');
    }
    expect(pc.sql<{ n: number }>('SELECT count(*) AS n FROM sessions')[0]?.n).toBe(before);
  });
});

describe('refused again when delivering', () => {
  it('a stored URL that leads to loopback (literal or by name) is never connected to; the attempt says why', async () => {
    const pc = await startPayCore();
    cores.push(pc);
    const rx = await startWebhookReceiver();
    receivers.push(rx);
    const port = new URL(rx.url).port;
    // As if set while the shop allowed it, or as if the name resolved elsewhere when it was set.
    for (const [isTest, url] of [
      [0, `http://127.0.0.1:${port}/hooks`],
      [1, `http://localhost:${port}/hooks`],
    ] as const) {
      pc.core.db
        .prepare('INSERT INTO webhook_endpoints (brand_id, is_test, url, updated_at) VALUES (?, ?, ?, ?)')
        .run(pc.core.shop.brandId, isTest, url, 0);
    }
    const live = await pc.newSession({ amount: '10.00' });
    await pc.cancel(live);
    const test = await pc.newSession({ amount: '10.00' }, { key: pc.keys.test });
    await pc.cancel(test, { key: pc.keys.test });
    await pc.core.webhooks.flush();
    expect(rx.received).toHaveLength(0);
    const list = (await pc.rpc('webhooks.deliveries', {})).json as {
      result: {
        deliveries: { session_id: string; status: string; recent_attempts: { error: string | null; http_status: number | null }[] }[];
      };
    };
    for (const sid of [live, test]) {
      const d = list.result.deliveries.find((x) => x.session_id === sid);
      expect(d?.status).toBe('pending');
      expect(d?.recent_attempts[0]?.http_status).toBeNull();
      expect(d?.recent_attempts[0]?.error).toMatch(/private/);
    }
  });
});
