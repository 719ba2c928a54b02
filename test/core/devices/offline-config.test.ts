import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';

describe('device offline silence is configurable', () => {
  let dir: string;
  let core: Core;
  let now = Date.parse('2026-11-21T10:00:00Z');
  let urls: { device: string; admin: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-offline-'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ devices: { offlineAfterSeconds: 30 } }));
    core = createCore(loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1' }, {}), {
      logger: silentLogger(),
      rendererDir: null,
      clock: () => now,
    });
    urls = await core.listen();
  });
  afterAll(async () => {
    await core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const devices = async () => {
    const r = await fetch(`${urls.admin}/api/admin/rpc/devices.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${core.shop.keys.admin_token}` },
      body: '{}',
    });
    return ((await r.json()) as { result: { devices: { device_id: string; online: boolean }[] } }).result.devices;
  };

  it('shows a phone online after a heartbeat and offline after 30 s of silence, not the default 90', async () => {
    const bind = await fetch(`${urls.device}/api/device/bind`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth_key: core.shop.keys.device_auth_key,
        device_id: 'phone-1',
        model: 'CPH1937',
        manufacturer: 'OPPO',
        os_version: '11',
      }),
    });
    expect(bind.status).toBe(200);
    expect(await devices()).toMatchObject([{ device_id: 'phone-1', online: true }]);
    now += 29_000;
    expect((await devices())[0]?.online).toBe(true);
    now += 2_000;
    expect((await devices())[0]?.online).toBe(false);
  });

  it('refuses a silence shorter than a heartbeat interval', () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-offline-bad-'));
    fs.writeFileSync(path.join(bad, 'config.json'), JSON.stringify({ devices: { offlineAfterSeconds: 5 } }));
    expect(() => loadConfig({ dataDir: bad }, {})).toThrow(/devices\.offlineAfterSeconds/);
    fs.rmSync(bad, { recursive: true, force: true });
  });
});
