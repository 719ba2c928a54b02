import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/child-process';

/**
 * House rules that no linter rule states directly. ARCHITECTURE.md: repositories
 * (`src-main/core/db/repos/*-repo.ts`) are the only place SQL lives, so better-sqlite3's
 * statement preparation, `.prepare(`, appears in src-main only under src-main/core/db/.
 */

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const DB_DIR = path.join(REPO_ROOT, 'src-main/core/db') + path.sep;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (SOURCE.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Every `.prepare(` call (also `.prepare<T>(` and a `.prepare(` on its own line after its
 * receiver), as `line: receiver`. The one exclusion: `this.prepare(` in a file that declares
 * its own `prepare(` method (SmsIngestor's message preparation): that is not SQL. Any other
 * receiver counts, whatever it is called: a Database reaches code under many names.
 */
function prepareCalls(text: string): string[] {
  const declaresPrepareMethod = /^\s*(?:(?:private|protected|public|static|async|override)\s+)*prepare\s*(?:<[^>]*>)?\s*\(/m.test(text);
  const found: string[] = [];
  for (const m of text.matchAll(/([\w$\])]*)\s*\??\.\s*prepare\s*(?:<[^>()]*>)?\s*\(/g)) {
    const receiver = m[1] ?? '';
    if (receiver === 'this' && declaresPrepareMethod) continue;
    const line = text.slice(0, m.index + m[0].indexOf('.')).split('\n').length;
    found.push(`${line}: ${receiver || '(expression)'}`);
  }
  return found;
}

/**
 * Violations the lead removes while moving matching/ and sessions/ into payments/
 * (`path:line: receiver`). Keep it shrinking: an entry that no longer occurs fails the test,
 * and a new violation is never added here: move the SQL into a repository instead.
 */
const KNOWN: readonly string[] = [];

function violations(): string[] {
  const out: string[] = [];
  for (const file of walk(path.join(REPO_ROOT, 'src-main'))) {
    if (file.startsWith(DB_DIR)) continue;
    const rel = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    for (const call of prepareCalls(fs.readFileSync(file, 'utf8'))) out.push(`${rel}:${call}`);
  }
  return out;
}

describe('the .prepare( scanner', () => {
  it('finds statement preparation in every form it takes, and skips a class’s own prepare method', () => {
    const sample = [
      "const a = db.prepare('SELECT 1');",
      'const b = this.db.prepare(`SELECT 2`);',
      'const c = ctx.db',
      '  .prepare(',
      "    'SELECT 3',",
      '  );',
      "const d = database.prepare<[number], Row>('SELECT 4');",
      "const e = deps.db?.prepare('SELECT 5');",
      "const f = getDb().prepare('SELECT 6');",
    ].join('\n');
    expect(prepareCalls(sample)).toEqual(['1: db', '2: db', '4: db', '7: database', '8: db', '9: )']);

    const ingestorLike = [
      'class Ingestor {',
      '  run(xs: string[]) { return xs.map((x) => this.prepare(x)); }',
      '  private prepare(x: string) { return x.trim(); }',
      '}',
    ].join('\n');
    expect(prepareCalls(ingestorLike)).toEqual([]);
    // Without its own method, `this.prepare(` is a Database call (a subclass) and counts.
    expect(prepareCalls('class D extends Database { q() { return this.prepare("SELECT 1"); } }')).toEqual(['1: this']);
    // Names that merely contain "prepare" are not calls of it.
    expect(prepareCalls('prepareSessionRepo(db); prepareBody(raw); x.prepared(1);')).toEqual([]);
  });

  it('reads the real tree: the repositories do prepare statements', () => {
    const inDb = walk(DB_DIR).filter((f) => prepareCalls(fs.readFileSync(f, 'utf8')).length > 0);
    expect(inDb.length).toBeGreaterThan(5);
  });
});

describe('house rules', () => {
  it('SQL lives in src-main/core/db/: no .prepare( anywhere else in src-main', () => {
    const found = violations();
    const unknown = found.filter((v) => !KNOWN.includes(v));
    expect(unknown, 'move these statements into a repository under src-main/core/db/repos/').toEqual([]);
    const stale = KNOWN.filter((k) => !found.includes(k));
    expect(stale, 'fixed: remove these entries from KNOWN in test/core/house-rules.test.ts').toEqual([]);
  });
});
