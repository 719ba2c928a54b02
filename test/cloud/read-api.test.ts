/**
 * The merchant read API on the cloud, over real HTTP, against both backends: the JSON a real
 * counter answers for the same sessions, byte for byte; live/test separation; other shops' and
 * unknown keys; the Synced-At header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../src-shared/contract/payments';
import { SYNCED_AT_HEADER } from '../../src-shared/contract/sync';
import type { CloudServer } from '../../src-cloud/server';
import { bkashTxnid, startPayCore, type PayCore } from '../core/payments/helpers';
import { expectErrorShape } from '../support/http-client';
import { removeTempDirs } from '../support/temp-dir';
import {
  addTestShop,
  BACKENDS,
  batch,
  freshTarget,
  getWithKey,
  paid,
  postBatch,
  sessionView,
  sha256,
  startInProcess,
  syncEvent,
} from './helpers';

describe.each(BACKENDS)('the merchant read API on %s', (backend) => {
  let cloud: CloudServer;
  let drop: () => Promise<void>;
  let pc: PayCore;
  let shop: { shop_id: string; sync_token: string };
  /** The counter's answers, which the cloud must repeat. */
  const counter: { paidId: string; cancelledId: string; testId: string; orderId: string; testOrderId: string } = {
    paidId: '',
    cancelledId: '',
    testId: '',
    orderId: '',
    testOrderId: '',
  };

  beforeAll(async () => {
    const fresh = await freshTarget(backend);
    drop = fresh.drop;
    cloud = await startInProcess(fresh.target);
    pc = await startPayCore();
    shop = await addTestShop(cloud, 'Counter');

    // On the counter: an order whose first session was cancelled and second one paid, and a test-mode session.
    counter.orderId = `ORD-${backend}-${Date.now()}`;
    counter.cancelledId = await pc.newSession({ order_id: counter.orderId });
    expect((await pc.cancel(counter.cancelledId)).status).toBe(200);
    pc.advance(1000);
    counter.paidId = await pc.newSession({ order_id: counter.orderId });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '500.00' });
    const submitted = await pc.submit(counter.paidId, { txnid });
    expect(submitted.status, submitted.text).toBe(200);
    counter.testOrderId = `ORD-test-${backend}`;
    counter.testId = await pc.newSession({ order_id: counter.testOrderId }, { key: pc.keys.test });

    // What the counter's sync would send: each session's state as its GET answers it, and the key digests.
    const views = [
      await pc.view(counter.cancelledId),
      await pc.view(counter.paidId),
      await pc.view(counter.testId, pc.keys.test),
    ] as unknown as SessionView[];
    const r = await postBatch(
      cloud.url,
      shop.sync_token,
      batch(
        'counter-db',
        views.map((v, i) => syncEvent(i + 1, v)),
        { live: [sha256(pc.keys.live)], test: [sha256(pc.keys.test)] },
      ),
    );
    expect(r.status, r.text).toBe(200);
  });

  afterAll(async () => {
    await pc?.stop();
    await cloud?.stop();
    await drop?.();
    removeTempDirs();
  });

  it('answers GET /api/payment/sessions/:id with exactly the counter’s bytes, and the Synced-At header', async () => {
    for (const [id, key] of [
      [counter.paidId, pc.keys.live],
      [counter.cancelledId, pc.keys.live],
      [counter.testId, pc.keys.test],
    ] as const) {
      const here = await getWithKey(cloud.url, `/api/payment/sessions/${id}`, key);
      const there = await pc.getSession(id, key);
      expect(here.status, here.text).toBe(200);
      expect(here.text).toBe(there.text);
      expect(String(here.headers['content-type'])).toMatch(/^application\/json/);
      const syncedAt = String(here.headers[SYNCED_AT_HEADER.toLowerCase()]);
      expect(new Date(syncedAt).toISOString()).toBe(syncedAt);
      expect(Math.abs(Date.now() - Date.parse(syncedAt))).toBeLessThan(60_000);
    }
  });

  it('answers ?order_id= like the counter: the paid session first, then newest first', async () => {
    const path = `/api/payment/sessions?order_id=${encodeURIComponent(counter.orderId)}`;
    const here = await getWithKey(cloud.url, path, pc.keys.live);
    const there = await getWithKey(pc.urls.public, path, pc.keys.live);
    expect(here.status, here.text).toBe(200);
    expect(here.text).toBe(there.text);
    const body = here.json as { session: SessionView; sessions: SessionView[] };
    expect(body.session.id).toBe(counter.paidId);
    expect(body.sessions.map((s) => s.id)).toEqual([counter.paidId, counter.cancelledId]);
    expectErrorShape(await getWithKey(cloud.url, '/api/payment/sessions?order_id=nope', pc.keys.live), 404, 'session_not_found');
    const missing = await getWithKey(cloud.url, '/api/payment/sessions', pc.keys.live);
    expectErrorShape(missing, 400, 'validation_failed');
    expect((missing.json as { field: string }).field).toBe('order_id');
  });

  it('orders an order’s sessions paid first, then by created_at descending', async () => {
    const other = await addTestShop(cloud, 'Ordering');
    const key = 'pk_live_ordering_0123456789';
    const order = 'ORD-many';
    const old = sessionView({ order_id: order, status: 'expired', created_at: '2030-01-01T00:00:00.000Z' });
    const win = paid(sessionView({ order_id: order, created_at: '2030-01-01T00:01:00.000Z' }));
    const newest = sessionView({ order_id: order, status: 'cancelled', created_at: '2030-01-01T00:02:00.000Z' });
    await postBatch(
      cloud.url,
      other.sync_token,
      batch('o', [syncEvent(1, old), syncEvent(2, newest), syncEvent(3, win)], { live: [sha256(key)] }),
    );
    const r = await getWithKey(cloud.url, `/api/payment/sessions?order_id=${order}`, key);
    expect((r.json as { sessions: SessionView[] }).sessions.map((s) => s.id)).toEqual([win.id, newest.id, old.id]);
  });

  it('keeps live and test apart: each key reads only its own mode’s sessions', async () => {
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${counter.testId}`, pc.keys.live), 404, 'session_not_found');
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${counter.paidId}`, pc.keys.test), 404, 'session_not_found');
    expectErrorShape(
      await getWithKey(cloud.url, `/api/payment/sessions?order_id=${encodeURIComponent(counter.testOrderId)}`, pc.keys.live),
      404,
      'session_not_found',
    );
    const test = await getWithKey(cloud.url, `/api/payment/sessions?order_id=${encodeURIComponent(counter.testOrderId)}`, pc.keys.test);
    expect((test.json as { session: SessionView }).session.id).toBe(counter.testId);
  });

  it('refuses a missing or unknown key with 401, and never shows another shop’s session', async () => {
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${counter.paidId}`, null), 401, 'unauthorized');
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${counter.paidId}`, 'pk_live_not_a_real_key'), 401, 'unauthorized');
    // The sync token is not an API key.
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${counter.paidId}`, shop.sync_token), 401, 'unauthorized');
    const stranger = await addTestShop(cloud, 'Stranger');
    const strangerKey = 'pk_live_stranger_0123456789';
    await postBatch(cloud.url, stranger.sync_token, batch('s', [syncEvent(1, sessionView())], { live: [sha256(strangerKey)] }));
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${counter.paidId}`, strangerKey), 404, 'session_not_found');
    expectErrorShape(
      await getWithKey(cloud.url, `/api/payment/sessions?order_id=${encodeURIComponent(counter.orderId)}`, strangerKey),
      404,
      'session_not_found',
    );
  });

  it('stops reading with a rotated key once the next batch carries the new digests', async () => {
    const rotating = await addTestShop(cloud, 'Rotating');
    const view = sessionView();
    await postBatch(cloud.url, rotating.sync_token, batch('r', [syncEvent(1, view)], { live: [sha256('pk_live_before_rotation')] }));
    expect((await getWithKey(cloud.url, `/api/payment/sessions/${view.id}`, 'pk_live_before_rotation')).status).toBe(200);
    await postBatch(cloud.url, rotating.sync_token, batch('r', [], { live: [sha256('pk_live_after_rotation')] }));
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${view.id}`, 'pk_live_before_rotation'), 401, 'unauthorized');
    expect((await getWithKey(cloud.url, `/api/payment/sessions/${view.id}`, 'pk_live_after_rotation')).status).toBe(200);
  });
});
