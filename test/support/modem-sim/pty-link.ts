import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * A pseudo-terminal pair made by socat: `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`.
 * A and B are symlinks to the two /dev/pts nodes; socat removes them when it exits, so the device
 * path vanishes like /dev/ttyUSB0 does when a modem is unplugged, and a new socat with the same
 * link= paths brings it back at the same path.
 */
export class PtyLink {
  /** The /dev/pts nodes socat reported (device end first). */
  readonly ptys: string[];
  private exitedFlag = false;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    ptys: string[],
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    private stderrText: () => string,
  ) {
    this.ptys = ptys;
    this.exited = exited.then((r) => {
      this.exitedFlag = true;
      live.delete(this.child);
      return r;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exitedFlag && this.child.exitCode === null && this.child.signalCode === null;
  }

  stderr(): string {
    return this.stderrText();
  }

  /** `cleanup`: paths the watchdog removes if this process dies without stopping the simulator. */
  static async open(deviceLink: string, simLink: string, cleanup: string[] = [deviceLink, simLink], timeoutMs = 5000): Promise<PtyLink> {
    for (const link of [deviceLink, simLink]) fs.rmSync(link, { force: true });
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${deviceLink}`, `pty,raw,echo=0,link=${simLink}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    live.add(child);
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: -1, signal: null }));
    });
    const ready = await new Promise<string[] | Error>((resolve) => {
      const timer = setTimeout(() => resolve(new Error(`socat did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        resolve(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(new Error(`socat exited (${code}) before starting: ${stderr}`));
      });
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        // "N PTY is /dev/pts/3" twice, then "N starting data transfer loop with FDs [5,5] and [7,7]".
        if (/starting data transfer loop/.test(stderr)) {
          clearTimeout(timer);
          resolve([...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1] as string));
        }
      });
    });
    if (ready instanceof Error) {
      child.kill('SIGKILL');
      throw ready;
    }
    // The links are made before the transfer loop starts; check anyway.
    for (const link of [deviceLink, simLink]) {
      if (!fs.existsSync(link)) {
        child.kill('SIGKILL');
        throw new Error(`socat did not make ${link}: ${stderr}`);
      }
    }
    // If this process dies without cleaning up (a test worker killed by SIGKILL), a watchdog
    // ends socat within a second, so no socat outlives the tests.
    const watchdog = spawn(
      'sh',
      [
        '-c',
        'p=$1; s=$2; shift 2; while kill -0 "$p" 2>/dev/null; do sleep 1; done; kill -9 "$s" 2>/dev/null; rm -rf -- "$@"',
        'modem-sim-watchdog',
        String(process.pid),
        String(child.pid),
        ...cleanup,
      ],
      { stdio: 'ignore' },
    );
    live.add(watchdog);
    const watchdogExited = new Promise<void>((resolve) => {
      watchdog.once('exit', () => {
        live.delete(watchdog);
        resolve();
      });
      watchdog.once('error', () => {
        live.delete(watchdog);
        resolve();
      });
    });
    const bothExited = exited.then(async (r) => {
      watchdog.kill('SIGKILL');
      await watchdogExited;
      return r;
    });
    return new PtyLink(child, ready, bothExited, () => stderr);
  }

  /** Ends socat (SIGTERM, then SIGKILL after a second) and waits for it and its watchdog. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    if (this.alive) {
      this.child.kill('SIGTERM');
      timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    }
    await this.exited;
    if (timer) clearTimeout(timer);
  }
}

/** Every socat this process started and that still runs: killed when the process exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** How many socat processes (and their watchdogs) this process has running: 0 once every simulator stopped. */
export function liveSocatCount(): number {
  return live.size;
}
