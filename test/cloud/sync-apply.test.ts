/**
 * POST /api/sync/batches over real HTTP on 127.0.0.1, against both backends (PGlite and a real
 * PostgreSQL server): auth, validation, replay, gaps, two shops, key digests, streams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SYNC_BATCH_BYTES, MAX_SYNC_BATCH_EVENTS, type SyncBatchResponse } from '../../src-shared/contract/sync';
import { resetStream } from '../../src-cloud/shops';
import type { CloudServer } from '../../src-cloud/server';
import { expectErrorShape, httpRequest } from '../support/http-client';
import { removeTempDirs } from '../support/temp-dir';
import {
  addTestShop,
  BACKENDS,
  batch,
  events,
  freshTarget,
  paid,
  postBatch,
  sessionView,
  sha256,
  startInProcess,
  syncEvent,
} from './helpers';

describe.each(BACKENDS)('sync batches on %s', (backend) => {
  let cloud: CloudServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshTarget(backend);
    drop = fresh.drop;
    cloud = await startInProcess(fresh.target);
  });
  afterAll(async () => {
    await cloud?.stop();
    await drop?.();
    removeTempDirs();
  });

  const ok = (r: { status: number; text: string; json: unknown }) => {
    expect(r.status, r.text).toBe(200);
    return r.json as SyncBatchResponse;
  };

  it('refuses a missing, malformed or wrong token with 401 in the error shape, and stores nothing', async () => {
    const shop = await addTestShop(cloud);
    const body = batch('stream-a', events(1, 2));
    expectErrorShape(await postBatch(cloud.url, null, body), 401, 'unauthorized');
    expectErrorShape(await postBatch(cloud.url, 'cps_wrong', body), 401, 'unauthorized');
    expectErrorShape(
      await httpRequest(cloud.url, '/api/sync/batches', { method: 'POST', headers: { Authorization: `Basic ${shop.sync_token}` }, body }),
      401,
      'unauthorized',
    );
    const [row] = await cloud.db.query<{ cursor: number; stream: string | null }>('SELECT cursor, stream FROM shops WHERE id = $1', [
      shop.shop_id,
    ]);
    expect(row).toEqual({ cursor: 0, stream: null });
  });

  it('answers malformed JSON, invalid fields and oversize batches with their codes', async () => {
    const { sync_token: token } = await addTestShop(cloud);
    const r1 = await httpRequest(cloud.url, '/api/sync/batches', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"stream": ',
    });
    expectErrorShape(r1, 400, 'malformed_json');

    const bad = batch('s', events(1, 3));
    (bad.events[1] as { seq: unknown }).seq = 'two';
    const r2 = await postBatch(cloud.url, token, bad);
    expectErrorShape(r2, 400, 'validation_failed');
    expect((r2.json as { field: string }).field).toBe('events.1.seq');

    const gap = batch('s', [syncEvent(1, sessionView()), syncEvent(3, sessionView())]);
    const r3 = await postBatch(cloud.url, token, gap);
    expectErrorShape(r3, 400, 'validation_failed');
    expect((r3.json as { field: string }).field).toBe('events.1.seq');

    const noKeys = { stream: 's', app_version: '1', events: [] };
    expect(((await postBatch(cloud.url, token, noKeys)).json as { field: string }).field).toBe('keys');

    const badStatus = batch('s', [syncEvent(1, { ...sessionView(), status: 'paid' as never })]);
    expect(((await postBatch(cloud.url, token, badStatus)).json as { field: string }).field).toBe('events.0.session.status');

    expectErrorShape(await postBatch(cloud.url, token, batch('s', events(1, MAX_SYNC_BATCH_EVENTS + 1))), 413, 'payload_too_large');
    const huge = batch('s', [{ ...syncEvent(1, sessionView()), data: { pad: 'x'.repeat(MAX_SYNC_BATCH_BYTES) } }]);
    expectErrorShape(await postBatch(cloud.url, token, huge), 413, 'payload_too_large');

    // None of it moved the cursor: the first good batch starts at 1.
    expect(ok(await postBatch(cloud.url, token, batch('s', events(1, 1))))).toEqual({
      ack_seq: 1,
      applied: 1,
      duplicates: 0,
      waiting_for: null,
    });
  });

  it('stores and applies in order, acknowledges a replay and ignores it, and keeps every event raw', async () => {
    const shop = await addTestShop(cloud);
    const view = sessionView({ order_id: 'ORD-replay' });
    const first = [syncEvent(1, view), syncEvent(2, sessionView()), syncEvent(3, sessionView())];
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('st', first)))).toEqual({
      ack_seq: 3,
      applied: 3,
      duplicates: 0,
      waiting_for: null,
    });
    // The same batch again (the counter never saw the answer): all replays.
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('st', first)))).toEqual({
      ack_seq: 3,
      applied: 0,
      duplicates: 3,
      waiting_for: null,
    });
    // Overlapping: 2-3 again plus 4-5 new (4 pays the first session).
    const overlap = [first[1]!, first[2]!, syncEvent(4, paid(view)), syncEvent(5, sessionView())];
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('st', overlap)))).toEqual({
      ack_seq: 5,
      applied: 2,
      duplicates: 2,
      waiting_for: null,
    });
    // A heartbeat: nothing to apply, the cursor answered.
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('st', [])))).toEqual({
      ack_seq: 5,
      applied: 0,
      duplicates: 0,
      waiting_for: null,
    });

    const stored = await cloud.db.query<{ seq: number; event_id: string; body: string }>(
      'SELECT seq, event_id, body FROM events WHERE shop_id = $1 ORDER BY seq',
      [shop.shop_id],
    );
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[0]?.body).toBe(JSON.stringify(first[0]));
    expect(stored[3]?.event_id).toBe(overlap[2]?.id);
    const [session] = await cloud.db.query<{ status: string; view: string; last_seq: number }>(
      'SELECT status, view, last_seq FROM sessions WHERE shop_id = $1 AND id = $2',
      [shop.shop_id, view.id],
    );
    expect(session).toEqual({ status: 'success', view: JSON.stringify(paid(view)), last_seq: 4 });
  });

  it('waits at a gap without storing, then fills it', async () => {
    const shop = await addTestShop(cloud);
    const all = events(1, 6);
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('g', all.slice(0, 2))))).toMatchObject({ ack_seq: 2, waiting_for: null });
    // 5-6 arrive before 3-4 (a lost request): nothing stored, the cloud names what it waits for.
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('g', all.slice(4))))).toEqual({
      ack_seq: 2,
      applied: 0,
      duplicates: 0,
      waiting_for: 3,
    });
    const [count] = await cloud.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE shop_id = $1', [shop.shop_id]);
    expect(count?.n).toBe(2);
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('g', all.slice(2))))).toEqual({
      ack_seq: 6,
      applied: 4,
      duplicates: 0,
      waiting_for: null,
    });
    const seqs = await cloud.db.query<{ seq: number }>('SELECT seq FROM events WHERE shop_id = $1 ORDER BY seq', [shop.shop_id]);
    expect(seqs.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps two shops apart, even with the same session ids, sequence numbers and stream names', async () => {
    const a = await addTestShop(cloud, 'A');
    const b = await addTestShop(cloud, 'B');
    const view = sessionView({ id: 'same-session-id', order_id: 'ORD-shared' });
    await postBatch(cloud.url, a.sync_token, batch('same-stream', [syncEvent(1, paid(view))]));
    await postBatch(cloud.url, b.sync_token, batch('same-stream', [syncEvent(1, view), syncEvent(2, sessionView())]));
    const rows = await cloud.db.query<{ shop_id: string; status: string }>(
      "SELECT shop_id, status FROM sessions WHERE id = 'same-session-id' ORDER BY status",
    );
    expect(rows).toEqual([
      { shop_id: b.shop_id, status: 'pending' },
      { shop_id: a.shop_id, status: 'success' },
    ]);
    const cursors = await cloud.db.query<{ id: string; cursor: number }>(
      'SELECT id, cursor FROM shops WHERE id = ANY($1::text[]) ORDER BY cursor',
      [[a.shop_id, b.shop_id]],
    );
    expect(cursors).toEqual([
      { id: a.shop_id, cursor: 1 },
      { id: b.shop_id, cursor: 2 },
    ]);
  });

  it('replaces the key digests with each batch (rotation), and records app_version and the time', async () => {
    const shop = await addTestShop(cloud);
    const digests = () =>
      cloud.db.query<{ mode: string; digest: string }>(
        'SELECT mode, digest FROM shop_key_digests WHERE shop_id = $1 ORDER BY mode, digest',
        [shop.shop_id],
      );
    await postBatch(cloud.url, shop.sync_token, batch('k', [], { live: [sha256('pk_live_old')], test: [sha256('pk_test_old')] }));
    expect(await digests()).toEqual([
      { mode: 'live', digest: sha256('pk_live_old') },
      { mode: 'test', digest: sha256('pk_test_old') },
    ]);
    await postBatch(cloud.url, shop.sync_token, batch('k', [], { live: [sha256('pk_live_new')], test: [sha256('pk_test_old')] }));
    expect(await digests()).toEqual([
      { mode: 'live', digest: sha256('pk_live_new') },
      { mode: 'test', digest: sha256('pk_test_old') },
    ]);
    const [row] = await cloud.db.query<{ app_version: string; last_batch_at: Date }>(
      'SELECT app_version, last_batch_at FROM shops WHERE id = $1',
      [shop.shop_id],
    );
    expect(row?.app_version).toBe('0.1.0-test');
    expect(Math.abs(Date.now() - new Date(row!.last_batch_at).getTime())).toBeLessThan(60_000);
  });

  it('adopts the first stream, refuses another with 409 sync_stream_mismatch, and takes a new one after reset-stream', async () => {
    const shop = await addTestShop(cloud);
    ok(await postBatch(cloud.url, shop.sync_token, batch('first-db', events(1, 3))));
    const other = await postBatch(cloud.url, shop.sync_token, batch('restored-db', events(1, 2)));
    expectErrorShape(other, 409, 'sync_stream_mismatch');
    expect(await resetStream(cloud.db, shop.shop_id)).toBe(true);
    // The new stream numbers from 1 again; the old stream's events stay stored.
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('restored-db', events(1, 2))))).toEqual({
      ack_seq: 2,
      applied: 2,
      duplicates: 0,
      waiting_for: null,
    });
    expectErrorShape(await postBatch(cloud.url, shop.sync_token, batch('first-db', events(4, 1))), 409, 'sync_stream_mismatch');
    const [n] = await cloud.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE shop_id = $1', [shop.shop_id]);
    expect(n?.n).toBe(5);
  });

  it('stores an unknown event type without applying it, and refuses an event id reused under a new number', async () => {
    const shop = await addTestShop(cloud);
    const view = sessionView();
    const future = syncEvent(1, view, 'session.archived');
    expect(ok(await postBatch(cloud.url, shop.sync_token, batch('u', [future])))).toMatchObject({ ack_seq: 1, applied: 1 });
    expect(await cloud.db.query('SELECT id FROM sessions WHERE shop_id = $1', [shop.shop_id])).toEqual([]);
    const reused = await postBatch(cloud.url, shop.sync_token, batch('u', [syncEvent(2, view, 'session.updated', future.id)]));
    expectErrorShape(reused, 409, 'conflict');
    const [row] = await cloud.db.query<{ cursor: number }>('SELECT cursor FROM shops WHERE id = $1', [shop.shop_id]);
    expect(row?.cursor).toBe(1);
  });

  it('answers health, unknown routes and wrong methods in the error shape', async () => {
    const health = await httpRequest(cloud.url, '/api/health');
    expect(health.json).toEqual({ ok: true });
    expectErrorShape(await httpRequest(cloud.url, '/api/nothing'), 404, 'not_found');
    expectErrorShape(await httpRequest(cloud.url, '/api/sync/batches'), 404, 'not_found');
    expectErrorShape(await httpRequest(cloud.url, '/api/payment/sessions/%E0%A4%A'), 400, 'bad_request');
  });
});
