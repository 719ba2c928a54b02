import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src-main/core/audit';
import { closeDatabase, openDatabase } from '../../src-main/core/db';
import { ensureShop } from '../../src-main/core/shop';
import { cleanEnv, useSandbox, loopback, runCli, startServer, type RunningServer } from '../support/child-process';
import { expectErrorShape, httpRequest } from '../support/http-client';
import { makeTempDir } from '../support/temp-dir';

let sandbox: string;
let env: NodeJS.ProcessEnv;

useSandbox((dir, clean) => {
  sandbox = dir;
  env = clean;
});

async function cliJson(args: string[]): Promise<unknown> {
  const result = await runCli(args, env);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string);
}

function rpc(server: RunningServer, token: string, command: string) {
  return httpRequest(server.urls.admin, `/api/admin/rpc/${command}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: {},
  });
}

async function expectHealthy(server: RunningServer): Promise<void> {
  for (const name of ['public', 'device', 'admin'] as const) {
    const res = await httpRequest(loopback(server.urls[name]), '/api/health');
    expect(res.status).toBe(200);
    expect((res.json as { listener: string }).listener).toBe(name);
  }
}

function walIsFolded(dir: string): boolean {
  const wal = path.join(dir, 'counterpay.sqlite-wal');
  return !fs.existsSync(wal) || fs.statSync(wal).size === 0;
}

describe('counterpay serve', () => {
  it('prints the ready line, sees CLI changes at once, and stops cleanly on SIGTERM', async () => {
    const dir = makeTempDir();
    const server = await startServer(['serve', '--data-dir', dir, '--public-port', '0', '--device-port', '0', '--admin-port', '0'], env);
    for (const url of Object.values(server.urls)) expect(url).toMatch(/^http:\/\/[^\s/]+:\d+$/);
    expect(new URL(server.urls.public).port).not.toBe('0');
    await expectHealthy(server);

    // The CLI on the same data dir while the server runs: same keys as the server's.
    const keys = (await cliJson(['keys', '--data-dir', dir, '--json'])) as Record<string, string>;
    const token = keys.admin_token as string;
    const status0 = await rpc(server, token, 'status.get');
    expect(status0.status).toBe(200);
    expect((status0.json as { result: { counts: { gateways: number } } }).result.counts.gateways).toBe(0);

    const added = (await cliJson([
      'gateway',
      'add',
      '--data-dir',
      dir,
      '--provider',
      'bkash',
      '--account',
      '01711111111,XX6788',
      '--variant',
      'personal',
      '--label',
      'Shop bKash',
    ])) as Record<string, unknown>;
    expect(added).toMatchObject({ provider: 'bkash', account_identifiers: ['01711111111', 'XX6788'], label: 'Shop bKash' });

    // The running server sees it on the very next request.
    const listed = await rpc(server, token, 'gateways.list');
    expect(listed.status).toBe(200);
    expect((listed.json as { result: { gateways: unknown[] } }).result.gateways).toEqual([added]);
    const status1 = await rpc(server, token, 'status.get');
    expect((status1.json as { result: { counts: { gateways: number } } }).result.counts.gateways).toBe(1);
    expect(await cliJson(['gateway', 'list', '--data-dir', dir])).toEqual([added]);

    const exit = await server.stop('SIGTERM');
    expect(exit, server.output().stderr).toEqual({ code: 0, signal: null });
    expect(walIsFolded(dir)).toBe(true);

    // The database opens and holds what was written.
    const raw = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.prepare('SELECT count(*) AS n FROM gateways').get()).toEqual({ n: 1 });
    } finally {
      raw.close();
    }
    const db = openDatabase(dir);
    try {
      const shop = ensureShop(db, dir);
      expect(shop.keys.admin_token).toBe(token);
      expect(verifyAudit(db, shop.keys.audit_key)).toMatchObject({ ok: true, rows: 2 });
    } finally {
      closeDatabase(db);
    }
  });

  it('accepts the flags in any order, before or after the command', async () => {
    const dir = makeTempDir();
    const server = await startServer(
      ['--admin-port', '0', '--data-dir', dir, 'serve', '--device-port', '0', '--log-level', 'warn', '--public-port', '0'],
      env,
    );
    await expectHealthy(server);
    // It really runs on that data dir.
    const keys = (await cliJson(['keys', '--json', '--data-dir', dir])) as Record<string, string>;
    expect((await rpc(server, keys.admin_token as string, 'status.get')).status).toBe(200);
    expect(fs.existsSync(path.join(dir, 'counterpay.sqlite'))).toBe(true);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(walIsFolded(dir)).toBe(true);
  });

  it('takes its settings from COUNTERPAY_* environment variables', async () => {
    const dir = makeTempDir();
    const server = await startServer(
      ['serve'],
      cleanEnv(sandbox, {
        COUNTERPAY_DATA_DIR: dir,
        COUNTERPAY_PUBLIC_PORT: '0',
        COUNTERPAY_DEVICE_PORT: '0',
        COUNTERPAY_ADMIN_PORT: '0',
        COUNTERPAY_DEVICE_HOST: '127.0.0.1',
      }),
    );
    expect(server.urls.device).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expectHealthy(server);
    const keys = (await cliJson(['keys', '--json', '--data-dir', dir])) as Record<string, string>;
    const status = await rpc(server, keys.admin_token as string, 'status.get');
    expect(status.status).toBe(200);
    expect((status.json as { result: { data_dir: string } }).result.data_dir).toBe(dir);
    // Nothing was written to the per-user default folder.
    expect(fs.existsSync(path.join(sandbox, 'CounterPay'))).toBe(false);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(walIsFolded(dir)).toBe(true);
  });

  it('stops cleanly on SIGTERM while a counter window holds the event stream open', async () => {
    const dir = makeTempDir();
    const keys = (await cliJson(['keys', '--json', '--data-dir', dir])) as Record<string, string>;
    const server = await startServer(['serve', '--data-dir', dir, '--public-port', '0', '--device-port', '0', '--admin-port', '0'], env);
    const controller = new AbortController();
    const res = await fetch(`${server.urls.admin}/api/admin/events`, {
      headers: { Authorization: `Bearer ${keys.admin_token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^event: status\n/);
    // Keep reading in the background until the server ends the stream.
    const drained = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'cut';
      }
    })();
    const exit = await server.stop('SIGTERM');
    expect(exit, server.output().stderr).toEqual({ code: 0, signal: null });
    expect(['ended', 'cut']).toContain(await drained);
    controller.abort();
    expect(walIsFolded(dir)).toBe(true);
  });

  it('a rotated admin token takes effect in the running server at once', async () => {
    const dir = makeTempDir();
    const before = (await cliJson(['keys', '--json', '--data-dir', dir])) as Record<string, string>;
    const server = await startServer(['serve', '--data-dir', dir, '--public-port', '0', '--device-port', '0', '--admin-port', '0'], env);
    expect((await rpc(server, before.admin_token as string, 'status.get')).status).toBe(200);
    const after = (await cliJson(['keys', 'rotate', 'admin_token', '--json', '--data-dir', dir])) as Record<string, string>;
    expect(after.admin_token).not.toBe(before.admin_token);
    expectErrorShape(await rpc(server, before.admin_token as string, 'status.get'), 401, 'unauthorized');
    expect((await rpc(server, after.admin_token as string, 'status.get')).status).toBe(200);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('a port already in use fails in one line with a non-zero exit and no stack', async () => {
    const dir = makeTempDir();
    const first = await startServer(['serve', '--data-dir', dir, '--public-port', '0', '--device-port', '0', '--admin-port', '0'], env);
    const busyPort = new URL(first.urls.admin).port;
    const other = makeTempDir();
    const second = await runCli(['serve', '--data-dir', other, '--public-port', '0', '--device-port', '0', '--admin-port', busyPort], env);
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBeNull();
    const lines = second.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, second.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^counterpay: .*EADDRINUSE/);
    expect(second.stdout).not.toMatch(/^ready /m);
    // The first server is unharmed.
    await expectHealthy(first);
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
