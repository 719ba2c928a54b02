import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readKeyFile } from '../../../src-main/core/secrets';
import { httpRequest } from '../../support/http-client';
import { startModemCore, stopModemCores } from '../../support/modem-core';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';

/**
 * Issue 11, item 8: "Test both paths". The modem texts the shop phone's number (AT+CMGS, PDU);
 * when the phone's upload brings that SMS back, the result shows the delay. Canary SMS never
 * enter matching.
 */
afterEach(async () => {
  await stopModemCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('test both paths (canary)', () => {
  it('the modem sends a marked SMS to the phone, and its upload by the phone completes the test', async () => {
    const sim = await ModemSimulator.start();
    const { core, dir, urls } = await startModemCore(sim);
    for (let i = 0; i < 100 && core.modems.status()[0]?.state !== 'ready'; i += 1) await new Promise((r) => setTimeout(r, 50));
    const rpc = async (name: string, arg: unknown) => {
      const r = await httpRequest(urls.admin, `/api/admin/rpc/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${readKeyFile(dir)?.admin_token ?? ''}` },
        body: arg,
      });
      return r;
    };
    expect((await rpc('modems.canary', { to: 'not a number' })).status).toBe(400);
    const started = await rpc('modems.canary', { to: '+880 1712-345678' });
    expect(started.status, started.text).toBe(200);
    const { canary } = (started.json as { result: { canary: { nonce: string; to: string } } }).result;
    expect(canary.to).toBe('+8801712345678');
    for (let i = 0; i < 100 && sim.sent().length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    const [sent] = sim.sent();
    expect(sent?.to).toBe('+8801712345678');
    expect(sent?.text).toContain(canary.nonce);

    // The phone receives it and uploads it like any SMS.
    core.sms.ingestBatch([{ sender: '+8801700000099', body: sent?.text ?? '' }], { source: 'apk', origin: 'phone-1', isTest: false });
    const status = await rpc('modems.canaryStatus', {});
    const view = (status.json as { result: { canary: Record<string, unknown> } }).result.canary;
    expect(view).toMatchObject({ nonce: canary.nonce, state: 'arrived', arrived_via: 'apk:phone-1', modem: 'sim' });
    expect(view.delay_ms).toEqual(expect.any(Number));
    // Never matched: no attempt, no alert, and it is not a credit.
    expect(core.db.prepare('SELECT count(*) AS n FROM transactions').get()).toEqual({ n: 0 });
    expect(core.db.prepare('SELECT kind FROM sms WHERE body = ?').get(sent?.text)).toEqual({ kind: 'unknown' });
  });
});
