import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src-main/core/audit';
import { anchorBalance } from '../../../src-main/core/balance';
import { listForwarders, registerForwarder, removeForwarder, signCapcom6, signTimestampSign } from '../../../src-main/core/devices';
import { addGateway, gatewayViews, hasShop, renameShop, rotateKeys, updateGatewaySettings } from '../../../src-main/core/shop';
import { claimIdempotencyKey, completeIdempotencyKey } from '../../../src-main/core/db/repos/idempotency-repo';
import { keepRowCountsOnly } from '../../../src-main/core/db/repos/maintenance-repo';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { startStandInCloud, type StandInCloud } from '../../support/stand-in-cloud';
import { removeTempDirs } from '../../support/temp-dir';
import { BKASH_ACCOUNT, UPI_ACCOUNT, bkashTxnid, orderId, startPayCore, taka, upiRef, type PayCore } from '../payments/helpers';

/**
 * Issue 9: every statement the core prepares runs on an index.
 *
 * better-sqlite3's `Database.prototype.prepare` is wrapped to record every SQL text the core
 * prepares (lazily prepared ones included) while a real core, over real HTTP, walks every path:
 * the merchant API, the checkout, the device API and forwarders, staff import and the counter's
 * commands, reversals, the sweep, and the CLI's tools. The database is filled the way weeks of
 * trade fill it (thousands of SMS over several wallets, balance chains with broken rows,
 * hundreds of sessions and attempts, deliveries, outbox and audit rows), and each recorded
 * statement is planned twice: as a fresh shop's SQLite plans it (no statistics) and after
 * ANALYZE (as the maintenance pass leaves it: PRAGMA optimize, then row counts only). Two findings fail the test:
 *
 * - SCAN: EXPLAIN QUERY PLAN reads a growing table (or one of its indexes) end to end. The
 *   TxnID lookup before sms_by_txnid (migration 0070) was one.
 * - WALK: a SEARCH whose index key does not narrow the rows (more than a twentieth of the
 *   table per key, counted in the filled database; a column compared to a literal counts only
 *   that value's rows) while the statement drops rows the index brought: a WHERE term the index
 *   cannot answer, which EXPLAIN's bytecode shows as a conditional jump from the loop's body
 *   past the row's output to the loop's Next. The balance chain's walk back over every broken
 *   SMS before migration 0060 was one, and EXPLAIN QUERY PLAN called it a SEARCH.
 *
 * Temporary b-trees (ORDER BY a column the index does not give in order) are not failures:
 * every one left sorts the few rows of one key.
 *
 * The last test replays both causes and checks that this file flags them.
 */

const DAY = 86_400_000;

/** Tables that grow with every SMS, sale or decision: a full read of one costs more every week. */
const GROWING_TABLES = new Set([
  'sms',
  'sms_deliveries',
  'sessions',
  'transactions',
  'outbox',
  'audit_log',
  'staff_alerts',
  'idempotency_keys',
  'balance_anchors',
  'webhook_deliveries',
  'webhook_attempts',
]);

/** Tables that stay a handful of rows for the life of a shop: the planner may read them whole. */
const SMALL_TABLES: Record<string, string> = {
  merchants: 'one shop, one merchant',
  brands: "the shop's brands",
  credentials: 'the keys of one shop and the ones they replaced',
  gateways: "the shop's wallet accounts",
  devices: 'the counter phone, a modem, a few forwarders',
  balance_chains: 'one row per wallet account (and bank, for UPI) that has a trusted balance point',
  forwarder_spent_signs: 'bounded by the replay window: each spend deletes the signs past their keep',
  modem_parts: 'parts of multipart SMS waiting for the rest: removed when the message is whole or its wait ends',
  schema_migrations: 'one row per migration',
  webhook_endpoints: "the brand's webhook URL for live and for test: two rows per brand",
  sync_state: 'one row per shop: the counter side of the sync protocol',
  shop_settings: 'one row per shop: the public address set on the counter, and the setup flow',
};

/**
 * Scans and walks kept on purpose: the statement, the plan line (as reported below) and why it
 * is the right plan. An exception no statement needs any more fails the test: delete it.
 */
const DELIBERATE: { statement: RegExp; plan: RegExp; why: string }[] = [
  {
    statement: /^SELECT \* FROM audit_log ORDER BY seq$/,
    plan: /^SCAN audit_log$/,
    why: '`counterpay audit verify` checks every row of the hash chain, in order: reading all of it is the job.',
  },
  {
    statement: /^SELECT \(SELECT count\(\*\) FROM sms\) AS sms, \(SELECT count\(\*\) FROM sessions\) AS sessions/,
    plan: /^SCAN (sms|sessions|transactions) USING COVERING INDEX \w+$/,
    why:
      'The status snapshot counts every row by definition. count(*) reads the smallest index of the table, never a ' +
      'row (a few hundred pages for a hundred thousand rows). Avoiding it would take a counter kept by triggers on ' +
      'the three busiest tables.',
  },
];

/** A WALK: the index brings more than this share of the table's rows per key (and more than WALK_MIN_ROWS). */
const WALK_SHARE = 0.05;
const WALK_MIN_ROWS = 20;

// ---- recording what the core prepares

/** Per connection: each SQL text it prepared outside the migrations, and the first place it did. */
const preparedBy = new WeakMap<object, Map<string, string>>();
const realPrepare = Database.prototype.prepare;
/** Migrations' statements run once per upgrade, not per request: left out. */
const MIGRATION_FRAME = /[\\/]core[\\/]db[\\/]migrat(?:e|ions)[\\/.]/;

function siteOf(stack: string): string {
  for (const line of stack.split('\n')) {
    const match = /(src-main[\\/][^():]+\.ts):(\d+)/.exec(line);
    if (match) return `${match[1]}:${match[2]}`;
  }
  return '(not from src-main)';
}

/** Wraps prepare: records the SQL text (and, once per text, where it came from), then calls through. */
function startRecording(): void {
  Database.prototype.prepare = function record(this: Database.Database, source: string) {
    let seen = preparedBy.get(this);
    if (!seen) preparedBy.set(this, (seen = new Map()));
    if (!seen.has(source)) {
      const stack = new Error().stack ?? '';
      if (!MIGRATION_FRAME.test(stack)) seen.set(source, siteOf(stack));
    }
    return realPrepare.call(this, source);
  } as typeof realPrepare;
}

function stopRecording(): void {
  Database.prototype.prepare = realPrepare;
}

/** better-sqlite3's own prepare, never recorded: the test's own reads and EXPLAINs. */
function query(db: Database.Database, sql: string): Database.Statement<unknown[]> {
  return realPrepare.call(db, sql) as Database.Statement<unknown[]>;
}

/** Statements that are not queries of the shop's data. */
const NOT_A_QUERY =
  /^\s*(?:PRAGMA|CREATE|DROP|ALTER|EXPLAIN|BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|ANALYZE|VACUUM|REINDEX|ATTACH|DETACH)\b/i;

/** The core connection's statements (not a test's reader), SQL text → where it was prepared. */
function coreStatements(db: object): Map<string, string> {
  const out = new Map<string, string>();
  for (const [sql, site] of preparedBy.get(db) ?? []) if (!NOT_A_QUERY.test(sql)) out.set(sql, site);
  return out;
}

// ---- reading SQL just enough to bind it and to name its tables

/** The SQL without string literals, quoted names and comments (a '?' in a literal is no parameter). */
function codeOf(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

/** A dummy value for every parameter: positional `?` as an array, named `@x :x $x` as an object. */
function dummyArguments(sql: string): unknown[] {
  const code = codeOf(sql);
  let positional = 0;
  let numbered = 0;
  const named: Record<string, number> = {};
  for (const match of code.matchAll(/\?(\d*)|[@:$]([A-Za-z_]\w*)/g)) {
    if (match[2]) named[match[2]] = 1;
    else if (match[1]) numbered = Math.max(numbered, Number(match[1]));
    else positional += 1;
  }
  const args: unknown[] = Array.from({ length: Math.max(positional, numbered) }, () => 1);
  if (Object.keys(named).length > 0) args.push(named);
  return args;
}

const NOT_AN_ALIAS = new Set(
  'WHERE ON LEFT RIGHT FULL INNER OUTER CROSS NATURAL JOIN USING ORDER GROUP LIMIT HAVING WINDOW UNION EXCEPT INTERSECT INDEXED NOT SET VALUES AS DEFAULT'.split(
    ' ',
  ),
);

/** alias → table for a statement's FROM, JOIN, UPDATE and INTO clauses (plans name the alias). */
function tablesOf(sql: string): Map<string, string> {
  const tables = new Map<string, string>();
  for (const match of codeOf(sql).matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?/gi)) {
    const table = match[1] as string;
    tables.set(table, table);
    const alias = match[2];
    if (alias && !NOT_AN_ALIAS.has(alias.toUpperCase())) tables.set(alias, table);
  }
  return tables;
}

// ---- judging plans

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

interface Op {
  addr: number;
  opcode: string;
  p1: number;
  p2: number;
}

/** Opcodes that jump to p2 on a condition. */
const CONDITIONAL_JUMPS = new Set(['Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge', 'If', 'IfNot', 'IsNull', 'NotNull', 'NotFound', 'Found', 'IsType']);
/** Opcodes by which a loop hands a row on: to the caller, a sorter, a temporary b-tree, an aggregate, a write. */
const OUTPUT_OPS = new Set([
  'ResultRow',
  'SorterInsert',
  'IdxInsert',
  'Insert',
  'Delete',
  'IdxDelete',
  'AggStep',
  'AggStep1',
  'Yield',
  'RowSetAdd',
]);

interface Finding {
  sql: string;
  site: string;
  mode: string;
  plan: string;
  /** The offending lines: `SCAN …` as EXPLAIN QUERY PLAN says it, or `WALK …` (see the top of the file). */
  lines: string[];
}

function planText(rows: PlanRow[]): string {
  const depth = new Map<number, number>([[0, 0]]);
  return rows
    .map((row) => {
      const d = (depth.get(row.parent) ?? 0) + 1;
      depth.set(row.id, d);
      return `${'  '.repeat(d)}${row.detail}`;
    })
    .join('\n');
}

interface IndexInfo {
  name: string;
  table: string;
  /** The indexed columns in order (null for an expression). */
  columns: (string | null)[];
  /** A partial index's WHERE clause. */
  where: string | null;
}

/** The tables and indexes the connection sees, and the rows of the growing tables. */
class Schema {
  /** root page → index */
  readonly indexes = new Map<number, IndexInfo>();
  readonly rows = new Map<string, number>();
  private readonly keyRows = new Map<string, number>();

  constructor(readonly db: Database.Database) {
    const objects = query(db, "SELECT name, tbl_name, rootpage, sql FROM sqlite_schema WHERE type = 'index'").all() as {
      name: string;
      tbl_name: string;
      rootpage: number;
      sql: string | null;
    }[];
    for (const o of objects) {
      const columns = (db.pragma(`index_info(${JSON.stringify(o.name)})`) as { name: string | null }[]).map((c) => c.name);
      const where = o.sql ? (/\bWHERE\b([\s\S]*)$/i.exec(o.sql)?.[1]?.trim() ?? null) : null;
      this.indexes.set(o.rootpage, { name: o.name, table: o.tbl_name, columns, where });
    }
    for (const table of GROWING_TABLES) this.rows.set(table, this.count(`SELECT count(*) AS n FROM ${table}`));
  }

  private count(sql: string): number {
    return Number((query(this.db, sql).get() as { n: number | null }).n ?? 0);
  }

  /**
   * Rows an index lookup on these equality columns brings, on average over the keys present in
   * the data; a column the statement compares to a literal (`status = 'pending'`) counts only
   * that value's rows. Measured on the filled database, so it holds with or without statistics.
   */
  rowsPerKey(index: IndexInfo, equalities: string[], literals: Map<string, string>): number {
    const key = `${index.name}|${equalities.join(',')}|${[...literals].join(',')}`;
    let n = this.keyRows.get(key);
    if (n === undefined) {
      const conditions = [index.where ?? '1', ...equalities.filter((c) => literals.has(c)).map((c) => `${c} = ${literals.get(c)}`)];
      const groups = equalities.filter((c) => !literals.has(c));
      const from = `FROM ${index.table} WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}`;
      n =
        groups.length === 0
          ? this.count(`SELECT count(*) AS n ${from}`)
          : this.count(`SELECT avg(c) AS n FROM (SELECT count(*) AS c ${from} GROUP BY ${groups.join(', ')})`);
      this.keyRows.set(key, n);
    }
    return n;
  }
}

/** `col = 'text'` or `col = 12` in the statement: the value the plan's `col=?` stands for. */
function literalsOf(sql: string): Map<string, string> {
  const literals = new Map<string, string>();
  for (const m of sql.matchAll(/\b(\w+)\s*=\s*('(?:[^']|'')*'|-?\d+(?![\w.]))/g)) literals.set(m[1] as string, m[2] as string);
  return literals;
}

/**
 * From `from`, straight on (a conditional jump falls through): does control reach the loop's Next
 * without coming back to the row's output? A LEFT JOIN's no-match path jumps past the output
 * too, then returns to it with a null row: that is not a dropped row. (So a WHERE term on a LEFT
 * JOIN's right side, checked on that path too, is not seen dropping rows: the phone's search by
 * order id, `s.order_id LIKE '%…%'`, which no b-tree index answers anyway.)
 */
function reachesNext(ops: Op[], from: number, next: number, lastOutput: number): boolean {
  let pc = from;
  for (let steps = 0; steps < ops.length && pc < next; steps += 1) {
    const op = ops[pc] as Op;
    if (op.opcode === 'Goto') {
      if (op.p2 <= lastOutput) return false;
      pc = op.p2;
    } else pc += 1;
  }
  return pc === next;
}

/**
 * Loops over an index of a growing table that drop rows they read (a conditional jump from the
 * loop's body past the row's output, to the loop's Next) while the index key brings more than
 * WALK_SHARE of the table.
 */
function walksOf(schema: Schema, sql: string, args: unknown[], plan: PlanRow[], aliases: Map<string, string>): string[] {
  const ops = query(schema.db, `EXPLAIN ${sql}`).all(...args) as Op[];
  const cursors = new Map<number, IndexInfo>();
  for (const op of ops) {
    const index = schema.indexes.get(op.p2);
    if ((op.opcode === 'OpenRead' || op.opcode === 'OpenWrite' || op.opcode === 'ReopenIdx') && index) cursors.set(op.p1, index);
  }
  const literals = literalsOf(sql);
  const walks: string[] = [];
  for (const loop of ops) {
    if (loop.opcode !== 'Next' && loop.opcode !== 'Prev') continue;
    const index = cursors.get(loop.p1);
    if (!index || !GROWING_TABLES.has(index.table) || index.columns.includes(null)) continue;
    const body = ops.filter((op) => op.addr >= loop.p2 && op.addr < loop.addr);
    const lastOutput = Math.max(-1, ...body.filter((op) => OUTPUT_OPS.has(op.opcode)).map((op) => op.addr));
    const drops = body.some(
      (op) =>
        op.addr < lastOutput && CONDITIONAL_JUMPS.has(op.opcode) && op.p2 > lastOutput && reachesNext(ops, op.p2, loop.addr, lastOutput),
    );
    if (!drops) continue;
    const line = plan.find((row) => new RegExp(`USING (?:COVERING )?INDEX ${index.name}\\b`).test(row.detail));
    if (!line) continue;
    const constraint = /\((.*)\)/.exec(line.detail)?.[1] ?? '';
    const equalities = constraint
      .split(' AND ')
      .map((term) => /^(\w+)=\?$/.exec(term)?.[1])
      .filter((c): c is string => c !== undefined && index.columns.includes(c));
    const perKey = schema.rowsPerKey(index, equalities, literals);
    const rows = schema.rows.get(index.table) ?? 0;
    if (perKey <= Math.max(WALK_MIN_ROWS, rows * WALK_SHARE)) continue;
    const alias = [...aliases].find(([, table]) => table === index.table)?.[0] ?? index.table;
    const how = /^(?:SCAN|SEARCH) \S+ (USING .*)$/.exec(line.detail)?.[1] ?? line.detail;
    walks.push(`WALK ${alias} ${how} drops rows: ~${Math.round(perKey)} of ${rows} rows per key`);
  }
  return walks;
}

/** Every SCAN and WALK of a growing table, minus the deliberate ones (counted in `used`). */
function findingsOf(schema: Schema, mode: string, statements: Map<string, string>, used: Set<number>): Finding[] {
  const findings: Finding[] = [];
  for (const [sql, site] of statements) {
    const args = dummyArguments(sql);
    const rows = query(schema.db, `EXPLAIN QUERY PLAN ${sql}`).all(...args) as PlanRow[];
    const aliases = tablesOf(sql);
    const scans = rows
      .map((row) => row.detail)
      .filter((detail) => {
        const match = /^SCAN (\S+)/.exec(detail);
        return match !== null && GROWING_TABLES.has(aliases.get(match[1] as string) ?? (match[1] as string));
      });
    const walks = walksOf(schema, sql, args, rows, aliases);
    const flat = sql.replace(/\s+/g, ' ').trim();
    const lines = [...scans, ...walks].filter((line) => {
      const exception = DELIBERATE.findIndex((e) => e.statement.test(flat) && e.plan.test(line));
      if (exception === -1) return true;
      used.add(exception);
      return false;
    });
    if (lines.length > 0) findings.push({ sql: flat, site, mode, plan: planText(rows), lines });
  }
  return findings;
}

const MODES = ['without statistics', 'after ANALYZE'] as const;

/**
 * Plans the statements on the database file twice: as a fresh shop's SQLite plans them (no
 * statistics; any a maintenance pass left are dropped first) and after ANALYZE. `change` is
 * SQL run first (the replay of the old schema).
 */
function judge(file: string, statements: Map<string, string>, used: Set<number>, change = ''): Finding[] {
  const findings: Finding[] = [];
  const writer = new Database(file, { fileMustExist: true });
  try {
    writer.exec(`${change}\nDROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;`);
    for (const mode of MODES) {
      if (mode === 'after ANALYZE') {
        writer.exec('ANALYZE');
        keepRowCountsOnly(writer);
      }
      const explainer = new Database(file, { readonly: true, fileMustExist: true });
      try {
        findings.push(...findingsOf(new Schema(explainer), mode, statements, used));
      } finally {
        explainer.close();
      }
    }
  } finally {
    writer.close();
  }
  return findings;
}

function report(findings: Finding[]): string {
  return findings.map((f) => `${f.site} (${f.mode})\n${f.sql}\n${f.plan}\n  => ${f.lines.join('\n  => ')}`).join('\n\n');
}

// ---- statements SQLite plans again on every call

/**
 * A partial index whose WHERE holds `column = <literal>` makes SQLite plan again, on every call, a
 * statement that compares that column for equality with a bound parameter: whether the index may
 * be used depends on the value, so binding one expires the plan (sqlite3VdbeSetVarmask). Measured
 * in better-sqlite3: a TxnID lookup binding `is_test` beside `... WHERE is_test = 0` took 6–8 µs,
 * 0.6 µs without that index, and each SMS ran five such lookups. Other shapes (`IS NOT NULL`,
 * `<> 'failed'`, `IN (...)` in the index; `<>`, `IS`, `<=` in the statement) measured no cost.
 * So a column a partial index pins to a value is compared to literals only.
 */
interface Replan {
  sql: string;
  site: string;
  index: string;
  column: string;
}

/** Partial indexes and the columns their WHERE pins to one literal value. */
function pinnedColumns(reader: Database.Database): { table: string; index: string; columns: string[] }[] {
  const rows = query(reader, "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql LIKE '%WHERE%'").all() as {
    name: string;
    tbl_name: string;
    sql: string;
  }[];
  return rows.map((r) => {
    const where = r.sql.slice(r.sql.search(/\bWHERE\b/i));
    const columns = [...where.matchAll(/\b([A-Za-z_]\w*)\s*==?\s*(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?)/g)].map((m) => m[1] as string);
    return { table: r.tbl_name, index: r.name, columns: [...new Set(columns)] };
  });
}

/** The statement's conditions: its code without the SET list of an UPDATE (an assignment filters nothing). */
function conditionsOf(sql: string): string {
  return codeOf(sql).replace(/\bSET\b[\s\S]*?(?=\bWHERE\b|$)/gi, ' ');
}

function replans(reader: Database.Database, statements: Map<string, string>): Replan[] {
  const out: Replan[] = [];
  const param = '(?:\\?\\d*|[@:$][A-Za-z_]\\w*)';
  for (const [sql, site] of statements) {
    const aliases = tablesOf(sql);
    const conditions = conditionsOf(sql);
    for (const { table, index, columns } of pinnedColumns(reader)) {
      if (![...aliases.values()].includes(table)) continue;
      for (const column of columns) {
        const col = `(?:\\b([A-Za-z_]\\w*)\\.)?\\b${column}\\b`;
        for (const m of conditions.matchAll(new RegExp(`${col}\\s*==?\\s*${param}|${param}\\s*==?\\s*${col}`, 'gi'))) {
          const qualifier = m[1] ?? m[2];
          // `s.status = ?` binds the column of the table `s` names, not of every table in the statement.
          if (qualifier && aliases.get(qualifier) !== table) continue;
          out.push({ sql: sql.replace(/\s+/g, ' ').trim(), site, index, column });
          break;
        }
      }
    }
  }
  return out;
}

// ---- a shop's wallet SMS

/** dd/mm/yyyy HH:MM in the wallet's country (Bangladesh, UTC+6), as bKash and Nagad print it. */
function dhakaTime(at: number): string {
  const d = new Date(at + 6 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function phone(n: number): string {
  return `017${String(10_000_000 + (n % 89_999_999)).slice(0, 8)}`;
}

function nagadTxnid(): string {
  return bkashTxnid().slice(1, 9);
}

/** One wallet account's SMS, each balance following the last (unless a message goes missing). */
class Wallet {
  balance = 1_000_000;
  constructor(
    readonly provider: 'bkash' | 'nagad' | 'upi',
    readonly sender: string,
  ) {}

  credit(amountMinor: number, at: number, txnid: string, from: number): string {
    this.balance += amountMinor;
    if (this.provider === 'bkash')
      return `You have received Tk ${taka(amountMinor)} from ${phone(from)}. Ref ${from % 97}. Fee Tk 0.00. Balance Tk ${taka(this.balance)}. TrxID ${txnid} at ${dhakaTime(at)}`;
    if (this.provider === 'nagad')
      return `Money Received.\nAmount: Tk ${taka(amountMinor)}\nSender: ${phone(from)}\nRef: N/A\nTxnID: ${txnid}\nBalance: Tk ${taka(this.balance)}\n${dhakaTime(at)}`;
    return `Credit Alert!\nRs.${(amountMinor / 100).toFixed(2)} credited to HDFC Bank A/c ${UPI_ACCOUNT} on 09-06-26 from VPA payer${from % 50}@okicici (UPI ${txnid})`;
  }

  debit(amountMinor: number, at: number, txnid: string, to: number): string {
    this.balance -= amountMinor;
    if (this.provider === 'bkash')
      return `Send Money Tk ${taka(amountMinor)} to ${phone(to)} successful. Ref . Fee Tk 0.00. Balance Tk ${taka(this.balance)}. TrxID ${txnid} at ${dhakaTime(at)}`;
    return `Send Money Successful.\nAmount: Tk ${taka(amountMinor)}\nReceiver: ${phone(to)}\nTxnID: ${txnid}\nFee: Tk 0.00\nBalance: Tk ${taka(this.balance)}\n${dhakaTime(at)}`;
  }

  reversal(amountMinor: number, at: number, txnid: string, from: number): string {
    this.balance -= amountMinor;
    return `Tk ${(amountMinor / 100).toFixed(2)} from ${phone(from)} has been reversed. TrxID ${txnid} at ${dhakaTime(at)}. Balance Tk ${(this.balance / 100).toFixed(2)}`;
  }
}

const OTHER_SMS = [
  {
    sender: 'NAGAD',
    body: 'NEVER share your OTP or PIN with anyone. Nagad will never ask for these.\nYour OTP for Nagad ECOM payment is 608398.\nValidity: 2 minutes.',
  },
  { sender: 'bKash', body: 'Get 10% cashback on your next bKash payment at selected shops! Offer valid till Friday.' },
  { sender: 'GP', body: 'Your internet pack 10GB will expire tomorrow. Dial *121# to renew.' },
  { sender: 'Robi', body: 'Dear customer, recharge 49 Tk and get 2GB for 3 days. T&C apply.' },
];

// ---- the test

describe('every statement the core prepares runs on an index', () => {
  let pc: PayCore;
  let statements: Map<string, string>;
  let file: string;
  let receiver: WebhookReceiver | undefined;
  let cloud: StandInCloud | undefined;
  const findings: Finding[] = [];
  const used = new Set<number>();

  beforeAll(async () => {
    startRecording();
    try {
      receiver = await startWebhookReceiver();
      // Some deliveries fail and wait for their retry: the due and ordering statements see both states.
      receiver.script = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? { status: 500 } : { status: 200 }));
      pc = await startPayCore({
        config: { webhooks: { allowPrivate: true } },
        gateways: [
          { provider: 'bkash', account: BKASH_ACCOUNT },
          { provider: 'nagad', account: BKASH_ACCOUNT },
          { provider: 'upi', account: UPI_ACCOUNT },
        ],
      });
      await ok(pc.rpc('webhooks.set', { url: receiver.url }));
      cloud = await startStandInCloud();
      await ok(pc.rpc('sync.set', { url: cloud.url, token: cloud.token }));
      await workload(pc);
      fill(pc);
      await pc.core.webhooks.flush();
      // Every path again, now on the filled database (and with the statements repos prepare lazily).
      await workload(pc);
      await webhookWorkload(pc);
      openAttempts(pc);
    } finally {
      stopRecording();
    }
    statements = coreStatements(pc.core.db);
    file = pc.core.status().database_path;

    findings.push(...judge(file, statements, used));
  });

  afterAll(async () => {
    await pc?.stop();
    await receiver?.close();
    await cloud?.close();
    removeTempDirs();
  });

  it('records the statements of every path, on a database filled the way a shop fills it', () => {
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const count = (sql: string) => (query(reader, `SELECT count(*) AS n FROM ${sql}`).get() as { n: number }).n;
      expect(count('sms')).toBeGreaterThan(2_000);
      expect(count("sms WHERE balance_link = 'breaks'")).toBeGreaterThan(300);
      expect(count('(SELECT DISTINCT provider FROM sms WHERE balance_link IS NOT NULL)')).toBeGreaterThanOrEqual(2);
      expect(count('sms_deliveries')).toBeGreaterThan(count('sms'));
      expect(count('sessions')).toBeGreaterThan(500);
      expect(count("transactions WHERE status = 'pending'")).toBeGreaterThan(10);
      expect(count('transactions')).toBeGreaterThan(500);
      expect(count('outbox')).toBeGreaterThan(500);
      expect(count('audit_log')).toBeGreaterThan(200);
      expect(count('staff_alerts')).toBeGreaterThan(50);
      expect(count('idempotency_keys')).toBeGreaterThan(200);
      expect(count('webhook_deliveries')).toBeGreaterThan(500);
      expect(count('webhook_attempts WHERE http_status = 500')).toBeGreaterThan(0);
      expect(count('webhook_attempts')).toBeGreaterThan(count('webhook_deliveries'));
    } finally {
      reader.close();
    }
    // The two lookups issue 9 found slow are among the recorded statements.
    const sql = [...statements.keys()].map((s) => s.replace(/\s+/g, ' '));
    expect(sql).toContain('SELECT * FROM sms WHERE merchant_id = ? AND is_test = ? AND txnid_normalized = ? ORDER BY received_at, id');
    expect(sql.filter((s) => s.includes("balance_link = 'breaks'") && s.startsWith('SELECT')).length).toBeGreaterThanOrEqual(2);
    expect(statements.size).toBeGreaterThan(100);
  });

  it('classifies every table as growing or small', () => {
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const tables = (
        query(reader, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]
      ).map((t) => t.name);
      expect(tables.filter((t) => !GROWING_TABLES.has(t) && !(t in SMALL_TABLES))).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it('no statement scans or walks a growing table', () => {
    expect(findings, `statements that do not run on an index:\n\n${report(findings)}\n`).toEqual([]);
  });

  it('every deliberate exception is still needed', () => {
    expect(DELIBERATE.filter((_, i) => !used.has(i)).map((e) => e.why)).toEqual([]);
  });

  it('no statement binds a column a partial index filters on (SQLite would plan it again on every call)', () => {
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const found = replans(reader, statements);
      expect(found.map((r) => `${r.site}: ${r.column} bound beside ${r.index}\n  ${r.sql}`)).toEqual([]);
      // The check reads SQL as written: the TxnID lookup beside the partial indexes of migration 0080 was one.
      const before = new Map([
        ['SELECT * FROM transactions WHERE merchant_id = ? AND is_test = ? AND txnid_normalized = ? ORDER BY id', 'x'],
      ]);
      const writer = new Database(':memory:');
      try {
        writer.exec(
          'CREATE TABLE transactions (id INTEGER PRIMARY KEY, merchant_id INTEGER, is_test INTEGER, txnid_normalized TEXT); ' +
            'CREATE INDEX transactions_live ON transactions (merchant_id) WHERE is_test = 0;',
        );
        expect(replans(writer, before).map((r) => `${r.index}:${r.column}`)).toEqual(['transactions_live:is_test']);
      } finally {
        writer.close();
      }
    } finally {
      reader.close();
    }
  });

  it('would have caught both causes issue 9 found', () => {
    // 1. The TxnID lookup before migration 0070 added sms_by_txnid.
    const byTxnid = [...statements].filter(([sql]) =>
      /FROM sms WHERE merchant_id = \? AND is_test = \? AND txnid_normalized = \?/.test(sql),
    );
    expect(byTxnid).toHaveLength(1);
    // 2. The balance chain before migration 0060: the previous trusted SMS, found by walking back over every
    //    SMS of the wallet, broken ones included (balance-repo.ts before 5d213eb), on the index it walked.
    const oldWalk = `SELECT id, balance_minor, received_at FROM sms
     WHERE merchant_id = @merchant_id AND provider = @provider AND is_test = 0 AND balance_minor IS NOT NULL
       AND kind IN ('credit', 'debit', 'reversal') AND ifnull(account_hint, '') = @account_key
       AND balance_link IN ('start', 'follows')
       AND (received_at < @at OR (received_at = @at AND id < @sms_id))
     ORDER BY received_at DESC, id DESC LIMIT 1`;
    // 2b. Today's lookups of broken rows, without the indexes migration 0060 made for them.
    const broken = [...statements].filter(([sql]) => /^SELECT [\s\S]* FROM sms\s+WHERE [\s\S]*balance_link = 'breaks'/.test(sql));
    expect(broken.length).toBeGreaterThanOrEqual(2);
    const replay = new Map([...byTxnid, [oldWalk, 'balance-repo.ts before 5d213eb'], ...broken]);
    const caught = judge(
      file,
      replay,
      new Set(),
      `DROP INDEX sms_by_txnid; DROP INDEX sms_balance_breaks; DROP INDEX sms_balance_breaks_at;
       CREATE INDEX sms_balance_chain ON sms (merchant_id, provider, received_at) WHERE balance_minor IS NOT NULL AND is_test = 0;`,
    );
    const modes = (sql: string) =>
      caught.filter((f) => f.sql === sql.replace(/\s+/g, ' ').trim()).map((f) => `${f.mode}: ${f.lines.join(' | ')}`);
    // A fresh shop (no statistics) scanned every SMS for a TxnID.
    expect(modes(byTxnid[0]?.[0] ?? '')).toContainEqual(expect.stringMatching(/^without statistics: (SCAN|WALK) /));
    // The chain walked back over the wallet's SMS, with or without statistics.
    expect(modes(oldWalk)).toEqual([
      expect.stringMatching(/^without statistics: WALK \w+ USING INDEX sms_balance_chain /),
      expect.stringMatching(/^after ANALYZE: WALK \w+ USING INDEX sms_balance_chain /),
    ]);
    for (const [sql] of broken) expect(modes(sql), sql).not.toEqual([]);
  });
});

// ---- the workload: every path, over real HTTP where the core has one

async function ok(r: Promise<HttpResult> | HttpResult, ...statuses: number[]): Promise<HttpResult> {
  const res = await r;
  expect(statuses.length ? statuses : [200, 201, 202], res.text).toContain(res.status);
  return res;
}

let round = 0;

async function workload(pc: PayCore): Promise<void> {
  round += 1;
  const live = { bkash: new Wallet('bkash', 'bKash'), nagad: new Wallet('nagad', 'NAGAD') };
  const dev = (route: string, fields: Record<string, unknown> = {}) =>
    httpRequest(pc.urls.device, route, { method: 'POST', body: { auth_key: pc.keys.device, device_id: 'counter-phone-1', ...fields } });

  // Merchant API: live and test sessions, an idempotent create replayed, a lookup by order.
  const order = orderId('QP');
  const headers = { 'X-Idempotency-Key': `qp-${round}-${order}` };
  const created = await ok(pc.createSession({ amount: '500.00', order_id: order }, { headers }));
  await ok(pc.createSession({ amount: '500.00', order_id: order }, { headers }));
  const sessionA = (created.json as { session_id: string }).session_id;
  await ok(
    httpRequest(pc.urls.public, `/api/payment/sessions?order_id=${encodeURIComponent(order)}`, { headers: { 'X-API-Key': pc.keys.live } }),
  );
  await pc.view(sessionA);
  const testSession = await pc.newSession({ amount: '120.00' }, { key: pc.keys.test });
  await pc.view(testSession, pc.keys.test);

  // A TxnID submitted before its SMS, then the SMS through the device API (a late match).
  const early = bkashTxnid();
  await ok(pc.submit(sessionA, { txnid: early, gateway_id: pc.gateways.bkash }));
  await ok(pc.apkSms('bKash', live.bkash.credit(50_000, pc.now(), early, 1)));
  // The SMS first, then the TxnID.
  const sessionB = await pc.newSession({ amount: '300.00' });
  const first = bkashTxnid();
  await ok(pc.apkSms('bKash', live.bkash.credit(30_000, pc.now(), first, 2)));
  await ok(pc.submit(sessionB, { txnid: first, gateway_id: pc.gateways.bkash }));
  await ok(httpRequest(pc.urls.public, `/api/checkout/${sessionB}/status`));
  await ok(httpRequest(pc.urls.public, `/pay/${sessionB}`));
  // A wrong TxnID, and one that never comes.
  const sessionC = await pc.newSession({ amount: '700.00' });
  await pc.submit(sessionC, { txnid: 'nonsense!', gateway_id: pc.gateways.bkash });
  await ok(pc.submit(sessionC, { txnid: bkashTxnid(), gateway_id: pc.gateways.bkash }));

  // Test mode: SMS injected with the test key, paid by its TxnID.
  const testTxnid = bkashTxnid();
  await ok(pc.testSms('bKash', live.bkash.credit(12_000, pc.now(), testTxnid, 3)));
  await ok(pc.submit(testSession, { txnid: testTxnid, gateway_id: pc.gateways.bkash }));

  // A staff paste (held for a person: pasted only), decided at the counter.
  const pasted = bkashTxnid();
  const sessionD = await pc.newSession({ amount: '250.00' });
  await pc.importSms('bKash', live.bkash.credit(25_000, pc.now(), pasted, 4));
  await ok(pc.submit(sessionD, { txnid: pasted, gateway_id: pc.gateways.bkash }));
  const queue = await pc.verifications();
  for (const v of queue.slice(0, 2)) await pc.decide(v.verification_id, v === queue[0] ? 'success' : 'failed', 'not seen');

  // Forwarders: register (token, timestamp sign, capcom6), deliver, list, remove.
  const token = (await ok(pc.rpc('forwarders.register', { kind: 'generic', label: `qp token ${round}`, auth: 'token' }))).json as {
    result: { device_id: string; secret: string; webhook_path: string };
  };
  await ok(
    httpRequest(pc.urls.device, token.result.webhook_path, {
      method: 'POST',
      body: { from: 'NAGAD', text: live.nagad.credit(40_000, pc.now(), nagadTxnid(), 5) },
      headers: { 'X-CounterPay-Token': token.result.secret },
    }),
  );
  const signed = registerForwarder(pc.core.db, pc.dir, { kind: 'generic', label: `qp sign ${round}`, auth: 'timestamp_sign' });
  const ts = pc.now();
  await ok(
    httpRequest(pc.urls.device, signed.webhook_path, {
      method: 'POST',
      body: {
        from: 'bKash',
        content: live.bkash.credit(10_000, pc.now(), bkashTxnid(), 6),
        timestamp: String(ts),
        sign: signTimestampSign(signed.secret, ts),
      },
    }),
  );
  const gateway = registerForwarder(pc.core.db, pc.dir, { kind: 'capcom6', label: `qp capcom6 ${round}` });
  const raw = JSON.stringify({
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event: 'sms:received',
    id: `qp-${round}`,
    payload: {
      messageId: `m-${round}`,
      message: live.bkash.credit(9_000, pc.now(), bkashTxnid(), 7),
      phoneNumber: 'bKash',
      simNumber: 1,
      receivedAt: new Date(pc.now()).toISOString(),
    },
    webhookId: 'wh-1',
  });
  const seconds = Math.floor(pc.now() / 1000);
  await ok(
    httpRequest(pc.urls.device, gateway.webhook_path, {
      method: 'POST',
      body: raw,
      headers: {
        'Content-Type': 'application/json',
        'X-Signature': signCapcom6(gateway.secret, raw, seconds),
        'X-Timestamp': String(seconds),
      },
    }),
  );
  await ok(pc.rpc('forwarders.list'));
  await ok(pc.rpc('forwarders.remove', { device_id: signed.device_id }));

  // A reversal of a paid credit.
  await ok(pc.apkSms('bKash', live.bkash.reversal(30_000, pc.now(), first, 2)));

  // The counter: check, accept, verify.
  const walkIn = bkashTxnid();
  await ok(pc.apkSms('bKash', live.bkash.credit(15_000, pc.now(), walkIn, 8)));
  await ok(pc.rpc('txnid.lookup', { txnid: walkIn, amount: '150.00' }));
  await ok(pc.rpc('txnid.accept', { txnid: walkIn, amount: '150.00' }), 200, 409);
  await ok(pc.rpc('txnid.verify', { txnid: early }), 200, 409);
  await ok(pc.rpc('txnid.lookup', { txnid: bkashTxnid() }));
  // A miss with the amount typed: the near matches (look-alike TxnIDs, the same amount lately).
  await ok(pc.rpc('txnid.lookup', { txnid: bkashTxnid(), amount: '150.00' }));

  // The phone: verify, poll, report, its history, a heartbeat.
  await ok(dev('/api/device/verify', { txnid: first }), 200, 409);
  await ok(dev('/api/device/poll'));
  await ok(dev('/api/device/heartbeat'));
  await ok(dev('/api/device/transactions'));
  await ok(dev('/api/device/transactions', { q: first.slice(2, 8) }));
  await ok(dev('/api/device/transactions', { q: '!!' }));
  await ok(dev('/api/device/transactions', { status: 'success', limit: 20 }));
  await ok(dev('/api/device/transactions', { status: 'pending', q: 'QP' }));
  const polled = (await dev('/api/device/poll')).json as { verifications: { verification_id: number }[] };
  const next = polled.verifications[0];
  if (next) await ok(dev('/api/device/report', { verification_id: next.verification_id, result: 'failed' }));

  // The counter's lists and the balance tools.
  await ok(pc.rpc('balance.anchor', { provider: 'nagad', balance: taka(live.nagad.balance) }));
  await ok(pc.rpc('balance.missing'));
  // The reports: a day's totals (live and test), its two CSV exports, and a shift's close-out.
  const reportDay = new Date(pc.now() - 3 * DAY).toISOString().slice(0, 10);
  await ok(pc.rpc('reports.day'));
  await ok(pc.rpc('reports.day', { date: reportDay, test: true }));
  await ok(pc.rpc('reports.csv', { date: reportDay, kind: 'payments' }));
  await ok(pc.rpc('reports.csv', { date: reportDay, kind: 'credits' }));
  await ok(pc.rpc('reports.closeShift'));
  await ok(pc.rpc('reports.closeShift', { from: new Date(pc.now() - DAY).toISOString() }));
  await ok(pc.rpc('sms.recent', { limit: 50 }));
  await ok(pc.rpc('sessions.recent', { limit: 50 }));
  // The Payments screen (issue 14 item 3): the list, each search key, the filters, a page on, one detail.
  const listed = (await ok(pc.rpc('payments.search', { limit: 20 }))).json as {
    result: { payments: { session_id: string | null; transaction_id: number | null }[]; next_before: string | null };
  };
  await ok(pc.rpc('payments.search', { q: early }));
  await ok(pc.rpc('payments.search', { q: walkIn, kind: 'counter' }));
  await ok(pc.rpc('payments.search', { q: 'ORD' }));
  await ok(pc.rpc('payments.search', { q: '01712345678' }));
  await ok(pc.rpc('payments.search', { status: 'paid', wallet: 'bkash', test: false, from: reportDay, to: reportDay }));
  await ok(pc.rpc('payments.search', { kind: 'sessions', status: 'rejected', limit: 5 }));
  if (listed.result.next_before) await ok(pc.rpc('payments.search', { before: listed.result.next_before }));
  for (const p of listed.result.payments.slice(0, 3))
    await ok(pc.rpc('payments.detail', p.session_id ? { session_id: p.session_id } : { transaction_id: p.transaction_id }));
  // The SMS screen's tabs (issue 14 item 4).
  for (const filter of ['all', 'unclaimed', 'spoofs', 'unparsed']) await ok(pc.rpc('sms.list', { filter, limit: 20 }));
  await ok(pc.rpc('sms.list', { before: 100 }));
  await ok(pc.rpc('verifications.list'));
  const alerts = await pc.alerts();
  if (alerts[0]) await ok(pc.rpc('alerts.resolve', { id: alerts[0].id }));
  await ok(pc.rpc('status.get'));
  await ok(pc.rpc('devices.list'));
  await ok(pc.rpc('gateways.list'));
  await ok(pc.rpc('gateways.update', { id: pc.gateways.bkash, balance_check: 'review', extra_sender_ids: ['bKash-Alt'] }));

  // Cancel through the merchant API and the checkout; expiry and not-found through the sweep.
  await ok(pc.cancel(await pc.newSession({ amount: '90.00' })));
  await ok(httpRequest(pc.urls.public, `/api/checkout/${await pc.newSession({ amount: '95.00' })}/cancel`, { method: 'POST', body: {} }));
  pc.advanceHours(30);
  pc.core.sweep();
  await pc.view(sessionC);
  await ok(pc.rpc('sessions.recent', { limit: 10 }));

  // The CLI's tools, on the same database.
  const ctx = { merchantId: pc.core.shop.merchantId, auditKey: pc.core.shop.keys.audit_key, actor: 'cli' };
  expect(hasShop(pc.core.db)).toBe(true);
  gatewayViews(pc.core.db, ctx.merchantId);
  updateGatewaySettings(pc.core.db, ctx, { id: pc.gateways.nagad, label: `Nagad ${round}` });
  renameShop(pc.core.db, ctx, `Query plans ${round}`);
  anchorBalance(pc.core.db, { ...ctx, now: pc.now() }, { provider: 'bkash', balance: taka(live.bkash.balance) });
  listForwarders(pc.core.db, pc.dir);
  removeForwarder(pc.core.db, pc.dir, gateway.device_id, 'cli');
  expect(verifyAudit(pc.core.db, ctx.auditKey).ok).toBe(true);
  if (round === 1) addGateway(pc.core.db, ctx, { provider: 'rocket', account: '01722222222' });
  // A key rotated from the CLI (the next round injects test SMS with the new test key).
  pc.keys.test = rotateKeys(pc.core.db, pc.dir, ['test_api_key'], 'cli').keys.test_api_key;
  await ok(dev('/api/device/unbind'));
  await ok(
    httpRequest(pc.urls.device, '/api/device/bind', { method: 'POST', body: { auth_key: pc.keys.device, device_id: 'counter-phone-1' } }),
  );
}

/** The merchant webhooks' paths: delivery and retry (the worker), staff's views, a resend, the purge. */
async function webhookWorkload(pc: PayCore): Promise<void> {
  await pc.core.webhooks.flush();
  pc.advance(6_000);
  await pc.core.webhooks.flush();
  await ok(pc.rpc('webhooks.get'));
  await ok(pc.rpc('webhooks.set', { url: null, test: true }));
  const listed = (await ok(pc.rpc('webhooks.deliveries', { limit: 20 }))).json as { result: { deliveries: { id: number }[] } };
  await ok(pc.rpc('webhooks.deliveries', { status: 'pending' }));
  const first = listed.result.deliveries[0];
  if (first) await ok(pc.rpc('webhooks.resend', { id: first.id }));
  await pc.core.webhooks.flush();
  pc.core.maintenance.purge(pc.now());
  // Cloud sync: numbering, batches, acknowledgement, status.
  await pc.core.sync.drain();
  await ok(pc.rpc('sync.status'));
}

// ---- filling the database as weeks of trade do

/** A small seeded generator (mulberry32): the same shop every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FILL_DAYS = 12;
const FILL_STEPS = 2_400;

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * Weeks of a shop's trade through the core's own functions, in process and in one outer
 * transaction (each operation's own transaction becomes a savepoint, so the fill does not wait
 * on thousands of fsyncs). SMS from three wallets over the phone, the modem and a forwarder,
 * many delivered twice, some lost and delivered late, so the chains collect broken rows that
 * late SMS and staff anchors re-link; checkouts paid before and after their SMS, wrong and
 * never-arriving TxnIDs, walk-in sales at the counter, staff decisions, test mode, spoofs and
 * reversals; the sweep expiring what is due.
 */
function fill(pc: PayCore): void {
  const { core } = pc;
  const rnd = random(9);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const caller = (isTest: boolean) => ({ merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest });
  const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'staff' };
  const bkash = { wallet: new Wallet('bkash', 'bKash'), gateway: pc.gateways.bkash, txnid: bkashTxnid, currency: 'BDT' };
  const nagad = { wallet: new Wallet('nagad', 'NAGAD'), gateway: pc.gateways.nagad, txnid: nagadTxnid, currency: 'BDT' };
  const upi = { wallet: new Wallet('upi', 'AD-HDFCBK'), gateway: pc.gateways.upi, txnid: upiRef, currency: 'INR' };
  const wallets = [bkash, bkash, nagad, upi];
  const devices = [
    { source: 'apk', origin: 'counter-phone-1', isTest: false },
    { source: 'modem', origin: 'modem-1', isTest: false },
    { source: 'forwarder', origin: 'fwd_fill', isTest: false },
  ] as const;
  const refused = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if ((err as Error).name !== 'AppError') throw err;
    }
  };
  const ingest = (sender: string, body: string, at: number, isTest = false) => {
    const message = { sender, body, received_at: new Date(at).toISOString() };
    const stored = core.sms.ingest(message, isTest ? { source: 'test', origin: 'api', isTest: true } : pick(devices));
    // The phone and the modem both pass many SMS on: one row, two deliveries.
    if (!isTest && rnd() < 0.25) core.sms.ingest(message, pick(devices));
    return stored;
  };
  const session = (isTest: boolean, amountMinor: number, currency: string) =>
    core.payments.create(
      caller(isTest),
      { amount: (amountMinor / 100).toFixed(2), currency, order_id: orderId('FILL'), customer_name: 'Fill' },
      (id) => `/pay/${id}`,
    ).body.session_id;
  const lost: { sender: string; body: string }[] = [];
  const paid: { txnid: string; amount: number }[] = [];

  // Nagad warns instead of holding: a credit off its balance chain settles and staff get an alert.
  updateGatewaySettings(core.db, ctx, { id: nagad.gateway, balance_check: 'warn' });
  core.db.transaction(() => {
    pc.advance(-FILL_DAYS * DAY);
    for (let step = 0; step < FILL_STEPS; step += 1) {
      pc.advance(Math.floor((FILL_DAYS * DAY) / FILL_STEPS));
      const at = pc.now();
      // Operators' and shops' SMS between the wallets' (cheap to store: no chain, no match).
      if (rnd() < 0.3) {
        const other = pick(OTHER_SMS);
        ingest(other.sender, `${other.body} (${step})`, at);
      }
      const w = pick(wallets);
      const amount = 100 * (50 + Math.floor(rnd() * 2_000));
      const txnid = w.txnid();
      const r = rnd();
      if (r < 0.55) {
        const body = w.wallet.credit(amount, at, txnid, step);
        if (rnd() < 0.03) {
          // Lost: the account's next SMS do not follow from its last trusted one. Half come late.
          if (rnd() < 0.5) lost.push({ sender: w.wallet.sender, body });
          continue;
        }
        const flow = rnd();
        if (flow < 0.3) {
          // The customer types the TxnID first; the SMS pays the session when it comes.
          const id = session(false, amount, w.currency);
          refused(() => core.payments.submit(id, { txnid, gateway_id: w.gateway }));
          ingest(w.wallet.sender, body, at);
        } else if (flow < 0.5) {
          ingest(w.wallet.sender, body, at);
          const id = session(false, amount, w.currency);
          refused(() => core.payments.submit(id, { txnid, gateway_id: w.gateway }));
        } else {
          const sms = ingest(w.wallet.sender, body, at);
          // A walk-in sale: the cashier checks the TxnID and accepts it.
          if (flow < 0.7) refused(() => core.payments.accept({ txnid, amount: (amount / 100).toFixed(2), sms_id: sms.sms.id }, 'staff'));
        }
        if (w === bkash) paid.push({ txnid, amount });
      } else if (r < 0.7 && w !== upi) {
        ingest(w.wallet.sender, w.wallet.debit(Math.floor(amount / 2), at, txnid, step), at);
      } else if (r < 0.84) {
        // A checkout whose TxnID is mistyped, or whose SMS never comes.
        const id = session(false, amount, 'BDT');
        refused(() => core.payments.submit(id, { txnid: rnd() < 0.5 ? 'WRONG' : bkashTxnid(), gateway_id: pc.gateways.bkash }));
      } else if (r < 0.88) {
        // Test mode: a test session paid by an SMS injected with the test key.
        const id = session(true, amount, 'BDT');
        const testTxnid = bkashTxnid();
        ingest('bKash', new Wallet('bkash', 'bKash').credit(amount, at, testTxnid, step), at, true);
        refused(() => core.payments.submit(id, { txnid: testTxnid, gateway_id: pc.gateways.bkash }));
      } else if (r < 0.9) {
        // A forged credit from a phone number.
        ingest(`0171${String(step).padStart(7, '0')}`, new Wallet('bkash', 'bKash').credit(amount, at, bkashTxnid(), step), at);
      } else if (r < 0.91 && paid.length > 0) {
        const back = pick(paid);
        ingest('bKash', bkash.wallet.reversal(back.amount, at, back.txnid, step), at);
      } else if (r < 0.92 && lost.length > 0) {
        // The lost SMS comes late and re-links the broken rows that follow from it.
        const late = lost.shift() as { sender: string; body: string };
        ingest(late.sender, late.body, at);
      } else if (r < 0.93) {
        // Staff read the balance in the wallet app and re-anchor the chain.
        const anchored = pick([bkash, nagad]);
        refused(() =>
          anchorBalance(core.db, { ...ctx, now: at }, { provider: anchored.wallet.provider, balance: taka(anchored.wallet.balance) }),
        );
      } else if (r < 0.955) {
        for (const alert of core.payments.openAlerts(3)) core.payments.resolveAlert(alert.id);
      } else {
        for (const v of core.payments.pendingVerifications(5))
          refused(() =>
            core.payments.decide(v.verification_id, {
              result: rnd() < 0.7 ? 'success' : 'failed',
              source: 'manual',
              actor: 'staff',
              failureReason: 'not in the wallet app',
            }),
          );
      }
      if (step % 30 === 0) core.sweep();
    }
  })();
}

/**
 * A shop at any moment: checkouts whose TxnID waits for its SMS, attempts held for a person on
 * an SMS staff pasted, and the merchant API's idempotency keys of the last day (the workload's
 * sweep failed, decided or purged the earlier ones).
 */
function openAttempts(pc: PayCore): void {
  const { core } = pc;
  const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
  const wallet = new Wallet('bkash', 'bKash');
  core.db.transaction(() => {
    for (let i = 0; i < 30; i += 1) {
      const id = core.payments.create(caller, { amount: '100.00', order_id: orderId('OPEN') }, (s) => `/pay/${s}`).body.session_id;
      const txnid = bkashTxnid();
      if (i % 3 === 0)
        core.sms.ingest(
          { sender: 'bKash', body: wallet.credit(10_000, pc.now(), txnid, i) },
          { source: 'manual', origin: '', isTest: false },
        );
      core.payments.submit(id, { txnid, gateway_id: pc.gateways.bkash });
    }
    for (let i = 0; i < 300; i += 1) {
      const keyHash = sha256(`open-key-${i}`);
      const fingerprint = sha256(`open-body-${i}`);
      const now = pc.now() - (300 - i) * 60_000;
      claimIdempotencyKey(core.db, { keyHash, fingerprint, now, expiresAt: now + DAY });
      completeIdempotencyKey(core.db, { keyHash, fingerprint, status: 201, body: '{}', now });
    }
  })();
}
