/**
 * GET /api/payment/sessions/:id, what a merchant's backend polls, at 64 connections (autocannon in
 * this process) against the headless core (a child process), rotating over 500 sessions: at an
 * empty shop (0 stored SMS, 500 sessions just made) and at a year of traffic (500 of its sessions).
 *
 * Beside it, in the same run, two ceilings in a bare server (bench/_ceiling-server.ts):
 *  - a bare express route answering a fixed session-shaped JSON body (no database);
 *  - a bare express route reading the same sessions row by primary key from the same database
 *    file with better-sqlite3 (the core's pragmas).
 * 3 rounds × 5 s, the three alternating; the servers not being measured are paused (SIGSTOP), so
 * the two cores of a small PC are the load generator's and the server's. The figure is the median
 * round; the ratio to each ceiling is printed.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { readKeyFile } from '../src-main/core/secrets';
import { JsonClient, emit, median, removeDir, round, sizeLabel, startCeiling, startHeadless, writeBenchConfig, type Child } from './_util';
import { benchSmsCount, copyDataDir, emptyShopDir, ensureYear } from './_year';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.COUNTERPAY_BENCH_GET_SECONDS ?? 5);
const ROUNDS = 3;
const SESSIONS = 500;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function rotating(base: string, paths: readonly string[], headers: Record<string, string> = {}): autocannon.Options {
  let i = 0;
  return {
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] as string }) }],
  };
}

async function measure(size: number, dir: string): Promise<void> {
  writeBenchConfig(dir);
  const keys = readKeyFile(dir);
  if (!keys) throw new Error(`no keys.json in ${dir}`);
  const dbFile = path.join(dir, 'counterpay.sqlite');
  let ids: string[] = [];
  if (size > 0) {
    const db = new Database(dbFile, { readonly: true });
    ids = (db.prepare('SELECT id FROM sessions ORDER BY random() LIMIT ?').all(SESSIONS) as { id: string }[]).map((r) => r.id);
    db.close();
  }
  const core = await startHeadless(dir);
  const ceiling = await startCeiling({ readDb: dbFile, ownDir: dir });
  try {
    if (ids.length === 0) {
      const client = new JsonClient(1);
      for (let i = 0; i < SESSIONS; i += 1) {
        const made = await client.post(
          `${core.urls.public}/api/payment/sessions`,
          { amount: '500.00', order_id: `BENCH-GET-${Date.now()}-${i}` },
          { 'x-api-key': keys.api_key },
        );
        ids.push((made.json as { session_id: string }).session_id);
      }
      client.close();
    }
    const targets: { name: string; child: Child; options: () => autocannon.Options }[] = [
      {
        name: 'core',
        child: core,
        options: () =>
          rotating(
            core.urls.public,
            ids.map((id) => `/api/payment/sessions/${id}`),
            { 'x-api-key': keys.api_key },
          ),
      },
      { name: 'bare express JSON', child: ceiling, options: () => rotating(ceiling.url, ['/json']) },
      {
        name: 'bare express + better-sqlite3 row',
        child: ceiling,
        options: () =>
          rotating(
            ceiling.url,
            ids.map((id) => `/session/${id}`),
          ),
      },
    ];
    const results = new Map<string, autocannon.Result[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const t of targets) {
        for (const other of new Set(targets.map((x) => x.child))) if (other !== t.child) other.pause();
        t.child.resume();
        if (round === 0) await run({ ...t.options(), duration: 1 });
        const r = await run(t.options());
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        results.set(t.name, [...(results.get(t.name) ?? []), r]);
      }
    }
    core.resume();
    ceiling.resume();
    const summary = (name: string) => {
      const rs = results.get(name) ?? [];
      return {
        rps: median(rs.map((r) => r.requests.average)),
        p50: median(rs.map((r) => r.latency.p50)),
        p99: median(rs.map((r) => r.latency.p99)),
        rounds: rs.map((r) => Math.round(r.requests.average)),
      };
    };
    const c = summary('core');
    const j = summary('bare express JSON');
    const q = summary('bare express + better-sqlite3 row');
    process.stdout.write(
      `get-session @${sizeLabel(size)}: core ${Math.round(c.rps)} req/s (p50 ${c.p50} ms, p99 ${c.p99} ms, rounds ${c.rounds.join('/')}); ` +
        `bare JSON ${Math.round(j.rps)} req/s (p99 ${j.p99} ms); bare express+sqlite ${Math.round(q.rps)} req/s (p99 ${q.p99} ms); ` +
        `ratio ${(c.rps / j.rps).toFixed(2)}× bare JSON, ${(c.rps / q.rps).toFixed(2)}× bare express+sqlite ` +
        `(${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s, ${ids.length} sessions)\n`,
    );
    const ceilings = {
      ceiling: Math.round(q.rps),
      ceiling_name: 'bare express + better-sqlite3 row by primary key',
      ceiling2: Math.round(j.rps),
      ceiling2_name: 'bare express JSON',
    };
    emit({ size, name: 'get_session.req_per_s', value: Math.round(c.rps), unit: 'req/s', better: 'higher', ...ceilings, rounds: c.rounds });
    emit({
      size,
      name: 'get_session.p99',
      value: c.p99,
      unit: 'ms',
      better: 'lower',
      ceiling: q.p99,
      ceiling_name: 'bare express + better-sqlite3 row by primary key',
      ceiling2: j.p99,
      ceiling2_name: 'bare express JSON',
    });
    emit({
      size,
      name: 'get_session.p50',
      value: round(c.p50),
      unit: 'ms',
      better: 'lower',
      ceiling: q.p50,
      ceiling_name: 'bare express + better-sqlite3 row by primary key',
    });
  } finally {
    await ceiling.stop();
    await core.stop();
  }
}

const N = benchSmsCount();
const year = await ensureYear(N);
for (const size of [0, N]) {
  const dir = size === 0 ? await emptyShopDir() : copyDataDir(year.dir);
  try {
    await measure(size, dir);
  } finally {
    removeDir(dir);
  }
}
