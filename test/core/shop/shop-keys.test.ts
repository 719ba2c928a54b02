import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, databasePath, openDatabase, type Db } from '../../../src-main/core/db';
import { AppError } from '../../../src-main/core/errors';
import { KEY_KINDS, keyFilePath, readKeyFile } from '../../../src-main/core/secrets';
import { authenticateKey, ensureShop, rotateKeys } from '../../../src-main/core/shop';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

const open: Db[] = [];
function openTracked(dir: string): Db {
  const db = openDatabase(dir);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
  removeTempDirs();
});

const PREFIXES: Record<(typeof KEY_KINDS)[number], RegExp> = {
  api_key: /^pk_live_[A-Za-z0-9]{32}$/,
  secret_key: /^sk_live_[A-Za-z0-9]{40}$/,
  device_auth_key: /^PV-[A-HJ-NP-Z2-9]{20}$/,
  test_api_key: /^pk_test_[A-Za-z0-9]{32}$/,
  test_secret_key: /^sk_test_[A-Za-z0-9]{40}$/,
  admin_token: /^cpa_[A-Za-z0-9]{40}$/,
};

describe('ensureShop', () => {
  it('creates the shop and its keys once; later calls return the same keys', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const first = ensureShop(db, dir);
    for (const kind of KEY_KINDS) expect(first.keys[kind]).toMatch(PREFIXES[kind]);
    expect(new Set(KEY_KINDS.map((k) => first.keys[k])).size).toBe(KEY_KINDS.length);
    expect(first.keys.audit_key).toMatch(/^[0-9a-f]{64}$/);

    const second = ensureShop(db, dir);
    expect(second).toEqual(first);
    expect(db.prepare('SELECT count(*) AS n FROM merchants').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: KEY_KINDS.length });

    // And from another connection, as a second process would see it.
    closeDatabase(db);
    const again = openTracked(dir);
    expect(ensureShop(again, dir)).toEqual(first);
  });

  it('writes keys.json with mode 0600 holding the same keys', () => {
    const dir = makeTempDir();
    const shop = ensureShop(openTracked(dir), dir);
    const file = keyFilePath(dir);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readKeyFile(dir)).toEqual(shop.keys);
    // No temporary file left behind by the write-then-rename.
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps no key in clear text in the database', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const shop = ensureShop(db, dir);
    const secrets = [...KEY_KINDS.map((k) => shop.keys[k]), shop.keys.audit_key];

    // Every TEXT column of credentials, row by row.
    const columns = (db.prepare('PRAGMA table_info(credentials)').all() as { name: string; type: string }[])
      .filter((c) => c.type.toUpperCase() === 'TEXT')
      .map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['key_hash', 'key_hint', 'kind']));
    const rows = db.prepare('SELECT * FROM credentials').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(KEY_KINDS.length);
    for (const row of rows) {
      for (const column of columns) {
        const value = String(row[column] ?? '');
        for (const secret of secrets) {
          expect(value.includes(secret), `${column} holds a key`).toBe(false);
          // Not even the random part alone.
          expect(value.includes(secret.slice(-16)), `${column} holds part of a key`).toBe(false);
        }
      }
    }

    // Every TEXT value of every table.
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const value of Object.values(row)) {
          if (typeof value !== 'string') continue;
          for (const secret of secrets) expect(value.includes(secret), `${table} holds a key`).toBe(false);
        }
      }
    }

    // And the bytes on disk (main file and WAL).
    closeDatabase(db);
    const bytes = Buffer.concat(
      [databasePath(dir), `${databasePath(dir)}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
    );
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('refuses to run when keys.json is missing or does not match', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const shop = ensureShop(db, dir);
    fs.rmSync(keyFilePath(dir));
    expect(() => ensureShop(db, dir)).toThrow(/keys\.json is missing/);

    fs.writeFileSync(keyFilePath(dir), JSON.stringify({ ...shop.keys, api_key: 'pk_live_' + 'X'.repeat(32) }), {
      mode: 0o600,
    });
    expect(() => ensureShop(db, dir)).toThrow(/does not match the database for api_key/);
  });
});

describe('authenticateKey and rotateKeys', () => {
  it('accepts each active key for its own kind only', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const shop = ensureShop(db, dir);
    for (const kind of KEY_KINDS) {
      const auth = authenticateKey(db, shop.keys[kind], [kind]);
      expect(auth).not.toBeNull();
      expect(auth?.kind).toBe(kind);
      expect(auth?.merchantId).toBe(shop.merchantId);
    }
    expect(authenticateKey(db, shop.keys.api_key, ['admin_token'])).toBeNull();
    expect(authenticateKey(db, shop.keys.admin_token, ['api_key', 'secret_key'])).toBeNull();
    expect(authenticateKey(db, 'pk_live_' + 'A'.repeat(32), ['api_key'])).toBeNull();
    expect(authenticateKey(db, undefined, ['api_key'])).toBeNull();
    expect(authenticateKey(db, 12345, ['api_key'])).toBeNull();
  });

  it('makes the old key fail and the new key pass, leaving other keys alone', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const before = ensureShop(db, dir);
    const after = rotateKeys(db, dir, ['api_key'], 'test');

    expect(after.keys.api_key).not.toBe(before.keys.api_key);
    expect(after.keys.api_key).toMatch(PREFIXES.api_key);
    expect(authenticateKey(db, before.keys.api_key, ['api_key'])).toBeNull();
    expect(authenticateKey(db, after.keys.api_key, ['api_key'])).not.toBeNull();
    for (const kind of KEY_KINDS.filter((k) => k !== 'api_key')) {
      expect(after.keys[kind]).toBe(before.keys[kind]);
      expect(authenticateKey(db, before.keys[kind], [kind])).not.toBeNull();
    }
    expect(after.keys.audit_key).toBe(before.keys.audit_key);
    expect(readKeyFile(dir)).toEqual(after.keys);
    expect(ensureShop(db, dir)).toEqual(after);
    // The old credential is kept, revoked, for the record.
    expect(db.prepare("SELECT count(*) AS n FROM credentials WHERE kind = 'api_key' AND revoked_at IS NOT NULL").get()).toEqual({ n: 1 });
  });

  it('rotates every key with all kinds, the admin token included', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const before = ensureShop(db, dir);
    const after = rotateKeys(db, dir, KEY_KINDS, 'test');
    for (const kind of KEY_KINDS) {
      expect(after.keys[kind]).not.toBe(before.keys[kind]);
      expect(authenticateKey(db, before.keys[kind], [kind])).toBeNull();
      expect(authenticateKey(db, after.keys[kind], [kind])).not.toBeNull();
    }
  });

  it('recovers a lost keys.json by rotating all', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    ensureShop(db, dir);
    fs.rmSync(keyFilePath(dir));
    const recovered = rotateKeys(db, dir, KEY_KINDS, 'test');
    expect(ensureShop(db, dir).keys).toEqual(recovered.keys);
    expect(fs.existsSync(path.join(dir, 'keys.json'))).toBe(true);
  });

  it('refuses, with a clear AppError and no change, to rotate one key while keys.json is lost', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    const shop = ensureShop(db, dir);
    fs.rmSync(keyFilePath(dir));
    let caught: unknown;
    try {
      rotateKeys(db, dir, ['api_key'], 'test');
    } catch (err) {
      caught = err;
    }
    // Today this is a TypeError from hashing `undefined` (the other kinds are absent from the ring).
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as Error).message).toMatch(/all/);
    // Rolled back: the old key still works, no keys.json was written.
    expect(authenticateKey(db, shop.keys.api_key, ['api_key'])).not.toBeNull();
    expect(fs.existsSync(keyFilePath(dir))).toBe(false);
  });

  it('refuses to rotate before the shop exists', () => {
    const dir = makeTempDir();
    const db = openTracked(dir);
    expect(() => rotateKeys(db, dir, ['api_key'], 'test')).toThrow(/no shop/);
  });
});
