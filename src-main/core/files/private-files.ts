import fs from 'node:fs';
import path from 'node:path';

/**
 * The data dir holds the shop's money records, its keys and its logs: nobody but the user
 * running CounterPay reads any of it. New files and dirs are created with these modes, and
 * what an older version (or a careless copy) left looser is tightened at start.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * The data dir's files that are tightened at start (besides everything under logs/). The
 * names are repeated here rather than imported so this module stays below every domain;
 * test/core/security/issue8-small.test.ts checks they match the owners' constants.
 */
export const DATA_DIR_PRIVATE_FILES = [
  'counterpay.sqlite',
  'counterpay.sqlite-wal',
  'counterpay.sqlite-shm',
  'counterpay.sqlite-journal',
  'keys.json',
  'forwarders.json',
  'config.json',
  'sync.json',
] as const;

export const LOG_DIR_NAME = 'logs';

/** POSIX modes only: on Windows chmod toggles the read-only flag and nothing else. */
const HAS_POSIX_MODES = process.platform !== 'win32';

/**
 * Removes the bits `allowed` does not have (0644 & 0600 → 0600; 0400 stays 0400). Missing
 * paths are fine. Best effort: a file this user cannot chmod (owned by someone else) is left
 * as it is rather than stopping the shop; the data dir's 0700 still keeps others out.
 */
export function tightenMode(target: string, allowed: number): void {
  if (!HAS_POSIX_MODES) return;
  let current: number;
  try {
    current = fs.statSync(target).mode & 0o777;
  } catch {
    return;
  }
  const wanted = current & allowed;
  if (wanted === current) return;
  try {
    fs.chmodSync(target, wanted);
  } catch {
    // EPERM/EACCES: not ours to change.
  }
}

/** Creates `dir` (and missing parents) with mode 0700, and tightens it if it already existed. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenMode(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `file` empty with mode 0600 if it does not exist (so whatever opens it next, such
 * as SQLite, which gives its -wal and -shm files the main file's mode, inherits 0600), and
 * tightens it if it does.
 */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenMode(file, PRIVATE_FILE_MODE);
}

/** The data dir 0700, its known files 0600, logs/ 0700 and every file in it 0600. */
export function securePrivateDataDir(dataDir: string): void {
  ensurePrivateDir(dataDir);
  for (const name of DATA_DIR_PRIVATE_FILES) tightenMode(path.join(dataDir, name), PRIVATE_FILE_MODE);
  const logDir = path.join(dataDir, LOG_DIR_NAME);
  if (!fs.existsSync(logDir)) return;
  tightenMode(logDir, PRIVATE_DIR_MODE);
  tightenFilesIn(logDir);
}

/** Every regular file directly in `dir` to at most 0600. */
export function tightenFilesIn(dir: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.isFile()) tightenMode(path.join(dir, entry.name), PRIVATE_FILE_MODE);
  }
}
