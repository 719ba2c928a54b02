/**
 * The one seam between the cloud's SQL and the database that runs it. The same statements run on
 * a PostgreSQL server (pg.Pool, the deployment) and on an embedded PGlite (real Postgres in WASM,
 * the zero-setup default), so nothing above this file knows which one it talks to.
 */

/** Runs statements on one connection: the pool (outside a transaction) or the transaction's client. */
export interface SqlRunner {
  /** One statement with `$1…` parameters; the rows it returns. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlRunner {
  /** Which engine: named in logs and in the benchmark's output. */
  readonly kind: 'postgres' | 'pglite';
  /** BEGIN … COMMIT around `fn` on one connection; ROLLBACK (and rethrow) when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Closes every connection; the client is unusable afterwards. */
  close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE for a unique violation: a second copy of an event the schema forbids. */
export const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a database error, whichever driver raised it. */
export function sqlState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
