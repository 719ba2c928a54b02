import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src-main/core/config';
import { createRateLimiter } from '../../../src-main/core/http/rate-limit';
import { silentLogger } from '../../../src-main/core/logging';
import { Maintenance, PURGE_BATCH_ROWS } from '../../../src-main/core/maintenance';
import { REPO_ROOT } from '../../support/child-process';
import { bkashTxnid, usePayCore, type PayCore } from '../payments/helpers';

/**
 * The life of long-lived data (issue 9): what the maintenance purge deletes, at exactly which
 * age, and what it never touches; and PRAGMA optimize / VACUUM when the shop is idle. A real
 * core on a real SQLite file; time moves by the core's injected clock, never by waiting.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tables whose rows are evidence: no purge, however old, may take a row from them. */
const EVIDENCE = ['sms', 'sms_deliveries', 'sessions', 'transactions', 'audit_log', 'balance_anchors', 'balance_chains'];

function count(pc: PayCore, table: string): number {
  return pc.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n ?? 0;
}

function run(pc: PayCore, sql: string, ...params: unknown[]): number {
  return Number(pc.core.db.prepare(sql).run(...params).lastInsertRowid);
}

function outboxRow(pc: PayCore, o: { status: string; createdAt: number; deliveredAt: number | null; payload?: string }): number {
  return run(
    pc,
    `INSERT INTO outbox (merchant_id, channel, topic, subject_id, payload, status, next_attempt_at, created_at, delivered_at)
     VALUES (?, 'webhook', 'session.updated', 'test', ?, ?, ?, ?, ?)`,
    pc.core.shop.merchantId,
    o.payload ?? '{}',
    o.status,
    o.createdAt,
    o.createdAt,
    o.deliveredAt,
  );
}

function alertRow(pc: PayCore, o: { createdAt: number; resolvedAt: number | null }): number {
  return run(
    pc,
    `INSERT INTO staff_alerts (merchant_id, kind, message, created_at, resolved_at) VALUES (?, 'balance_mismatch', 'test', ?, ?)`,
    pc.core.shop.merchantId,
    o.createdAt,
    o.resolvedAt,
  );
}

function ids(pc: PayCore, table: string): number[] {
  return pc.sql<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`).map((r) => r.id);
}

/** Some of every kind of evidence: sessions, a paid one with its SMS and transaction, audit rows. */
async function makeEvidence(pc: PayCore): Promise<void> {
  const paid = await pc.newSession({ amount: '500.00' });
  await pc.newSession({ amount: '120.00' });
  const txnid = bkashTxnid();
  await pc.bkashCredit({ txnid, amount: '500.00' });
  const r = await pc.submit(paid, { txnid });
  expect(r.status, r.text).toBeLessThan(300);
  await pc.getSession(paid);
}

describe('maintenance purge: each kind of row goes exactly when it is past its age', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('spent forwarder signs go once their expiry has come, not a millisecond before', () => {
    const now = pc.now();
    pc.core.db.prepare('DELETE FROM forwarder_spent_signs').run();
    const insert = pc.core.db.prepare('INSERT INTO forwarder_spent_signs (device_id, timestamp, expires_at) VALUES (?, ?, ?)');
    insert.run('fw-1', 'past', now - 1);
    insert.run('fw-1', 'due', now);
    insert.run('fw-1', 'future', now + 1);
    insert.run('fw-2', 'much-later', now + DAY);

    const report = pc.core.maintenance.purge(now);

    expect(report.spentSigns).toBe(2);
    expect(
      pc.sql<{ timestamp: string }>('SELECT timestamp FROM forwarder_spent_signs ORDER BY expires_at').map((r) => r.timestamp),
    ).toEqual(['future', 'much-later']);
  });

  it('delivered outbox rows go 30 days after delivery; pending and dead rows stay, however old', () => {
    const now = pc.now();
    const cutoff = now - 30 * DAY;
    const ancient = now - 400 * DAY;
    const before = ids(pc, 'outbox');
    const gone = [
      outboxRow(pc, { status: 'delivered', createdAt: ancient, deliveredAt: ancient }),
      outboxRow(pc, { status: 'delivered', createdAt: cutoff - HOUR, deliveredAt: cutoff }),
    ];
    const kept = [
      outboxRow(pc, { status: 'delivered', createdAt: cutoff - HOUR, deliveredAt: cutoff + 1 }),
      outboxRow(pc, { status: 'delivered', createdAt: now - MINUTE, deliveredAt: now }),
      outboxRow(pc, { status: 'pending', createdAt: ancient, deliveredAt: null }),
      outboxRow(pc, { status: 'dead', createdAt: ancient, deliveredAt: null }),
    ];

    const report = pc.core.maintenance.purge(now);

    expect(report.deliveredOutbox).toBe(gone.length);
    expect(ids(pc, 'outbox')).toEqual([...before, ...kept].sort((a, b) => a - b));
  });

  it('with no cloud set up, sync events go 30 days after they were written; with one (sync.json, even unreadable) they wait; a numbered one always waits', () => {
    const now = pc.now();
    const cutoff = now - 30 * DAY;
    const syncRow = (createdAt: number, seq: number | null = null) =>
      run(
        pc,
        `INSERT INTO outbox (merchant_id, channel, topic, subject_id, payload, status, next_attempt_at, created_at, seq, event_id)
         VALUES (?, 'sync', 'session.updated', 'test', '{}', 'pending', ?, ?, ?, ?)`,
        pc.core.shop.merchantId,
        createdAt,
        createdAt,
        seq,
        seq === null ? null : `evt_test_${seq}`,
      );
    const syncIds = () => pc.sql<{ id: number }>(`SELECT id FROM outbox WHERE channel = 'sync' ORDER BY id`).map((r) => r.id);
    const settings = path.join(pc.core.config.dataDir, 'sync.json');

    const numbered = syncRow(now - 400 * DAY, 999_001);
    const old = [syncRow(now - 400 * DAY), syncRow(cutoff)];
    const fresh = syncRow(cutoff + 1);
    const before = syncIds();

    // A cloud is set up (here a file that does not even parse): nothing of the sync queue goes.
    fs.writeFileSync(settings, '{ not json', { mode: 0o600 });
    try {
      expect(pc.core.maintenance.purge(now).unsentSync).toBe(0);
      expect(syncIds()).toEqual(before);
    } finally {
      fs.rmSync(settings, { force: true });
    }

    const report = pc.core.maintenance.purge(now);
    expect(report.unsentSync).toBe(old.length);
    const after = syncIds();
    for (const id of old) expect(after).not.toContain(id);
    expect(after).toContain(numbered);
    expect(after).toContain(fresh);
    pc.core.db.prepare('DELETE FROM outbox WHERE id IN (?, ?)').run(numbered, fresh);
  });

  it('staff alerts go a year after they were resolved; open alerts stay, however old', () => {
    const now = pc.now();
    const cutoff = now - 365 * DAY;
    const ancient = now - 5 * 365 * DAY;
    const before = ids(pc, 'staff_alerts');
    const gone = [alertRow(pc, { createdAt: ancient, resolvedAt: ancient }), alertRow(pc, { createdAt: ancient, resolvedAt: cutoff })];
    const kept = [
      alertRow(pc, { createdAt: ancient, resolvedAt: cutoff + 1 }),
      alertRow(pc, { createdAt: now - DAY, resolvedAt: now }),
      alertRow(pc, { createdAt: ancient, resolvedAt: null }),
    ];

    const report = pc.core.maintenance.purge(now);

    expect(report.resolvedAlerts).toBe(gone.length);
    expect(ids(pc, 'staff_alerts')).toEqual([...before, ...kept].sort((a, b) => a - b));
  });

  it('the sweep purges idempotency keys whose 24 h retention ended, and only those', () => {
    const now = pc.now();
    const insert = pc.core.db.prepare(
      `INSERT INTO idempotency_keys (key_hash, fingerprint, state, response_status, response_body, created_at, completed_at, expires_at)
       VALUES (?, ?, 'done', 201, '{}', ?, ?, ?)`,
    );
    const fingerprint = 'f'.repeat(64);
    insert.run('expired'.padEnd(64, '0'), fingerprint, now - 2 * DAY, now - 2 * DAY, now - DAY);
    insert.run('alive'.padEnd(64, '0'), fingerprint, now - HOUR, now - HOUR, now + 23 * HOUR);

    pc.core.sweep();

    const left = pc
      .sql<{ key_hash: string }>('SELECT key_hash FROM idempotency_keys WHERE fingerprint = ?', fingerprint)
      .map((r) => r.key_hash);
    expect(left).toEqual(['alive'.padEnd(64, '0')]);
  });

  it('never deletes evidence: SMS, deliveries, sessions, transactions, the audit log, balance records', async () => {
    await makeEvidence(pc);
    const before = Object.fromEntries(EVIDENCE.map((t) => [t, count(pc, t)]));
    expect(before.sms).toBeGreaterThan(0);
    expect(before.sessions).toBeGreaterThan(1);
    expect(before.transactions).toBeGreaterThan(0);
    expect(before.audit_log).toBeGreaterThan(0);

    // Fifty years on, every keep has long run out.
    const farFuture = pc.now() + 50 * 365 * DAY;
    pc.core.maintenance.purge(farFuture);
    pc.core.maintenance.optimizeWhenIdle(farFuture);

    expect(Object.fromEntries(EVIDENCE.map((t) => [t, count(pc, t)]))).toEqual(before);
  });

  it('a large outbox backlog is taken in bounded batches, and the next tick carries on', () => {
    const now = pc.now();
    const old = now - 60 * DAY;
    const kept = outboxRow(pc, { status: 'pending', createdAt: old, deliveredAt: null });
    pc.core.db.transaction(() => {
      for (let i = 0; i < PURGE_BATCH_ROWS + 100; i += 1) outboxRow(pc, { status: 'delivered', createdAt: old, deliveredAt: old + i });
    })();

    const first = pc.core.maintenance.purge(now);
    expect(first.deliveredOutbox).toBe(PURGE_BATCH_ROWS);
    expect(first.more).toBe(true);
    // tick() purges again at once while a batch came back full, whatever purgeEveryMinutes says.
    pc.core.maintenance.tick(now);
    expect(count(pc, "outbox WHERE status = 'delivered'")).toBe(0);
    expect(ids(pc, 'outbox')).toContain(kept);
  });

  it("prunes the rate limiters' ended windows held in memory", () => {
    let t = 1_000_000;
    const limiter = createRateLimiter({ limit: 5, windowMs: MINUTE, clock: () => t });
    for (let i = 0; i < 50; i += 1) limiter.hit(`addr:10.0.0.${i}`);
    t += 30_000;
    limiter.hit('addr:10.0.1.1');
    const maintenance = new Maintenance({
      db: pc.core.db,
      config: pc.core.config.maintenance,
      clock: () => t,
      logger: silentLogger(),
      activity: () => 0,
      memory: [{ name: 'checkout', prune: () => limiter.prune() }],
    });

    expect(maintenance.purge(pc.now()).memory).toEqual({ checkout: 0 });
    t += 31_000; // the first 50 windows have ended; the last one has not
    expect(maintenance.purge(pc.now()).memory).toEqual({ checkout: 50 });
    expect(limiter.size()).toBe(1);

    // The core prunes every one of its limiters on the same timer.
    expect(Object.keys(pc.core.maintenance.purge(pc.now()).memory).sort()).toEqual([
      'rateLimit.checkoutSubmit',
      'rateLimit.deviceSms',
      'rateLimit.merchantLogin',
      'rateLimit.merchantVerify',
      'rateLimit.sessionCreate',
    ]);
  });
});

function analyzedTables(pc: PayCore): string[] {
  const hasStats = pc.sql("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").length > 0;
  return hasStats ? [...new Set(pc.sql<{ tbl: string }>('SELECT tbl FROM sqlite_stat1').map((r) => r.tbl))].sort() : [];
}

function pragma(pc: PayCore, name: string): number {
  return Number(pc.core.db.pragma(name, { simple: true }));
}

describe('maintenance: PRAGMA optimize when the shop is idle', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { config: { maintenance: { idleAfterMinutes: 30, optimizeEveryHours: 24 } } });

  it('runs at start, once each time the shop falls idle, and every optimizeEveryHours when it never does', async () => {
    const atStart = pc.core.maintenance.state().lastOptimizeAt;
    expect(atStart).not.toBeNull();

    // Business: sessions created and polled (the sessions table is queried on this connection).
    for (let i = 0; i < 5; i += 1) await pc.view(await pc.newSession());
    expect(analyzedTables(pc)).not.toContain('sessions');
    pc.advance(10 * MINUTE);
    pc.core.sweep();
    expect(pc.core.maintenance.state()).toMatchObject({ idle: false, lastOptimizeAt: atStart });

    // Half an hour without a request: idle. The sweep runs PRAGMA optimize, which analyzes sessions.
    pc.advance(31 * MINUTE);
    pc.core.sweep();
    const idleRun = pc.core.maintenance.state();
    expect(idleRun.idle).toBe(true);
    expect(idleRun.lastOptimizeAt).not.toBe(atStart);
    expect(analyzedTables(pc)).toContain('sessions');

    // Still the same idle spell: not again.
    pc.advance(2 * HOUR);
    pc.core.sweep();
    expect(pc.core.maintenance.state().lastOptimizeAt).toBe(idleRun.lastOptimizeAt);

    // A shop busy around the clock still gets it every optimizeEveryHours.
    for (let hour = 0; hour < 25; hour += 1) {
      await pc.getSession('no-such-session-id-000');
      pc.advance(HOUR);
      pc.core.sweep();
      expect(pc.core.maintenance.state().idle).toBe(false);
    }
    const busy = pc.core.maintenance.state();
    expect(busy.lastOptimizeAt).toBeGreaterThan(idleRun.lastOptimizeAt as number);

    // An SMS is activity too (the phones' heartbeats are not).
    pc.advance(HOUR);
    await pc.bkashCredit({ txnid: bkashTxnid(), amount: '20.00' });
    pc.core.sweep();
    expect(pc.core.maintenance.state().idle).toBe(false);
  });

  it('keeps row counts and drops the value samples, which would make SQLite plan statements again on every call', async () => {
    for (let i = 0; i < 30; i += 1) await pc.view(await pc.newSession());
    pc.advance(31 * MINUTE);
    pc.core.sweep();
    expect(analyzedTables(pc)).toContain('sessions');
    const samples = pc.sql("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'").length
      ? pc.sql<{ n: number }>('SELECT count(*) AS n FROM sqlite_stat4')[0]?.n
      : 0;
    expect(samples).toBe(0);
  });

  it('VACUUMs only while idle, and only when free pages are a large share of the file', async () => {
    const config = { ...pc.core.config.maintenance, vacuumMinFreeMiB: 1, vacuumFreeRatio: 0.25 };
    let activity = 0;
    const maintenance = new Maintenance({ db: pc.core.db, config, clock: pc.now, logger: silentLogger(), activity: () => activity });
    maintenance.optimizeWhenIdle(); // the start's run

    // Months of delivered webhooks, then the purge: the file is left mostly free pages.
    const old = pc.now() - 90 * DAY;
    const payload = JSON.stringify({ blob: 'x'.repeat(2_000) });
    pc.core.db.transaction(() => {
      for (let i = 0; i < 3_000; i += 1) outboxRow(pc, { status: 'delivered', createdAt: old, deliveredAt: old, payload });
    })();
    const keptOutbox = outboxRow(pc, { status: 'pending', createdAt: old, deliveredAt: null, payload });
    expect(maintenance.purge().deliveredOutbox).toBe(3_000);
    const freeBefore = pragma(pc, 'freelist_count');
    const pagesBefore = pragma(pc, 'page_count');
    expect(maintenance.shouldVacuum()).toBe(true);

    // Busy: left alone.
    activity += 1;
    pc.advance(5 * MINUTE);
    expect(maintenance.optimizeWhenIdle().vacuumed).toBe(false);
    expect(pragma(pc, 'freelist_count')).toBe(freeBefore);

    // Idle: rewritten, with every kept row still there.
    pc.advance(31 * MINUTE);
    expect(maintenance.optimizeWhenIdle().vacuumed).toBe(true);
    expect(pragma(pc, 'freelist_count')).toBe(0);
    expect(pragma(pc, 'page_count')).toBeLessThan(pagesBefore);
    expect(ids(pc, 'outbox')).toContain(keptOutbox);
    expect(maintenance.state().lastVacuumAt).not.toBeNull();

    // Nothing to gain: not again.
    pc.advance(HOUR);
    expect(maintenance.optimizeWhenIdle().vacuumed).toBe(false);
  });

  it('leaves a small or lightly used free list alone', () => {
    const page = 4096;
    const m = pc.core.maintenance; // defaults: 25 % and 64 MiB
    expect(m.shouldVacuum({ pageSize: page, pageCount: 100_000, freelistCount: 10_000, autoVacuum: 0 })).toBe(false); // 10 %
    expect(m.shouldVacuum({ pageSize: page, pageCount: 1_000, freelistCount: 900, autoVacuum: 0 })).toBe(false); // 3.5 MiB
    expect(m.shouldVacuum({ pageSize: page, pageCount: 100_000, freelistCount: 30_000, autoVacuum: 0 })).toBe(true); // 30 %, 117 MiB
  });
});

describe('maintenance configuration', () => {
  it('has defaults: 30 days for delivered outbox rows, a year for resolved alerts, idle after 30 minutes', () => {
    expect(configSchema.parse({ dataDir: '/tmp/x' }).maintenance).toEqual({
      outboxDeliveredDays: 30,
      webhookDeliveryDays: 90,
      resolvedAlertDays: 365,
      purgeEveryMinutes: 60,
      idleAfterMinutes: 30,
      optimizeEveryHours: 24,
      vacuumFreeRatio: 0.25,
      vacuumMinFreeMiB: 64,
    });
    expect(() => configSchema.parse({ dataDir: '/tmp/x', maintenance: { outboxDeliveredDays: 0 } })).toThrow();
    expect(() => configSchema.parse({ dataDir: '/tmp/x', maintenance: { keepSmsDays: 30 } })).toThrow();
  });

  it("README's config.json example is a valid configuration and shows the maintenance section", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const example = /### config\.json[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const parsed = configSchema.parse({ ...(JSON.parse(example as string) as object), dataDir: '/tmp/x' });
    expect(parsed.maintenance).toEqual(configSchema.parse({ dataDir: '/tmp/x' }).maintenance);
    expect(Object.keys((JSON.parse(example as string) as { maintenance: object }).maintenance).sort()).toEqual(
      Object.keys(parsed.maintenance).sort(),
    );
  });
});
