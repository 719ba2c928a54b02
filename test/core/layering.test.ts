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
