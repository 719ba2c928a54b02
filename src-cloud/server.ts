import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SqlClient } from './db/sql-client';
import { createCloudApp } from './http/app';
import type { Log } from './log';
import { openDatabase, type DatabaseTarget } from './open-database';

export interface CloudServer {
  url: string;
  /** Which engine holds the data: `postgres` or `pglite`. */
  kind: 'postgres' | 'pglite';
  /** The open database (tests read it directly; PGlite allows no second opener). */
  db: SqlClient;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes the database. */
  stop(graceMs?: number): Promise<void>;
}

/** The URL a local client uses to reach a listener bound to `host` (a wildcard means loopback). */
function reachableUrl(host: string, port: number): string {
  const local = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}`;
}

/**
 * Opens the database (migrating it), then listens. Used by `npm run cloud` and, in process, by
 * the tests. With PGlite the lock file gains the admin channel so `shop` commands keep working.
 */
export async function startCloud(options: { target: DatabaseTarget; port: number; host: string; log: Log }): Promise<CloudServer> {
  const opened = await openDatabase(options.target, 'server');
  const adminToken = opened.lock ? crypto.randomBytes(32).toString('base64url') : undefined;
  const app = createCloudApp(opened.db, options.log, { adminToken });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await opened.close();
    throw err;
  }
  const url = reachableUrl(options.host, (server.address() as AddressInfo).port);
  opened.lock?.update({ admin_url: url, admin_token: adminToken });
  let stopping: Promise<void> | null = null;
  return {
    url,
    kind: opened.db.kind,
    db: opened.db,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        await opened.close();
      })();
      return stopping;
    },
  };
}
