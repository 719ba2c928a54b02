/**
 * Writes docs/performance.md from the BENCH lines run-all.ts collected: the machine, the year of
 * traffic the figures were measured on, the issue's targets, every figure beside its ceiling at
 * 0 and at the year's size, and the seed's rate limits as the anchor for headroom.
 */
import fs from 'node:fs';
import { machine, sizeLabel, type BenchResult } from './_util';
import { benchSmsCount, cacheDirFor, readYearInfo, schemaVersion } from './_year';

export interface BenchRun {
  file: string;
  seconds: number;
  ok: boolean;
}

const LABELS: Record<string, string> = {
  'ingest.in_process': 'Ingest, in process (`core.sms.ingestBatch`, batches of 100 bKash SMS that follow the chain)',
  'push.sms_per_s': 'Device push over HTTP: 4 clients, batches of 100, out of balance order',
  'push.batch_p50': 'Device push: one batch of 100, p50',
  'push.batch_p99': 'Device push: one batch of 100, p99',
  'push.errors': 'Device push: errors (ECONNRESET and the like, non-200 answers)',
  'push_to_settled.p50': 'Push to settled, p50 (SMS pushed → `GET` session says success)',
  'push_to_settled.p99': 'Push to settled, p99',
  'lookup.http.p50': 'TxnID lookup over HTTP (admin rpc `txnid.lookup`), p50',
  'lookup.http.p99': 'TxnID lookup over HTTP, p99',
  'lookup.repo.p50': 'TxnID lookup in the repository (`SmsRepo.byTxnid`, in process), p50',
  'lookup.repo.p99': 'TxnID lookup in the repository, p99',
  'lookup.check.p50': 'Counter check in process (`payments.check`: lookup + verdict), p50',
  'lookup.check.p99': 'Counter check in process, p99',
  'get_session.req_per_s': '`GET /api/payment/sessions/:id`, 64 connections',
  'get_session.p50': '`GET /api/payment/sessions/:id`, 64 connections, p50',
  'get_session.p99': '`GET /api/payment/sessions/:id`, 64 connections, p99',
  cold_start: 'Cold start of the headless core to its `ready` line (median of 5)',
  rss: 'Resident memory (RSS) after opening the data dir and a few requests of each kind',
  database_bytes: 'Database file',
  database_bytes_tended: 'Database file after the maintenance purge caught up and a VACUUM (a shop that ran all year)',
  'commit.bare_full': 'Commit ceiling: better-sqlite3, one row per transaction, synchronous=FULL',
  'commit.core_single_sms': 'The core storing one SMS per commit (ingest of a batch of 1)',
  'commit.outbox_audit': 'Money-moving commits (outbox row + audit row each, `writeTransaction`)',
  'parse.rate': 'Parse, fixture mix of every wallet',
  'ingest.fixture_mix.batch1': 'SmsIngestor alone (no payments), fixture mix, batch of 1',
  'ingest.fixture_mix.batch50': 'SmsIngestor alone (no payments), fixture mix, batches of 50',
  'device_push.batch1': 'Device push, one phone, sequential requests, batch of 1',
  'device_push.batch50': 'Device push, one phone, sequential requests, batches of 50',
  'device_push.to_success_event.p50': 'Push to the session `success` event (in process bus), p50',
  'device_push.to_success_event.p99': 'Push to the session `success` event, p99',
  'device_push.to_success_get.p50': 'Push, then one GET says success, p50',
  'device_push.to_success_get.p99': 'Push, then one GET says success, p99',
  'sessions.create': '`POST /api/payment/sessions`, 10 connections',
  'sessions.create.p99': '`POST /api/payment/sessions`, 10 connections, p99',
  'sessions.get_20c': '`GET /api/payment/sessions/:id`, one session, 20 connections',
  'sessions.get_20c.p99': '`GET /api/payment/sessions/:id`, one session, 20 connections, p99',
  'sms_to_success.p50': 'SMS ingested → its waiting session success, in process, p50',
  'sms_to_success.p99': 'SMS ingested → its waiting session success, in process, p99',
  'year.generation': 'Generating the year through the core (bench/_year.ts)',
  'modem.cmti_to_row.p50': 'Modem: +CMTI to the committed row (simulator on a pty), p50',
  'modem.cmti_to_row.p99': 'Modem: +CMTI to the committed row, p99',
  'modem.backlog50': 'Modem: a backlog of 50 SMS on the SIM stored and deleted',
  'webhooks.delivered_per_s': 'Webhooks delivered (signed, POSTed, recorded) to a local receiver answering 200',
  'webhooks.outbox_per_change': 'Webhooks: the outbox rows one state change writes (webhook + sync), inside its transaction',
  'webhooks.state_change.p50': 'Webhooks: a whole state change (a cancel: IMMEDIATE transaction with its outbox rows, fsync), p50',
  'cloud.apply_1shop': 'Cloud sync: events applied into PostgreSQL by a cloud process, one shop, batches of 200 over HTTP',
  'cloud.apply_20shops': 'Cloud sync: events applied into PostgreSQL by a cloud process, 20 shops at once, batches of 200 over HTTP',
};

const fmt = (v: number | undefined, unit = ''): string => {
  if (v === undefined || Number.isNaN(v)) return '–';
  const abs = Math.abs(v);
  const text =
    unit === 'bytes'
      ? `${(v / 1e6).toFixed(1)} MB`
      : Number.isInteger(v)
        ? v.toLocaleString('en-US')
        : unit === 'bytes'
          ? `${(v / 1e6).toFixed(1)} MB`
          : abs >= 100
            ? Math.round(v).toLocaleString('en-US')
            : abs >= 10
              ? v.toFixed(1)
              : abs >= 1
                ? v.toFixed(2)
                : abs >= 0.01
                  ? v.toFixed(3)
                  : v.toFixed(4);
  return unit && unit !== 'bytes' ? `${text} ${unit}` : text;
};

/** How the figure compares with its ceiling: "0.42×" of a rate, "2.1× the time" of a latency. */
function ratio(r: BenchResult | undefined, ceiling = r?.ceiling): string {
  if (!r || ceiling === undefined || ceiling === 0) return '–';
  const x = r.value / ceiling;
  return r.unit === 'ms' ? `${x.toFixed(2)}× the time` : `${x.toFixed(2)}×`;
}

export function writeReport(file: string, opts: { results: BenchResult[]; runs: BenchRun[]; seconds: number; partial: boolean }): void {
  const { results } = opts;
  const N = benchSmsCount();
  const at = (name: string, size?: number) => results.find((r) => r.name === name && (size === undefined || r.size === size));
  const m = machine();
  const year = readYearInfo(cacheDirFor(N));
  const gen = at('year.generation');
  const L = sizeLabel(N);
  const out: string[] = [];
  const line = (s = '') => out.push(s);

  line('# Performance');
  line();
  line(
    `Generated by \`npm run bench\` (bench/run-all.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; do not edit by hand, run it again. ` +
      `Every figure is measured beside its ceiling in the same run: the same work done by express and better-sqlite3 alone ` +
      `(bench/_ceiling-server.ts, the core's pragmas, nothing of CounterPay), so a slower or faster machine moves both.`,
  );
  line();
  line(
    'On a machine with two cores, p99 latencies move by tens of percent from one run to the next (more when anything else runs); ' +
      'the ratios to the ceilings, measured in the same run, are the steadier figures. The headless core runs with log level ' +
      `\`${process.env.COUNTERPAY_BENCH_LOG_LEVEL ?? 'warn'}\` (COUNTERPAY_BENCH_LOG_LEVEL).`,
  );
  if (opts.partial) line(`\n**Partial run**: some benchmarks were not run or failed (see "Runs" below).`);
  line();
  line('## Machine');
  line();
  line('| CPU | cores | RAM | Node | OS | schema | the run took |');
  line('|---|---|---|---|---|---|---|');
  line(
    `| ${m.cpu} | ${m.cores} | ${m.ramGb} GB | ${m.node} | ${m.os} | user_version ${schemaVersion()} | ${(opts.seconds / 60).toFixed(1)} min |`,
  );
  line();

  line(`## Targets (issue 9), at 0 and at ${L} stored SMS`);
  line();
  line(`| target | at 0 | at ${L} | met |`);
  line('|---|---|---|---|');
  const flat = (title: string, name: string, kind: 'rate' | 'latency') => {
    const a = at(name, 0);
    const b = at(name, N);
    const ok = a && b ? (kind === 'rate' ? b.value >= 0.8 * a.value : b.value <= 1.2 * a.value) : null;
    const change = a && b && a.value ? ` (${b.value >= a.value ? '+' : ''}${(((b.value - a.value) / a.value) * 100).toFixed(0)}%)` : '';
    line(`| ${title} | ${fmt(a?.value, a?.unit)} | ${fmt(b?.value, b?.unit)}${change} | ${ok === null ? '–' : ok ? 'yes' : '**no**'} |`);
  };
  const bound = (
    title: string,
    name: string,
    test: (r: BenchResult) => boolean,
    sizes: number[] = [0, N],
    show = (r: BenchResult) => fmt(r.value, r.unit),
  ) => {
    const cells = [0, N].map((s) => {
      const r = at(name, s);
      return r && sizes.includes(s) ? show(r) : '–';
    });
    const checked = sizes.map((s) => at(name, s)).filter((r): r is BenchResult => r !== undefined);
    const ok = checked.length === 0 ? null : checked.every(test);
    line(`| ${title} | ${cells[0]} | ${cells[1]} | ${ok === null ? '–' : ok ? 'yes' : '**no**'} |`);
  };
  // SQLite's own insert slows as its b-trees grow (a random unique key in a million rows): the
  // ceilings at the year's size are measured on a table that holds as many rows. These say
  // whether what CounterPay adds grows too.
  const flatAgainstCeiling = (title: string, name: string) => {
    const a = at(name, 0);
    const b = at(name, N);
    const ra = a?.ceiling ? a.value / a.ceiling : undefined;
    const rb = b?.ceiling ? b.value / b.ceiling : undefined;
    const ok = ra !== undefined && rb !== undefined ? rb >= 0.8 * ra : null;
    const change = ra !== undefined && rb !== undefined ? ` (${rb >= ra ? '+' : ''}${(((rb - ra) / ra) * 100).toFixed(0)}%)` : '';
    line(
      `| ${title} | ${ra === undefined ? '–' : `${ra.toFixed(3)}×`} | ${rb === undefined ? '–' : `${rb.toFixed(3)}×`}${change} | ${ok === null ? '–' : ok ? 'yes' : '**no**'} |`,
    );
  };
  flat(`Flat cost: ingest rate at ${L} within 20% of empty`, 'ingest.in_process', 'rate');
  flatAgainstCeiling(`… the same, as a share of SQLite's own insert into a table of that size`, 'ingest.in_process');
  flat(`Flat cost: device push (4 clients) at ${L} within 20% of empty`, 'push.sms_per_s', 'rate');
  flatAgainstCeiling(`… the same, as a share of the bare server's insert into a table of that size`, 'push.sms_per_s');
  flat(`Flat cost: push-to-settled p99 at ${L} within 20% of empty`, 'push_to_settled.p99', 'latency');
  flat(`Flat cost: TxnID lookup p99 over HTTP at ${L} within 20% of empty`, 'lookup.http.p99', 'latency');
  flat(`Flat cost: TxnID lookup p99 in the repository at ${L} within 20% of empty`, 'lookup.repo.p99', 'latency');
  bound('TxnID lookup < 0.1 ms p99 (repository, in process)', 'lookup.repo.p99', (r) => r.value < 0.1);
  bound(
    'GET session ≥ 0.8× bare express + better-sqlite3 (64 connections)',
    'get_session.req_per_s',
    (r) => r.ceiling !== undefined && r.value >= 0.8 * r.ceiling,
    [0, N],
    (r) => `${fmt(r.value, r.unit)} = ${ratio(r)}`,
  );
  bound('GET session p99 < 20 ms at 64 connections', 'get_session.p99', (r) => r.value < 20);
  bound('Push to settled p99 < 5 ms', 'push_to_settled.p99', (r) => r.value < 5);
  bound(
    `RSS < 150 MB after ${L} SMS`,
    'rss',
    (r) => r.value < 150,
    [N],
    (r) => `${fmt(r.value, r.unit)} (peak ${fmt(r.peak as number, 'MB')})`,
  );
  bound('Cold start < 1.5 s', 'cold_start', (r) => r.value < 1500);
  bound(
    `Database after a year (${L} SMS), tended by the maintenance pass, < 1 GB (the bound this page states)`,
    'database_bytes_tended',
    (r) => r.value < 1_000_000_000,
    [N],
  );
  const cmti = at('modem.cmti_to_row.p99');
  line(
    `| +CMTI to committed row < 150 ms (issue 11; simulator on a pty, p99) | ${fmt(cmti?.value, cmti?.unit)} | – | ${cmti ? (cmti.value < 150 ? 'yes' : '**no**') : '–'} |`,
  );
  const backlog = at('modem.backlog50');
  line(
    `| Backlog of 50 drained < 10 s (issue 11) | ${fmt(backlog?.value, backlog?.unit)} | – | ${backlog ? (backlog.value < 10 ? 'yes' : '**no**') : '–'} |`,
  );
  const parse = at('parse.rate');
  line(
    `| Parse ≥ 50,000 msg/s (issue 10; fixtures and real formats of every wallet) | ${fmt(parse?.value, parse?.unit)} | – | ${parse ? (parse.value >= 50_000 ? 'yes' : '**no**') : '–'} |`,
  );
  line();

  line("## Headroom against the seed's own limits");
  line();
  line(
    'The MASTER PAY contract limits a shop to **60 session creations a minute per API key** and **120 SMS uploads a minute per device key** ' +
      "(one key for all the shop's phones; up to 100 SMS an upload). What the PC does beside them:",
  );
  line();
  line('| the seed allows | per second | measured | headroom |');
  line('|---|---|---|---|');
  const create = at('sessions.create');
  line(
    `| 60 session creations / min | 1 | ${fmt(create?.value, 'req/s')} (empty shop, 10 connections) | ${create ? `${Math.round(create.value)}×` : '–'} |`,
  );
  const one = at('device_push.batch1');
  line(
    `| 120 uploads / min of 1 SMS (a phone forwarding as they arrive) | 2 SMS | ${fmt(one?.value, 'SMS/s')} (one phone, sequential) | ${one ? `${Math.round(one.value / 2)}×` : '–'} |`,
  );
  for (const s of [0, N]) {
    const p = at('push.sms_per_s', s);
    line(
      `| 120 uploads / min of 100 SMS (a backlog) | 200 SMS | ${fmt(p?.value, 'SMS/s')} at ${sizeLabel(s)} stored (4 clients, out of order) | ${p ? `${(p.value / 200).toFixed(1)}×` : '–'} |`,
    );
  }
  for (const s of [0, N]) {
    const g = at('get_session.req_per_s', s);
    line(`| (no limit) merchant polls of a session | – | ${fmt(g?.value, 'req/s')} at ${sizeLabel(s)} stored | – |`);
  }
  line();

  line(`## Figures at 0 and at ${L} stored SMS`);
  line();
  line(`| figure | at 0 | at ${L} | ${L} vs 0 | ceiling at 0 / at ${L} | ratio to ceiling at 0 / at ${L} |`);
  line('|---|---|---|---|---|---|');
  const sized = [...new Set(results.filter((r) => r.size !== undefined && r.name !== 'year.generation').map((r) => r.name))];
  for (const name of sized) {
    const a = at(name, 0);
    const b = at(name, N);
    const vs = a && b && a.value ? `${(b.value / a.value).toFixed(2)}×` : '–';
    const ceilings = `${fmt(a?.ceiling, a?.unit)} / ${fmt(b?.ceiling, b?.unit)}`;
    line(
      `| ${LABELS[name] ?? name} | ${fmt(a?.value, a?.unit)} | ${fmt(b?.value, b?.unit)} | ${vs} | ${ceilings} | ${ratio(a)} / ${ratio(b)} |`,
    );
    const r2 = [a, b].filter((r): r is BenchResult => r?.ceiling2 !== undefined);
    if (r2.length > 0) {
      line(
        `| … against the second ceiling (${r2[0]?.ceiling2_name}) | | | | ${fmt(a?.ceiling2, a?.unit)} / ${fmt(b?.ceiling2, b?.unit)} | ${ratio(a, a?.ceiling2)} / ${ratio(b, b?.ceiling2)} |`,
      );
    }
  }
  line();
  const byCeiling = new Map<string, Set<string>>();
  for (const r of results) {
    for (const name of [r.ceiling_name, r.ceiling2_name]) {
      if (!name) continue;
      const set = byCeiling.get(name) ?? new Set<string>();
      set.add(r.name.replace(/\.p\d+$|_p\d+$/, ''));
      byCeiling.set(name, set);
    }
  }
  if (byCeiling.size > 0) {
    line('The ceilings (for the figures named after each):');
    line();
    for (const [name, figures] of byCeiling) line(`- ${name}: ${[...figures].map((f) => `\`${f}\``).join(', ')}`);
    line();
  }

  line('## Other figures (an empty shop)');
  line();
  line('| figure | value | ceiling | ratio |');
  line('|---|---|---|---|');
  for (const r of results.filter((x) => x.size === undefined && x.name !== 'year.generation')) {
    line(`| ${LABELS[r.name] ?? r.name} | ${fmt(r.value, r.unit)} | ${fmt(r.ceiling, r.unit)} | ${ratio(r)} |`);
  }
  line();

  line(`## The year of traffic (${L} SMS)`);
  line();
  if (year) {
    const c = year.counts;
    line(
      `Generated by bench/_year.ts through the core's own functions (createCore, \`sms.ingestBatch\` from the phone, the modem and a forwarder ` +
        `in batches of up to 500, \`payments.create/submit/check/accept/decide/cancel\`, the sweep, staff balance anchors), the core's clock moved ` +
        `through ${year.year.start.slice(0, 10)} – ${year.year.end.slice(0, 10)}. Cached in \`${cacheDirFor(N)}\` and copied before a benchmark writes.`,
    );
    line();
    line(
      `Generation: ${(year.seconds / 60).toFixed(1)} min, ${Math.round(c.sms / year.seconds)} SMS/s overall (synchronous=${year.synchronous} while generating; ` +
        `helper indexes ${year.helper_indexes ? 'on' : 'not needed'})${gen && !gen.generated ? '; reused from the cache in this run' : ''}.`,
    );
    line();
    const pick = (prefix: string) =>
      Object.entries(c)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => `${k.slice(prefix.length)} ${v.toLocaleString('en-US')}`)
        .join(', ');
    line('| what | how many |');
    line('|---|---|');
    line(`| SMS stored | ${c.sms.toLocaleString('en-US')} (${pick('sms_provider_')}) |`);
    line(`| by kind | ${pick('sms_kind_')} |`);
    line(
      `| balance chain | ${pick('sms_balance_')}; ${c.balance_anchors ?? 0} staff anchors; ${c.balance_links_back_in_time ?? 0} re-links back in time |`,
    );
    line(`| deliveries | ${(c.sms_deliveries ?? 0).toLocaleString('en-US')} (${pick('delivery_')}) |`);
    line(`| sessions | ${c.sessions.toLocaleString('en-US')} (${pick('session_')}) |`);
    line(
      `| transactions | ${c.transactions.toLocaleString('en-US')} (${pick('transaction_')}; ${c.transactions_reversed ?? 0} reversed) |`,
    );
    line(`| staff alerts | ${(c.staff_alerts ?? 0).toLocaleString('en-US')} (${pick('alert_')}; ${c.staff_alerts_open ?? 0} open) |`);
    line(`| audit log, outbox | ${(c.audit_log ?? 0).toLocaleString('en-US')}, ${(c.outbox ?? 0).toLocaleString('en-US')} |`);
    line(`| database file | ${(year.database_bytes / 1e6).toFixed(1)} MB |`);
  } else {
    line('(no year.json found in the cache)');
  }
  line();

  line('## How to run');
  line();
  line('```sh');
  line('npm run bench                                 # the year (generated once, then reused) and every benchmark; rewrites this file');
  line('npm run bench -- scale                        # only bench/*scale*.ts; add --write-doc to rewrite this file anyway');
  line('COUNTERPAY_BENCH_SMS=20000 npm run bench      # a smaller year (default 1,000,000 SMS, sessions a fifth of that)');
  line('node --import tsx bench/_year.ts --force      # generate the year again');
  line('```');
  line();
  line(
    'Knobs: `COUNTERPAY_BENCH_SESSIONS` (sessions in the year), `COUNTERPAY_BENCH_PUSH_SECONDS` (15), `COUNTERPAY_BENCH_GET_SECONDS` (5 a round), ' +
      "`COUNTERPAY_BENCH_LOG_LEVEL` (the headless core's log level, `warn`; `info` is a shop's default and adds a log line per SMS), " +
      '`COUNTERPAY_BENCH_GEN_SYNC=full` and `COUNTERPAY_BENCH_GEN_INDEXES=0` (generation options), `COUNTERPAY_BENCH_KEEP=1` (keep the copies), ' +
      '`COUNTERPAY_BENCH_PROFILE=1` (time every SQL statement during generation).',
  );
  line();
  line('## Runs');
  line();
  line('| file | seconds | ok |');
  line('|---|---|---|');
  for (const r of opts.runs) line(`| ${r.file} | ${r.seconds.toFixed(0)} | ${r.ok ? 'yes' : '**no**'} |`);
  line();
  line('<details><summary>Raw results (the BENCH lines)</summary>');
  line();
  line('```');
  for (const r of results) line(JSON.stringify(r));
  line('```');
  line();
  line('</details>');
  fs.writeFileSync(file, `${out.join('\n')}\n`);
}
