import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, useSandbox, REPO_ROOT, runCli, runCommand, type RunResult } from '../support/child-process';
import { makeTempDir } from '../support/temp-dir';

const KEY_NAMES = ['api_key', 'secret_key', 'device_auth_key', 'test_api_key', 'test_secret_key', 'admin_token'];
type Keys = Record<string, string>;

let sandbox: string;
let env: NodeJS.ProcessEnv;

useSandbox((dir, clean) => {
  sandbox = dir;
  env = clean;
});

/** Exactly one line of stdout, holding one JSON value. */
function singleJson(result: RunResult): unknown {
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string);
}

function expectKeys(value: unknown): Keys {
  expect(value).toBeTypeOf('object');
  const keys = value as Keys;
  expect(Object.keys(keys).sort()).toEqual([...KEY_NAMES].sort());
  expect(keys.api_key).toMatch(/^pk_live_[A-Za-z0-9]+$/);
  expect(keys.secret_key).toMatch(/^sk_live_[A-Za-z0-9]+$/);
  expect(keys.device_auth_key).toMatch(/^PV-[A-Z0-9]+$/);
  expect(keys.test_api_key).toMatch(/^pk_test_[A-Za-z0-9]+$/);
  expect(keys.test_secret_key).toMatch(/^sk_test_[A-Za-z0-9]+$/);
  expect(typeof keys.admin_token).toBe('string');
  expect((keys.admin_token as string).length).toBeGreaterThanOrEqual(20);
  return keys;
}

/** A failure: non-zero exit, nothing on stdout, one line on stderr, no stack. */
function expectOneLineFailure(result: RunResult): string {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  const line = lines[0] as string;
  expect(line).toMatch(/^counterpay: /);
  expect(result.stderr).not.toMatch(/\n\s+at |\bat .+\(.+:\d+:\d+\)|\.ts:\d+/);
  return line;
}

describe('counterpay keys', () => {
  it('prints the six keys as one JSON object, the same on a second call', async () => {
    const dir = makeTempDir();
    const first = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    const second = expectKeys(singleJson(await runCli(['keys', '--json', '--data-dir', dir], env)));
    expect(second).toEqual(first);
    const keyFile = path.join(dir, 'keys.json');
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    // The database file holds none of them.
    const dbBytes = fs.readFileSync(path.join(dir, 'counterpay.sqlite'));
    for (const value of Object.values(first)) expect(dbBytes.includes(Buffer.from(value))).toBe(false);
  });

  it('four processes starting on one fresh data dir create one shop with one set of keys', async () => {
    const dir = makeTempDir();
    const results = await Promise.all([1, 2, 3, 4].map(() => runCli(['keys', '--data-dir', dir, '--json'], env, 90_000)));
    const all = results.map((r) => expectKeys(singleJson(r)));
    for (const keys of all) expect(keys).toEqual(all[0]);
    const direct = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    expect(direct).toEqual(all[0]);
  });

  it('without --json prints one line per key', async () => {
    const dir = makeTempDir();
    const keys = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    const plain = await runCli(['keys', '--data-dir', dir], env);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const name of KEY_NAMES) expect(plain.stdout).toMatch(new RegExp(`^${name}\\s+${keys[name]}$`, 'm'));
  });

  it('keys rotate api_key changes api_key only', async () => {
    const dir = makeTempDir();
    const before = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    const rotated = expectKeys(singleJson(await runCli(['keys', 'rotate', 'api_key', '--data-dir', dir, '--json'], env)));
    expect(rotated.api_key).not.toBe(before.api_key);
    for (const name of KEY_NAMES.filter((n) => n !== 'api_key')) expect(rotated[name]).toBe(before[name]);
    const after = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    expect(after).toEqual(rotated);
  });

  it('keys rotate with an unknown kind fails in one line', async () => {
    const dir = makeTempDir();
    const line = expectOneLineFailure(await runCli(['keys', 'rotate', 'everything', '--data-dir', dir], env));
    expect(line).toContain('api_key');
  });

  it('keys rotate all recovers a lost keys.json, as the error message tells the operator', async () => {
    const dir = makeTempDir();
    const before = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    fs.rmSync(path.join(dir, 'keys.json'));
    const refused = await runCli(['keys', '--data-dir', dir, '--json'], env);
    const line = expectOneLineFailure(refused);
    expect(line).toContain('keys rotate all');

    const recovered = await runCli(['keys', 'rotate', 'all', '--data-dir', dir, '--json'], env);
    const keys = expectKeys(singleJson(recovered));
    for (const name of KEY_NAMES) expect(keys[name]).not.toBe(before[name]);
    expect(fs.existsSync(path.join(dir, 'keys.json'))).toBe(true);
  });
});

describe('counterpay gateway', () => {
  it('adds a gateway, prints it as JSON, and lists it', async () => {
    const dir = makeTempDir();
    const added = singleJson(
      await runCli(
        [
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
        ],
        env,
      ),
    ) as Record<string, unknown>;
    expect(added).toMatchObject({
      provider: 'bkash',
      variant: 'personal',
      account_identifiers: ['01711111111', 'XX6788'],
      label: 'Shop bKash',
      enabled: true,
    });
    expect(typeof added.id).toBe('number');
    expect(new Date(String(added.created_at)).toString()).not.toBe('Invalid Date');

    const listed = singleJson(await runCli(['gateway', 'list', '--data-dir', dir], env));
    expect(listed).toEqual([added]);
  });

  it('an invalid provider exits non-zero with one line on stderr and adds nothing', async () => {
    const dir = makeTempDir();
    const line = expectOneLineFailure(
      await runCli(['gateway', 'add', '--data-dir', dir, '--provider', 'paypal', '--account', '01711111111'], env),
    );
    expect(line).toMatch(/provider/);
    expect(singleJson(await runCli(['gateway', 'list', '--data-dir', dir], env))).toEqual([]);
  });

  it('a variant the wallet does not have, or no account, fails in one line', async () => {
    const dir = makeTempDir();
    expect(
      expectOneLineFailure(
        await runCli(['gateway', 'add', '--data-dir', dir, '--provider', 'upi', '--account', 'XX1234', '--variant', 'agent'], env),
      ),
    ).toMatch(/variant/);
    expect(expectOneLineFailure(await runCli(['gateway', 'add', '--data-dir', dir, '--provider', 'nagad'], env))).toMatch(/account/);
  });
});

describe('counterpay CLI errors and audit', () => {
  it('an unknown command or flag fails in one line with exit code 2', async () => {
    const dir = makeTempDir();
    const unknown = await runCli(['frobnicate', '--data-dir', dir], env);
    expect(expectOneLineFailure(unknown)).toMatch(/unknown command/);
    expect(unknown.code).toBe(2);
    const badFlag = await runCli(['keys', '--data-dir', dir, '--colour'], env);
    expectOneLineFailure(badFlag);
    expect(badFlag.code).toBe(2);
    const badPort = await runCli(['serve', '--data-dir', dir, '--public-port', 'http'], env);
    expect(expectOneLineFailure(badPort)).toContain('--public-port');
  });

  it('help prints the usage and exits 0', async () => {
    const result = await runCli(['help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CounterPay/);
    expect(result.stdout).toContain('counterpay serve');
  });

  it('audit verify passes on a fresh shop and counts the gateway it added', async () => {
    const dir = makeTempDir();
    singleJson(await runCli(['gateway', 'add', '--data-dir', dir, '--provider', 'nagad', '--account', '01822222222'], env));
    const verdict = singleJson(await runCli(['audit', 'verify', '--data-dir', dir, '--json'], env));
    expect(verdict).toEqual({ ok: true, rows: 2, firstBadSeq: null, problem: null });
  });

  it('uses COUNTERPAY_DATA_DIR when no flag is given', async () => {
    const dir = makeTempDir();
    const keys = expectKeys(singleJson(await runCli(['keys', '--json'], cleanEnv(sandbox, { COUNTERPAY_DATA_DIR: dir }))));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'))).toMatchObject(keys);
  });
});

describe('the operator command', () => {
  it('npm run --silent cli -- keys --data-dir DIR --json prints the keys JSON', async () => {
    const dir = makeTempDir();
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = await runCommand(npm, ['run', '--silent', 'cli', '--', 'keys', '--data-dir', dir, '--json'], {
      env,
      cwd: REPO_ROOT,
      timeoutMs: 90_000,
    });
    const keys = expectKeys(singleJson(result));
    const direct = expectKeys(singleJson(await runCli(['keys', '--data-dir', dir, '--json'], env)));
    expect(direct).toEqual(keys);
  });
});
