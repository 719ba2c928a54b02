import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/child-process';

/**
 * Issue 14, item 7: one typed client in src-shared for every admin call. The counter UI and the
 * Electron shell each used to build the RPC request themselves; a second copy drifts (the shell's
 * dropped the core's merchant_message). Only src-shared/client may name the RPC route.
 */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (/\.(ts|tsx|mjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('one admin client', () => {
  it('no caller outside src-shared/client builds an admin RPC request itself', () => {
    const callers = ['src-renderer', 'src-main/electron', 'scripts'].flatMap((d) => filesUnder(path.join(REPO_ROOT, d)));
    const offenders = callers.filter((f) => fs.readFileSync(f, 'utf8').includes('/api/admin/rpc')).map((f) => path.relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'src-shared/client/admin-rpc.ts'), 'utf8')).toContain('/api/admin/rpc/');
  });
});
