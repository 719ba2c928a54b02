/**
 * The cloud is its own process that shares only the contracts with the counter (issue 13): no
 * import of src-main or src-renderer, no electron, no better-sqlite3. ESLint says the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/child-process';

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe('src-cloud layering', () => {
  const files = walk(path.join(REPO_ROOT, 'src-cloud')).filter((f) => f.endsWith('.ts'));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('imports only itself, src-shared and its own packages', () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(fs.readFileSync(file, 'utf8'))) {
        const resolved = spec.startsWith('.') ? path.relative(REPO_ROOT, path.resolve(path.dirname(file), spec)) : spec;
        const bad = /^(src-main|src-renderer)(\/|$)/.test(resolved) || spec === 'electron' || spec === 'better-sqlite3';
        if (bad) offenders.push(`${path.relative(REPO_ROOT, file)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('nothing in src-main or src-shared imports src-cloud', () => {
    const offenders = ['src-main', 'src-shared']
      .flatMap((d) => walk(path.join(REPO_ROOT, d)))
      .filter((f) => /\.tsx?$/.test(f) && specifiers(fs.readFileSync(f, 'utf8')).some((s) => s.includes('src-cloud')));
    expect(offenders).toEqual([]);
  });
});
