import type Database from 'better-sqlite3';
import { AppError } from '../errors';
import type { Migration } from './migrations';

type Db = Database.Database;

export function readUserVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function checkList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new AppError('internal', `migrations must be listed in increasing version order (at ${m.name})`);
    }
    previous = m.version;
  }
}

interface AppliedRow {
  version: number;
  name: string;
}

/**
 * Brings the schema up to date. All pending migrations run in one IMMEDIATE transaction,
 * so a crash mid-way leaves the previous schema intact. The history recorded in the
 * database must match the code's list (same versions, same names), or we refuse.
 */
export function migrate(db: Db, migrations: readonly Migration[]): { from: number; to: number; applied: string[] } {
  checkList(migrations);
  const known = latestVersion(migrations);
  const run = db.transaction(() => {
    const from = readUserVersion(db);
    if (from > known) {
      throw new AppError('internal', `database schema version ${from} is newer than this CounterPay (${known})`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    const history = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as AppliedRow[];
    for (const row of history) {
      const match = migrations.find((m) => m.version === row.version);
      if (!match || match.name !== row.name || row.version > from) {
        throw new AppError(
          'internal',
          `database migration history is out of sync with this CounterPay at version ${row.version} (${row.name}); refusing to run`,
        );
      }
    }
    const applied: string[] = [];
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (m.version <= from) continue;
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
      applied.push(m.name);
    }
    if (rebuilding) {
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new AppError('internal', `migration left ${broken.length} broken foreign key(s); rolled back`);
    }
    db.pragma(`user_version = ${known}`);
    return { from, to: known, applied };
  });
  // PRAGMA foreign_keys cannot change inside a transaction, so a rebuild switches it around one.
  const rebuilding = migrations.some((m) => m.rebuildsTables === true && m.version > readUserVersion(db));
  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
  if (rebuilding) {
    db.pragma('foreign_keys = OFF');
    db.pragma('legacy_alter_table = ON');
  }
  try {
    return run.immediate();
  } finally {
    if (rebuilding) {
      db.pragma('legacy_alter_table = OFF');
      db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
    }
  }
}
