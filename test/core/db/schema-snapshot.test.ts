import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src-main/core/db';

/**
 * The whole schema after every migration, as SQLite holds it. A change to the schema shows
 * up here as a diff to review (and to commit with `vitest -u`), never silently.
 */
it('the migrated schema matches the committed snapshot', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-schema-'));
  const db = openDatabase(dir);
  try {
    const rows = db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all() as { type: string; name: string; sql: string }[];
    const dump = `${rows.map((r) => `-- ${r.type} ${r.name}\n${r.sql};`).join('\n\n')}\n-- user_version ${String(db.pragma('user_version', { simple: true }))}\n`;
    await expect(dump).toMatchFileSnapshot('./__snapshots__/schema.sql');
  } finally {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
