import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { readForwarderFile, registerForwarder, signCapcom6, signTimestampSign } from '../../../src-main/core/devices';
import { createListenerApp } from '../../../src-main/core/http/create-listener-app';
import { deviceRoutes } from '../../../src-main/core/http/device-routes';
import { listen, type RunningListener } from '../../../src-main/core/http/listener-server';
import { silentLogger } from '../../../src-main/core/logging';
import { ensureShop } from '../../../src-main/core/shop';
import { SmsIngestor } from '../../../src-main/core/sms';
import { httpRequest } from '../../support/http-client';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';
import { bkashCredit } from './harness';

/** 2026-11-29 14:05:09 UTC = 20:05:09 on a phone in Dhaka (+06:00). In the past, so never clamped. */
const T = Date.UTC(2026, 10, 29, 14, 5, 9);

interface Server {
  db: Db;
  dataDir: string;
  url: string;
  close(): Promise<void>;
}

const open: Server[] = [];
const originalTz = process.env.TZ;

afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
  removeTempDirs();
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

/** The device listener as createCore builds it, with the optional shop offset passed to the routes. */
async function startServer(utcOffsetMinutes?: number): Promise<Server> {
  const dataDir = makeTempDir('counterpay-fwd-formats-');
  const db = openDatabase(dataDir);
  const shop = ensureShop(db, dataDir);
  const sms = new SmsIngestor(db, shop.merchantId, silentLogger());
  const app = createListenerApp({
    name: 'device',
    allowedHosts: [],
    jsonLimitBytes: 64 * 1024,
    logger: silentLogger(),
    version: 'test',
    isDraining: () => false,
    routes: deviceRoutes({ db, dataDir, sms, utcOffsetMinutes }),
  });
  const listener: RunningListener = await listen(app, '127.0.0.1', 0);
  const server = {
    db,
    dataDir,
    url: listener.url,
    async close() {
      await listener.close(1_000);
      closeDatabase(db);
    },
  };
  open.push(server);
  return server;
}

function storedSms(db: Db): { sender: string; body: string; received_at: number }[] {
  return db.prepare('SELECT sender, body, received_at FROM sms ORDER BY id').all() as {
    sender: string;
    body: string;
    received_at: number;
  }[];
}

function postCapcom6(s: Server, path: string, secret: string, payload: Record<string, unknown>) {
  const raw = JSON.stringify({
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event: 'sms:received',
    id: 'Ey6ECgOkVVFjz3CL48B8C',
    payload,
    webhookId: 'wh-1',
  });
  const ts = Math.floor(Date.now() / 1000);
  return httpRequest(s.url, path, {
    method: 'POST',
    body: raw,
    headers: { 'Content-Type': 'application/json', 'X-Signature': signCapcom6(secret, raw, ts), 'X-Timestamp': String(ts) },
  });
}

describe('SMS Gateway for Android (capcom6/android-sms-gateway, SmsEventPayload.SmsReceived)', () => {
  it('accepts a payload with only `sender` (phoneNumber is deprecated)', async () => {
    const s = await startServer();
    const reg = registerForwarder(s.db, s.dataDir, { kind: 'capcom6', label: 'gw' });
    const sms = bkashCredit('BKXFF0001');
    const res = await postCapcom6(s, reg.webhook_path, reg.secret, {
      messageId: 'a1b2c3',
      message: sms.body,
      sender: sms.sender,
      recipient: '+8801700000000',
      simNumber: 1,
      receivedAt: '2026-11-29T20:05:09.000+06:00',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ accepted: 1, new: 1 });
    expect(storedSms(s.db)).toEqual([{ sender: 'bKash', body: sms.body, received_at: T }]);
  });

  it('prefers `sender` over `phoneNumber`, and falls back to phoneNumber for older app versions', async () => {
    const s = await startServer();
    const reg = registerForwarder(s.db, s.dataDir, { kind: 'capcom6', label: 'gw' });
    const a = bkashCredit('BKXFF0002');
    const b = bkashCredit('BKXFF0003');
    expect(
      (
        await postCapcom6(s, reg.webhook_path, reg.secret, {
          message: a.body,
          sender: 'bKash',
          phoneNumber: 'stale',
          receivedAt: '2026-11-29T14:05:09.000Z',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await postCapcom6(s, reg.webhook_path, reg.secret, {
          message: b.body,
          phoneNumber: 'bKash',
          receivedAt: '2026-11-29T14:05:09.000Z',
        })
      ).status,
    ).toBe(200);
    expect(storedSms(s.db).map((r) => r.sender)).toEqual(['bKash', 'bKash']);
  });

  it('an odd receivedAt or simNumber does not lose the SMS', async () => {
    const s = await startServer();
    const reg = registerForwarder(s.db, s.dataDir, { kind: 'capcom6', label: 'gw' });
    const res = await postCapcom6(s, reg.webhook_path, reg.secret, {
      message: bkashCredit('BKXFF0004').body,
      sender: 'bKash',
      simNumber: '1',
      receivedAt: T,
    });
    expect(res.status, res.text).toBe(200);
    expect(storedSms(s.db)[0]?.received_at).toBe(T);
  });
});

describe('SmsForwarder (pppscn/SmsForwarder): [receive_time] is the phone local time without a zone', () => {
  async function postSmsForwarder(s: Server, receiveTime: string) {
    const reg = registerForwarder(s.db, s.dataDir, { kind: 'generic', label: 'smsforwarder', auth: 'timestamp_sign' });
    const ts = Date.now();
    // {"from":"[from]","content":"[org_content]","receive_time":"[receive_time]","timestamp":"[timestamp]","sign":"[sign]"}
    const body = {
      from: 'bKash',
      content: bkashCredit('BKXFF0010').body,
      receive_time: receiveTime,
      timestamp: String(ts),
      sign: signTimestampSign(reg.secret, ts),
    };
    return httpRequest(s.url, reg.webhook_path, { method: 'POST', body });
  }

  it('is read in the configured shop offset', async () => {
    const s = await startServer(360);
    const res = await postSmsForwarder(s, '2026-11-29 20:05:09');
    expect(res.status, res.text).toBe(200);
    expect(storedSms(s.db)[0]?.received_at).toBe(T);
  });

  it('without a configured offset, is read in the server process local zone', async () => {
    process.env.TZ = 'Asia/Dhaka';
    const s = await startServer();
    const res = await postSmsForwarder(s, '2026-11-29 20:05:09');
    expect(res.status, res.text).toBe(200);
    expect(storedSms(s.db)[0]?.received_at).toBe(T);
  });
});

describe('SMS to URL Forwarder (bogkonstantin/android_income_sms_gateway_webhook) cannot sign', () => {
  it('a generic forwarder is registered in token mode by default', async () => {
    const s = await startServer();
    const reg = registerForwarder(s.db, s.dataDir, { kind: 'generic', label: 'sms-to-url' });
    expect(reg.auth).toBe('token');
    expect(readForwarderFile(s.dataDir).forwarders[reg.device_id]).toMatchObject({ auth: 'token' });
    expect(readForwarderFile(s.dataDir).forwarders[reg.device_id]?.secret).toBeUndefined();
    // The app's default template, a custom header for the token.
    const sms = bkashCredit('BKXFF0020');
    const raw = `{\n  "from":"${sms.sender}",\n  "text":"${sms.body}",\n  "sentStamp":${T - 1000},\n  "receivedStamp":${T},\n  "sim":"sim1"\n}`;
    const res = await httpRequest(s.url, reg.webhook_path, {
      method: 'POST',
      body: raw,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-CounterPay-Token': reg.secret },
    });
    expect(res.status, res.text).toBe(200);
    expect(storedSms(s.db)).toEqual([{ sender: 'bKash', body: sms.body, received_at: T }]);
  });

  it('a generic forwarder in hmac mode is refused at registration, naming the modes that work', async () => {
    const s = await startServer();
    expect(() => registerForwarder(s.db, s.dataDir, { kind: 'generic', label: 'sms-to-url', auth: 'hmac' })).toThrow(
      /auth:.*token.*timestamp_sign/s,
    );
    expect(readForwarderFile(s.dataDir).forwarders).toEqual({});
    expect(s.db.prepare("SELECT count(*) AS n FROM devices WHERE kind = 'forwarder'").get()).toEqual({ n: 0 });
  });
});
