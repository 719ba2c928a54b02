import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readForwarderFile, registerForwarder, signBodyHmac, signCapcom6, signTimestampSign } from '../../../src-main/core/devices';
import { writeForwarderFile } from '../../../src-main/core/devices/forwarder-store';
import { bkashBody, raw, startSecCore, type SecCore } from './support';

const smsCount = (s: SecCore) => (s.core.db.prepare('SELECT count(*) AS n FROM sms').get() as { n: number }).n;

function capcom6Payload(txnid: string, id = `msg-${txnid}`): string {
  return JSON.stringify({
    deviceId: 'dev1',
    event: 'sms:received',
    id,
    webhookId: 'wh1',
    payload: { messageId: id, message: bkashBody(txnid), phoneNumber: 'bKash', simNumber: 1, receivedAt: '2026-05-12T11:25:30.000+06:00' },
  });
}

describe('security: forwarder webhooks (signatures, replay, forgery)', () => {
  let s: SecCore;
  beforeAll(async () => {
    s = await startSecCore();
  });
  afterAll(async () => s?.stop());
  afterEach(() => vi.restoreAllMocks());

  it("capcom6: a modified body, a moved timestamp, another forwarder's secret and a stale capture are all refused", async () => {
    const a = registerForwarder(s.core.db, s.dir, { kind: 'capcom6', label: 'A' });
    const b = registerForwarder(s.core.db, s.dir, { kind: 'capcom6', label: 'B' });
    const ts = Math.floor(Date.now() / 1000);
    const body = capcom6Payload('BKC6A00001');
    const sig = signCapcom6(a.secret, body, ts);
    const send = (path: string, payload: string, signature: string, timestamp: number | string) =>
      raw(s.urls.device, path, {
        body: payload,
        headers: { 'Content-Type': 'application/json', 'X-Signature': signature, 'X-Timestamp': String(timestamp) },
      });
    const before = smsCount(s);
    expect((await send(a.webhook_path, body, sig, ts)).status).toBe(200);
    expect(smsCount(s)).toBe(before + 1);

    const tampered = body.replace('500.00', '50000.00').replace('BKC6A00001', 'BKC6A00002');
    expect((await send(a.webhook_path, tampered, sig, ts)).json?.code).toBe('signature_invalid');
    expect((await send(a.webhook_path, body, sig, ts + 1)).json?.code).toBe('signature_invalid');
    // A's signature on B's URL, and B's secret on A's URL.
    expect((await send(b.webhook_path, body, sig, ts)).json?.code).toBe('signature_invalid');
    expect((await send(a.webhook_path, tampered, signCapcom6(b.secret, tampered, ts), ts)).json?.code).toBe('signature_invalid');
    // Truncated / empty / wrong-length / case-swapped signatures.
    for (const bad of [
      '',
      sig.slice(0, 32),
      `${sig}00`,
      'sha256=',
      ' '.repeat(64),
      sig.replace(/[0-9a-f]/, (c) => (c === 'a' ? 'b' : 'a')),
    ]) {
      const r = await send(a.webhook_path, body.replace('BKC6A00001', 'BKC6A00003'), bad, ts);
      expect(r.status, JSON.stringify(bad)).toBe(401);
    }
    // A capture older than 5 minutes.
    const old = ts - 6 * 60;
    const oldBody = capcom6Payload('BKC6A00004');
    expect((await send(a.webhook_path, oldBody, signCapcom6(a.secret, oldBody, old), old)).json?.code).toBe('signature_invalid');
    expect(smsCount(s)).toBe(before + 1);
  });

  it('capcom6 and generic hmac: replaying the exact captured bytes stores nothing new', async () => {
    const c = registerForwarder(s.core.db, s.dir, { kind: 'capcom6', label: 'C' });
    // New generic forwarders cannot choose hmac (no released app signs its body); one registered before still verifies.
    const g = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'G', auth: 'timestamp_sign' });
    const file = readForwarderFile(s.dir);
    const entry = file.forwarders[g.device_id];
    if (!entry) throw new Error('no forwarder entry');
    file.forwarders[g.device_id] = { ...entry, auth: 'hmac' };
    writeForwarderFile(s.dir, file);
    const ts = Math.floor(Date.now() / 1000);
    const cBody = capcom6Payload('BKRPL00001');
    const cHeaders = { 'Content-Type': 'application/json', 'X-Signature': signCapcom6(c.secret, cBody, ts), 'X-Timestamp': String(ts) };
    const gBody = JSON.stringify({ from: 'bKash', text: bkashBody('BKRPL00002'), sentStamp: Date.now() });
    const gHeaders = { 'Content-Type': 'application/json', 'X-Signature': signBodyHmac(g.secret, gBody) };
    expect((await raw(s.urls.device, c.webhook_path, { body: cBody, headers: cHeaders })).status).toBe(200);
    expect((await raw(s.urls.device, g.webhook_path, { body: gBody, headers: gHeaders })).status).toBe(200);
    const after = smsCount(s);
    for (let i = 0; i < 3; i += 1) {
      await raw(s.urls.device, c.webhook_path, { body: cBody, headers: cHeaders });
      await raw(s.urls.device, g.webhook_path, { body: gBody, headers: gHeaders });
    }
    expect(smsCount(s)).toBe(after);
    // The generic hmac signature covers the body: a changed body is refused.
    const forged = gBody.replace('BKRPL00002', 'BKRPL00003');
    expect((await raw(s.urls.device, g.webhook_path, { body: forged, headers: gHeaders })).json?.code).toBe('signature_invalid');
  });

  it('signature comparison goes through crypto.timingSafeEqual (no early-exit string compare)', async () => {
    const c = registerForwarder(s.core.db, s.dir, { kind: 'capcom6', label: 'T' });
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    const ts = Math.floor(Date.now() / 1000);
    const body = capcom6Payload('BKTSE00001');
    const wrong = crypto
      .createHmac('sha256', 'not-the-secret')
      .update(body + ts)
      .digest('hex');
    const r = await raw(s.urls.device, c.webhook_path, {
      body,
      headers: { 'Content-Type': 'application/json', 'X-Signature': wrong, 'X-Timestamp': String(ts) },
    });
    expect(r.status).toBe(401);
    expect(spy).toHaveBeenCalled();
  });

  it('generic timestamp_sign: a sniffed timestamp+sign cannot be reused to push a different SMS', async () => {
    // SmsForwarder's DingTalk-style sign covers only the timestamp, not the message. A LAN
    // observer who sees one webhook may reuse its (timestamp, sign) for 5 minutes with any
    // body: a forged "You have received Tk 50,000" from "bKash", then claim it at checkout.
    const f = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'SmsForwarder', auth: 'timestamp_sign' });
    const ts = Date.now() - 2_000;
    const sign = signTimestampSign(f.secret, ts);
    const genuine = { from: 'bKash', content: bkashBody('BKTSS00001', '20.00'), timestamp: String(ts), sign };
    expect((await raw(s.urls.device, f.webhook_path, { body: genuine })).status).toBe(200);
    const before = smsCount(s);
    const forged = { from: 'bKash', content: bkashBody('BKFORGED01', '50,000.00'), timestamp: String(ts), sign };
    const r = await raw(s.urls.device, f.webhook_path, { body: forged });
    expect(r.status, r.text).toBe(401);
    expect(smsCount(s)).toBe(before);
  });

  it('generic timestamp_sign: the reused sign cannot pay a checkout session with a forged credit (impact)', async () => {
    const { addBkash, createSession } = await import('./support');
    addBkash(s.core);
    const created = await createSession(s, { order_id: 'forged-credit-1', amount: '50000.00' });
    expect(created.status).toBe(201);
    const sessionId = String(created.json?.session_id);
    const f = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'SmsForwarder 2', auth: 'timestamp_sign' });
    const ts = Date.now() - 1_000;
    const sign = signTimestampSign(f.secret, ts);
    // The genuine webhook the attacker observed on the shop Wi-Fi (a small real payment).
    await raw(s.urls.device, f.webhook_path, {
      body: { from: 'bKash', content: bkashBody('BKREAL0001', '20.00'), timestamp: String(ts), sign },
    });
    // The forgery: same timestamp and sign, a credit the shop never received. The observed
    // SMS printed the wallet balance (1,500.00), so the forger prints the balance R6 expects.
    const fake = bkashBody('BKFAKE5000', '50,000.00').replace('Balance Tk 1,500.00', 'Balance Tk 51,500.00');
    await raw(s.urls.device, f.webhook_path, { body: { from: 'bKash', content: fake, timestamp: String(ts), sign } });
    const submit = await raw(s.urls.public, `/api/checkout/${sessionId}/submit`, { body: { txnid: 'BKFAKE5000' } });
    expect(submit.json?.status, submit.text).not.toBe('success');
    expect(s.core.payments.session(sessionId)?.view.status).toBe('pending');
  });

  it('token mode: a wrong, array-valued or oversized token is refused; an unbound forwarder is refused', async () => {
    const t = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'tok', auth: 'token' });
    const msg = { from: 'bKash', text: bkashBody('BKTOK00001') };
    for (const headers of [
      { 'X-CounterPay-Token': `${t.secret}x` },
      { 'X-CounterPay-Token': t.secret.slice(0, -1) },
      { 'X-CounterPay-Token': 'A'.repeat(5000) },
      { Authorization: 'Bearer ' },
      { 'X-CounterPay-Token': [t.secret, t.secret] },
    ] as Record<string, string | string[]>[]) {
      const r = await raw(s.urls.device, t.webhook_path, { body: msg, headers });
      expect(r.status, JSON.stringify(headers).slice(0, 60)).toBe(401);
    }
    const arrQuery = await raw(s.urls.device, `${t.webhook_path}?token=${t.secret}&token=${t.secret}`, { body: msg });
    expect(arrQuery.status).toBe(401);
    // Unknown / malformed forwarder ids.
    for (const p of [
      '/api/forwarders/fwd_AAAAAAAAAAAAAAAA/generic',
      '/api/forwarders/__proto__/generic',
      '/api/forwarders/constructor/capcom6',
      '/api/forwarders/..%2f..%2fkeys.json/generic',
    ]) {
      const r = await raw(s.urls.device, p, { body: msg, headers: { 'X-CounterPay-Token': t.secret } });
      expect([401, 404], p).toContain(r.status);
    }
    expect((await raw(s.urls.device, t.webhook_path, { body: msg, headers: { 'X-CounterPay-Token': t.secret } })).status).toBe(200);
  });
});
