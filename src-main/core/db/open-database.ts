import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors';
import { ensurePrivateFile, securePrivateDataDir, tightenMode, PRIVATE_FILE_MODE } from '../files';
import { migrate, latestVersion, readUserVersion } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE_NAME = 'counterpay.sqlite';

export interface OpenOptions {
  /** For tests: a different migration list. */
  migrations?: readonly Migration[];
  busyTimeoutMs?: number;
}

/** The pragmas CounterPay will not run without; see verifyPragmas. */
export const REQUIRED_PRAGMAS = {
  journal_mode: 'wal',
  /** 2 = FULL: a committed payment survives a power cut; WAL's usual NORMAL can roll it back. */
  synchronous: 2,
  foreign_keys: 1,
} as const;

export class DatabaseFromFutureError extends AppError {
  constructor(file: string, found: number, known: number) {
    super(
      'internal',
      `database ${file} has schema version ${found}, newer than this CounterPay knows (${known}). ` +
        'It was written by a newer CounterPay: upgrade CounterPay. The file was not modified.',
    );
    this.name = 'DatabaseFromFutureError';
  }
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE_NAME);
}

/**
 * Opens (creating if needed) the database in the data dir, refuses a schema from the
 * future before touching the file, sets and then checks the durability pragmas, and
 * applies pending migrations.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  // The data dir 0700 and its files 0600, tightened if an older version left them readable.
  securePrivateDataDir(dataDir);
  const file = databasePath(dataDir);
  refuseFutureSchema(file, latestVersion(migrations));

  // SQLite would create the file 0644; created first, it is 0600 and -wal/-shm inherit that.
  ensurePrivateFile(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    for (const suffix of ['-wal', '-shm']) tightenMode(`${file}${suffix}`, PRIVATE_FILE_MODE);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // A batch of SMS dirties a page per index per row at random places of large b-trees; folding
    // the WAL back every 1,000 pages (SQLite's default) meant a checkpoint, with its fsync, almost
    // every batch on a year's database. 10,000 pages (40 MB of WAL at most) measured +25% ingest
    // there; the file is cut back to 64 MB when it has grown past that, and the maintenance pass
    // folds it all back when the shop is idle.
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    verifyPragmas(db);
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Pages of WAL between automatic checkpoints (see openDatabase). */
export const WAL_CHECKPOINT_PAGES = 10_000;

function refuseFutureSchema(file: string, known: number): void {
  if (!fs.existsSync(file)) return;
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const found = readUserVersion(probe);
    if (found > known) throw new DatabaseFromFutureError(file, found, known);
  } finally {
    probe.close();
  }
}

export function verifyPragmas(db: Db): void {
  const journal = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  const synchronous = Number(db.pragma('synchronous', { simple: true }));
  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
  const busy = Number(db.pragma('busy_timeout', { simple: true }));
  const problems: string[] = [];
  if (journal !== REQUIRED_PRAGMAS.journal_mode) problems.push(`journal_mode is ${journal}, need wal`);
  if (synchronous !== REQUIRED_PRAGMAS.synchronous) problems.push(`synchronous is ${synchronous}, need 2 (FULL)`);
  if (foreignKeys !== REQUIRED_PRAGMAS.foreign_keys) problems.push('foreign_keys is off');
  if (!(busy > 0)) problems.push('busy_timeout is not set');
  if (problems.length > 0) {
    throw new AppError('internal', `refusing to run on an unsafe database: ${problems.join('; ')}`);
  }
}

/**
 * Every write goes through here so it starts with BEGIN IMMEDIATE: a deferred
 * transaction that upgrades to a writer later can fail with SQLITE_BUSY mid-way instead
 * of waiting its turn. Never await inside `fn`.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Folds the WAL back into the main file and closes, so a stopped shop leaves one clean file. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
