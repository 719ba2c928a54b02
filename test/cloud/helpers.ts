/**
 * What the cloud tests share: both database backends (a fresh PostgreSQL database per file, or a
 * PGlite data dir), the cloud in process or as a child process, and hand-built sync batches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import pg from 'pg';
import type { SessionView } from '../../src-shared/contract/payments';
import type { SyncBatchRequest, SyncEvent } from '../../src-shared/contract/sync';
import type { DatabaseTarget } from '../../src-cloud/open-database';
import { startCloud, type CloudServer } from '../../src-cloud/server';
import { addShop } from '../../src-cloud/shops';
import { REPO_ROOT } from '../support/child-process';
import { httpRequest, type HttpResult } from '../support/http-client';
import { makeTempDir } from '../support/temp-dir';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://counterpay:counterpay@127.0.0.1:5432/counterpay_test';

const HOW_TO_POSTGRES = `The cloud tests need a PostgreSQL server (issue 13). On Debian/Ubuntu:
  sudo apt-get install -y postgresql
  sudo pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main start
  sudo -u postgres psql -c "CREATE ROLE counterpay LOGIN CREATEDB PASSWORD 'counterpay'" -c "CREATE DATABASE counterpay_test OWNER counterpay"
or point COUNTERPAY_TEST_DATABASE_URL at a server where that role may CREATE DATABASE (.ci/run does all of this).`;

/** The server the tests use: COUNTERPAY_TEST_DATABASE_URL, else the local default. */
export function testDatabaseUrl(): string {
  return process.env.COUNTERPAY_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A new, empty database on the test server (its own name, so test files never collide), and
 * how to drop it. Fails with the setup steps when no server answers.
 */
export async function createTestDatabase(prefix = 'cp_cloud'): Promise<{ url: string; drop(): Promise<void> }> {
  const base = testDatabaseUrl();
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Cannot connect to PostgreSQL at ${base.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}\n${HOW_TO_POSTGRES}`);
  }
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(base, name),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export type BackendName = 'pglite' | 'postgres';
export const BACKENDS: readonly BackendName[] = ['pglite', 'postgres'];

/** A fresh place to keep cloud data on `backend`, and how to throw it away. */
export async function freshTarget(backend: BackendName): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    return { target: { databaseUrl: null, dataDir: makeTempDir('counterpay-cloud-') }, drop: async () => undefined };
  }
  const db = await createTestDatabase();
  return { target: { databaseUrl: db.url, dataDir: makeTempDir('counterpay-cloud-unused-') }, drop: () => db.drop() };
}

const quiet = () => undefined;

/** The cloud in this process on 127.0.0.1 (port 0), with a direct database handle for assertions. */
export async function startInProcess(target: DatabaseTarget): Promise<CloudServer> {
  return startCloud({ target, port: 0, host: '127.0.0.1', log: quiet });
}

/** A new shop in the running cloud's database: its id and sync token. */
export function addTestShop(cloud: CloudServer, name = 'Shop'): Promise<{ shop_id: string; sync_token: string }> {
  return addShop(cloud.db, name);
}

// ---- hand-built batches ----

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function eventId(): string {
  return `sev_${crypto.randomBytes(12).toString('hex')}`;
}

/** A SessionView like the counter's GET answers (field order included). */
export function sessionView(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: overrides.id ?? crypto.randomBytes(10).toString('hex'),
    order_id: 'ORD-1',
    amount: '150.00',
    currency: 'BDT',
    status: 'pending',
    expires_at: '2030-01-01T00:30:00.000Z',
    created_at: '2030-01-01T00:00:00.000Z',
    successful_transaction: null,
    latest_transaction: null,
    test: false,
    ...overrides,
  };
}

export function paid(view: SessionView, txnid = 'BK7X9Q2M4P'): SessionView {
  const at = '2030-01-01T00:05:00.000Z';
  return {
    ...view,
    status: 'success',
    successful_transaction: { txnid_submitted: txnid, verified_at: at, result_source: 'sms_inbound', reversed_at: null },
    latest_transaction: {
      txnid_submitted: txnid,
      method: 'bkash',
      variant: null,
      account_number: '01711111111',
      sender_account: '01712345678',
      amount: view.amount,
      status: 'success',
      result_source: 'sms_inbound',
      failure_reason: null,
      verified_at: at,
      reversed_at: null,
    },
  };
}

export function syncEvent(seq: number, session: SessionView | null, type = 'session.updated', id = eventId()): SyncEvent {
  return { id, seq, type, created_at: new Date(Date.UTC(2030, 0, 1, 0, 0, seq % 60)).toISOString(), session, data: null };
}

/** Events numbered from..from+count-1, each a new pending session (or the given views). */
export function events(from: number, count: number, view: (seq: number) => SessionView | null = () => sessionView()): SyncEvent[] {
  return Array.from({ length: count }, (_, i) => syncEvent(from + i, view(from + i)));
}

export function batch(stream: string, evs: SyncEvent[], keys: { live?: string[]; test?: string[] } = {}): SyncBatchRequest {
  return { stream, app_version: '0.1.0-test', keys: { live: keys.live ?? [], test: keys.test ?? [] }, events: evs };
}

export function postBatch(url: string, token: string | null, body: unknown): Promise<HttpResult> {
  return httpRequest(url, '/api/sync/batches', {
    method: 'POST',
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    body,
  });
}

export function getWithKey(url: string, pathName: string, key: string | null): Promise<HttpResult> {
  return httpRequest(url, pathName, { headers: key === null ? {} : { 'X-API-Key': key } });
}

// ---- the cloud as a child process ----

export const CLOUD_MAIN = 'src-cloud/main.ts';
const READY = /^ready cloud=(\S+)$/;

export interface CloudProcess {
  child: ChildProcess;
  url: string;
  output(): { stdout: string; stderr: string };
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --import tsx src-cloud/main.ts <args>` (what `npm run cloud` runs), once it prints its ready line. */
export function spawnCloud(args: readonly string[], env: NodeJS.ProcessEnv, children: Set<ChildProcess>): Promise<CloudProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLOUD_MAIN, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cloud did not print its ready line\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 45_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => READY.test(l));
      const m = line ? READY.exec(line) : null;
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1] as string,
          output: () => ({ stdout, stderr }),
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`cloud exited before ready (code ${code}, signal ${signal})\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/** Kills every cloud child a test left running, and waits for them. */
export async function killCloudChildren(children: Set<ChildProcess>): Promise<void> {
  const waits = [...children].map((child) => {
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    else return Promise.resolve();
    return done;
  });
  children.clear();
  await Promise.all(waits);
}
