// `npm start`: the desktop window where Electron can start, otherwise the headless core
// serving the counter UI at a printed URL. Says in one line why it fell back.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  // A system-installed Electron (or a test's stand-in) can be named explicitly.
  const override = process.env.COUNTERPAY_ELECTRON;
  if (override) {
    if (!fs.existsSync(override)) return { ok: false, why: `COUNTERPAY_ELECTRON points at ${override}, which does not exist` };
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      return { ok: false, why: 'there is no display (DISPLAY / WAYLAND_DISPLAY unset)' };
    }
    return { ok: true, binary: override };
  }
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, why: 'the electron package is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const binary = relative ? path.join(dir, 'dist', relative) : '';
  if (!binary || !fs.existsSync(binary)) {
    return { ok: false, why: "Electron's binary is not downloaded (run `npx install-electron` where the network allows it)" };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, why: 'there is no display (DISPLAY / WAYLAND_DISPLAY unset)' };
  }
  return { ok: true, binary };
}

const PARENT_POLL_MS = 250;
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let child = null;
let stopping = false;

/**
 * npm runs us through `sh -c`, and a signal sent to npm is passed to that shell only: the shell
 * dies at once and we are re-parented, while the window or the core would run on with its ports
 * bound. So every signal we get is passed on to the child, and the death of our parent counts
 * as a SIGTERM; we exit when the child has stopped (the core drains and closes its database).
 */
function stopChild(signal) {
  stopping = true;
  // The core and the window stop cleanly on SIGINT and SIGTERM; a hang-up means the same.
  const forwarded = signal === 'SIGHUP' ? 'SIGTERM' : signal;
  if (child && child.exitCode === null && child.signalCode === null) child.kill(forwarded);
}

for (const signal of FORWARDED) {
  // A Ctrl-C reaches the whole process group, the child included; the core takes a second
  // copy within milliseconds as the same request, and a later one as "exit now".
  process.on(signal, () => stopChild(signal));
}

const parent = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid !== parent && !stopping) {
    clearInterval(parentWatch);
    stopChild('SIGTERM');
  }
}, PARENT_POLL_MS);
parentWatch.unref();

function run(command, args, env = process.env, onEarlyFailure = null) {
  // Told to stop before the child was started (during the build): start nothing.
  if (stopping) process.exit(1);
  const started = Date.now();
  child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code, signal) => {
    // A window that dies within seconds never really started (a missing library, a native
    // module built for plain Node): fall back rather than leave the shop with nothing.
    if (onEarlyFailure && !stopping && code !== 0 && !signal && Date.now() - started < 20_000) return onEarlyFailure(code);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

function runHeadless(why) {
  process.stderr.write(`CounterPay: the desktop window cannot start because ${why}; running the headless core instead.\n`);
  run(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/headless/main.ts'), 'serve', ...process.argv.slice(2)], {
    ...process.env,
    COUNTERPAY_PRINT_LOGIN_URL: '1',
  });
}

const electron = electronBinary();
if (electron.ok) {
  // Tests that only need the launch path skip the build, which rewrites out/ under other tests.
  if (process.env.COUNTERPAY_START_NO_BUILD !== '1') {
    const built = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  run(electron.binary, ['.'], process.env, (code) => runHeadless(`Electron exited with code ${code} while starting`));
} else {
  runHeadless(electron.why);
}
