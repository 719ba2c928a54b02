import pg from 'pg';
import type { SqlClient, SqlRunner } from './sql-client';

/**
 * int8 (bigint) arrives as a string by default; sequence numbers and cursors stay far below 2^53,
 * so they are read as numbers here once instead of converted at every call site.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * A PostgreSQL server through a pg.Pool: the deployment, where several cloud processes share one
 * database. Each transaction holds one pooled connection from BEGIN to COMMIT.
 */
export function openPgClient(connectionString: string, options: { max?: number } = {}): SqlClient {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops (a restart, a failover) must not crash the process;
  // the next checkout opens a new one.
  pool.on('error', () => undefined);
  const runnerOf = (q: pg.Pool | pg.PoolClient): SqlRunner => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query(sql, params as unknown[]);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...runnerOf(pool),
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await fn(runnerOf(client));
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it, never reuse it.
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
