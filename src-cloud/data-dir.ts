import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the embedded database lives when no --database-url is given: --data-dir, else
 * COUNTERPAY_CLOUD_DATA_DIR, else the OS's per-user app data folder (next to the counter's own,
 * under "CounterPay Cloud"), so `npm run cloud` starts with no setup and never writes into the
 * current directory by surprise.
 */
export function defaultCloudDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COUNTERPAY_CLOUD_DATA_DIR) return path.resolve(env.COUNTERPAY_CLOUD_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'CounterPay Cloud');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'CounterPay Cloud');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'CounterPay Cloud');
}

/** Creates the data dir private to its user (0700): it holds the database and the admin token. */
export function ensureDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
}

/** The PGlite cluster's own folder inside the data dir. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
