import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { registerForwarder, signTimestampSign } from '../../../src-main/core/devices';
import { silentLogger } from '../../../src-main/core/logging';

const body = (txnid: string) =>
  `You have received Tk 500.00 from 01712345678. Ref 1. Fee Tk 0.00. Balance Tk 1,500.00. TrxID ${txnid} at 12/05/2026 11:25`;

describe('SmsForwarder timestamp signs are spent once, across restarts', () => {
  const dirs: string[] = [];
  let core: Core | undefined;
  afterEach(async () => {
    await core?.stop();
    core = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  const start = async (dir: string) => {
    core = createCore(loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1' }, {}), {
      logger: silentLogger(),
      rendererDir: null,
    });
    return (await core.listen()).device;
  };
  const post = (url: string, payload: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }).then(async (r) => ({
      status: r.status,
      json: (await r.json()) as Record<string, unknown>,
    }));

  it('refuses a sign replayed with other text, before and after the core restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-signs-'));
    dirs.push(dir);
    let device = await start(dir);
    const reg = registerForwarder((core as Core).db, dir, { kind: 'generic', label: 'SmsForwarder', auth: 'timestamp_sign' });
    const ts = Date.now();
    const sign = signTimestampSign(reg.secret, ts);
    const first = await post(`${device}${reg.webhook_path}`, { from: 'bKash', content: body('BKSIGN0001'), timestamp: String(ts), sign });
    expect(first.status).toBe(200);

    const replay = await post(`${device}${reg.webhook_path}`, { from: 'bKash', content: body('BKSIGN0002'), timestamp: String(ts), sign });
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('signature_invalid');

    await (core as Core).stop();
    device = await start(dir);
    const afterRestart = await post(`${device}${reg.webhook_path}`, {
      from: 'bKash',
      content: body('BKSIGN0003'),
      timestamp: String(ts),
      sign,
    });
    expect(afterRestart.status).toBe(401);
    const stored = (core as Core).db.prepare("SELECT txnid FROM sms WHERE txnid LIKE 'BKSIGN%'").all();
    expect(stored).toEqual([{ txnid: 'BKSIGN0001' }]);

    const fresh = Date.now() + 1;
    const next = await post(`${device}${reg.webhook_path}`, {
      from: 'bKash',
      content: body('BKSIGN0004'),
      timestamp: String(fresh),
      sign: signTimestampSign(reg.secret, fresh),
    });
    expect(next.status).toBe(200);
  });
});
