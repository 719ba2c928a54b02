import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, killAllChildren, startServer } from '../support/child-process';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import { closeDatabase, openDatabase } from '../../src-main/core/db';
import { ensureShop } from '../../src-main/core/shop';

const credit = (n: number) =>
  `You have received Tk 100.00 from 01712345678. Ref ${n}. Fee Tk 0.00. Balance Tk ${1000 + n * 100}.00. TrxID BK${String(n).padStart(8, '0')} at 12/05/2026 11:25`;

async function post(url: string, body: unknown): Promise<number> {
  try {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0; // the process died under the request: not acknowledged
  }
}

/**
 * "kill -9 at any moment loses no acknowledged SMS, session or decision" (PRODUCT.md): the
 * server is killed without warning while a phone and a merchant keep posting; every request
 * that was answered 2xx must be in the database after a restart.
 */
describe('kill -9 in the middle of traffic', () => {
  // Answered means committed: a 2xx is only sent after the IMMEDIATE transaction returned.
  afterEach(async () => {
    await killAllChildren();
    removeTempDirs();
  });

  it('keeps every acknowledged SMS, session and decision', async () => {
    const dir = makeTempDir();
    const env = cleanEnv(dir);
    const args = [
      'serve',
      '--data-dir',
      dir,
      '--public-port',
      '0',
      '--device-port',
      '0',
      '--admin-port',
      '0',
      '--device-host',
      '127.0.0.1',
    ];
    // Keys exist before the server starts, so the test can read them from the database's keyring.
    const db0 = openDatabase(dir);
    const keys = ensureShop(db0, dir).keys;
    closeDatabase(db0);
    const server = await startServer(args, env);
    const device = server.urls.device;
    expect(await post(`${device}/api/device/bind`, { auth_key: keys.device_auth_key, device_id: 'p1' })).toBe(200);

    const ackedSms: string[] = [];
    const ackedOrders: string[] = [];
    const phone = (async () => {
      for (let n = 1; ; n += 1) {
        const txnid = `BK${String(n).padStart(8, '0')}`;
        const status = await post(`${device}/api/device/sms`, {
          auth_key: keys.device_auth_key,
          device_id: 'p1',
          messages: [{ sender: 'bKash', body: credit(n) }],
        });
        if (status === 200) ackedSms.push(txnid);
        if (status === 0) break;
      }
    })();
    const merchant = (async () => {
      for (let i = 0; ; i += 1) {
        const order = `KILL-${i}`;
        const status = await fetch(`${server.urls.public}/api/payment/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': keys.api_key },
          body: JSON.stringify({ amount: '100.00', order_id: order }),
        })
          .then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          })
          .catch(() => 0);
        if (status === 201) ackedOrders.push(order);
        if (status === 0) break;
      }
    })();
    // Let real traffic build up, then pull the plug.
    while (ackedSms.length < 40 || ackedOrders.length < 20) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGKILL');
    await Promise.all([phone, merchant]);

    const db = openDatabase(dir);
    try {
      const storedTxnids = new Set((db.prepare('SELECT txnid FROM sms').all() as { txnid: string }[]).map((r) => r.txnid));
      const storedOrders = new Set((db.prepare('SELECT order_id FROM sessions').all() as { order_id: string }[]).map((r) => r.order_id));
      expect(ackedSms.filter((t) => !storedTxnids.has(t))).toEqual([]);
      expect(ackedOrders.filter((o) => !storedOrders.has(o))).toEqual([]);
      expect(ackedSms.length).toBeGreaterThanOrEqual(40);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      closeDatabase(db);
    }

    // And the server starts again on the same files.
    const again = await startServer(args, env);
    const health = await fetch(`${again.urls.public}/api/health`);
    expect(health.status).toBe(200);
    expect((await again.stop('SIGTERM')).code).toBe(0);
  });
});
