import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeTempDir, removeTempDirs } from './temp-dir';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json lives). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HEADLESS_MAIN = 'src-main/headless/main.ts';

export const READY_LINE = /^ready public=(\S+) device=(\S+) admin=(\S+)$/;

/**
 * The parent's environment without any COUNTERPAY_* variable, so a developer's own settings
 * cannot leak into a test, and with the per-user config folder pointed at `sandbox` so a
 * forgotten --data-dir can never touch the real shop's data.
 */
export function cleanEnv(sandbox: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('COUNTERPAY_') && v !== undefined) env[k] = v;
  }
  env.XDG_CONFIG_HOME = sandbox;
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills (SIGKILL) every child this worker started that is still running, and waits for them. */
export async function killAllChildren(): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      waits.push(new Promise<void>((resolve) => child.once('exit', () => resolve())));
      child.kill('SIGKILL');
    }
  }
  children.clear();
  await Promise.all(waits);
}

/** Runs a command to completion and collects its output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, [...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 45_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `node --import tsx src-main/headless/main.ts <args>` to completion. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult> {
  return runCommand(process.execPath, ['--import', 'tsx', HEADLESS_MAIN, ...args], { env, timeoutMs });
}

export interface RunningServer {
  child: ChildProcess;
  urls: { public: string; device: string; admin: string };
  /** Everything the child printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node --import tsx src-main/headless/main.ts <args>` and waits for its
 * `ready public=... device=... admin=...` line on stdout.
 */
export function startServer(args: readonly string[], env: NodeJS.ProcessEnv, readyTimeoutMs = 45_000): Promise<RunningServer> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', HEADLESS_MAIN, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  let pending = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail('server did not print its ready line in time'), readyTimeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        const m = READY_LINE.exec(line);
        if (m && !done) {
          done = true;
          clearTimeout(timer);
          resolve({
            child,
            urls: { public: m[1] as string, device: m[2] as string, admin: m[3] as string },
            output: () => ({ stdout, stderr }),
            stop: async (signal = 'SIGTERM', timeoutMs = 30_000) => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
              const result = await exited;
              clearTimeout(killer);
              return result;
            },
          });
        }
      }
    });
    child.once('error', (err) => fail(`spawn failed: ${err.message}`));
    child.once('exit', (code, signal) => fail(`server exited before ready (code ${code}, signal ${signal})`));
  });
}

/** The device listener binds 0.0.0.0 by default; talk to it on loopback. */
export function loopback(url: string): string {
  return url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');
}

/**
 * For a file of child-process tests: a sandbox dir and its clean environment before all tests,
 * leftover children killed after each, temp dirs removed at the end.
 */
export function useSandbox(bind: (sandbox: string, env: NodeJS.ProcessEnv) => void): void {
  beforeAll(() => {
    const sandbox = makeTempDir('counterpay-sandbox-');
    bind(sandbox, cleanEnv(sandbox));
  });
  afterEach(async () => {
    await killAllChildren();
  });
  afterAll(() => {
    removeTempDirs();
  });
}
