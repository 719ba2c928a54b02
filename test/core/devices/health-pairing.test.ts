import type os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import {
  bindApkDevice,
  buildPairingPayload,
  DeviceHealthMonitor,
  listDeviceHealth,
  recordSeen,
  registerForwarder,
  requireBoundDevice,
  unbindApkDevice,
  type DevicesChangedEvent,
} from '../../../src-main/core/devices';
import { ensureShop, rotateKeys, type Shop } from '../../../src-main/core/shop';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

const T0 = 1_790_000_000_000;
const dbs: Db[] = [];

function setup(): { db: Db; shop: Shop; dataDir: string } {
  const dataDir = makeTempDir('counterpay-health-');
  const db = openDatabase(dataDir);
  dbs.push(db);
  return { db, shop: ensureShop(db, dataDir), dataDir };
}

afterEach(() => {
  for (const db of dbs.splice(0)) closeDatabase(db);
  removeTempDirs();
});

describe('listDeviceHealth', () => {
  it('reports online until the silence passes the threshold, with model, OS and last SMS time', () => {
    const { db, shop } = setup();
    bindApkDevice(db, shop.merchantId, { device_id: 'p1', model: 'CPH1937', manufacturer: 'OPPO', os_version: '11' }, T0);
    const [fresh] = listDeviceHealth(db, shop.merchantId, T0 + 89_999, 90_000);
    expect(fresh).toMatchObject({
      device_id: 'p1',
      kind: 'apk',
      online: true,
      model: 'CPH1937',
      manufacturer: 'OPPO',
      os_version: '11',
      silent_for_ms: 89_999,
      last_sms_at: null,
    });
    expect(listDeviceHealth(db, shop.merchantId, T0 + 90_000, 90_000)[0]?.online).toBe(false);
    // A custom threshold.
    expect(listDeviceHealth(db, shop.merchantId, T0 + 90_000, 120_000)[0]?.online).toBe(true);
    // Any authenticated call counts as seen.
    recordSeen(db, requireBoundDevice(db, shop.merchantId, 'apk', 'p1'), T0 + 100_000);
    expect(listDeviceHealth(db, shop.merchantId, T0 + 150_000, 90_000)[0]?.online).toBe(true);
  });

  it('lists forwarders (never seen = offline) and leaves unbound devices out', () => {
    const { db, shop, dataDir } = setup();
    registerForwarder(db, dataDir, { kind: 'capcom6', label: 'gw' }, 'test', T0);
    bindApkDevice(db, shop.merchantId, { device_id: 'p1' }, T0);
    unbindApkDevice(db, shop.merchantId, 'p1', T0 + 1);
    const list = listDeviceHealth(db, shop.merchantId, T0 + 10, 90_000);
    expect(list.map((d) => [d.kind, d.label, d.online, d.last_seen_at])).toEqual([['forwarder', 'gw', false, null]]);
  });
});

describe('DeviceHealthMonitor', () => {
  it('emits when a device goes offline and back online, with an injected clock', () => {
    const { db, shop } = setup();
    let now = T0;
    const events: DevicesChangedEvent[] = [];
    const monitor = new DeviceHealthMonitor({
      db,
      merchantId: shop.merchantId,
      offlineAfterMs: 90_000,
      clock: () => now,
      onChange: (e) => events.push(e),
    });
    bindApkDevice(db, shop.merchantId, { device_id: 'p1' }, T0);
    expect(monitor.tick()).toBeNull(); // baseline
    now = T0 + 60_000;
    expect(monitor.tick()).toBeNull();
    now = T0 + 91_000;
    const offline = monitor.tick();
    expect(offline?.changed).toEqual([{ kind: 'apk', device_id: 'p1', online: false }]);
    expect(offline?.devices[0]?.online).toBe(false);
    expect(monitor.tick()).toBeNull(); // no repeat while it stays offline
    recordSeen(db, requireBoundDevice(db, shop.merchantId, 'apk', 'p1'), now);
    expect(monitor.tick()?.changed).toEqual([{ kind: 'apk', device_id: 'p1', online: true }]);
    // A newly bound device and an unbound one are changes too.
    bindApkDevice(db, shop.merchantId, { device_id: 'p2' }, now);
    expect(monitor.tick()?.changed).toEqual([{ kind: 'apk', device_id: 'p2', online: true }]);
    unbindApkDevice(db, shop.merchantId, 'p2', now);
    expect(monitor.tick()?.changed).toEqual([{ kind: 'apk', device_id: 'p2', online: false }]);
    expect(events).toHaveLength(4);
  });

  it('a throwing subscriber does not break the monitor', () => {
    const { db, shop } = setup();
    let now = T0;
    const monitor = new DeviceHealthMonitor({
      db,
      merchantId: shop.merchantId,
      clock: () => now,
      onChange: () => {
        throw new Error('boom');
      },
    });
    bindApkDevice(db, shop.merchantId, { device_id: 'p1' }, T0);
    monitor.tick();
    now = T0 + 200_000;
    expect(monitor.tick()?.changed).toEqual([{ kind: 'apk', device_id: 'p1', online: false }]);
  });
});

describe('buildPairingPayload', () => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [
      {
        address: '192.168.1.20',
        netmask: '255.255.255.0',
        family: 'IPv4',
        mac: 'aa:bb:cc:dd:ee:ff',
        internal: false,
        cidr: '192.168.1.20/24',
      },
      {
        address: 'fe80::1',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: 'aa:bb:cc:dd:ee:ff',
        internal: false,
        cidr: 'fe80::1/64',
        scopeid: 2,
      },
    ],
    wlan0: [
      { address: '10.0.0.5', netmask: '255.255.255.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:00', internal: false, cidr: '10.0.0.5/24' },
    ],
  } as ReturnType<typeof os.networkInterfaces>;

  it('offers every non-internal IPv4 address with the device port and the current device key', () => {
    const { db, shop, dataDir } = setup();
    const payload = buildPairingPayload({ dataDir, devicePort: 8789, networkInterfaces: ifaces });
    expect(payload).toEqual({
      version: 1,
      base_urls: ['http://192.168.1.20:8789', 'http://10.0.0.5:8789'],
      device_auth_key: shop.keys.device_auth_key,
    });
    const rotated = rotateKeys(db, dataDir, ['device_auth_key'], 'test');
    expect(buildPairingPayload({ dataDir, devicePort: 8789, networkInterfaces: ifaces }).device_auth_key).toBe(
      rotated.keys.device_auth_key,
    );
  });

  it('a listener bound to one address offers only that address', () => {
    const { dataDir } = setup();
    expect(buildPairingPayload({ dataDir, devicePort: 9000, deviceHost: '192.168.1.20', networkInterfaces: ifaces }).base_urls).toEqual([
      'http://192.168.1.20:9000',
    ]);
  });
});
