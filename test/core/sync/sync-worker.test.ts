import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { rotateKeys } from '../../../src-main/core/shop';
import type { SyncStatusView } from '../../../src-shared/contract/sync';
import { bkashTxnid, startPayCore, type PayCore } from '../payments/helpers';
import { startStandInCloud, type StandInCloud } from '../../support/stand-in-cloud';
import { makeTempDir } from '../../support/temp-dir';

/**
 * Issue 13, the counter's side: the sync worker sends the outbox's `sync` events to the cloud
 * in sequence, once, resuming from the acknowledged cursor after failures and restarts. The
 * cloud here is a stand-in that keeps the protocol strictly (test/support/stand-in-cloud.ts);
 * test/cloud/ runs the real one against a counter.
 */

const cores: PayCore[] = [];
const clouds: StandInCloud[] = [];
afterEach(async () => {
  await Promise.all(clouds.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop()));
});

async function setup(config: Record<string, unknown> = {}): Promise<{ pc: PayCore; cloud: StandInCloud }> {
  const pc = await startPayCore({ config: { sync: { heartbeatSeconds: 3600, timeoutSeconds: 1, ...config } } });
  cores.push(pc);
  const cloud = await startStandInCloud();
  clouds.push(cloud);
  const res = await pc.rpc('sync.set', { url: cloud.url, token: cloud.token });
  expect(res.status, res.text).toBe(200);
  // The first report (key digests, no events yet) is out of the way before a test scripts the cloud.
  await pc.core.sync.drain();
  return { pc, cloud };
}

async function status(pc: PayCore): Promise<SyncStatusView> {
  return ((await pc.rpc('sync.status', {})).json as { result: SyncStatusView }).result;
}

async function paid(pc: PayCore, amount = '100.00'): Promise<string> {
  const id = await pc.newSession({ amount });
  const txnid = bkashTxnid();
  await pc.bkashCredit({ txnid, amount });
  await pc.submit(id, { txnid });
  return id;
}

const sha = (key: string) => crypto.createHash('sha256').update(key).digest('hex');

function expectContiguous(cloud: StandInCloud): void {
  expect(cloud.applied.map((e) => e.seq)).toEqual(Array.from({ length: cloud.applied.length }, (_, i) => i + 1));
  expect(new Set(cloud.applied.map((e) => e.id)).size).toBe(cloud.applied.length);
}

describe('sync: every session change reaches the cloud, in order, once', () => {
  it('numbers events 1, 2, 3… in commit order; the last state of each session is what GET answers; keys go as digests', async () => {
    const { pc, cloud } = await setup();
    const a = await paid(pc);
    const b = await pc.newSession({ amount: '20.00' });
    await pc.cancel(b);
    await pc.core.sync.drain();
    expectContiguous(cloud);
    const last = (id: string) => cloud.applied.filter((e) => e.session?.id === id).at(-1)?.session;
    expect(last(a)).toEqual(await pc.view(a));
    expect(last(b)).toEqual(await pc.view(b));
    expect(cloud.applied.filter((e) => e.session?.id === a).map((e) => e.session?.status)).toContain('pending');
    expect(cloud.keys).toEqual({ live: [sha(pc.keys.live)], test: [sha(pc.keys.test)] });
    expect(JSON.stringify(cloud.batches)).not.toContain(pc.keys.live);
    const st = await status(pc);
    expect(st.cursor).toBe(cloud.cursor);
    expect(st.backlog).toBe(0);
    expect(st.last_error).toBeNull();
    expect(st.token_hint).not.toContain(cloud.token);
  });

  it('the cloud down (503, then timeouts): the counter keeps selling, the backlog waits, then arrives once in order', async () => {
    const { pc, cloud } = await setup();
    cloud.fallback = { status: 503 };
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await paid(pc, `${10 + i}.00`));
    await pc.core.sync.runOnce();
    let st = await status(pc);
    expect(st.last_error).toMatch(/503/);
    expect(st.backlog).toBeGreaterThanOrEqual(10);
    expect(cloud.applied).toHaveLength(0);
    // Not before the backoff.
    const sent = cloud.batches.length;
    await pc.core.sync.runOnce();
    expect(cloud.batches.length).toBe(sent);
    // Now it hangs past the 1 s timeout.
    cloud.fallback = 'hang';
    pc.advance(10_000);
    await pc.core.sync.runOnce();
    st = await status(pc);
    expect(st.last_error).toMatch(/timed out/);
    // Back up.
    cloud.fallback = 'apply';
    pc.advance(10 * 60_000);
    await pc.core.sync.drain();
    expectContiguous(cloud);
    for (const id of ids) expect(cloud.applied.filter((e) => e.session?.id === id).at(-1)?.session?.status).toBe('success');
    st = await status(pc);
    expect(st.backlog).toBe(0);
    expect(st.last_error).toBeNull();
    expect(st.cursor).toBe(cloud.applied.length);
  });

  it('a wrong token: 401 in words, nothing let go; the right token resumes at once', async () => {
    const { pc, cloud } = await setup();
    await paid(pc);
    const right = cloud.token;
    cloud.token = 'cps_another-token-entirely-000';
    await pc.core.sync.runOnce();
    expect((await status(pc)).last_error).toMatch(/refused the token/);
    expect((await status(pc)).backlog).toBeGreaterThan(0);
    cloud.token = right;
    await pc.rpc('sync.set', { url: cloud.url, token: right });
    await pc.core.sync.drain();
    expectContiguous(cloud);
    expect((await status(pc)).backlog).toBe(0);
  });

  it('a key rotated on the counter reaches the cloud as new digests, with no event to carry it', async () => {
    const { pc, cloud } = await setup();
    await pc.core.sync.drain();
    const before = cloud.batches.length;
    const rotated = rotateKeys(pc.core.db, pc.dir, ['api_key'], 'test');
    await pc.core.sync.runOnce();
    expect(cloud.batches.length).toBe(before + 1);
    expect(cloud.batches.at(-1)?.events).toEqual([]);
    expect(cloud.keys?.live).toEqual([sha(rotated.keys.api_key)]);
  });

  it('a replayed batch (the answer was lost) is acknowledged by the cloud and let go by the counter', async () => {
    const { pc, cloud } = await setup({ batchSize: 3 });
    // The cloud commits the first batch but its answer never arrives (the counter times out).
    cloud.script = ['hang'];
    for (let i = 0; i < 3; i += 1) await pc.cancel(await pc.newSession({ amount: '5.00' }));
    await pc.core.sync.runOnce();
    for (let i = 0; i < 50 && (await status(pc)).last_error === null; i += 1) await pc.core.sync.runOnce();
    expect((await status(pc)).last_error).toMatch(/timed out/);
    const first = cloud.batches.findIndex((b) => b.events.length > 0);
    const lost = cloud.batches[first];
    expect(lost?.events[0]?.seq).toBe(1);
    for (const e of lost?.events ?? []) {
      if (e.seq !== cloud.cursor + 1) continue;
      cloud.applied.push(e);
      cloud.cursor = e.seq;
    }
    const committed = cloud.cursor;
    expect(committed).toBeGreaterThan(0);
    pc.advance(10 * 60_000);
    await pc.core.sync.drain();
    // The counter sent them again from 1; the cloud counted them as replays, applied nothing twice.
    expect(cloud.batches[first + 1]?.events[0]?.seq).toBe(1);
    expectContiguous(cloud);
    expect((await status(pc)).backlog).toBe(0);
    expect((await status(pc)).cursor).toBe(cloud.cursor);
  });
});

describe('sync: after a restart', () => {
  it('the counter stopped mid-backlog resumes from the acknowledged cursor: nothing lost, nothing twice', async () => {
    const dir = makeTempDir('counterpay-sync-restart-');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ sync: { batchSize: 4, heartbeatSeconds: 3600 } }));
    const cloud = await startStandInCloud();
    clouds.push(cloud);
    const start = async (): Promise<Core> => {
      const core = createCore(loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, logLevel: 'silent' }, {}), {
        logger: silentLogger(),
        rendererDir: null,
      });
      return core;
    };
    let core = await start();
    const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
    for (let i = 0; i < 10; i += 1) core.payments.create(caller, { amount: '10.00', order_id: `R-${i}` }, (id) => `x/${id}`);
    fs.writeFileSync(path.join(dir, 'sync.json'), JSON.stringify({ url: cloud.url, token: cloud.token }));
    await core.sync.runOnce();
    expect(cloud.cursor).toBe(4);
    await core.stop();
    core = await start();
    for (let i = 10; i < 13; i += 1) core.payments.create(caller, { amount: '10.00', order_id: `R-${i}` }, (id) => `x/${id}`);
    await core.sync.drain();
    expectContiguous(cloud);
    expect(cloud.applied.map((e) => e.session?.order_id)).toEqual(Array.from({ length: 13 }, (_, i) => `R-${i}`));
    expect(core.sync.status().backlog).toBe(0);
    await core.stop();
  });
});

describe('sync: a cloud that lost events', () => {
  it('is a failure in words, and `sync reseed` sends the current state of every session as a new stream from 1', async () => {
    const { pc, cloud } = await setup();
    const a = await paid(pc);
    const b = await pc.newSession({ amount: '20.00' });
    await pc.core.sync.drain();
    expect(cloud.cursor).toBeGreaterThanOrEqual(3);
    // The cloud's database is replaced by an empty one (a new cloud, or a restore): it waits for 1.
    const fresh = await startStandInCloud(cloud.token);
    clouds.push(fresh);
    await pc.rpc('sync.set', { url: fresh.url, token: fresh.token });
    await pc.cancel(b);
    await pc.core.sync.runOnce();
    const st = await status(pc);
    expect(st.last_error).toMatch(/waits for event 1/);
    expect(fresh.applied).toHaveLength(0);

    const reseeded = pc.core.sync.reseed(() => pc.core.payments.queueAllForSync());
    expect(reseeded.sessions).toBe(2);
    // The new stream is refused until the cloud's operator runs `cloud shop reset-stream`.
    pc.advance(10 * 60_000);
    await pc.core.sync.runOnce();
    expect((await status(pc)).last_error).toMatch(/409/);
    fresh.stream = null;
    pc.advance(10 * 60_000);
    await pc.core.sync.drain();
    expectContiguous(fresh);
    expect(fresh.stream).toBe(reseeded.stream);
    const last = (id: string) => fresh.applied.filter((e) => e.session?.id === id).at(-1)?.session;
    expect(last(a)).toEqual(await pc.view(a));
    expect(last(b)).toEqual(await pc.view(b));
    expect((await status(pc)).backlog).toBe(0);
    expect((await status(pc)).last_error).toBeNull();
  });
});

describe('sync: a shop that sets up its cloud after months without one', () => {
  it('keeps no sync events for 30 days past their time, and its first pass still gives the cloud every session, then only changes', async () => {
    const pc = await startPayCore({ config: { sync: { heartbeatSeconds: 3600, timeoutSeconds: 1 } } });
    cores.push(pc);
    const old = await paid(pc, '300.00');
    const cancelled = await pc.newSession({ amount: '40.00' });
    await pc.cancel(cancelled);
    pc.advance(31 * 86_400_000);
    const recent = await pc.newSession({ amount: '75.00' });
    // No cloud: the purge drops the events nothing will ever send (they were a year's largest table).
    expect(pc.core.maintenance.purge(pc.now()).unsentSync).toBeGreaterThan(0);

    const cloud = await startStandInCloud();
    clouds.push(cloud);
    const set = await pc.rpc('sync.set', { url: cloud.url, token: cloud.token });
    expect(set.status, set.text).toBe(200);
    await pc.core.sync.drain();
    expectContiguous(cloud);
    const last = (id: string) => cloud.applied.filter((e) => e.session?.id === id).at(-1)?.session;
    for (const id of [old, cancelled, recent]) expect(last(id)).toEqual(await pc.view(id));
    expect(last(old)?.status).toBe('success');
    expect(last(cancelled)?.status).toBe('cancelled');

    // From then on, only what changes goes: no session is queued whole again.
    const sent = cloud.applied.length;
    await pc.cancel(recent);
    await pc.core.sync.drain();
    expect(cloud.applied.slice(sent).map((e) => e.session?.id)).toEqual([recent]);
  });
});
