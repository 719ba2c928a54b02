import { migrate } from './db/migrations';
import { openPgClient } from './db/pg-client';
import { openPgliteClient } from './db/pglite-client';
import type { SqlClient } from './db/sql-client';
import { ensureDataDir, pgliteDir } from './data-dir';
import { acquireDirLock, type DirLock, type LockInfo } from './dir-lock';

/** Where the cloud keeps its data: a PostgreSQL server, or PGlite files in a data dir. */
export interface DatabaseTarget {
  databaseUrl: string | null;
  dataDir: string;
}

export interface OpenDatabase {
  db: SqlClient;
  /** Held while PGlite is open (null on a server). */
  lock: DirLock | null;
  close(): Promise<void>;
}

/**
 * Opens the database the flags name and brings its schema up to date. PGlite's data dir is
 * locked first (one process at a time); `waitMs` lets a caller wait out a `shop` command.
 */
export async function openDatabase(target: DatabaseTarget, holder: LockInfo['holder'], waitMs = 10_000): Promise<OpenDatabase> {
  let lock: DirLock | null = null;
  let db: SqlClient;
  if (target.databaseUrl) {
    db = openPgClient(target.databaseUrl);
  } else {
    ensureDataDir(target.dataDir);
    lock = await acquireDirLock(target.dataDir, holder, waitMs);
    try {
      db = await openPgliteClient(pgliteDir(target.dataDir));
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
  const held = lock;
  return {
    db,
    lock: held,
    async close() {
      try {
        await db.close();
      } finally {
        held?.release();
      }
    },
  };
}
