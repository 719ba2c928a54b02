import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bkashTxnid, startPayCore, type PayCore } from '../payments/helpers';
import { startStandInCloud, type StandInCloud } from '../../support/stand-in-cloud';

/**
 * Adversarial review of 1b893ae (maintenance purges unsent `sync` events when no sync.json
 * exists; the first pass to a cloud queues every session). The purge decides "no cloud will ever
 * ask for these" on the file alone, but the re-queue only happens when this shop has no sync row
 * yet. A shop that had a cloud, removed it (`sync remove`, or Settings with an empty URL: "the
 * events keep waiting in the outbox"), and set it up again 30+ days later, loses every change
 * made in between: the purge took them, and the re-setup is not a "first pass", so nothing
 * re-queues them. The cloud (which answers the merchant's status reads while the tunnel is down)
 * keeps showing those sessions in their old state, forever, with no error anywhere.
 *
 * A correct system either never purges events a cloud that once existed (a sync row) will want,
 * or re-queues every session's state whenever sync is set up after a purge took unsent events.
 */

const cores: PayCore[] = [];
const clouds: StandInCloud[] = [];
afterEach(async () => {
  await Promise.all(clouds.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop()));
});

async function paid(pc: PayCore, amount: string): Promise<string> {
  const id = await pc.newSession({ amount });
  const txnid = bkashTxnid();
  await pc.bkashCredit({ txnid, amount });
  const r = await pc.submit(id, { txnid });
  expect(r.status, r.text).toBeLessThan(300);
  return id;
}

describe('attack: sync purge after a cloud was set up, removed and set up again', () => {
  it('the changes made while the cloud was removed still reach it when it is set up again', async () => {
    const pc = await startPayCore({ config: { sync: { heartbeatSeconds: 3600, timeoutSeconds: 1 } } });
    cores.push(pc);
    const cloud = await startStandInCloud();
    clouds.push(cloud);

    // The shop syncs to its cloud: a pending session reaches it.
    const set = await pc.rpc('sync.set', { url: cloud.url, token: cloud.token });
    expect(set.status, set.text).toBe(200);
    await pc.core.sync.drain();
    const open = await pc.newSession({ amount: '250.00' });
    await pc.core.sync.drain();
    const last = (id: string) => cloud.applied.filter((e) => e.session?.id === id).at(-1)?.session;
    expect(last(open)?.status).toBe('pending');

    // The operator removes the cloud (Settings, empty URL). Meanwhile the session is paid and a new one sold.
    const removed = await pc.rpc('sync.set', { url: '' });
    expect(removed.status, removed.text).toBe(200);
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '250.00' });
    expect((await pc.submit(open, { txnid })).status).toBeLessThan(300);
    expect((await pc.view(open)).status).toBe('success');
    const during = await paid(pc, '90.00');

    // 31 days later the maintenance purge runs (no sync.json). It took those unsent events before the
    // fix; a shop that once had a cloud keeps them for its return.
    pc.advance(31 * 86_400_000);
    const report = pc.core.maintenance.purge(pc.now());
    expect(report.unsentSync).toBe(0);

    // The same cloud is set up again.
    const again = await pc.rpc('sync.set', { url: cloud.url, token: cloud.token });
    expect(again.status, again.text).toBe(200);
    await pc.core.sync.drain();
    await pc.core.sync.drain();

    // The cloud must know what the counter knows: `open` was paid, `during` exists and is paid.
    // Today: `open` stays `pending` on the cloud and `during` is never heard of.
    expect(last(open)?.status).toBe('success');
    expect(last(during)).toEqual(await pc.view(during));
  });
});
