/**
 * Shared pieces of the benchmarks: the BENCH result line run-all.ts collects, percentiles, the
 * headless core as a child process, the bare ceiling server, a keep-alive HTTP client that counts
 * connection errors, and the process memory reading.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEADLESS = path.join(ROOT, 'src-main/headless/main.ts');
const CEILING = path.join(ROOT, 'bench/_ceiling-server.ts');

/** One figure, as run-all.ts collects it into docs/performance.md. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Stored SMS in the database the figure was measured on (0, or the year's size). */
  size?: number;
  /** What the same work costs with nothing of CounterPay in the way, measured in the same run. */
  ceiling?: number;
  ceiling_name?: string;
  /** A second ceiling (GET session has two). */
  ceiling2?: number;
  ceiling2_name?: string;
  /** 'higher' for rates, 'lower' for latencies and sizes. */
  better?: 'higher' | 'lower';
  note?: string;
  [extra: string]: unknown;
}

export function emit(result: BenchResult): void {
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function stats(values: readonly number[]): { n: number; p50: number; p99: number; mean: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export function sizeLabel(n: number): string {
  return n === 0
    ? '0'
    : n >= 1_000_000 && n % 1_000_000 === 0
      ? `${n / 1_000_000}M`
      : n >= 1000 && n % 1000 === 0
        ? `${n / 1000}k`
        : String(n);
}

/** Writes a config.json for a benchmark's copy: the seed's rate limits raised so they are not what is measured. */
export function writeBenchConfig(dataDir: string, extra: Record<string, unknown> = {}): void {
  const raised = { limit: 1_000_000, windowMs: 60_000 };
  fs.writeFileSync(
    path.join(dataDir, 'config.json'),
    JSON.stringify({
      rateLimits: { sessionCreate: raised, checkoutSubmit: raised, deviceSms: raised, merchantVerify: raised },
      http: { trustedProxies: ['127.0.0.1'] },
      ...extra,
    }),
    { mode: 0o600 },
  );
}

export function removeDir(dir: string): void {
  if (process.env.COUNTERPAY_BENCH_KEEP === '1') {
    process.stderr.write(`(kept ${dir})\n`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface Child {
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  stop(): Promise<number | null>;
  /** SIGSTOP / SIGCONT: an idle server must not take CPU from the one being measured. */
  pause(): void;
  resume(): void;
}

async function spawnReady(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; match: RegExpExecArray; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${args.join(' ')} exited ${code} before ready: ${stderr}`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const m = ready.exec(line);
      if (m) {
        child.off('exit', onExit);
        resolve(m);
      }
    });
  });
  const readyMs = performance.now() - t0;
  // Keep draining: a full pipe would stall the child's logging.
  lines.on('line', () => undefined);
  return { child, match, readyMs };
}

function control(child: ChildProcess, readyMs: number): Child {
  const pid = child.pid as number;
  return {
    child,
    pid,
    readyMs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
    pause: () => process.kill(pid, 'SIGSTOP'),
    resume: () => process.kill(pid, 'SIGCONT'),
  };
}

export interface Headless extends Child {
  urls: { public: string; device: string; admin: string };
}

/**
 * The headless core as a shop runs it (`serve`), ports 0; resolves on its `ready` line.
 * COUNTERPAY_BENCH_CPU_PROF=DIR writes a V8 CPU profile of each run into DIR (node --cpu-prof).
 */
export async function startHeadless(dataDir: string, logLevel = process.env.COUNTERPAY_BENCH_LOG_LEVEL ?? 'warn'): Promise<Headless> {
  const prof = process.env.COUNTERPAY_BENCH_CPU_PROF;
  const { child, match, readyMs } = await spawnReady(
    [
      HEADLESS,
      'serve',
      '--data-dir',
      dataDir,
      '--public-port',
      '0',
      '--device-port',
      '0',
      '--admin-port',
      '0',
      '--device-host',
      '127.0.0.1',
    ],
    { COUNTERPAY_LOG_LEVEL: logLevel },
    /^ready public=(\S+) device=(\S+) admin=(\S+)/,
    prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
  );
  return { ...control(child, readyMs), urls: { public: match[1] as string, device: match[2] as string, admin: match[3] as string } };
}

export interface Ceiling extends Child {
  url: string;
}

/**
 * The bare server the figures are compared with (_ceiling-server.ts): express and better-sqlite3
 * with the core's pragmas, nothing else. `readDb` is a database file it reads (the core's, for
 * rows of the same table at the same size); it writes its own file in `ownDir`.
 */
export async function startCeiling(opts: { readDb?: string; ownDir: string; prefill?: number }): Promise<Ceiling> {
  const args = [CEILING, '--own', opts.ownDir];
  if (opts.readDb) args.push('--read', opts.readDb);
  if (opts.prefill) args.push('--prefill', String(opts.prefill));
  const { child, match, readyMs } = await spawnReady(args, {}, /^ready (\S+)/);
  return { ...control(child, readyMs), url: match[1] as string };
}

/** Resident memory of a process, from /proc (Linux): now and its peak, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

export interface HttpAnswer {
  status: number;
  json: unknown;
  ms: number;
}

/**
 * A keep-alive HTTP client for JSON (node:http). Each instance is one client: its own agent and
 * its own connections, as a phone or a forwarder app has.
 */
export class JsonClient {
  private readonly agent: http.Agent;
  readonly errors = new Map<string, number>();
  constructor(maxSockets = 1) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const u = new URL(url);
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: u.hostname,
          port: u.port,
          path: `${u.pathname}${u.search}`,
          method,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = text;
            }
            resolve({ status: res.statusCode ?? 0, json, ms: performance.now() - t0 });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? err.message;
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        reject(err);
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  get(url: string, headers?: Record<string, string>): Promise<HttpAnswer> {
    return this.request('GET', url, undefined, headers);
  }

  post(url: string, body: unknown, headers?: Record<string, string>): Promise<HttpAnswer> {
    return this.request('POST', url, body, headers);
  }

  close(): void {
    this.agent.destroy();
  }
}

export function machine(): { cpu: string; cores: number; ramGb: number; node: string; os: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Sleeps without keeping the loop busy. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
