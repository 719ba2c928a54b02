/**
 * The cloud as its own process (`npm run cloud`): the ready line, clean stops, the shop commands
 * with and without a running server on PGlite (one process per data dir) and on PostgreSQL.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncBatchResponse } from '../../src-shared/contract/sync';
import { cleanEnv, REPO_ROOT, runCommand } from '../support/child-process';
import { expectErrorShape, httpRequest } from '../support/http-client';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import { batch, CLOUD_MAIN, createTestDatabase, events, killCloudChildren, postBatch, spawnCloud } from './helpers';

const children = new Set<ChildProcess>();
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  env = cleanEnv(makeTempDir('counterpay-cloud-sandbox-'));
});
afterEach(() => killCloudChildren(children));
afterAll(() => removeTempDirs());

/** `node --import tsx src-cloud/main.ts <args>` to completion: what `npm run --silent cloud -- <args>` runs. */
function cloudCli(args: readonly string[]) {
  return runCommand(process.execPath, ['--import', 'tsx', CLOUD_MAIN, ...args], { env });
}

function json<T>(r: { code: number | null; stdout: string; stderr: string }): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

type Made = { shop_id: string; sync_token: string };
type Listed = { shop_id: string; name: string; stream: string | null; cursor: number; last_batch_at: string | null }[];

describe('the cloud process on PGlite', () => {
  it('npm run cloud is this entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.cloud).toBe(`node --import tsx ${CLOUD_MAIN}`);
  });

  it('shop add works before, during and after the server; the server prints only its ready line and stops cleanly', async () => {
    const dataDir = makeTempDir('counterpay-cloud-data-');
    // No server yet: the command opens the files itself.
    const before = json<Made>(await cloudCli(['shop', 'add', '--name', 'Before', '--json', '--data-dir', dataDir]));
    expect(Object.keys(before).sort()).toEqual(['shop_id', 'sync_token']);
    expect(before.sync_token).toMatch(/^cps_[A-Za-z0-9_-]{43}$/);

    const cloud = await spawnCloud(['--data-dir', dataDir, '--port', '0'], env, children);
    expect(cloud.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cloud.output().stdout).toBe(`ready cloud=${cloud.url}\n`);
    // The server holds the files: the command goes through its admin channel instead.
    const during = json<Made>(await cloudCli(['shop', 'add', '--json', '--name', 'During', `--data-dir=${dataDir}`]));
    const listed = json<Listed>(await cloudCli(['shop', 'list', '--json', '--data-dir', dataDir]));
    expect(listed.map((s) => s.name)).toEqual(['Before', 'During']);

    // Both tokens sync; a token from one shop does not read another's admin channel or anything else.
    const r = await postBatch(cloud.url, during.sync_token, batch('db-1', events(1, 3)));
    expect((r.json as SyncBatchResponse).ack_seq).toBe(3);
    expectErrorShape(
      await httpRequest(cloud.url, '/api/cloud-admin/shops', { headers: { Authorization: `Bearer ${during.sync_token}` } }),
      401,
      'unauthorized',
    );

    // reset-stream through the running server lets another database sync.
    expectErrorShape(await postBatch(cloud.url, during.sync_token, batch('db-2', events(1, 1))), 409, 'sync_stream_mismatch');
    const reset = await cloudCli(['shop', 'reset-stream', '--id', during.shop_id, '--data-dir', dataDir]);
    expect(reset.code, reset.stderr).toBe(0);
    // One event, kept: resending it after the restart must be the same event (a number's id never changes).
    const db2 = events(1, 1);
    expect((await postBatch(cloud.url, during.sync_token, batch('db-2', db2))).status).toBe(200);

    // A second server on the same files refuses clearly.
    const second = await cloudCli(['--data-dir', dataDir, '--port', '0']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/in use by a running cloud/);

    expect(await cloud.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dataDir, 'cloud.lock'))).toBe(false);

    // After: the files again, with everything kept.
    const after = json<Listed>(await cloudCli(['shop', 'list', '--json', '--data-dir', dataDir]));
    expect(after.find((s) => s.shop_id === during.shop_id)).toMatchObject({ stream: 'db-2', cursor: 1 });
    expect(after.find((s) => s.shop_id === before.shop_id)).toMatchObject({ stream: null, cursor: 0, last_batch_at: null });

    const restarted = await spawnCloud(['--data-dir', dataDir, '--port', '0'], env, children);
    const replay = await postBatch(restarted.url, during.sync_token, batch('db-2', db2));
    expect(replay.json).toMatchObject({ ack_seq: 1, applied: 0, duplicates: 1 });
    expect(await restarted.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('npm run --silent cloud -- shop add --name NAME --json prints only the JSON', async () => {
    const dataDir = makeTempDir('counterpay-cloud-npm-');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = await runCommand(
      npm,
      ['run', '--silent', 'cloud', '--', 'shop', 'add', '--name', 'Via npm', '--json', '--data-dir', dataDir],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\{"shop_id":"shop_[0-9a-f]{24}","sync_token":"cps_[A-Za-z0-9_-]{43}"\}\n$/);
  });

  it('fails clearly on bad usage and an unknown shop', async () => {
    const dataDir = makeTempDir('counterpay-cloud-usage-');
    const noName = await cloudCli(['shop', 'add', '--json', '--data-dir', dataDir]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/--name/);
    const unknown = await cloudCli(['shop', 'reset-stream', '--id', 'shop_nope', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No shop shop_nope/);
    const badPort = await cloudCli(['--port', 'eighty', '--data-dir', dataDir]);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/--port/);
  });
});

describe('the cloud process on PostgreSQL', () => {
  it('shop commands open the server directly, with or without cloud processes running', async () => {
    const database = await createTestDatabase('cp_cloud_cli');
    try {
      const made = json<Made>(await cloudCli(['shop', 'add', '--name', 'PG shop', '--json', '--database-url', database.url]));
      const cloud = await spawnCloud(['--port', '0', '--database-url', database.url], env, children);
      const second = json<Made>(await cloudCli(['shop', 'add', '--name', 'PG two', '--json', '--database-url', database.url]));
      expect((await postBatch(cloud.url, made.sync_token, batch('pg', events(1, 2)))).json).toMatchObject({ ack_seq: 2, applied: 2 });
      expect((await postBatch(cloud.url, second.sync_token, batch('pg', events(1, 1)))).json).toMatchObject({ ack_seq: 1, applied: 1 });
      // The environment variable works as the flag does (and keeps the password out of `ps`).
      const viaEnv = await runCommand(process.execPath, ['--import', 'tsx', CLOUD_MAIN, 'shop', 'list', '--json'], {
        env: { ...env, COUNTERPAY_CLOUD_DATABASE_URL: database.url },
      });
      const listed = json<Listed>(viaEnv);
      expect(listed.map((s) => [s.name, s.cursor])).toEqual([
        ['PG shop', 2],
        ['PG two', 1],
      ]);
      const reset = await cloudCli(['shop', 'reset-stream', '--id', made.shop_id, '--database-url', database.url]);
      expect(reset.code, reset.stderr).toBe(0);
      expect((await postBatch(cloud.url, made.sync_token, batch('pg-restored', events(1, 1)))).json).toMatchObject({
        ack_seq: 1,
        applied: 1,
      });
      expect(await cloud.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await database.drop();
    }
  });
});
