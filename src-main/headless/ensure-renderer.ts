import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Running from a source checkout, builds the counter UI when it is missing or older than
 * its sources, so `npm run serve` works on a fresh clone. Quiet on stdout: the serve
 * command's stdout carries the `ready` contract.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const sources = path.join(ROOT, 'src-renderer');
  if (!fs.existsSync(path.join(ROOT, 'vite.renderer.config.ts')) || !fs.existsSync(sources)) return;
  const built = path.join(ROOT, 'out', 'renderer', 'index.html');
  const newest = Math.max(newestMtime(sources), newestMtime(path.join(ROOT, 'src-shared')));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest) return;
  process.stderr.write('counterpay: building the counter UI…\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
}
