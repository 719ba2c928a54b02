import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process's database: two processes opening the same files would corrupt them. So
 * whoever opens a data dir first creates `cloud.lock` there (exclusively) with its pid, and a
 * running server adds the local admin channel's URL and token, so the `shop` commands can ask the
 * server instead of opening the files (src-cloud/admin-channel.ts). A lock whose process is gone
 * is stale and taken over.
 */
export interface LockInfo {
  pid: number;
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

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'cloud.lock');
}

/** The current holder, or null when the lock is free or stale. */
export function readLock(dataDir: string): LockInfo | null {
  let info: LockInfo;
  try {
    info = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
  return typeof info.pid === 'number' && alive(info.pid) ? info : null;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
    const info: LockInfo = { pid: process.pid, holder };
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return handle(file, info);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readLock(dataDir);
    if (!current) {
      // Stale: move it aside under a name of our own (atomic), so two takers never both delete a fresh lock.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
        const moved = JSON.parse(fs.readFileSync(aside, 'utf8')) as LockInfo;
        // Another taker renewed it between our read and the rename: put the live lock back.
        if (typeof moved.pid === 'number' && moved.pid !== process.pid && alive(moved.pid)) fs.linkSync(aside, file);
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
      current = { ...current, ...extra };
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(current), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      try {
        const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
        if (onDisk.pid === process.pid) fs.rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
    },
  };
}
