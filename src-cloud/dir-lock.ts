import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process's database: two processes opening the same files would corrupt them. So
 * whoever opens a data dir first creates `cloud.lock` there (exclusively) with its pid and a
 * random nonce, and a running server adds the local admin channel's URL and token, so the `shop`
 * commands can ask the server instead of opening the files (src-cloud/admin-channel.ts). A lock
 * whose process is gone is stale and taken over.
 *
 * The nonce is how a process knows a lock is its own: a lock naming this process's pid that this
 * process did not take (a container's pid 1 after a crash, restarted as pid 1 again) is stale,
 * not "held by ourselves".
 */
export interface LockInfo {
  pid: number;
  /** Random per acquisition: which of the locks naming one pid is which. */
  nonce?: string;
  /** `server`: a running cloud (ask it); `cli`: a `shop` command that holds it for a moment. */
  holder: 'server' | 'cli';
  admin_url?: string;
  admin_token?: string;
}

export interface DirLock {
  /** Adds the admin channel to the lock file once the server listens. */
  update(info: Partial<LockInfo>): void;
  release(): void;
}

/** The nonces of the locks this process holds now. */
const heldHere = new Set<string>();

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'cloud.lock');
}

function readInfo(file: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof info === 'object' && info !== null && typeof info.pid === 'number' ? info : null;
  } catch {
    return null;
  }
}

/** The current holder, or null when the lock is free or stale. */
export function readLock(dataDir: string): LockInfo | null {
  const info = readInfo(lockPath(dataDir));
  return info && alive(info) ? info : null;
}

/** Whether the lock's holder still runs: this process only if it took this very lock; another pid if it exists. */
function alive(info: LockInfo): boolean {
  if (info.pid === process.pid) return typeof info.nonce === 'string' && heldHere.has(info.nonce);
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `info` to a temp file of this process's own and links it to `file`: the lock appears
 * whole or not at all (a reader never sees it half-written, which would look stale), and the
 * link fails with EEXIST when someone holds it.
 */
function createWhole(file: string, info: LockInfo): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Takes the lock or throws naming who holds it. A `shop` command holds it for about a second, so
 * `waitMs` lets a starting server (or another command) wait for one to finish; a second server
 * is refused at once.
 */
export async function acquireDirLock(dataDir: string, holder: LockInfo['holder'], waitMs = 0): Promise<DirLock> {
  const file = lockPath(dataDir);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const info: LockInfo = { pid: process.pid, nonce: crypto.randomBytes(16).toString('hex'), holder };
    try {
      createWhole(file, info);
      heldHere.add(info.nonce as string);
      return handle(file, info);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readLock(dataDir);
    if (!current) {
      // Stale: move it aside under a name of our own (atomic), so two takers never both delete a fresh lock.
      const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
      try {
        fs.renameSync(file, aside);
        const moved = readInfo(aside);
        // Another taker renewed it between our read and the rename: put the live lock back.
        if (moved && alive(moved)) fs.linkSync(aside, file);
      } catch {
        // Someone else took it over first; try again.
      } finally {
        fs.rmSync(aside, { force: true });
      }
      continue;
    }
    // A server holds it for as long as it runs: waiting only helps against a short `shop` command.
    if (Date.now() >= deadline || (holder === 'server' && current.holder === 'server')) {
      throw new Error(
        `The data dir ${dataDir} is in use by ${current.holder === 'server' ? 'a running cloud' : 'a cloud command'} (pid ${current.pid}). ` +
          'PGlite lets one process open it at a time: stop that process, or run the cloud on PostgreSQL (--database-url).',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function handle(file: string, info: LockInfo): DirLock {
  let current = info;
  let released = false;
  return {
    update(extra) {
      current = { ...current, ...extra, pid: info.pid, nonce: info.nonce };
      const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(current), { flag: 'wx', mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      heldHere.delete(info.nonce as string);
      // Only our own lock: one taken over meanwhile (it looked stale to someone) is theirs.
      if (readInfo(file)?.nonce === info.nonce) fs.rmSync(file, { force: true });
    },
  };
}
