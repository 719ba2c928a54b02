import type { RequestHandler } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/core/errors';
import { rotateKeys } from '../../../src-main/core/shop';
import { expectErrorShape, expectNoStackTrace, httpRequest } from '../../support/http-client';
import { removeTempDirs } from '../../support/temp-dir';
import { bkashCredit, countSms, deliveriesOf, startDeviceHarness, type DeviceHarness } from './harness';

let h: DeviceHarness;
let key: string;
const DEVICE = 'android-stable-id';

beforeEach(async () => {
  h = await startDeviceHarness();
  key = h.shop.keys.device_auth_key;
});

afterEach(async () => {
  await h?.close();
  removeTempDirs();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  httpRequest(h.url, path, { method: 'POST', body, headers });

const bind = (extra: Record<string, unknown> = {}) =>
  post('/api/device/bind', { auth_key: key, device_id: DEVICE, model: 'CPH1937', manufacturer: 'OPPO', os_version: '11', ...extra });

function deviceRow(deviceId = DEVICE) {
  return h.db.prepare("SELECT * FROM devices WHERE kind = 'apk' AND device_id = ?").get(deviceId) as
    | {
        model: string | null;
        manufacturer: string | null;
        os_version: string | null;
        unbound_at: number | null;
        last_seen_at: number | null;
        last_sms_at: number | null;
        bound_at: number;
      }
    | undefined;
}

describe('POST /api/device/bind', () => {
  it('binds a phone and answers {ok, device} with what it stored', async () => {
    const res = await bind();
    expect(res.status).toBe(200);
    const body = res.json as { ok: boolean; device: Record<string, unknown> };
    expect(body.ok).toBe(true);
    expect(body.device).toMatchObject({ device_id: DEVICE, kind: 'apk', model: 'CPH1937', manufacturer: 'OPPO', os_version: '11' });
    expect(typeof body.device.bound_at).toBe('string');
    expect(deviceRow()).toMatchObject({ model: 'CPH1937', manufacturer: 'OPPO', os_version: '11', unbound_at: null });
  });

  it('is idempotent per device_id: a re-bind refreshes the row and clears unbound_at', async () => {
    await bind();
    expect((await post('/api/device/unbind', { auth_key: key, device_id: DEVICE })).status).toBe(200);
    expect(deviceRow()?.unbound_at).not.toBeNull();
    const again = await bind({ model: 'CPH2001', os_version: '13' });
    expect(again.status).toBe(200);
    expect(deviceRow()).toMatchObject({ model: 'CPH2001', manufacturer: 'OPPO', os_version: '13', unbound_at: null });
    expect(h.db.prepare('SELECT count(*) AS n FROM devices').get()).toEqual({ n: 1 });
  });

  it('refuses a missing or wrong auth_key with 401 in the error shape', async () => {
    expectErrorShape(await post('/api/device/bind', { device_id: DEVICE }), 401, 'unauthorized');
    expectErrorShape(await post('/api/device/bind', { auth_key: 'PV-WRONGWRONGWRONGWRONG', device_id: DEVICE }), 401, 'unauthorized');
    // Another of the shop's keys is not a device key.
    expectErrorShape(await post('/api/device/bind', { auth_key: h.shop.keys.api_key, device_id: DEVICE }), 401, 'unauthorized');
    expect(deviceRow()).toBeUndefined();
  });

  it('answers 400 validation_failed naming the bad field', async () => {
    const missing = await post('/api/device/bind', { auth_key: key });
    expectErrorShape(missing, 400, 'validation_failed');
    expect((missing.json as { merchant_message: string }).merchant_message).toMatch(/^device_id: is required/);
    const wrongType = await post('/api/device/bind', { auth_key: key, device_id: DEVICE, model: 42 });
    expectErrorShape(wrongType, 400, 'validation_failed');
    expect((wrongType.json as { merchant_message: string }).merchant_message).toMatch(/^model: must be a string/);
    const spaces = await post('/api/device/bind', { auth_key: key, device_id: 'has spaces' });
    expectErrorShape(spaces, 400, 'validation_failed');
    expectErrorShape(await post('/api/device/bind', [1, 2]), 400, 'validation_failed');
  });

  it('answers malformed JSON with 400 malformed_json, no stack trace', async () => {
    const res = await post('/api/device/bind', '{"auth_key": "PV-', { 'Content-Type': 'application/json' });
    expectErrorShape(res, 400, 'malformed_json');
    expectNoStackTrace(res.text);
  });
});

describe('POST /api/device/unbind', () => {
  it('soft-deletes: the row stays with unbound_at set, and heartbeat then says device_unknown', async () => {
    await bind();
    const res = await post('/api/device/unbind', { auth_key: key, device_id: DEVICE });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
    expect(deviceRow()?.unbound_at).toBeTypeOf('number');
    expectErrorShape(await post('/api/device/heartbeat', { auth_key: key, device_id: DEVICE }), 404, 'device_unknown');
    // Unbinding again is harmless.
    expect((await post('/api/device/unbind', { auth_key: key, device_id: DEVICE })).json).toEqual({ ok: true });
  });

  it('a never-bound device is device_unknown; auth and validation as everywhere', async () => {
    expectErrorShape(await post('/api/device/unbind', { auth_key: key, device_id: 'never-seen' }), 404, 'device_unknown');
    expectErrorShape(await post('/api/device/unbind', { device_id: DEVICE }), 401, 'unauthorized');
    expectErrorShape(await post('/api/device/unbind', { auth_key: key, device_id: '' }), 400, 'validation_failed');
  });
});

describe('POST /api/device/heartbeat', () => {
  it('updates last_seen_at and answers {ok, server_time}', async () => {
    const times = [1_790_000_000_000, 1_790_000_030_000];
    await h.close();
    let now = times[0] as number;
    h = await startDeviceHarness({ clock: () => now });
    key = h.shop.keys.device_auth_key;
    await bind();
    now = times[1] as number;
    const res = await post('/api/device/heartbeat', { auth_key: key, device_id: DEVICE });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, server_time: new Date(times[1] as number).toISOString() });
    expect(deviceRow()?.last_seen_at).toBe(times[1]);
  });

  it('refuses unknown devices (404), bad keys (401) and bad bodies (400)', async () => {
    expectErrorShape(await post('/api/device/heartbeat', { auth_key: key, device_id: 'ghost' }), 404, 'device_unknown');
    expectErrorShape(await post('/api/device/heartbeat', { auth_key: 'nope', device_id: DEVICE }), 401, 'unauthorized');
    expectErrorShape(await post('/api/device/heartbeat', { auth_key: key, device_id: { a: 1 } }), 400, 'validation_failed');
    expectErrorShape(await post('/api/device/heartbeat', '{bad', { 'Content-Type': 'application/json' }), 400, 'malformed_json');
  });
});

describe('POST /api/device/sms', () => {
  beforeEach(async () => {
    await bind();
  });

  const upload = (messages: unknown, auth = key, device = DEVICE) =>
    post('/api/device/sms', { auth_key: auth, device_id: device, messages });

  it('stores each message through the ingestor with source apk and origin = device_id', async () => {
    const res = await upload([bkashCredit('BKX92H1AB'), bkashCredit('BKX92H1AC', '250.00')]);
    expect(res.status).toBe(200);
    const body = res.json as {
      ok: boolean;
      accepted: number;
      new: number;
      results: { ok: boolean; sms_id: number; is_new: boolean; kind: string }[];
    };
    expect(body).toMatchObject({ ok: true, accepted: 2, new: 2, duplicates: 0, rejected: 0 });
    expect(body.results.map((r) => [r.ok, r.is_new, r.kind])).toEqual([
      [true, true, 'credit'],
      [true, true, 'credit'],
    ]);
    expect(countSms(h.db)).toBe(2);
    expect(deliveriesOf(h.db, body.results[0]?.sms_id as number)).toEqual([{ source: 'apk', origin: DEVICE }]);
    expect(deviceRow()?.last_sms_at).toBeTypeOf('number');
  });

  it('a retried batch creates no duplicate rows and answers is_new false', async () => {
    const batch = [bkashCredit('BKX92H1AB'), bkashCredit('BKX92H1AC')];
    const first = (await upload(batch)).json as { results: { sms_id: number }[] };
    expect(countSms(h.db)).toBe(2);
    const retry = await upload(batch);
    expect(retry.status).toBe(200);
    const body = retry.json as { accepted: number; new: number; duplicates: number; results: { sms_id: number; is_new: boolean }[] };
    expect(body).toMatchObject({ accepted: 2, new: 0, duplicates: 2 });
    expect(body.results.map((r) => r.is_new)).toEqual([false, false]);
    expect(body.results.map((r) => r.sms_id)).toEqual(first.results.map((r) => r.sms_id));
    expect(countSms(h.db)).toBe(2);
    expect(h.db.prepare('SELECT count(*) AS n FROM sms_deliveries').get()).toEqual({ n: 2 });
  });

  it('rejects a bad message alone, with its reason, and keeps the others', async () => {
    const res = await upload([
      bkashCredit('BKX92H1AB'),
      { sender: 'bKash', body: '' },
      17,
      { sender: 'x', body: 'hi', received_at: 'yesterday' },
    ]);
    expect(res.status).toBe(200);
    const body = res.json as {
      accepted: number;
      rejected: number;
      results: { index: number; ok: boolean; code?: string; field?: string }[];
    };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(2);
    expect(body.results[1]).toMatchObject({ index: 1, ok: false, code: 'validation_failed', field: 'body' });
    expect(body.results[2]).toMatchObject({ index: 2, ok: false, code: 'validation_failed' });
    // An unreadable received_at is never a reason to lose the SMS: it is stored with its arrival time.
    expect(body.results[3]).toMatchObject({ index: 3, ok: true });
    expect(countSms(h.db)).toBe(2);
  });

  it('validates the envelope: 1..100 messages, an array', async () => {
    const empty = await upload([]);
    expectErrorShape(empty, 400, 'validation_failed');
    expect((empty.json as { merchant_message: string }).merchant_message).toMatch(/^messages:/);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ sender: 'bKash', body: `m${i}` }));
    expectErrorShape(await upload(tooMany), 400, 'validation_failed');
    expectErrorShape(await upload('not an array'), 400, 'validation_failed');
    expectErrorShape(await post('/api/device/sms', { auth_key: key, device_id: DEVICE }), 400, 'validation_failed');
    expect(countSms(h.db)).toBe(0);
  });

  it('an unbound or unknown device gets 404 device_unknown and nothing is stored', async () => {
    expectErrorShape(await upload([bkashCredit('BKX92H1AB')], key, 'other-phone'), 404, 'device_unknown');
    await post('/api/device/unbind', { auth_key: key, device_id: DEVICE });
    expectErrorShape(await upload([bkashCredit('BKX92H1AB')]), 404, 'device_unknown');
    expect(countSms(h.db)).toBe(0);
  });

  it('a missing or wrong key is 401 and stores nothing', async () => {
    expectErrorShape(await post('/api/device/sms', { device_id: DEVICE, messages: [bkashCredit('BKX92H1AB')] }), 401, 'unauthorized');
    expectErrorShape(await upload([bkashCredit('BKX92H1AB')], 'PV-AAAAAAAAAAAAAAAAAAAA'), 401, 'unauthorized');
    expect(countSms(h.db)).toBe(0);
  });

  it('malformed JSON is 400 malformed_json', async () => {
    expectErrorShape(await post('/api/device/sms', '{"messages": [', { 'Content-Type': 'application/json' }), 400, 'malformed_json');
  });
});

describe('key rotation', () => {
  it('locks the old auth_key out at once (401) and the new one works', async () => {
    await bind();
    const old = key;
    const rotated = rotateKeys(h.db, h.dataDir, ['device_auth_key'], 'test');
    expect(rotated.keys.device_auth_key).not.toBe(old);
    expectErrorShape(await post('/api/device/heartbeat', { auth_key: old, device_id: DEVICE }), 401, 'unauthorized');
    expectErrorShape(
      await post('/api/device/sms', { auth_key: old, device_id: DEVICE, messages: [bkashCredit('BKX92H1AB')] }),
      401,
      'unauthorized',
    );
    const fresh = await post('/api/device/heartbeat', { auth_key: rotated.keys.device_auth_key, device_id: DEVICE });
    expect(fresh.status).toBe(200);
    expect(countSms(h.db)).toBe(0);
  });
});

describe('the smsRateLimit slot', () => {
  it('runs before the /sms handler and only there', async () => {
    await h.close();
    const seen: string[] = [];
    const limiter: RequestHandler = (req, _res, next) => {
      seen.push(req.path);
      next(new AppError('rate_limited', 'test limiter'));
    };
    h = await startDeviceHarness({ smsRateLimit: limiter });
    key = h.shop.keys.device_auth_key;
    expect((await bind()).status).toBe(200);
    const res = await post('/api/device/sms', { auth_key: key, device_id: DEVICE, messages: [bkashCredit('BKX92H1AB')] });
    expectErrorShape(res, 429, 'rate_limited');
    expect(seen).toEqual(['/api/device/sms']);
    expect(countSms(h.db)).toBe(0);
  });
});

describe('no fee', () => {
  it('never answers 402, even for a device the seed would call out of balance', async () => {
    const statuses = [
      (await bind()).status,
      (await post('/api/device/heartbeat', { auth_key: key, device_id: DEVICE })).status,
      (await post('/api/device/sms', { auth_key: key, device_id: DEVICE, messages: [bkashCredit('BKX92H1AB')] })).status,
      (await post('/api/device/unbind', { auth_key: key, device_id: DEVICE })).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
