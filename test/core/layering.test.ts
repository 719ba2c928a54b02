import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/child-process';

const SOURCE = /\.(ts|tsx|mts|cts)$/;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...walk(full));
    } else if (SOURCE.test(entry.name)) out.push(full);
  }
  return out;
}

/** Every module specifier a file names: import/export from, side-effect import, import(), require(). */
function specifiersOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\.resolve\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1] as string);
  return found;
}

const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');
const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0] as string);

function offenders(dir: string, bad: (spec: string, file: string) => boolean): string[] {
  const out: string[] = [];
  for (const file of walk(dir)) {
    for (const spec of specifiersOf(fs.readFileSync(file, 'utf8'))) {
      if (bad(spec, file)) out.push(`${path.relative(REPO_ROOT, file)} -> ${spec}`);
    }
  }
  return out;
}

describe('the import scanner', () => {
  it('finds every form of import it is meant to find', () => {
    const sample = [
      "import { app } from 'electron';",
      'import type { BrowserWindow } from "electron";',
      "import 'electron/main';",
      "export * from 'electron';",
      "const e = require('electron');",
      "const m = await import('electron');",
      "import fs from 'node:fs';",
      "import {\n  a,\n  b,\n} from '../../src-main/core';",
    ].join('\n');
    const specs = specifiersOf(sample);
    expect(specs.filter(isElectron)).toHaveLength(6);
    expect(specs.filter(isNodeBuiltin)).toEqual(['node:fs']);
    expect(specs).toContain('../../src-main/core');
    expect(isNodeBuiltin('fs')).toBe(true);
    expect(isNodeBuiltin('fs/promises')).toBe(true);
    expect(isNodeBuiltin('zod')).toBe(false);
    expect(isElectron('electron-vite')).toBe(false);
  });
});

describe('layering', () => {
  it('nothing under src-main/core imports electron', () => {
    const files = walk(path.join(REPO_ROOT, 'src-main/core'));
    expect(files.length).toBeGreaterThan(20);
    // The scanner really reads these files: the core imports plenty.
    expect(files.some((f) => specifiersOf(fs.readFileSync(f, 'utf8')).includes('better-sqlite3'))).toBe(true);
    expect(offenders(path.join(REPO_ROOT, 'src-main/core'), isElectron)).toEqual([]);
  });

  it('nothing under src-main/core mentions electron in any import form, even in odd spacing', () => {
    const bad: string[] = [];
    for (const file of walk(path.join(REPO_ROOT, 'src-main/core'))) {
      const text = fs.readFileSync(file, 'utf8');
      if (/(?:from|import|require)\s*\(?\s*['"`]electron(?:\/[^'"`]*)?['"`]/.test(text)) bad.push(file);
    }
    expect(bad).toEqual([]);
  });

  it('nothing under src-shared imports node built-ins or electron', () => {
    const files = walk(path.join(REPO_ROOT, 'src-shared'));
    expect(files.length).toBeGreaterThan(0);
    expect(offenders(path.join(REPO_ROOT, 'src-shared'), (s) => isElectron(s) || isNodeBuiltin(s))).toEqual([]);
  });

  it('nothing under src-renderer imports from src-main', () => {
    const mainDir = path.join(REPO_ROOT, 'src-main');
    const bad = offenders(path.join(REPO_ROOT, 'src-renderer'), (spec, file) => {
      if (spec.includes('src-main')) return true;
      if (!spec.startsWith('.')) return false;
      const target = path.resolve(path.dirname(file), spec);
      return target === mainDir || target.startsWith(mainDir + path.sep);
    });
    expect(bad).toEqual([]);
  });
});

/**
 * Inside src-main/core (layering.json, the same rules eslint.config.js enforces): a folder is a
 * domain, and another domain imports it only through its index.ts; a repository
 * (db/repos/<r>.ts) only from the domains that own it (its row types, with `import type`, from
 * anywhere when repoTypeImports is on). The files directly in src-main/core compose the domains
 * and may import any module; they and the shells never import a repository.
 */
interface Layering {
  compositionRoot: string[];
  repoOwners: Record<string, string[]>;
  repoTypeImports: boolean;
}

const LAYERING = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'layering.json'), 'utf8')) as Layering;
const CORE_DIR = path.join(REPO_ROOT, 'src-main/core');

interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

/** Static imports and re-exports with whether they bring types only; dynamic imports count as values. */
function importsOf(text: string): ImportRef[] {
  const found: ImportRef[] = [];
  for (const m of text.matchAll(/\b(import|export)\s+(type\s+)?([^'"`;]*?)\s*\bfrom\s*['"]([^'"]+)['"]/g)) {
    const clause = (m[3] ?? '').trim();
    const braces = /^\{([^}]*)\}$/.exec(clause);
    const names = braces
      ? (braces[1] as string)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [];
    const allInlineTypes = names.length > 0 && names.every((n) => n.startsWith('type '));
    found.push({ spec: m[4] as string, typeOnly: Boolean(m[2]) || allInlineTypes });
  }
  for (const m of text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.push({ spec: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g)) found.push({ spec: m[1] as string, typeOnly: false });
  return found;
}

/**
 * Why `ref`, imported by `fromRel` (a path relative to src-main/core, or `null` for a shell),
 * breaks the domain rules; null if it does not. Resolution is by path: `../x` is folder x's index.
 */
function domainViolation(fromRel: string | null, fromFile: string, ref: ImportRef, layering: Layering): string | null {
  if (!ref.spec.startsWith('.')) return null;
  const target = path
    .relative(CORE_DIR, path.resolve(path.dirname(fromFile), ref.spec))
    .split(path.sep)
    .join('/');
  if (target.startsWith('..') || path.isAbsolute(target)) return null;
  const parts = target.split('/');
  if (parts.length === 1) return null; // a root file: create-core.ts, index.ts
  const folder = parts[0] as string;
  const own = fromRel === null ? null : fromRel.includes('/') ? (fromRel.split('/')[0] as string) : '';
  if (folder === own) return null;
  if (folder === 'db' && parts[1] === 'repos' && parts.length === 3) {
    const repo = (parts[2] as string).replace(/\.[cm]?[jt]s$/, '');
    const owners = layering.repoOwners[repo] ?? [];
    if (own && owners.includes(own)) return null;
    if (ref.typeOnly && layering.repoTypeImports) return null;
    return `repository ${repo} belongs to ${owners.join(', ') || 'nobody (add it to layering.json)'}`;
  }
  if (own === '' || own === null) return null; // the composition root and the shells may reach in
  const rest = parts.slice(1).join('/');
  if (rest === '' || /^index(\.[cm]?[jt]s)?$/.test(rest)) return null;
  return `reaches into ${folder}/ past its index.ts`;
}

function domainOffenders(layering: Layering): string[] {
  const out: string[] = [];
  const check = (file: string, fromRel: string | null) => {
    for (const ref of importsOf(fs.readFileSync(file, 'utf8'))) {
      const why = domainViolation(fromRel, file, ref, layering);
      if (why) out.push(`${path.relative(REPO_ROOT, file).split(path.sep).join('/')} -> ${ref.spec}: ${why}`);
    }
  };
  for (const file of walk(CORE_DIR)) check(file, path.relative(CORE_DIR, file).split(path.sep).join('/'));
  for (const shell of ['src-main/headless', 'src-main/electron']) for (const file of walk(path.join(REPO_ROOT, shell))) check(file, null);
  return out;
}

/**
 * Imports that break the domain rules today, each fixed by the domain's owner (the lead fixes
 * payments/ and balance/). An entry that no longer occurs fails the test, so the list only
 * shrinks; never add one: export what you need from the domain's index.ts instead.
 */
/** Imports that break the rule and are not fixed yet (none): an entry that no longer occurs fails the test, so the list only shrinks. */
const KNOWN_DOMAIN_OFFENDERS: readonly string[] = [];

describe('domains inside src-main/core', () => {
  const at = (rel: string) => path.join(CORE_DIR, rel);
  const value = (spec: string): ImportRef => ({ spec, typeOnly: false });

  it('the rule: another folder only through its index.ts; inside a folder anything; repositories by owner', () => {
    const layering: Layering = { compositionRoot: [], repoOwners: { 'session-repo': ['payments'] }, repoTypeImports: true };
    const v = (from: string, ref: ImportRef) => domainViolation(from, at(from), ref, layering);
    expect(v('http/public-routes.ts', value('../sessions/session-service'))).toMatch(/past its index/);
    expect(v('http/openapi/schemas.ts', value('../../payments/submit-input'))).toMatch(/past its index/);
    expect(v('http/public-routes.ts', value('../payments'))).toBeNull();
    expect(v('http/public-routes.ts', value('../payments/index'))).toBeNull();
    expect(v('http/public-routes.ts', value('../payments/index.ts'))).toBeNull();
    expect(v('http/public-routes.ts', value('./rate-limit'))).toBeNull();
    expect(v('http/checkout-page/index.ts', value('../payments-context'))).toBeNull();
    expect(v('http/public-routes.ts', value('../../../src-shared/contract/api'))).toBeNull();
    expect(v('http/public-routes.ts', value('express'))).toBeNull();
    expect(v('payments/store.ts', value('../db/repos/session-repo'))).toBeNull();
    expect(v('admin/handlers.ts', value('../db/repos/session-repo'))).toMatch(/belongs to payments/);
    expect(v('admin/handlers.ts', { spec: '../db/repos/session-repo', typeOnly: true })).toBeNull();
    expect(v('admin/handlers.ts', value('../db/repos/new-repo'))).toMatch(/nobody/);
    expect(v('admin/handlers.ts', value('../db'))).toBeNull();
    expect(v('admin/handlers.ts', value('../db/open-database'))).toMatch(/past its index/);
    expect(v('create-core.ts', value('./http/admin-routes'))).toBeNull();
    expect(v('create-core.ts', value('./db/repos/session-repo'))).toMatch(/belongs to payments/);
    expect(domainViolation(null, path.join(REPO_ROOT, 'src-main/headless/x.ts'), value('../core/db/repos/session-repo'), layering)).toMatch(
      /belongs/,
    );
  });

  it('tells type-only imports from value imports', () => {
    const refs = importsOf(
      [
        "import type { A } from './a';",
        "import { type B, type C } from './b';",
        "import { type D, e } from './d';",
        "export type { F } from './f';",
        "export { g } from './g';",
        "import './side-effect';",
      ].join('\n'),
    );
    expect(refs).toEqual([
      { spec: './a', typeOnly: true },
      { spec: './b', typeOnly: true },
      { spec: './d', typeOnly: false },
      { spec: './f', typeOnly: true },
      { spec: './g', typeOnly: false },
      { spec: './side-effect', typeOnly: false },
    ]);
  });

  it('layering.json names an owner for every repository, and only folders that exist', () => {
    const repos = fs
      .readdirSync(path.join(CORE_DIR, 'db/repos'))
      .filter((f) => SOURCE.test(f))
      .map((f) => f.replace(SOURCE, ''));
    expect(repos.filter((r) => !(r in LAYERING.repoOwners))).toEqual([]);
    const folders = new Set(
      fs
        .readdirSync(CORE_DIR, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    );
    const missing = Object.entries(LAYERING.repoOwners).flatMap(([repo, owners]) =>
      owners.filter((o) => !folders.has(o)).map((o) => `${repo}: ${o}`),
    );
    expect(missing).toEqual([]);
    for (const root of LAYERING.compositionRoot) expect(fs.existsSync(path.join(CORE_DIR, root)), root).toBe(true);
  });

  it('the tree follows it', () => {
    const found = domainOffenders(LAYERING);
    expect(found.filter((f) => !KNOWN_DOMAIN_OFFENDERS.includes(f))).toEqual([]);
    expect(
      KNOWN_DOMAIN_OFFENDERS.filter((k) => !found.includes(k)),
      'fixed: remove these from KNOWN_DOMAIN_OFFENDERS in test/core/layering.test.ts',
    ).toEqual([]);
  });
});
