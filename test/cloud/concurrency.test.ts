/**
 * Many requests applying the same shop's overlapping batches at once never double or skip an
 * event: in one process on each backend, and in two cloud processes sharing one PostgreSQL server.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SyncBatchResponse, SyncEvent } from '../../src-shared/contract/sync';
import { openPgClient } from '../../src-cloud/db/pg-client';
import type { SqlRunner } from '../../src-cloud/db/sql-client';
import { addShop } from '../../src-cloud/shops';
import { cleanEnv } from '../support/child-process';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import {
  BACKENDS,
  batch,
  createTestDatabase,
  freshTarget,
  killCloudChildren,
  paid,
  postBatch,
  sessionView,
  spawnCloud,
  startInProcess,
  syncEvent,
} from './helpers';

const children = new Set<ChildProcess>();
afterEach(() => killCloudChildren(children));
afterAll(() => removeTempDirs());

/** N events over a few sessions, each session's last event paying it. */
function history(n: number): SyncEvent[] {
  const views = Array.from({ length: 10 }, (_, i) => sessionView({ order_id: `ORD-${i}` }));
  return Array.from({ length: n }, (_, i) => {
    const view = views[i % views.length]!;
    const last = i >= n - views.length;
    return syncEvent(i + 1, last ? paid(view) : { ...view, amount: `${i}.00` });
  });
}

/**
 * `workers` clients, spread over `urls`, each posting windows that overlap what others send
 * (starting a little before the cursor it last heard), until the cloud acknowledges everything.
 * Returns the sum of `applied` over every answer.
 */
async function race(
  urls: readonly string[],
  token: string,
  all: readonly SyncEvent[],
  workers: number,
): Promise<{ applied: number; answers: number }> {
  let applied = 0;
  let answers = 0;
  const worker = async (w: number) => {
    let ack = 0;
    let round = 0;
    while (ack < all.length) {
      const start = Math.max(0, ack - ((w * 7 + round * 13) % 40));
      const size = 30 + ((w * 11 + round * 5) % 70);
      const r = await postBatch(urls[(w + round) % urls.length]!, token, batch('race', all.slice(start, start + size)));
      expect(r.status, r.text).toBe(200);
      const body = r.json as SyncBatchResponse;
      applied += body.applied;
      answers += 1;
      expect(body.ack_seq).toBeGreaterThanOrEqual(ack);
      ack = body.ack_seq;
      round += 1;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return { applied, answers };
}

async function expectExactlyOnce(db: SqlRunner, shopId: string, all: readonly SyncEvent[]): Promise<void> {
  const stored = await db.query<{ seq: number; event_id: string }>('SELECT seq, event_id FROM events WHERE shop_id = $1 ORDER BY seq', [
    shopId,
  ]);
  expect(stored.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
  expect(stored.map((e) => e.event_id)).toEqual(all.map((e) => e.id));
  const [shop] = await db.query<{ cursor: number }>('SELECT cursor FROM shops WHERE id = $1', [shopId]);
  expect(shop?.cursor).toBe(all.length);
  const sessions = await db.query<{ status: string; last_seq: number }>('SELECT status, last_seq FROM sessions WHERE shop_id = $1', [
    shopId,
  ]);
  expect(sessions).toHaveLength(10);
  for (const s of sessions) {
    expect(s.status).toBe('success');
    expect(s.last_seq).toBeGreaterThan(all.length - 10);
  }
}

describe.each(BACKENDS)('one cloud process on %s under concurrent overlapping batches', (backend) => {
  it('applies every event exactly once', async () => {
    const fresh = await freshTarget(backend);
    const cloud = await startInProcess(fresh.target);
    try {
      const shop = await addShop(cloud.db, 'Racing');
      const all = history(400);
      const { applied } = await race([cloud.url], shop.sync_token, all, 8);
      expect(applied).toBe(all.length);
      await expectExactlyOnce(cloud.db, shop.shop_id, all);
    } finally {
      await cloud.stop();
      await fresh.drop();
    }
  });
});

describe('two cloud processes sharing one PostgreSQL database', () => {
  it('migrate once when started together, then apply the same shop’s overlapping batches exactly once', async () => {
    const database = await createTestDatabase('cp_cloud_two');
    const env = cleanEnv(makeTempDir('counterpay-cloud-sandbox-'));
    const db = openPgClient(database.url, { max: 2 });
    try {
      const [one, two] = await Promise.all([
        spawnCloud(['--port', '0', '--database-url', database.url], env, children),
        spawnCloud(['--port', '0', '--database-url', database.url], env, children),
      ]);
      expect(await db.query('SELECT version, name FROM schema_migrations')).toEqual([{ version: 10, name: '0010-create-cloud' }]);
      const shop = await addShop(db, 'Shared');
      const all = history(1200);
      const { applied, answers } = await race([one!.url, two!.url], shop.sync_token, all, 12);
      expect(applied).toBe(all.length);
      expect(answers).toBeGreaterThan(all.length / 100);
      await expectExactlyOnce(db, shop.shop_id, all);

      // The very same batch at both processes at once, many times over: one applies it, every other answer is a replay.
      const more = Array.from({ length: 50 }, (_, i) => syncEvent(all.length + 1 + i, sessionView()));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => postBatch([one!.url, two!.url][i % 2]!, shop.sync_token, batch('race', more))),
      );
      const bodies = results.map((r) => r.json as SyncBatchResponse);
      expect(bodies.map((b) => b.applied).sort((a, b) => b - a)).toEqual([50, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(bodies.every((b) => b.ack_seq === all.length + 50)).toBe(true);
      const seqs = await db.query<{ seq: number }>('SELECT seq FROM events WHERE shop_id = $1 ORDER BY seq', [shop.shop_id]);
      expect(seqs.map((r) => r.seq)).toEqual(all.concat(more).map((e) => e.seq));

      expect((await one!.stop()).code).toBe(0);
      expect((await two!.stop()).code).toBe(0);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
