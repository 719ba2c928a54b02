import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/logging';
import { SyncWorker } from '../../../src-main/core/sync';
import type { SyncStatusView } from '../../../src-shared/contract/sync';
import { startPayCore, type PayCore } from '../payments/helpers';
import { startStandInCloud, type StandInCloud } from '../../support/stand-in-cloud';
import { makeTempDir } from '../../support/temp-dir';

/**
 * Adversarial review of the counter's side of cloud sync (issue 13). Every test here fails
 * because of a bug in src-main/core/sync or its callers; each says what and why.
 */

const cores: PayCore[] = [];
const clouds: StandInCloud[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(clouds.splice(0).map((c) => c.close()));
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop()));
});

async function core(config: Record<string, unknown> = {}): Promise<PayCore> {
  const pc = await startPayCore({ config: { sync: { heartbeatSeconds: 3600, timeoutSeconds: 2, ...config } } });
  cores.push(pc);
  return pc;
}

async function setup(config: Record<string, unknown> = {}): Promise<{ pc: PayCore; cloud: StandInCloud }> {
  const pc = await core(config);
  const cloud = await startStandInCloud();
  clouds.push(cloud);
  const res = await pc.rpc('sync.set', { url: cloud.url, token: cloud.token });
  expect(res.status, res.text).toBe(200);
  await pc.core.sync.drain();
  return { pc, cloud };
}

async function status(pc: PayCore): Promise<SyncStatusView> {
  return ((await pc.rpc('sync.status', {})).json as { result: SyncStatusView }).result;
}

/** A raw HTTP cloud whose every answer the test writes. */
async function rawCloud(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A sync worker of its own on the core's database, pointed (through a sync.json in a dir of
 * its own) at `url`. The core's started worker reads the core's data dir, which has no
 * sync.json, so it stays idle: only this worker talks to the hostile cloud, and a rejection of
 * its pass reaches the test instead of the process.
 */
function ownWorker(pc: PayCore, url: string): SyncWorker {
  const dir = makeTempDir('counterpay-sync-review-');
  fs.writeFileSync(path.join(dir, 'sync.json'), JSON.stringify({ url, token: 'cps_review-token-0123456789' }));
  return new SyncWorker({
    db: pc.core.db,
    dataDir: dir,
    merchantId: pc.core.shop.merchantId,
    logger: silentLogger(),
    clock: () => pc.now(),
    version: 'review',
    config: { batchSize: 50, timeoutSeconds: 5, heartbeatSeconds: 3600, maxBackoffSeconds: 300 },
    random: () => 0.5,
  });
}

describe('sync review: a hostile or buggy cloud', () => {
  it('an ack_seq past SQLite’s integer range is a refusal in words, not a throw that ends the counter (finding 1)', async () => {
    // post-batch.ts isBatchResponse accepts any Number.isInteger(ack_seq) >= 0; 1e20 passes.
    // sync-worker.ts then writes it through sync-repo `succeeded` (acked_seq = max(acked_seq, 1e20))
    // into the STRICT sync_state table, which refuses a REAL that is not a lossless INTEGER
    // ("cannot store REAL value in INTEGER column"). The throw escapes pass(): runOnce() rejects.
    // In the running core the pass is started by kick()/the 1 s poll as `void this.runOnce()`,
    // and nothing in src-main handles unhandledRejection, so on Node 20 one such answer from the
    // cloud (or a man in the middle on http://) ends the counter process; the next start does it
    // again on the first pass. Expected: the answer is refused like any other malformed answer
    // (last_error set, backoff, the events kept), and runOnce resolves.
    const pc = await core();
    let answer: unknown = { ack_seq: 0, applied: 0, duplicates: 0, waiting_for: null };
    const url = await rawCloud((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
    await pc.cancel(await pc.newSession({ amount: '10.00' }));
    const worker = ownWorker(pc, url);
    answer = { ack_seq: 1e20, applied: 0, duplicates: 0, waiting_for: null };
    let thrown: unknown = null;
    await worker.runOnce().catch((err: unknown) => {
      thrown = err;
    });
    expect(thrown, String(thrown)).toBeNull();
    const st = worker.status();
    expect(st.last_error).not.toBeNull();
    expect(st.backlog).toBeGreaterThan(0);
  });

  it('an ack_seq past the last number the counter gave is refused, not believed as the cursor (finding 2)', async () => {
    // The protocol's ack_seq is "the cloud's cursor after this batch"; on the counter's own
    // stream it can never exceed the highest sequence number the counter sent. post-batch.ts
    // only checks it is a non-negative integer, and sync-repo `succeeded` keeps
    // max(acked_seq, ack) for ever. A buggy cloud answering 1000000 once leaves
    // `sync status` / the admin API / the settings page saying cursor 1000000 (the "last sequence
    // number the cloud acknowledged") for the life of the database, with last_error null,
    // although the cloud acknowledged 2 events; even a correct cloud later cannot bring it back.
    // Expected: an ack beyond the last sent number is refused as a protocol error (or at least
    // clamped to it).
    const pc = await core();
    let lie = false;
    let cursor = 0;
    const url = await rawCloud((_req, res, body) => {
      const batch = JSON.parse(body) as { events: { seq: number }[] };
      for (const e of batch.events) if (e.seq === cursor + 1) cursor = e.seq;
      const ack = lie ? 1_000_000 : cursor;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ ack_seq: ack, applied: 0, duplicates: 0, waiting_for: null }));
    });
    const worker = ownWorker(pc, url);
    await pc.newSession({ amount: '10.00' });
    lie = true;
    await worker.runOnce();
    const sent = pc.sql<{ m: number }>(`SELECT max(seq) AS m FROM outbox WHERE channel = 'sync'`)[0]?.m ?? 0;
    expect(sent).toBeGreaterThan(0);
    const st = worker.status();
    expect(st.cursor).toBeLessThanOrEqual(sent);
  });

  it('a cloud whose cursor is behind events the counter already let go is a failure in words with backoff, not a success every second (finding 3)', async () => {
    // Realistic: the merchant points the counter at a new cloud (`sync set` with the new URL and
    // token, e.g. after re-adding the shop), or the cloud's database is restored from a backup.
    // The counter already forgot seq 1..N (acknowledged, then purged), the new cloud's cursor is
    // 0, so every batch from N+1 answers 200 {ack_seq: 0, waiting_for: 1}. sync-worker.ts treats
    // that as a success: repo.succeeded clears last_error, resets failures, sets
    // next_attempt_at = 0 and last_success_at = now, and only logs an error. So `sync status`
    // shows last_error null and a fresh last_success_at while nothing will ever be applied
    // again, and with no backoff the 1 s poll posts the same full batch every second for ever.
    // Expected: the status reports the stuck cloud (last_error) and the worker backs off.
    const { pc, cloud } = await setup();
    await pc.cancel(await pc.newSession({ amount: '10.00' }));
    await pc.core.sync.drain();
    expect(cloud.cursor).toBeGreaterThan(0);
    expect((await status(pc)).backlog).toBe(0);
    const fresh = await startStandInCloud('cps_a-fresh-cloud-token-0000');
    clouds.push(fresh);
    expect((await pc.rpc('sync.set', { url: fresh.url, token: fresh.token })).status).toBe(200);
    await pc.cancel(await pc.newSession({ amount: '11.00' }));
    await pc.core.sync.runOnce();
    await pc.core.sync.runOnce();
    expect(fresh.applied).toHaveLength(0);
    // The report right after `sync set` already finds the cloud behind (no batch needs to carry events to show it).
    expect(fresh.batches.length).toBeGreaterThan(0);
    const st = await status(pc);
    expect({ last_error: st.last_error, next_attempt_at: st.next_attempt_at }).toEqual({
      last_error: expect.any(String),
      next_attempt_at: expect.any(String),
    });
  });

  it('a 200 answer larger than 64 KiB is not read whole (finding 4)', async () => {
    // post-batch.ts does `await res.json()` with no size limit (for every status, 200 or error).
    // An honest answer is ~80 bytes. A broken or hostile cloud (or anything on the path of an
    // http:// URL) that answers 200 with a body of hundreds of MB makes the counter buffer it
    // all and JSON.parse it on the event loop: memory the counter's machine may not have, and
    // seconds in which no sale, SMS or checkout is served. Here 64 MB are all taken in (the
    // server's response finishes); a bounded reader would have stopped after a small cap and
    // closed the connection.
    const pc = await core();
    const size = 64 * 1024 * 1024;
    let finished = false;
    const url = await rawCloud((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(size + 30) });
      res.on('finish', () => {
        finished = true;
      });
      res.on('error', () => undefined);
      const head = '{"ack_seq":0,"pad":"';
      res.write(head);
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let left = size + 30 - head.length - 2;
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('"}');
      };
      pump();
    });
    await pc.newSession({ amount: '10.00' });
    const worker = ownWorker(pc, url);
    await worker.runOnce().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect(finished).toBe(false);
  });
});

describe('sync review: settings', () => {
  it('sync.set refuses a URL with a query string or fragment, which would send every batch to the wrong path (finding 5)', async () => {
    // sync-settings.ts writeSyncSettings keeps url.href (minus trailing slashes) whatever its
    // search and hash; post-batch.ts builds `${baseUrl}${SYNC_BATCHES_PATH}` by string
    // concatenation. `https://cloud.example.com/?region=eu` therefore posts to
    // `/?region=eu/api/sync/batches` (path `/`), and `…/#x` to `/` with a fragment: every batch
    // a 404/405 for ever, after the admin API answered 200. Expected: sync.set refuses a URL with
    // a query or fragment (400), or the worker joins the path properly (new URL(path, base)).
    const pc = await core();
    const cloud = await startStandInCloud();
    clouds.push(cloud);
    const res = await pc.rpc('sync.set', { url: `${cloud.url}/?region=eu`, token: cloud.token });
    await pc.cancel(await pc.newSession({ amount: '10.00' }));
    await pc.core.sync.drain();
    const st = await status(pc);
    expect(
      res.status === 400 || (cloud.applied.length > 0 && st.last_error === null),
      `sync.set answered ${res.status}; the cloud got ${cloud.batches.length} batches; last_error: ${st.last_error}`,
    ).toBe(true);
  });
});
