import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src-main/core/config';
import { MAX_SMS_PER_BATCH } from '../../../src-main/core/devices';
import { MAX_SMS_BODY } from '../../../src-main/core/sms';
import { expectErrorShape, httpRequest } from '../../support/http-client';
import { removeTempDirs } from '../../support/temp-dir';
import { bkashCredit, countSms, startDeviceHarness, type DeviceHarness } from './harness';

let h: DeviceHarness;
let key: string;
const DEVICE = 'android-stable-id';
/** 2026-11-29 14:05:09 UTC: in the past, so the ingestor's "not from the future" clamp stays out of it. */
const T = Date.UTC(2026, 10, 29, 14, 5, 9);

beforeEach(async () => {
  h = await startDeviceHarness();
  key = h.shop.keys.device_auth_key;
  const bound = await httpRequest(h.url, '/api/device/bind', { method: 'POST', body: { auth_key: key, device_id: DEVICE } });
  expect(bound.status).toBe(200);
});

afterEach(async () => {
  await h?.close();
  removeTempDirs();
});

interface UploadAnswer {
  accepted: number;
  rejected: number;
  results: { ok: boolean; sms_id?: number }[];
}

async function uploadOne(receivedAt: unknown, txnid: string): Promise<{ smsId: number; receivedAt: number }> {
  const res = await httpRequest(h.url, '/api/device/sms', {
    method: 'POST',
    body: { auth_key: key, device_id: DEVICE, messages: [{ ...bkashCredit(txnid), received_at: receivedAt }] },
  });
  expect(res.status, res.text).toBe(200);
  const answer = res.json as UploadAnswer;
  expect(answer.results[0], res.text).toMatchObject({ ok: true });
  const smsId = answer.results[0]?.sms_id as number;
  const row = h.db.prepare('SELECT received_at FROM sms WHERE id = ?').get(smsId) as { received_at: number };
  return { smsId, receivedAt: row.received_at };
}

/** Bangla SMS text; every character is 3 bytes in UTF-8 and 6 as a \uXXXX escape. */
function banglaText(chars: number, seed: number): string {
  const words = 'আপনার বিকাশ অ্যাকাউন্টে টাকা জমা হয়েছে লেনদেন সফল ধন্যবাদ ';
  let s = `${seed} `;
  while (s.length < chars) s += words;
  return s.slice(0, chars);
}

describe('POST /api/device/sms: received_at is read, never a reason to refuse', () => {
  it('stores epoch milliseconds sent as a string', async () => {
    expect((await uploadOne(String(T), 'BKXRA0001')).receivedAt).toBe(T);
  });

  it('stores a float epoch with the fraction truncated', async () => {
    expect((await uploadOne(T + 0.5, 'BKXRA0002')).receivedAt).toBe(T);
  });

  it('stores epoch seconds as that date, not 1970', async () => {
    expect((await uploadOne(T / 1000, 'BKXRA0003')).receivedAt).toBe(T);
    expect((await uploadOne(String(T / 1000), 'BKXRA0004')).receivedAt).toBe(T);
  });

  it('reads dd/MM/yyyy HH:mm:ss in the local zone', async () => {
    const local = new Date(2026, 10, 29, 14, 5, 9).getTime();
    expect((await uploadOne('29/11/2026 14:05:09', 'BKXRA0005')).receivedAt).toBe(local);
  });

  it('stores a message with a garbage received_at, with its arrival time', async () => {
    const before = Date.now();
    for (const [i, garbage] of ['yesterday', '31/02/2026 10:00', -1, '1999-12-31T23:59:59Z', true].entries()) {
      const stored = await uploadOne(garbage, `BKXRB000${i}`);
      expect(stored.receivedAt, String(garbage)).toBeGreaterThanOrEqual(before);
      expect(stored.receivedAt, String(garbage)).toBeLessThanOrEqual(Date.now());
    }
    expect(countSms(h.db)).toBe(5);
  });
});

describe('POST /api/device/sms: the body limit fits the largest documented batch', () => {
  it('accepts 100 long Bangla SMS in one batch (no 413)', async () => {
    // ~1,600 UTF-8 bytes each: a long concatenated wallet SMS.
    const messages = Array.from({ length: MAX_SMS_PER_BATCH }, (_, i) => ({ sender: 'bKash', body: banglaText(530, i), received_at: T }));
    const body = { auth_key: key, device_id: DEVICE, messages };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(64 * 1024);
    const res = await httpRequest(h.url, '/api/device/sms', { method: 'POST', body });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json).toMatchObject({ accepted: MAX_SMS_PER_BATCH, rejected: 0 });
    expect(countSms(h.db)).toBe(MAX_SMS_PER_BATCH);
  });

  it('accepts the worst case: 100 bodies of MAX_SMS_BODY Bangla characters, \\u-escaped', async () => {
    const messages = Array.from({ length: MAX_SMS_PER_BATCH }, (_, i) => ({
      sender: 'bKash',
      body: banglaText(MAX_SMS_BODY, i),
      received_at: T,
    }));
    const raw = JSON.stringify({ auth_key: key, device_id: DEVICE, messages }).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(configSchema.parse({ dataDir: '/x' }).device.smsJsonLimitBytes);
    const res = await httpRequest(h.url, '/api/device/sms', { method: 'POST', body: raw, headers: { 'Content-Type': 'application/json' } });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json).toMatchObject({ accepted: MAX_SMS_PER_BATCH, rejected: 0 });
  });

  it('other device routes keep the listener limit', async () => {
    const res = await httpRequest(h.url, '/api/device/heartbeat', {
      method: 'POST',
      body: { auth_key: key, device_id: DEVICE, filler: 'x'.repeat(100 * 1024) },
    });
    expectErrorShape(res, 413, 'payload_too_large');
  });
});
