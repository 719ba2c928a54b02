import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readForwarderFile, registerForwarder, signBodyHmac, signCapcom6 } from '../../../src-main/core/devices';
import { writeForwarderFile } from '../../../src-main/core/devices/forwarder-store';
import { addBkash, bkashBody, createSession, raw, startSecCore } from './support';

function readLogs(dir: string): string {
  const logDir = path.join(dir, 'logs');
  return fs
    .readdirSync(logDir)
    .map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'))
    .join('\n');
}

/** Opens the event stream, reads the first event, closes. */
function touchEvents(adminUrl: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${adminUrl}/api/admin/events?token=${encodeURIComponent(token)}`, { agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve(0) : reject(err)));
  });
}

describe('security: secrets never reach the log file', () => {
  it('api keys, device key, staff token (header and SSE ?token=), forwarder secrets: none in logs/ at trace level', async () => {
    const s = await startSecCore({ realLogger: true });
    const k = s.core.shop.keys;
    let dir = s.dir;
    const { retired_secrets: _retired, ...current } = k;
    const secrets: Record<string, string> = { ...current };
    try {
      addBkash(s.core);
      const tok = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'tok', auth: 'token' });
      // New generic forwarders cannot choose hmac (no released app signs its body); one registered before still verifies.
      const hm = registerForwarder(s.core.db, s.dir, { kind: 'generic', label: 'hm', auth: 'timestamp_sign' });
      const fwdFile = readForwarderFile(s.dir);
      const hmEntry = fwdFile.forwarders[hm.device_id];
      if (!hmEntry) throw new Error('no forwarder entry');
      fwdFile.forwarders[hm.device_id] = { ...hmEntry, auth: 'hmac' };
      writeForwarderFile(s.dir, fwdFile);
      const c6 = registerForwarder(s.core.db, s.dir, { kind: 'capcom6', label: 'c6' });
      secrets.fwd_token = tok.secret;
      secrets.fwd_hmac = hm.secret;
      secrets.fwd_capcom6 = c6.secret;
      const staff = { Authorization: `Bearer ${k.admin_token}` };

      // Successful and failing merchant calls.
      const created = await createSession(s, { order_id: 'log-1' });
      const id = String(created.json?.session_id);
      await raw(s.urls.public, `/api/payment/sessions/${id}`, { headers: { 'X-API-Key': k.api_key } });
      await raw(s.urls.public, `/api/payment/sessions/nope`, { headers: { 'X-API-Key': k.api_key } });
      await raw(s.urls.public, '/api/payment/sessions', { body: { amount: 'x' }, headers: { 'X-API-Key': k.api_key } });
      await raw(s.urls.public, '/api/payment/sessions', {
        body: { amount: '1.00', order_id: 'log-test-1' },
        headers: { 'X-API-Key': k.test_api_key },
      });
      await raw(s.urls.public, '/api/payment/sessions', {
        body: { amount: '1.00', order_id: 'log-2' },
        headers: { 'X-API-Key': k.secret_key },
      });
      await raw(s.urls.public, '/api/test/sms', {
        body: { sender: 'bKash', body: bkashBody('BKLOG00001') },
        headers: { 'X-API-Key': k.test_api_key },
      });
      await raw(s.urls.public, '/api/test/sms', { body: { sender: 'bKash', body: 'x' }, headers: { 'X-API-Key': k.api_key } });
      // A forced internal error while a key is in the request (deep metadata).
      const deep = '{"metadata":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + ',"amount":"1.00","order_id":"deep"}';
      await raw(s.urls.public, '/api/payment/sessions', {
        body: deep,
        headers: { 'Content-Type': 'application/json', 'X-API-Key': k.api_key },
      });
      // Keys in the wrong places (query strings, paths) on every listener.
      await raw(s.urls.public, `/api/payment/sessions?api_key=${k.api_key}&order_id=x`, { headers: { 'X-API-Key': k.api_key } });
      await raw(s.urls.public, `/api/admin/events?token=${k.admin_token}`);
      await raw(s.urls.public, `/api/checkout/%E0%A4%A/status?token=${k.admin_token}`);

      // Device API: good and bad auth_key, and a key given to the wrong field.
      await raw(s.urls.device, '/api/device/bind', { body: { auth_key: k.device_auth_key, device_id: 'phone-log' } });
      await raw(s.urls.device, '/api/device/sms', {
        body: {
          auth_key: k.device_auth_key,
          device_id: 'phone-log',
          messages: [{ sender: 'bKash', body: bkashBody('BKLOG00002'), received_at: new Date().toISOString() }],
        },
      });
      await raw(s.urls.device, '/api/device/poll', { body: { auth_key: k.device_auth_key, device_id: 7 } });
      await raw(s.urls.device, '/api/device/poll', { body: { auth_key: `${k.device_auth_key}X`, device_id: 'phone-log' } });
      await raw(s.urls.device, '/api/device/verify', {
        body: { auth_key: k.device_auth_key, device_id: 'phone-log', txnid: k.admin_token.slice(0, 60) },
      });

      // Forwarders: token in header, bearer and query; hmac and capcom6 signed, good and bad.
      const msg = { from: 'bKash', text: bkashBody('BKLOG00003') };
      await raw(s.urls.device, tok.webhook_path, { body: msg, headers: { 'X-CounterPay-Token': tok.secret } });
      await raw(s.urls.device, `${tok.webhook_path}?token=${tok.secret}`, { body: msg });
      await raw(s.urls.device, `${tok.webhook_path}?token=${tok.secret}x`, { body: msg });
      await raw(s.urls.device, tok.webhook_path, { body: msg, headers: { Authorization: `Bearer ${tok.secret}x` } });
      const hBody = JSON.stringify({ from: 'bKash', text: bkashBody('BKLOG00004') });
      await raw(s.urls.device, hm.webhook_path, {
        body: hBody,
        headers: { 'Content-Type': 'application/json', 'X-Signature': signBodyHmac(hm.secret, hBody) },
      });
      await raw(s.urls.device, hm.webhook_path, { body: hBody, headers: { 'Content-Type': 'application/json', 'X-Signature': hm.secret } });
      const ts = Math.floor(Date.now() / 1000);
      await raw(s.urls.device, c6.webhook_path, {
        body: hBody,
        headers: { 'Content-Type': 'application/json', 'X-Signature': signCapcom6(c6.secret, hBody, ts), 'X-Timestamp': String(ts) },
      });

      // Admin: header token, SSE token, wrong token, and rpc calls that return secrets.
      await raw(s.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers: staff });
      await raw(s.urls.admin, '/api/admin/rpc/devices.pairing', { body: {}, headers: staff });
      const reg = await raw(s.urls.admin, '/api/admin/rpc/forwarders.register', {
        body: { kind: 'generic', label: 'via-rpc', auth: 'timestamp_sign' },
        headers: staff,
      });
      secrets.fwd_rpc = String((reg.json?.result as { secret?: string } | undefined)?.secret);
      await raw(s.urls.admin, '/api/admin/rpc/status.get', { body: {}, headers: { Authorization: `Bearer ${k.admin_token}x` } });
      await raw(s.urls.admin, `/api/admin/rpc/nope?token=${k.admin_token}`, { body: {}, headers: staff });
      expect(await touchEvents(s.urls.admin, k.admin_token)).toBe(200);
      await touchEvents(s.urls.admin, `${k.admin_token}x`);
      await raw(s.urls.admin, '/api/merchant/verify', { body: { txnid: 'BKLOG00001' }, headers: staff });
      await raw(s.urls.admin, '/api/admin/rpc/sms.import', {
        body: { sender: 'bKash', body: `key ${k.device_auth_key}`.slice(0, 10) },
        headers: staff,
      });
      // Hostile Host carrying a key-like value.
      await raw(s.urls.admin, '/api/health', { host: `x${k.admin_token}.evil.com` });
    } finally {
      dir = s.dir;
      await s.core.stop();
      await s.logs?.close();
    }
    const text = readLogs(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    // The run produced trace/debug lines at all (otherwise the check proves nothing).
    expect(text).toContain('"level":20');
    expect(text).toContain('session created');
    // The hostile Host line necessarily quotes what the client sent; exclude that one request's echo.
    const withoutHostEcho = text
      .split('\n')
      .filter((line) => !line.includes('.evil.com'))
      .join('\n');
    const leaked = Object.entries(secrets)
      .filter(([, v]) => v && v !== 'undefined' && withoutHostEcho.includes(v))
      .map(([n]) => n);
    expect(leaked, 'secrets found in logs').toEqual([]);
  });
});
