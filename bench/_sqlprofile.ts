/**
 * COUNTERPAY_BENCH_PROFILE=1: times every SQL statement the core runs in this process (by its
 * text), to find where a benchmark's time goes. Import before the core prepares its statements.
 */
import Database from 'better-sqlite3';

type Timed = { ms: number; calls: number; rows: number };
const bySql = new Map<string, Timed>();

export function enableSqlProfile(): void {
  const proto = Database.prototype as unknown as { prepare: (sql: string) => Record<string, unknown> };
  const original = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    const stmt = original.call(this, sql) as Record<string, (...a: unknown[]) => unknown>;
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 160);
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const fn = stmt[method];
      if (typeof fn !== 'function') continue;
      stmt[method] = function (this: unknown, ...args: unknown[]) {
        const t0 = performance.now();
        const out = fn.apply(this, args);
        const entry = bySql.get(key) ?? { ms: 0, calls: 0, rows: 0 };
        entry.ms += performance.now() - t0;
        entry.calls += 1;
        if (Array.isArray(out)) entry.rows += out.length;
        bySql.set(key, entry);
        return out;
      };
    }
    return stmt;
  };
}

export function sqlProfileReport(top = 25): string {
  return [...bySql.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(
      ([sql, t]) =>
        `${(t.ms / 1000).toFixed(2).padStart(8)} s ${String(t.calls).padStart(9)} calls ${(t.ms / t.calls).toFixed(3).padStart(8)} ms/call  ${sql}`,
    )
    .join('\n');
}
