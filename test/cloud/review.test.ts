/**
 * Adversarial review of the cloud side (issue 13). Every test here failed on the code as it was
 * reviewed: each comment names one bug and explains it; each test asserts what docs/sync.md (or
 * plain safety) requires, and its name states the behaviour that fixed it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncBatchResponse } from '../../src-shared/contract/sync';
import { lockPath } from '../../src-cloud/dir-lock';
import { resetStream } from '../../src-cloud/shops';
import type { CloudServer } from '../../src-cloud/server';
import { expectErrorShape, httpRequest } from '../support/http-client';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import {
  addTestShop,
  batch,
  eventId,
  events,
  freshTarget,
  getWithKey,
  paid,
  postBatch,
  sessionView,
  sha256,
  startInProcess,
  syncEvent,
} from './helpers';

describe('cloud review on PostgreSQL', () => {
  let cloud: CloudServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshTarget('postgres');
    drop = fresh.drop;
    cloud = await startInProcess(fresh.target);
  });
  afterAll(async () => {
    await cloud?.stop();
    await drop?.();
    removeTempDirs();
  });

  const storedSeqs = async (shopId: string) =>
    (await cloud.db.query<{ seq: number }>('SELECT seq FROM events WHERE shop_id = $1 ORDER BY stream, seq', [shopId])).map((r) => r.seq);

  it('a batch carrying one event id (or one seq) twice is refused with 400 naming the field, not acknowledged or applied (finding 1)', async () => {
    // Bug: storeEvents inserts with ON CONFLICT DO NOTHING, so the second row with the same event id
    // is silently skipped. Its id IS in the returned set (the first row's), so `missing` is empty, the
    // "same id under another number" check never runs, and upsertSessions applies BOTH events (it
    // filters by id, not by row). Evidence: 200 {ack_seq: 2, applied: 1, duplicates: 1}, events holds
    // only seq 1, yet the session shows seq 2's state (paid) with last_seq 2 - the cursor claims
    // "every event up to 2 is stored, once" while seq 2 is nowhere. docs/sync.md: "the same id under
    // a new number of the same stream is 409 conflict" and "nothing of the batch is stored".
    // Fixed: a batch that repeats an id (or a seq) is malformed in itself, whatever the cloud holds:
    // 400 validation_failed naming the repeat, and only rows actually stored are ever applied.
    const shop = await addTestShop(cloud);
    const view = sessionView();
    const id = eventId();
    const r = await postBatch(
      cloud.url,
      shop.sync_token,
      batch('dup-ids', [syncEvent(1, view, 'session.updated', id), syncEvent(2, paid(view), 'session.updated', id)]),
    );
    expectErrorShape(r, 400, 'validation_failed');
    expect((r.json as { field: string }).field).toBe('events.1.id');
    const sameSeq = await postBatch(cloud.url, shop.sync_token, batch('dup-ids', [syncEvent(1, view), syncEvent(1, paid(view))]));
    expectErrorShape(sameSeq, 400, 'validation_failed');
    expect((sameSeq.json as { field: string }).field).toBe('events.1.seq');
    expect(await storedSeqs(shop.shop_id)).toEqual([]);
    expect(await cloud.db.query('SELECT id FROM sessions WHERE shop_id = $1', [shop.shop_id])).toEqual([]);
  });

  it('a replay whose event id differs from the stored one at that seq is refused with 409 sync_sequence_conflict, not dropped (finding 2)', async () => {
    // Bug: applyBatch treats every `seq <= cursor` as a replay without comparing its event id with the
    // one stored at (shop, stream, seq). The stream lives in the counter's database, so a counter
    // restored from a backup keeps its stream, numbers NEW events 2, 3 (new ids, new sessions) and
    // sends them; the cloud answers 200 {duplicates: 2, ack_seq: 3}, the counter forgets them, and those
    // sessions never reach the cloud. An id that differs from the stored one at the same seq is proof the
    // numbering forked; it must be refused (409 conflict), not acknowledged.
    // Fixed: every replayed seq is compared with the id stored at it; a fork is 409 with its own code,
    // `sync_sequence_conflict`, whose message tells the operator to reseed the counter and reset the stream.
    const shop = await addTestShop(cloud);
    const original = events(1, 3);
    expect((await postBatch(cloud.url, shop.sync_token, batch('forked', original))).status).toBe(200);
    const forked = [syncEvent(2, sessionView({ order_id: 'AFTER-RESTORE-1' })), syncEvent(3, sessionView({ order_id: 'AFTER-RESTORE-2' }))];
    const r = await postBatch(cloud.url, shop.sync_token, batch('forked', forked));
    expectErrorShape(r, 409, 'sync_sequence_conflict');
    // A true replay (the same ids) is still acknowledged as duplicates.
    const replay = await postBatch(cloud.url, shop.sync_token, batch('forked', original.slice(1)));
    expect(replay.json).toEqual({ ack_seq: 3, applied: 0, duplicates: 2, waiting_for: null });
  });

  it('after reset-stream, the same stream resending its events from 1 is acknowledged: old ids as duplicates, new ones stored (finding 3)', async () => {
    // Bug: docs/sync.md says after `shop reset-stream` "the next batch's stream is adopted and numbered
    // from 1 again" and "a counter that gets waiting_for: 1 after a reset must send from its first event
    // again". A counter that does exactly that with its (unchanged) stream resends the same ids at the
    // same seqs. The INSERT hits the (shop, stream, seq) primary key, ON CONFLICT DO NOTHING swallows it,
    // and the follow-up check finds the ids "in this stream" and throws 409 `conflict` ("already stored
    // under another sequence number") - which is false (same number), and repeats on every retry: the
    // shop can never sync again.
    // Fixed: reset-stream forgets the numbering too; the re-adopted name gets a new generation, the old
    // ids count as duplicates of the events already stored, and only a PK clash could still raise.
    const shop = await addTestShop(cloud);
    const evs = events(1, 3);
    expect((await postBatch(cloud.url, shop.sync_token, batch('same', evs))).status).toBe(200);
    expect(await resetStream(cloud.db, shop.shop_id)).toBe(true);
    const waiting = await postBatch(cloud.url, shop.sync_token, batch('same', events(4, 1)));
    expect((waiting.json as SyncBatchResponse).waiting_for).toBe(1);
    const resend = await postBatch(cloud.url, shop.sync_token, batch('same', [...evs, ...events(4, 1)]));
    expect(resend.status, resend.text).toBe(200);
    expect(resend.json).toEqual({ ack_seq: 4, applied: 1, duplicates: 3, waiting_for: null });
    expect(await storedSeqs(shop.shop_id)).toEqual([1, 2, 3, 4]);
  });

  it('after reset-stream, new events at seqs the same stream already used are stored and applied under a new generation (finding 4)', async () => {
    // Bug: same root as above. After a reset the cursor is 0; a batch in the same stream with NEW ids at
    // seq 1..2 (a counter restored from a backup, which keeps its stream) conflicts on the (shop, stream,
    // seq) primary key, ON CONFLICT DO NOTHING drops the rows, the "same stream" check looks only for the
    // new ids (absent) so nothing is refused: 200 {ack_seq: 2, applied: 0, duplicates: 2}. The counter
    // forgets events the cloud neither stored nor applied - its new sessions are lost.
    // Fixed: after the reset the same name is a new generation with a clean numbering (docs/sync.md,
    // Streams): the new events are stored and applied, and the old stream's stay stored.
    const shop = await addTestShop(cloud);
    expect((await postBatch(cloud.url, shop.sync_token, batch('restored', events(1, 2)))).status).toBe(200);
    expect(await resetStream(cloud.db, shop.shop_id)).toBe(true);
    const fresh = [syncEvent(1, sessionView({ order_id: 'NEW-1' })), syncEvent(2, sessionView({ order_id: 'NEW-2' }))];
    const r = await postBatch(cloud.url, shop.sync_token, batch('restored', fresh));
    expect(r.status, r.text).toBe(200);
    // Acknowledged: then every acknowledged event must be stored and its session applied.
    const ids = fresh.map((e) => e.id);
    const stored = await cloud.db.query('SELECT event_id FROM events WHERE shop_id = $1 AND event_id = ANY($2::text[])', [
      shop.shop_id,
      ids,
    ]);
    expect({ ack: (r.json as SyncBatchResponse).ack_seq, stored: stored.length }).toEqual({ ack: 2, stored: 2 });
    const orders = await cloud.db.query<{ order_id: string }>(
      "SELECT order_id FROM sessions WHERE shop_id = $1 AND order_id LIKE 'NEW-%'",
      [shop.shop_id],
    );
    expect(orders.length).toBe(2);
    expect(await storedSeqs(shop.shop_id)).toEqual([1, 2, 1, 2]);
    // The next batch continues the new numbering; the old stream's events are never replays of it.
    const next = await postBatch(cloud.url, shop.sync_token, batch('restored', [...fresh, syncEvent(3, sessionView())]));
    expect(next.json).toEqual({ ack_seq: 3, applied: 1, duplicates: 2, waiting_for: null });
    // A number past the cursor that is somehow taken already (only a damaged or hand-edited database
    // has one) raises on the primary key: 409 sync_sequence_conflict, never a silent drop.
    await cloud.db.query(
      `INSERT INTO events (shop_id, stream, seq, event_id, type, created_at, body)
       SELECT id, stream, 4, $2, 'session.updated', now(), '{}' FROM shops WHERE id = $1`,
      [shop.shop_id, eventId()],
    );
    const taken = await postBatch(cloud.url, shop.sync_token, batch('restored', [syncEvent(4, sessionView())]));
    expectErrorShape(taken, 409, 'sync_sequence_conflict');
    const [cursor] = await cloud.db.query<{ cursor: number }>('SELECT cursor FROM shops WHERE id = $1', [shop.shop_id]);
    expect(cursor?.cursor).toBe(3);
  });

  it('a timestamp zod accepts but PostgreSQL refuses (year 0000, offset +16:00) is refused with 400 validation_failed, not 500 (finding 5)', async () => {
    // Bug: sync-schema's z.iso.datetime({offset: true}) accepts year 0000 and zone offsets up to
    // +23:59; PostgreSQL's timestamptz refuses both ("date/time field value out of range", "time zone
    // displacement out of range"). The INSERT throws a database error, which the handler maps to 500
    // `internal` (logged as a failure); the counter treats 5xx as transient and resends the same poison
    // event forever. Expected: 400 validation_failed naming the field, as for any other bad field.
    const shop = await addTestShop(cloud);
    const yearZero = { ...syncEvent(1, sessionView()), created_at: '0000-01-01T00:00:00Z' };
    const r1 = await postBatch(cloud.url, shop.sync_token, batch('ts', [yearZero]));
    expectErrorShape(r1, 400, 'validation_failed');
    expect((r1.json as { field: string }).field).toBe('events.0.created_at');
    const farZone = syncEvent(1, sessionView({ created_at: '2030-01-01T00:00:00+16:00' }));
    const r2 = await postBatch(cloud.url, shop.sync_token, batch('ts', [farZone]));
    expectErrorShape(r2, 400, 'validation_failed');
    expect((r2.json as { field: string }).field).toBe('events.0.session.created_at');
    // The edges PostgreSQL does store still pass.
    const edges = syncEvent(1, sessionView({ created_at: '0001-01-01T00:00:00-15:59' }));
    expect((await postBatch(cloud.url, shop.sync_token, batch('ts', [edges]))).status).toBe(200);
  });

  it('a NUL character in a stored text field (stream, session id, order_id, app_version) is refused with 400 naming the field (finding 6)', async () => {
    // Bug: the schema checks only lengths; PostgreSQL text cannot hold U+0000 ("invalid byte sequence
    // for encoding UTF8: 0x00"), so a valid-JSON "\u0000" in stream, app_version, type, session.id or
    // session.order_id fails the INSERT/UPDATE and answers 500 `internal` (and is retried forever by the
    // counter as a transient failure). Expected: 400 validation_failed with the field named.
    const shop = await addTestShop(cloud);
    const cases = [
      { ...batch('nul\u0000stream', events(1, 1)) },
      { ...batch('nul', events(1, 1)), app_version: '0.1\u0000' },
      batch('nul', [syncEvent(1, sessionView({ id: 'ab\u0000cd' }))]),
      batch('nul', [syncEvent(1, sessionView({ order_id: 'ORD\u0000X' }))]),
    ];
    const answers = [];
    for (const body of cases) {
      const r = await postBatch(cloud.url, shop.sync_token, body);
      answers.push([r.status, (r.json as { field?: string }).field]);
    }
    expect(answers).toEqual([
      [400, 'stream'],
      [400, 'app_version'],
      [400, 'events.0.session.id'],
      [400, 'events.0.session.order_id'],
    ]);
  });

  it('the read API answers 404 session_not_found, not 500, for a NUL (%00) in the session id or order_id (finding 7)', async () => {
    // Bug: GET /api/payment/sessions/:id and ?order_id= pass the decoded value straight to PostgreSQL,
    // which refuses U+0000 in a text parameter: 500 `internal` and an error logged per request, which
    // any holder of an API key can trigger at will. The counter (SQLite) answers 404 session_not_found.
    const shop = await addTestShop(cloud);
    const key = 'cp_live_review_nul_key_123456';
    expect((await postBatch(cloud.url, shop.sync_token, batch('r', events(1, 1), { live: [sha256(key)] }))).status).toBe(200);
    expectErrorShape(await getWithKey(cloud.url, '/api/payment/sessions/abc%00def', key), 404, 'session_not_found');
    expectErrorShape(await getWithKey(cloud.url, '/api/payment/sessions?order_id=ORD%00X', key), 404, 'session_not_found');
  });

  it('a deeply nested data object is refused with 400 validation_failed (depth bounded), not a 500 stack overflow (finding 8)', async () => {
    // Bug: `data` is z.record(z.string(), z.unknown()) and unknown session fields are loose, so depth is
    // never bounded. JSON.parse (iterative) reads 200 000 levels of [] inside the 8 MiB limit, but
    // storeEvents' JSON.stringify(e.raw) recurses and throws RangeError "Maximum call stack size
    // exceeded": 500 `internal`, logged with a stack. Expected: 400 validation_failed (bound depth).
    const shop = await addTestShop(cloud);
    const depth = 200_000;
    const ev = syncEvent(1, sessionView());
    const text = JSON.stringify(batch('deep', [{ ...ev, data: { deep: '@' } }])).replace('"@"', '['.repeat(depth) + ']'.repeat(depth));
    const r = await httpRequest(cloud.url, '/api/sync/batches', {
      method: 'POST',
      headers: { Authorization: `Bearer ${shop.sync_token}`, 'Content-Type': 'application/json' },
      body: text,
    });
    expectErrorShape(r, 400, 'validation_failed');
    expect((r.json as { field: string }).field).toBe('events.0.data');
  });

  it('a batch refused for a stream mismatch still revokes the key digests it no longer lists, and grants none (finding 9)', async () => {
    // Bug: key digests are replaced only by an accepted batch (apply-batch throws 409
    // sync_stream_mismatch before replaceKeyDigests). After `sync reseed` the counter's new stream is
    // refused until the operator runs `shop reset-stream` - possibly days. If the merchant rotates a
    // leaked key in that window, the counter's heartbeat (sent at once on rotation, with the token the
    // cloud authenticated) is refused and the cloud keeps answering the revoked key. A refused batch
    // from an authenticated shop should at least revoke: drop digests the batch no longer lists.
    const shop = await addTestShop(cloud);
    const leaked = 'cp_live_leaked_key_987654321';
    const view = sessionView();
    expect((await postBatch(cloud.url, shop.sync_token, batch('old-db', [syncEvent(1, view)], { live: [sha256(leaked)] }))).status).toBe(
      200,
    );
    expect((await getWithKey(cloud.url, `/api/payment/sessions/${view.id}`, leaked)).status).toBe(200);
    // The counter was reseeded (new stream) and then the merchant rotated the key: the heartbeat lists only the new one.
    const fresh = 'cp_live_new_key_11111111';
    const heartbeat = await postBatch(cloud.url, shop.sync_token, batch('reseeded-db', [], { live: [sha256(fresh)] }));
    expectErrorShape(heartbeat, 409, 'sync_stream_mismatch');
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${view.id}`, leaked), 401, 'unauthorized');
    // A refused batch never grants: the new key reads only once a batch is accepted.
    expectErrorShape(await getWithKey(cloud.url, `/api/payment/sessions/${view.id}`, fresh), 401, 'unauthorized');
  });
});

describe('cloud review on PGlite', () => {
  afterAll(() => removeTempDirs());

  it('a cloud.lock left by an earlier process with the same pid (a container’s pid 1 after a restart) is taken over as stale (finding 10)', async () => {
    // Bug: dir-lock's alive() returns true for `pid === process.pid` without asking whether THIS
    // process took the lock. In a container the cloud is pid 1 on every start; after a crash or a
    // `docker kill` the lock on the persisted volume says pid 1, the restarted cloud (pid 1 again) sees
    // "a running cloud (pid 1)" - itself - and refuses to start, every time, until someone deletes the
    // file by hand. Simulated here: a lock naming this process's pid that this process never took.
    // Fixed: each acquisition writes a random nonce; a lock is this process's own only if it holds that nonce.
    const dataDir = makeTempDir('counterpay-cloud-review-lock-');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      lockPath(dataDir),
      JSON.stringify({ pid: process.pid, holder: 'server', admin_url: 'http://127.0.0.1:1', admin_token: 'x' }),
      {
        mode: 0o600,
      },
    );
    let started: CloudServer | null = null;
    try {
      started = await startInProcess({ databaseUrl: null, dataDir });
      expect(started.kind).toBe('pglite');
      // The lock it holds now is its own, and a second server in this very process is still refused.
      await expect(startInProcess({ databaseUrl: null, dataDir })).rejects.toThrow(/in use by a running cloud/);
    } finally {
      await started?.stop();
    }
  });
});
