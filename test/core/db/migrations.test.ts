import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatabaseFromFutureError,
  MIGRATIONS,
  closeDatabase,
  databasePath,
  latestVersion,
  openDatabase,
  readUserVersion,
  verifyPragmas,
  type Db,
  type Migration,
} from '../../../src-main/core/db';
import { AppError } from '../../../src-main/core/errors';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

const open: Db[] = [];
function track(db: Db): Db {
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  removeTempDirs();
});

function tableNames(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

function rawOpen(dir: string): Db {
  return track(new Database(databasePath(dir)));
}

function fileState(file: string): { sha: string; mtimeMs: number; size: number } {
  const stat = fs.statSync(file);
  return {
    sha: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    mtimeMs: stat.mtimeMs,
    size: stat.size,
  };
}

describe('migrations', () => {
  it('bring an empty data dir to the latest version with the recorded history', () => {
    const dir = makeTempDir();
    const db = track(openDatabase(dir));
    const latest = latestVersion(MIGRATIONS);
    expect(latest).toBeGreaterThan(0);
    expect(readUserVersion(db)).toBe(latest);
    const history = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(history).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = tableNames(db);
    for (const t of [
      'merchants',
      'brands',
      'credentials',
      'gateways',
      'devices',
      'sms',
      'sms_deliveries',
      'sessions',
      'transactions',
      'audit_log',
    ]) {
      expect(tables).toContain(t);
    }
    expect(fs.existsSync(path.join(dir, 'counterpay.sqlite'))).toBe(true);
  });

  it('reopen an existing database without re-running migrations and with rows intact', () => {
    const dir = makeTempDir();
    const first = openDatabase(dir);
    first.prepare("INSERT INTO merchants (name, created_at) VALUES ('Rahim Store', 1)").run();
    const historyBefore = first.prepare('SELECT * FROM schema_migrations ORDER BY version').all();
    const versionBefore = readUserVersion(first);
    closeDatabase(first);

    const second = track(openDatabase(dir));
    expect(second.prepare('SELECT name, created_at FROM merchants').all()).toEqual([{ name: 'Rahim Store', created_at: 1 }]);
    expect(readUserVersion(second)).toBe(versionBefore);
    // Same rows, same applied_at: nothing was applied again.
    expect(second.prepare('SELECT * FROM schema_migrations ORDER BY version').all()).toEqual(historyBefore);
  });

  it('run each migration exactly once across reopenings', () => {
    const dir = makeTempDir();
    const calls = { one: 0, two: 0 };
    const one: Migration = {
      version: 1,
      name: '0001-one',
      up(db) {
        calls.one += 1;
        db.exec('CREATE TABLE one (x INTEGER) STRICT');
      },
    };
    const two: Migration = {
      version: 2,
      name: '0002-two',
      up(db) {
        calls.two += 1;
        db.exec('CREATE TABLE two (x INTEGER) STRICT');
      },
    };
    closeDatabase(openDatabase(dir, { migrations: [one] }));
    closeDatabase(openDatabase(dir, { migrations: [one] }));
    const db = track(openDatabase(dir, { migrations: [one, two] }));
    closeDatabase(db);
    const again = track(openDatabase(dir, { migrations: [one, two] }));
    expect(calls).toEqual({ one: 1, two: 1 });
    expect(readUserVersion(again)).toBe(2);
    expect(tableNames(again)).toEqual(expect.arrayContaining(['one', 'two', 'schema_migrations']));
  });

  it('refuse a database from a newer CounterPay without modifying the file', () => {
    const dir = makeTempDir();
    const file = databasePath(dir);
    const raw = new Database(file);
    raw.exec('CREATE TABLE marker (x INTEGER)');
    raw.prepare('INSERT INTO marker VALUES (42)').run();
    raw.pragma('user_version = 999');
    raw.close();
    const before = fileState(file);

    let caught: unknown;
    try {
      track(openDatabase(dir));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DatabaseFromFutureError);
    expect(caught).toBeInstanceOf(AppError);
    const message = (caught as Error).message;
    expect(message).toContain('999');
    expect(message).toContain(String(latestVersion(MIGRATIONS)));
    expect(message).toMatch(/newer/i);
    expect(message).toContain(file);

    expect(fileState(file)).toEqual(before);
    // Still a rollback-journal file with its own content: no WAL switch, no migration.
    const check = rawOpen(dir);
    expect(readUserVersion(check)).toBe(999);
    expect(String(check.pragma('journal_mode', { simple: true }))).toBe('delete');
    expect(tableNames(check)).toEqual(['marker']);
  });

  it('refuse a WAL database from the future made by CounterPay itself, main file untouched', () => {
    const dir = makeTempDir();
    const db = openDatabase(dir);
    db.pragma('user_version = 999');
    closeDatabase(db);
    const file = databasePath(dir);
    const before = fileState(file);
    expect(() => track(openDatabase(dir))).toThrow(DatabaseFromFutureError);
    expect(fileState(file)).toEqual(before);
  });

  it('refuse a history recorded under another name', () => {
    const dir = makeTempDir();
    const db = openDatabase(dir);
    db.prepare("UPDATE schema_migrations SET name = '0010-something-else' WHERE version = 10").run();
    closeDatabase(db);
    let caught: unknown;
    try {
      track(openDatabase(dir));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as Error).message).toMatch(/out of sync/);
    expect((caught as Error).message).toContain('0010-something-else');
  });

  it('refuse a history that names a migration this build does not have', () => {
    const dir = makeTempDir();
    const db = openDatabase(dir);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (5, '0005-ghost', 'x')").run();
    closeDatabase(db);
    expect(() => track(openDatabase(dir))).toThrow(/out of sync/);
  });

  it('roll back every pending migration when a later one fails', () => {
    const dir = makeTempDir();
    const one: Migration = { version: 1, name: '0001-one', up: (db) => db.exec('CREATE TABLE one (x INTEGER) STRICT') };
    const two: Migration = {
      version: 2,
      name: '0002-two',
      up: (db) => {
        db.exec('CREATE TABLE two (x INTEGER) STRICT');
        db.exec('INSERT INTO two VALUES (1)');
      },
    };
    const three: Migration = {
      version: 3,
      name: '0003-broken',
      up: () => {
        throw new Error('migration three is broken');
      },
    };
    // From empty: [one, broken] leaves nothing at all.
    expect(() => openDatabase(dir, { migrations: [one, { ...three, version: 2 }] })).toThrow('migration three is broken');
    let raw = rawOpen(dir);
    expect(readUserVersion(raw)).toBe(0);
    expect(tableNames(raw)).not.toContain('one');
    raw.close();

    // At version 1: [one, two, broken] stays at version 1, two never appears.
    closeDatabase(openDatabase(dir, { migrations: [one] }));
    expect(() => openDatabase(dir, { migrations: [one, two, three] })).toThrow('migration three is broken');
    raw = rawOpen(dir);
    expect(readUserVersion(raw)).toBe(1);
    const tables = tableNames(raw);
    expect(tables).toContain('one');
    expect(tables).not.toContain('two');
    expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }]);
    raw.close();

    // And the failure left nothing locked: a good list still applies.
    const fixed = track(openDatabase(dir, { migrations: [one, two] }));
    expect(readUserVersion(fixed)).toBe(2);
    expect(fixed.prepare('SELECT x FROM two').all()).toEqual([{ x: 1 }]);
  });

  it('reject a migration list out of order', () => {
    const dir = makeTempDir();
    const a: Migration = { version: 2, name: 'a', up: () => undefined };
    const b: Migration = { version: 1, name: 'b', up: () => undefined };
    expect(() => openDatabase(dir, { migrations: [a, b] })).toThrow(/increasing version order/);
  });
});

describe('pragmas', () => {
  it('are WAL, synchronous FULL, foreign keys on and a busy timeout after open', () => {
    const db = track(openDatabase(makeTempDir()));
    expect(String(db.pragma('journal_mode', { simple: true })).toLowerCase()).toBe('wal');
    expect(Number(db.pragma('synchronous', { simple: true }))).toBe(2);
    expect(Number(db.pragma('foreign_keys', { simple: true }))).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    expect(() => verifyPragmas(db)).not.toThrow();
    // Checkpoints every 10,000 pages, not every 1,000 (see openDatabase), and the WAL kept to 64 MB.
    expect(Number(db.pragma('wal_autocheckpoint', { simple: true }))).toBe(10_000);
    expect(Number(db.pragma('journal_size_limit', { simple: true }))).toBe(64 * 1024 * 1024);
  });

  it('verifyPragmas refuses synchronous=NORMAL', () => {
    const db = track(openDatabase(makeTempDir()));
    db.pragma('synchronous = NORMAL');
    expect(() => verifyPragmas(db)).toThrow(AppError);
    expect(() => verifyPragmas(db)).toThrow(/synchronous is 1, need 2/);
  });

  it('verifyPragmas refuses foreign keys off, a rollback journal and no busy timeout', () => {
    const db = track(openDatabase(makeTempDir()));
    db.pragma('foreign_keys = OFF');
    expect(() => verifyPragmas(db)).toThrow(/foreign_keys is off/);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 0');
    expect(() => verifyPragmas(db)).toThrow(/busy_timeout/);

    const plain = track(new Database(path.join(makeTempDir(), 'plain.sqlite')));
    plain.pragma('synchronous = FULL');
    plain.pragma('foreign_keys = ON');
    plain.pragma('busy_timeout = 1000');
    expect(() => verifyPragmas(plain)).toThrow(/journal_mode is delete, need wal/);
  });

  it('closeDatabase folds the WAL into the main file', () => {
    const dir = makeTempDir();
    const db = openDatabase(dir);
    db.prepare("INSERT INTO merchants (name, created_at) VALUES ('x', 1)").run();
    closeDatabase(db);
    const wal = `${databasePath(dir)}-wal`;
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    expect(db.open).toBe(false);
  });
});
