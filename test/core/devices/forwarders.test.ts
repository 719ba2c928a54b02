import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  forwarderFilePath,
  readForwarderFile,
  registerForwarder,
  removeForwarder,
  listForwarders,
  signBodyHmac,
  signCapcom6,
  signTimestampSign,
} from '../../../src-main/core/devices';
import { writeForwarderFile } from '../../../src-main/core/devices/forwarder-store';
import { verifyAudit } from '../../../src-main/core/audit';
import { expectErrorShape, httpRequest } from '../../support/http-client';
import { removeTempDirs } from '../../support/temp-dir';
import { bkashCredit, countSms, deliveriesOf, startDeviceHarness, type DeviceHarness, type HarnessOptions } from './harness';

const NOW = 1_790_000_000_000;
let h: DeviceHarness | null = null;

async function start(options: HarnessOptions = {}): Promise<DeviceHarness> {
  h = await startDeviceHarness({ clock: () => NOW, ...options });
  return h;
}

afterEach(async () => {
  await h?.close();
  h = null;
  removeTempDirs();
});

function sendRaw(base: string, path: string, raw: string, headers: Record<string, string> = {}) {
  return httpRequest(base, path, { method: 'POST', body: raw, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } });
}

/** The body SMS Gateway for Android posts for sms:received (docs/features/webhooks.md). */
function capcom6Body(sms: { sender: string; body: string }, event = 'sms:received'): string {
  return JSON.stringify({
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event,
    id: 'Ey6ECgOkVVFjz3CL48B8C',
    payload: { messageId: 'abc123', message: sms.body, phoneNumber: sms.sender, simNumber: 1, receivedAt: '2026-05-12T17:25:30.000+06:00' },
    webhookId: 'wh-1',
  });
}

describe('registerForwarder', () => {
  it('creates a forwarder device with a hashed secret in the DB and the secret in forwarders.json (0600)', async () => {
    const { db, dataDir } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'Counter phone' });
    expect(reg.device_id).toMatch(/^fwd_[A-Za-z0-9]{16}$/);
    expect(reg.secret.length).toBeGreaterThanOrEqual(40);
    expect(reg.webhook_path).toBe(`/api/forwarders/${reg.device_id}/capcom6`);
    const row = db.prepare("SELECT * FROM devices WHERE kind = 'forwarder'").get() as {
      secret_hash: string;
      label: string;
      model: string;
      last_seen_at: number | null;
    };
    expect(row.secret_hash).toBe(crypto.createHash('sha256').update(reg.secret).digest('hex'));
    expect(row).toMatchObject({ label: 'Counter phone', model: 'capcom6', last_seen_at: null });
    expect(readForwarderFile(dataDir).forwarders[reg.device_id]).toMatchObject({ kind: 'capcom6', auth: 'hmac', secret: reg.secret });
    if (process.platform !== 'win32') expect(fs.statSync(forwarderFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // The registration is in the audit chain, and the chain still verifies.
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'forwarder.registered'").get()).toEqual({ n: 1 });
    expect(verifyAudit(db, h?.shop.keys.audit_key as string).ok).toBe(true);
  });

  it('token mode keeps no secret on disk, only its hash in the DB', async () => {
    const { db, dataDir } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'generic', label: 'Old phone', auth: 'token' });
    expect(readForwarderFile(dataDir).forwarders[reg.device_id]?.secret).toBeUndefined();
    expect(fs.readFileSync(forwarderFilePath(dataDir), 'utf8')).not.toContain(reg.secret);
  });

  it('refuses bad input with validation_failed', async () => {
    const { db, dataDir } = await start();
    expect(() => registerForwarder(db, dataDir, { kind: 'nope' as 'generic', label: 'x' })).toThrow(/kind/);
    expect(() => registerForwarder(db, dataDir, { kind: 'generic', label: '' })).toThrow(/label/);
    expect(() => registerForwarder(db, dataDir, { kind: 'capcom6', label: 'x', auth: 'token' })).toThrow(/auth/);
    expect(() => registerForwarder(db, dataDir, { kind: 'generic', label: 'x', fieldMap: { body: 'a..b' } })).toThrow(/fieldMap/);
    expect(db.prepare("SELECT count(*) AS n FROM devices WHERE kind = 'forwarder'").get()).toEqual({ n: 0 });
  });
});

describe('POST /api/forwarders/:id/capcom6 (SMS Gateway for Android)', () => {
  it('accepts a correctly signed sms:received and stores it with source forwarder, origin = device id', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'gw' });
    const raw = capcom6Body(bkashCredit('BKX92H1AB'));
    const ts = Math.floor(NOW / 1000) - 30;
    const res = await sendRaw(url, reg.webhook_path, raw, { 'X-Signature': signCapcom6(reg.secret, raw, ts), 'X-Timestamp': String(ts) });
    expect(res.status).toBe(200);
    const body = res.json as { accepted: number; results: { sms_id: number; is_new: boolean; kind: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.results[0]).toMatchObject({ is_new: true, kind: 'credit' });
    expect(deliveriesOf(db, body.results[0]?.sms_id as number)).toEqual([{ source: 'forwarder', origin: reg.device_id }]);
    const sms = db.prepare('SELECT received_at FROM sms').get() as { received_at: number };
    expect(sms.received_at).toBe(Date.parse('2026-05-12T11:25:30Z'));
    expect(listForwarders(db, dataDir)[0]?.last_sms_at).toBe(new Date(NOW).toISOString());
  });

  it('refuses a forged signature, a missing one, and a stale or future timestamp with 401', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'gw' });
    const raw = capcom6Body(bkashCredit('BKX92H1AB'));
    const ts = Math.floor(NOW / 1000);
    const forged = await sendRaw(url, reg.webhook_path, raw, {
      'X-Signature': signCapcom6('not-the-secret-at-all', raw, ts),
      'X-Timestamp': String(ts),
    });
    expectErrorShape(forged, 401, 'signature_invalid');
    // A valid signature over a different body (tampered SMS text).
    const tampered = capcom6Body(bkashCredit('BKX92H1AB', '50000.00'));
    expectErrorShape(
      await sendRaw(url, reg.webhook_path, tampered, { 'X-Signature': signCapcom6(reg.secret, raw, ts), 'X-Timestamp': String(ts) }),
      401,
      'signature_invalid',
    );
    expectErrorShape(await sendRaw(url, reg.webhook_path, raw), 401, 'signature_invalid');
    const old = ts - 6 * 60;
    const stale = await sendRaw(url, reg.webhook_path, raw, {
      'X-Signature': signCapcom6(reg.secret, raw, old),
      'X-Timestamp': String(old),
    });
    expectErrorShape(stale, 401, 'signature_invalid');
    expect((stale.json as { merchant_message: string }).merchant_message).toMatch(/5 minutes old/);
    const future = ts + 6 * 60;
    expectErrorShape(
      await sendRaw(url, reg.webhook_path, raw, { 'X-Signature': signCapcom6(reg.secret, raw, future), 'X-Timestamp': String(future) }),
      401,
      'signature_invalid',
    );
    expect(countSms(db)).toBe(0);
    expect(listForwarders(db, dataDir)[0]?.last_seen_at).toBeNull();
  });

  it('verifies over the exact bytes when the raw body is captured (Gson escapes "=" and "&")', async () => {
    for (const rawBody of [true, false]) {
      const { db, dataDir, url } = await start({ rawBody });
      const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'gw' });
      const sms = { sender: 'bKash', body: 'Cash In Tk 500.00 from 01712345678 successful. Fee=0 & VAT=0. TrxID BKX92H1ZZ' };
      const gson = capcom6Body(sms).replace(/=/g, '\\u003d').replace(/&/g, '\\u0026');
      const ts = Math.floor(NOW / 1000);
      const res = await sendRaw(url, reg.webhook_path, gson, {
        'X-Signature': signCapcom6(reg.secret, gson, ts),
        'X-Timestamp': String(ts),
      });
      expect(res.status, `rawBody=${rawBody}: ${res.text}`).toBe(200);
      expect((db.prepare('SELECT body FROM sms').get() as { body: string }).body).toBe(sms.body);
      await h?.close();
      h = null;
    }
  });

  it('acknowledges events without an SMS (ping counts as seen), and validates the payload', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'gw' });
    const ts = Math.floor(NOW / 1000);
    const signed = (raw: string) =>
      sendRaw(url, reg.webhook_path, raw, { 'X-Signature': signCapcom6(reg.secret, raw, ts), 'X-Timestamp': String(ts) });
    const ping = await signed(JSON.stringify({ deviceId: 'd', event: 'system:ping', id: 'x', payload: { health: { status: 'pass' } } }));
    expect(ping.json).toEqual({ ok: true, ignored: true, event: 'system:ping' });
    expect(listForwarders(db, dataDir)[0]?.last_seen_at).toBe(new Date(NOW).toISOString());
    const bad = await signed(JSON.stringify({ event: 'sms:received', payload: { message: 'hi' } }));
    expectErrorShape(bad, 400, 'validation_failed');
    expect((bad.json as { merchant_message: string }).merchant_message).toMatch(/^payload\.sender/);
    expect(countSms(db)).toBe(0);
  });

  it('unknown, removed or mismatched forwarders are 404 device_unknown; bad JSON is 400', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'gw' });
    const raw = capcom6Body(bkashCredit('BKX92H1AB'));
    const ts = Math.floor(NOW / 1000);
    const headers = { 'X-Signature': signCapcom6(reg.secret, raw, ts), 'X-Timestamp': String(ts) };
    expectErrorShape(await sendRaw(url, '/api/forwarders/fwd_AAAAAAAAAAAAAAAA/capcom6', raw, headers), 404, 'device_unknown');
    expectErrorShape(await sendRaw(url, `/api/forwarders/${reg.device_id}/generic`, raw, headers), 404, 'device_unknown');
    expectErrorShape(await sendRaw(url, `/api/forwarders/${reg.device_id}/other`, raw, headers), 404, 'not_found');
    expectErrorShape(await sendRaw(url, reg.webhook_path, '{"event":', headers), 400, 'malformed_json');
    expect(removeForwarder(db, dataDir, reg.device_id)).toBe(true);
    expectErrorShape(await sendRaw(url, reg.webhook_path, raw, headers), 404, 'device_unknown');
    expect(readForwarderFile(dataDir).forwarders[reg.device_id]).toBeUndefined();
    expect(db.prepare("SELECT unbound_at IS NOT NULL AS gone, secret_hash FROM devices WHERE kind = 'forwarder'").get()).toEqual({
      gone: 1,
      secret_hash: null,
    });
    expect(countSms(db)).toBe(0);
  });
});

describe('POST /api/forwarders/:id/generic', () => {
  it('hmac mode, registered before it was refused (pretty-printed template): valid signature stored, forged refused', async () => {
    // The template is pretty-printed: only the exact received bytes verify, so this needs the
    // raw-body capture proposed for createListenerApp (without it, it fails closed with 401).
    const { db, dataDir, url } = await start({ rawBody: true });
    // New generic forwarders cannot choose hmac (no released app signs): an older entry still verifies.
    const reg = registerForwarder(db, dataDir, { kind: 'generic', label: 'sms-to-url', auth: 'timestamp_sign' });
    const file = readForwarderFile(dataDir);
    const entry = file.forwarders[reg.device_id];
    if (!entry) throw new Error('no forwarder entry');
    file.forwarders[reg.device_id] = { ...entry, auth: 'hmac' };
    writeForwarderFile(dataDir, file);
    const sms = bkashCredit('BKX92H1AB');
    // The app's default template: {"from","text","sentStamp","receivedStamp","sim"}, stamps in ms.
    const raw = `{\n  "from":"${sms.sender}",\n  "text":"${sms.body}",\n  "sentStamp":1778585100000,\n  "receivedStamp":1778585130000,\n  "sim":"sim1"\n}`;
    const forged = await sendRaw(url, reg.webhook_path, raw, { 'X-Signature': signBodyHmac('wrong-secret-0000000000', raw) });
    expectErrorShape(forged, 401, 'signature_invalid');
    const unsigned = await sendRaw(url, reg.webhook_path, raw);
    expectErrorShape(unsigned, 401, 'signature_invalid');
    // The app cannot sign: the refusal and the forwarder list say how to fix it, or every SMS is lost.
    expect(unsigned.text).toContain('Register it again with auth');
    const listed = listForwarders(db, dataDir).find((f) => f.device_id === reg.device_id);
    expect(listed?.problem).toMatch(/no released forwarder app can sign.*Register it again/);
    expect(countSms(db)).toBe(0);
    const ok = await sendRaw(url, reg.webhook_path, raw, { 'X-Signature': signBodyHmac(reg.secret, raw) });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ accepted: 1, new: 1 });
    const row = db.prepare('SELECT sender, body, received_at FROM sms').get() as { sender: string; body: string; received_at: number };
    expect(row).toEqual({ sender: 'bKash', body: sms.body, received_at: 1778585130000 });
  });

  it('timestamp_sign mode (SmsForwarder): JSON template and default form post; forged and stale refused', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'generic', label: 'smsforwarder', auth: 'timestamp_sign' });
    const ts = NOW - 10_000;
    const sign = signTimestampSign(reg.secret, ts);
    // Recommended custom template: {"from":"[from]","content":"[org_content]","timestamp":"[timestamp]","sign":"[sign]"}
    const json = { from: 'bKash', content: bkashCredit('BKX92H1AB').body, timestamp: String(ts), sign };
    const ok = await httpRequest(url, reg.webhook_path, { method: 'POST', body: json });
    expect(ok.status, ok.text).toBe(200);
    // The app's default: a form post from=&content=&timestamp=&sign= (the sign URL-encoded once more by the form).
    // Each request carries a fresh timestamp: a sign is spent once used (replay guard).
    const ts2 = ts + 1;
    const form = new URLSearchParams({
      from: 'bKash',
      content: bkashCredit('BKX92H1AC').body,
      timestamp: String(ts2),
      sign: signTimestampSign(reg.secret, ts2),
    }).toString();
    const okForm = await httpRequest(url, reg.webhook_path, {
      method: 'POST',
      body: form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(okForm.status, okForm.text).toBe(200);
    expect(countSms(db)).toBe(2);
    const forged = await httpRequest(url, reg.webhook_path, {
      method: 'POST',
      body: { ...json, content: 'x', sign: signTimestampSign('guess-guess-guess-guess', ts) },
    });
    expectErrorShape(forged, 401, 'signature_invalid');
    const oldTs = NOW - 6 * 60_000;
    const stale = await httpRequest(url, reg.webhook_path, {
      method: 'POST',
      body: { ...json, content: 'y', timestamp: String(oldTs), sign: signTimestampSign(reg.secret, oldTs) },
    });
    expectErrorShape(stale, 401, 'signature_invalid');
    expect(countSms(db)).toBe(2);
  });

  it('token mode: header, bearer or query token accepted; a wrong token is 401', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, { kind: 'generic', label: 'plain', auth: 'token' });
    const msg = (id: string) => ({ from: 'bKash', text: bkashCredit(id).body });
    expect(
      (await httpRequest(url, reg.webhook_path, { method: 'POST', body: msg('BKX92H1A1'), headers: { 'X-CounterPay-Token': reg.secret } }))
        .status,
    ).toBe(200);
    expect(
      (
        await httpRequest(url, reg.webhook_path, {
          method: 'POST',
          body: msg('BKX92H1A2'),
          headers: { Authorization: `Bearer ${reg.secret}` },
        })
      ).status,
    ).toBe(200);
    expect(
      (await httpRequest(url, `${reg.webhook_path}?token=${encodeURIComponent(reg.secret)}`, { method: 'POST', body: msg('BKX92H1A3') }))
        .status,
    ).toBe(200);
    expectErrorShape(
      await httpRequest(url, reg.webhook_path, {
        method: 'POST',
        body: msg('BKX92H1A4'),
        headers: { 'X-CounterPay-Token': `${reg.secret}x` },
      }),
      401,
      'unauthorized',
    );
    expectErrorShape(await httpRequest(url, reg.webhook_path, { method: 'POST', body: msg('BKX92H1A5') }), 401, 'unauthorized');
    expect(countSms(db)).toBe(3);
  });

  it('follows a configured field map (dotted paths) and names a missing field', async () => {
    const { db, dataDir, url } = await start();
    const reg = registerForwarder(db, dataDir, {
      kind: 'generic',
      label: 'custom',
      auth: 'token',
      fieldMap: { sender: 'sms.addr', body: 'sms.msg', received_at: 'sms.when' },
    });
    const headers = { 'X-CounterPay-Token': reg.secret };
    const res = await httpRequest(url, reg.webhook_path, {
      method: 'POST',
      headers,
      body: { sms: { addr: 'bKash', msg: bkashCredit('BKX92H1AB').body, when: '2026-05-12 05:25:30' } },
    });
    expect(res.status, res.text).toBe(200);
    // No zone in the value: the phone's local time, here the server process's zone.
    expect(db.prepare('SELECT received_at FROM sms').get()).toEqual({ received_at: new Date(2026, 4, 12, 5, 25, 30).getTime() });
    const missing = await httpRequest(url, reg.webhook_path, { method: 'POST', headers, body: { sms: { addr: 'bKash' } } });
    expectErrorShape(missing, 400, 'validation_failed');
    expect((missing.json as { merchant_message: string }).merchant_message).toMatch(/^sms\.msg:/);
    expectErrorShape(await httpRequest(url, reg.webhook_path, { method: 'POST', headers, body: '[1]' }), 400, 'validation_failed');
  });
});

describe('one SMS, two sources', () => {
  it('the same SMS via the APK and via a forwarder is one sms row with two deliveries', async () => {
    const { db, dataDir, url, shop } = await start();
    const key = shop.keys.device_auth_key;
    expect((await httpRequest(url, '/api/device/bind', { method: 'POST', body: { auth_key: key, device_id: 'phone-1' } })).status).toBe(
      200,
    );
    const sms = bkashCredit('BKX92H1AB');
    const viaApk = await httpRequest(url, '/api/device/sms', {
      method: 'POST',
      body: { auth_key: key, device_id: 'phone-1', messages: [sms] },
    });
    const apkId = (viaApk.json as { results: { sms_id: number }[] }).results[0]?.sms_id as number;
    const reg = registerForwarder(db, dataDir, { kind: 'capcom6', label: 'second phone' });
    const raw = capcom6Body(sms);
    const ts = Math.floor(NOW / 1000);
    const viaFwd = await sendRaw(url, reg.webhook_path, raw, {
      'X-Signature': signCapcom6(reg.secret, raw, ts),
      'X-Timestamp': String(ts),
    });
    const fwd = (viaFwd.json as { results: { sms_id: number; is_new: boolean }[] }).results[0];
    expect(fwd).toMatchObject({ sms_id: apkId, is_new: false });
    expect(countSms(db)).toBe(1);
    expect(deliveriesOf(db, apkId)).toEqual([
      { source: 'apk', origin: 'phone-1' },
      { source: 'forwarder', origin: reg.device_id },
    ]);
  });
});
