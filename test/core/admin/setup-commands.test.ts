import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkashCreditBody, body, orderId, startPayCore, type PayCore } from '../payments/helpers';
import { readKeyFile } from '../../../src-main/core/secrets';
import { removeTempDirs } from '../../support/temp-dir';
import { httpRequest, type HttpResult } from '../../support/http-client';
import type { KeysView } from '../../../src-shared/contract/setup';
import { freePort } from '../../support/free-port';

/** The admin RPC's result, with a 200 asserted. */
function result<T = Record<string, unknown>>(r: HttpResult): T {
  expect(r.status, r.text).toBe(200);
  return (r.json as { result: T }).result;
}

/** A refusal in the documented shape, never a 500. */
function refused(r: HttpResult, field?: string): string {
  expect(r.status, r.text).toBe(400);
  const b = body(r);
  expect(b.code).toBe('validation_failed');
  expect(typeof b.error).toBe('string');
  expect(typeof b.merchant_message).toBe('string');
  if (field) expect(b.field).toBe(field);
  return b.merchant_message as string;
}

interface Setup {
  complete: boolean;
  dismissed: boolean;
  steps: Record<'shop_named' | 'wallet' | 'phone_or_modem' | 'public_address' | 'keys_shown', boolean>;
}

/**
 * Issue 14 item 1, the core's side of the first-run setup: the admin commands the setup flow and
 * the Settings sections call, over real HTTP against a fresh shop (no gateway, no name, no tunnel).
 */
describe('the first-run setup commands', () => {
  let pc: PayCore;
  beforeAll(async () => {
    pc = await startPayCore({ gateways: [] });
  });
  afterAll(async () => {
    await pc?.stop();
    removeTempDirs();
  });

  it('setup.status starts with every step to do, and follows the shop as it is set up', async () => {
    const fresh = result<Setup>(await pc.rpc('setup.status'));
    expect(fresh).toEqual({
      complete: false,
      dismissed: false,
      steps: { shop_named: false, wallet: false, phone_or_modem: false, public_address: false, keys_shown: false },
    });
  });

  it('shop.rename names the shop (checked, audit-logged); shop.get reads it back', async () => {
    expect(result(await pc.rpc('shop.get'))).toEqual({ name: 'My shop' });
    refused(await pc.rpc('shop.rename', { name: '   ' }), 'name');
    refused(await pc.rpc('shop.rename', { name: 'x'.repeat(81) }), 'name');
    refused(await pc.rpc('shop.rename', { name: 42 }), 'name');
    refused(await pc.rpc('shop.rename', 'Rahim Store'), 'name');
    expect(result(await pc.rpc('shop.rename', { name: '  Rahim   Telecom ' }))).toEqual({ name: 'Rahim Telecom' });
    expect(result(await pc.rpc('shop.get'))).toEqual({ name: 'Rahim Telecom' });
    expect(result<Setup>(await pc.rpc('setup.status')).steps.shop_named).toBe(true);
    const audit = pc.sql<{ actor: string; details: string }>("SELECT actor, details FROM audit_log WHERE action = 'shop.renamed'");
    expect(audit).toEqual([{ actor: 'staff', details: JSON.stringify({ name: 'Rahim Telecom' }) }]);
  });

  it('gateways.add adds a wallet with its sender IDs in one go; bad input adds nothing; gateways.update edits and disables', async () => {
    refused(await pc.rpc('gateways.add', { provider: 'paypal', account: '01711111111' }), 'provider');
    refused(await pc.rpc('gateways.add', { provider: 'bkash', account: ' ' }), 'account');
    refused(await pc.rpc('gateways.add', { provider: 'bkash', account: '01711111111', variant: 'till' }), 'variant');
    refused(
      await pc.rpc('gateways.add', { provider: 'bkash', account: '01711111111', extra_sender_ids: ['<script>'] }),
      'extra_sender_ids.0',
    );
    refused(await pc.rpc('gateways.add', { provider: 'bkash', account: '01711111111', colour: 'red' }));
    refused(await pc.rpc('gateways.add', []));
    expect(result<{ gateways: unknown[] }>(await pc.rpc('gateways.list')).gateways).toEqual([]);

    const added = result<Record<string, unknown>>(
      await pc.rpc('gateways.add', {
        provider: 'bkash',
        account: '01711111111, 01711111111',
        label: 'Counter bKash',
        extra_sender_ids: ['bKash-BD'],
      }),
    );
    expect(added).toMatchObject({
      provider: 'bkash',
      variant: 'personal',
      account_identifiers: ['01711111111'],
      label: 'Counter bKash',
      enabled: true,
      extra_sender_ids: ['bKash-BD'],
    });
    expect(result<Setup>(await pc.rpc('setup.status')).steps.wallet).toBe(true);

    const id = added.id as number;
    refused(await pc.rpc('gateways.update', { id, enabled: 'no' }), 'enabled');
    expect(body(await pc.rpc('gateways.update', { id: 9999, enabled: false })).code).toBe('not_found');
    const disabled = result(await pc.rpc('gateways.update', { id, enabled: false, label: 'Old bKash' }));
    expect(disabled).toMatchObject({ enabled: false, label: 'Old bKash' });
    expect(result<Setup>(await pc.rpc('setup.status')).steps.wallet).toBe(false);
    result(await pc.rpc('gateways.update', { id, enabled: true, account: '01711111111,01822222222' }));
    expect(result<Setup>(await pc.rpc('setup.status')).steps.wallet).toBe(true);
    expect(pc.sql("SELECT action FROM audit_log WHERE action IN ('gateway.added', 'gateway.updated') ORDER BY seq")).toHaveLength(4);
  });

  it('keys.reveal shows the merchant keys and the device key, never the staff token or the audit key', async () => {
    const { keys } = result<{ keys: KeysView }>(await pc.rpc('keys.reveal'));
    expect(Object.keys(keys).sort()).toEqual(['api_key', 'device_auth_key', 'secret_key', 'test_api_key', 'test_secret_key']);
    expect(keys.api_key).toBe(pc.keys.live);
    expect(keys.test_api_key).toBe(pc.keys.test);
    expect(keys.device_auth_key).toBe(pc.keys.device);
    expect(JSON.stringify(keys)).not.toContain(pc.keys.admin);
    expect(result<Setup>(await pc.rpc('setup.status')).steps.keys_shown).toBe(true);
  });

  it('keys.rotate replaces one key at once: the merchant API refuses the old key and takes the new one', async () => {
    refused(await pc.rpc('keys.rotate', { kind: 'admin_token' }), 'kind');
    refused(await pc.rpc('keys.rotate', { kind: 'audit_key' }), 'kind');
    refused(await pc.rpc('keys.rotate', {}), 'kind');
    const old = pc.keys.live;
    const rotated = result<{ rotated: string; keys: KeysView }>(await pc.rpc('keys.rotate', { kind: 'api_key' }));
    expect(rotated.rotated).toBe('api_key');
    expect(rotated.keys.api_key).toMatch(/^pk_live_[A-Za-z0-9]{32}$/);
    expect(rotated.keys.api_key).not.toBe(old);
    expect(rotated.keys.test_api_key).toBe(pc.keys.test);
    expect((await pc.createSession({ amount: '10.00', order_id: orderId() }, { key: old })).status).toBe(401);
    expect((await pc.createSession({ amount: '10.00', order_id: orderId() }, { key: rotated.keys.api_key })).status).toBe(201);
    // keys.json and the running core's own copy follow; the rotation is in the audit chain.
    expect(readKeyFile(pc.dir)?.api_key).toBe(rotated.keys.api_key);
    expect(pc.core.shop.keys.api_key).toBe(rotated.keys.api_key);
    const audit = pc.sql<{ actor: string; details: string }>("SELECT actor, details FROM audit_log WHERE action = 'keys.rotated'");
    expect(audit).toEqual([{ actor: 'staff', details: JSON.stringify({ kinds: ['api_key'] }) }]);
    // The staff token still works: it was not touched.
    expect(result<{ keys: KeysView }>(await pc.rpc('keys.reveal')).keys.api_key).toBe(rotated.keys.api_key);
    pc.keys.live = rotated.keys.api_key;
  });

  it('tunnel.set stores the public address that checkout links use at once; bad addresses are refused in words', async () => {
    const before = result(await pc.rpc('tunnel.get'));
    expect(before).toEqual({ url: null, source: null, editable: true, local_url: pc.urls.public });
    expect(refused(await pc.rpc('tunnel.set', { url: 'ftp://pay.myshop.test' }), 'url')).toMatch(/https:\/\//);
    refused(await pc.rpc('tunnel.set', { url: 'pay.myshop.test' }), 'url');
    refused(await pc.rpc('tunnel.set', { url: 'https://pay.myshop.test/?a=1' }), 'url');
    refused(await pc.rpc('tunnel.set', { url: 'https://user:pw@pay.myshop.test' }), 'url');
    refused(await pc.rpc('tunnel.set', { url: 12 }), 'url');

    const set = result(await pc.rpc('tunnel.set', { url: ' https://pay.myshop.test/ ' }));
    expect(set).toEqual({ url: 'https://pay.myshop.test', source: 'counter', editable: true, local_url: pc.urls.public });
    expect(result<Setup>(await pc.rpc('setup.status')).steps.public_address).toBe(true);
    const created = await pc.createSession({ amount: '20.00', order_id: orderId() });
    expect(created.status, created.text).toBe(201);
    expect(body(created).checkout_url).toMatch(/^https:\/\/pay\.myshop\.test\/pay\/[A-Za-z0-9]+$/);

    // The tunnel passes its public name as Host: the public listener answers it (and only that listener).
    const viaTunnel = () => httpRequest(pc.urls.public, '/api/health', { headers: { Host: 'pay.myshop.test' } });
    expect((await viaTunnel()).status).toBe(200);
    expect((await httpRequest(pc.urls.public, '/api/health', { headers: { Host: 'evil.example' } })).status).toBe(403);
    expect((await httpRequest(pc.urls.admin, '/api/health', { headers: { Host: 'pay.myshop.test' } })).status).toBe(403);

    expect(result(await pc.rpc('tunnel.set', { url: null }))).toMatchObject({ url: null, source: null });
    expect((await viaTunnel()).status).toBe(403);
    const after = await pc.createSession({ amount: '21.00', order_id: orderId() });
    expect(body(after).checkout_url).toMatch(new RegExp(`^${pc.urls.public}/pay/`));
    expect(pc.sql("SELECT action FROM audit_log WHERE action = 'tunnel.set'")).toHaveLength(2);
  });

  it('tunnel.check says reachable for this core, unreachable for a closed port, and names another server', async () => {
    expect(refused(await pc.rpc('tunnel.check', {}), 'url')).toMatch(/no public address/);
    refused(await pc.rpc('tunnel.check', { url: 'javascript:alert(1)' }), 'url');

    const own = result<Record<string, unknown>>(await pc.rpc('tunnel.check', { url: pc.urls.public }));
    expect(own).toMatchObject({ url: pc.urls.public, result: 'reachable', http_status: 200 });
    expect(own.message).toMatch(/^Reachable/);

    const port = await freePort();
    const closed = result<Record<string, unknown>>(await pc.rpc('tunnel.check', { url: `http://127.0.0.1:${port}` }));
    expect(closed).toMatchObject({ result: 'unreachable', http_status: null });
    expect(closed.message).toMatch(/connection refused/);

    const admin = result<Record<string, unknown>>(await pc.rpc('tunnel.check', { url: pc.urls.admin }));
    expect(admin).toMatchObject({ result: 'another_server' });
    expect(admin.message).toMatch(/admin port/);

    // Another CounterPay's public port: it answers, but not to this core's probe.
    const other = await startPayCore({ gateways: [] });
    try {
      const elsewhere = result<Record<string, unknown>>(await pc.rpc('tunnel.check', { url: other.urls.public }));
      expect(elsewhere).toMatchObject({ result: 'another_server' });
      expect(elsewhere.message).toMatch(/another CounterPay/);
    } finally {
      await other.stop();
    }

    // With no url, the stored address is checked; the probe is good once only.
    result(await pc.rpc('tunnel.set', { url: pc.urls.public }));
    expect(result(await pc.rpc('tunnel.check', {}))).toMatchObject({ result: 'reachable' });
    const health = await fetch(`${pc.urls.public}/api/health?probe=0123456789abcdef`);
    expect(await health.json()).toMatchObject({ ok: true, listener: 'public', probe: false });
  });

  it('setup.status is complete once a phone is seen; setup.dismiss records a skip and can be undone', async () => {
    expect(result<Setup>(await pc.rpc('setup.status')).steps.phone_or_modem).toBe(false);
    const pushed = await pc.apkSms('bKash', bkashCreditBody({ txnid: 'BSETUP0001', amountMinor: 5_000, balanceMinor: 105_000 }));
    expect(pushed.status, pushed.text).toBe(200);
    expect(result<Setup>(await pc.rpc('setup.status'))).toMatchObject({ complete: true, dismissed: false });

    refused(await pc.rpc('setup.dismiss', {}), 'dismissed');
    refused(await pc.rpc('setup.dismiss', { dismissed: 'yes' }), 'dismissed');
    expect(result<Setup>(await pc.rpc('setup.dismiss', { dismissed: true })).dismissed).toBe(true);
    expect(result<Setup>(await pc.rpc('setup.status')).dismissed).toBe(true);
    expect(result<Setup>(await pc.rpc('setup.dismiss', { dismissed: false })).dismissed).toBe(false);
  });

  it('refuses every new command without the staff token', async () => {
    for (const name of ['shop.get', 'keys.reveal', 'keys.rotate', 'tunnel.get', 'tunnel.set', 'tunnel.check', 'setup.status']) {
      expect((await pc.rpc(name, {}, 'cpa_wrong')).status).toBe(401);
    }
  });
});

describe('a public address set by --public-url or config.json', () => {
  let pc: PayCore;
  beforeAll(async () => {
    pc = await startPayCore({ gateways: [], config: { sessions: { publicBaseUrl: 'https://config.myshop.test/' } } });
  });
  afterAll(async () => {
    await pc?.stop();
    removeTempDirs();
  });

  it('wins: the counter shows it read-only and cannot replace it', async () => {
    expect(result(await pc.rpc('tunnel.get'))).toEqual({
      url: 'https://config.myshop.test',
      source: 'config',
      editable: false,
      local_url: pc.urls.public,
    });
    expect(refused(await pc.rpc('tunnel.set', { url: 'https://counter.myshop.test' }), 'url')).toMatch(/--public-url or config\.json/);
    expect(refused(await pc.rpc('tunnel.set', { url: null }), 'url')).toMatch(/change it there/);
    const created = await pc.createSession({ amount: '30.00', order_id: orderId() });
    expect(body(created).checkout_url).toMatch(/^https:\/\/config\.myshop\.test\/pay\//);
    expect(result<Setup>(await pc.rpc('setup.status')).steps.public_address).toBe(true);
    expect(fs.existsSync(path.join(pc.dir, 'config.json'))).toBe(true);
  });
});
