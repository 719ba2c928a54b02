import { PGlite, types } from '@electric-sql/pglite';
import type { SqlClient, SqlRunner } from './sql-client';

/**
 * An embedded PGlite (PostgreSQL compiled to WASM) whose files live in `dir`: the cloud with no
 * setup at all. It is one connection; PGlite runs one statement or transaction at a time and
 * queues the rest, which is what serializes concurrent batches here. Only one process may open
 * `dir` at a time (src-cloud/dir-lock.ts guards that).
 */
export async function openPgliteClient(dir: string): Promise<SqlClient> {
  const db = await PGlite.create(dir, {
    // The same number reading as the pg driver (src-cloud/db/pg-client.ts): int8 as a number.
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  const runnerOf = (q: Pick<PGlite, 'query' | 'exec'>): SqlRunner => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...runnerOf(db),
    transaction: <T>(fn: (tx: SqlRunner) => Promise<T>) => db.transaction((tx) => fn(runnerOf(tx))),
    async close() {
      await db.close();
    },
  };
}
