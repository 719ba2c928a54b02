// `npm run dist:linux | dist:win | dist:mac`: the desktop packages (electron-builder.yml).
// Builds the app with electron-vite, packages it with electron-builder, and then always rebuilds
// the native modules for plain Node again: electron-builder rebuilds them in place for Electron's
// ABI, which would leave `npm test` and `npm run serve` unable to load better-sqlite3.
//
// It needs Electron's binary, which electron-builder downloads (GitHub, or ELECTRON_MIRROR): it
// cannot run on machines without that network access.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = { linux: ['--linux', 'AppImage', 'deb'], win: ['--win', 'nsis'], mac: ['--mac', 'dmg'] };
const platform = process.argv[2];
if (!(platform in TARGETS)) {
  process.stderr.write(`usage: node scripts/dist.mjs ${Object.keys(TARGETS).join('|')}\n`);
  process.exit(2);
}

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status ?? 1;
}

let status = step('npx', ['electron-vite', 'build']);
if (status === 0) status = step('npx', ['electron-builder', ...TARGETS[platform], '--publish', 'never']);
const rebuilt = step('npm', ['rebuild', 'better-sqlite3', '@serialport/bindings-cpp']);
if (rebuilt !== 0) process.stderr.write('dist: `npm rebuild better-sqlite3 @serialport/bindings-cpp` failed: run it before `npm test`.\n');
process.exit(status || rebuilt);
