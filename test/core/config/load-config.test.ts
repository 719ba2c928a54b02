import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, loadConfig, type Config } from '../../../src-main/core/config';
import { AppError } from '../../../src-main/core/errors';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

afterEach(() => removeTempDirs());

function writeConfig(dir: string, content: unknown): string {
  const file = path.join(dir, CONFIG_FILE_NAME);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function loadError(fn: () => Config): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  return caught as AppError;
}

describe('loadConfig defaults', () => {
  it('gives the documented listeners and limits with nothing configured', () => {
    const dir = makeTempDir();
    const config = loadConfig({ dataDir: dir }, {});
    expect(config.dataDir).toBe(path.resolve(dir));
    expect(config.public).toEqual({ host: '127.0.0.1', port: 8787, allowedHosts: [] });
    expect(config.device).toEqual({ host: '0.0.0.0', port: 8789, allowedHosts: [], smsJsonLimitBytes: 4 * 1024 * 1024 });
    expect(config.admin).toEqual({ host: '127.0.0.1', port: 8788, allowedHosts: [] });
    expect(config.http.jsonLimitBytes).toBe(64 * 1024);
    expect(config.log.level).toBe('info');
    expect(config.sessions.ttlHours).toBe(24);
  });

  it('takes the data dir from COUNTERPAY_DATA_DIR, then the OS default, and never from process.env when env is given', () => {
    const a = makeTempDir();
    const b = makeTempDir();
    expect(loadConfig({}, { COUNTERPAY_DATA_DIR: a }).dataDir).toBe(path.resolve(a));
    expect(loadConfig({ dataDir: b }, { COUNTERPAY_DATA_DIR: a }).dataDir).toBe(path.resolve(b));
    if (process.platform === 'linux') {
      const xdg = makeTempDir();
      expect(loadConfig({}, { XDG_CONFIG_HOME: xdg }).dataDir).toBe(path.join(xdg, 'CounterPay'));
    }
  });
});

describe('loadConfig precedence: defaults < config.json < environment < flags', () => {
  it('lets each layer win over the one before, field by field', () => {
    const dir = makeTempDir();
    writeConfig(dir, {
      public: { port: 1111, allowedHosts: ['shop.example.com'] },
      device: { port: 2222 },
      admin: { port: 3333 },
      log: { level: 'debug' },
      sessions: { ttlHours: 48 },
    });
    const env = { COUNTERPAY_DEVICE_PORT: '4444', COUNTERPAY_ADMIN_PORT: '5555', COUNTERPAY_LOG_LEVEL: 'warn' };
    const config = loadConfig({ dataDir: dir, adminPort: 6666 }, env);
    expect(config.public.port).toBe(1111); // file over default
    expect(config.public.allowedHosts).toEqual(['shop.example.com']); // file, merged beside defaults
    expect(config.public.host).toBe('127.0.0.1'); // default kept inside a section the file touched
    expect(config.device.port).toBe(4444); // env over file
    expect(config.admin.port).toBe(6666); // flag over env over file
    expect(config.log.level).toBe('warn'); // env over file
    expect(config.sessions.ttlHours).toBe(48); // file over default
    expect(config.http.jsonLimitBytes).toBe(64 * 1024); // default
  });

  it('lets flags win over environment for every flag', () => {
    const dir = makeTempDir();
    const env = {
      COUNTERPAY_PUBLIC_PORT: '1',
      COUNTERPAY_DEVICE_PORT: '2',
      COUNTERPAY_ADMIN_PORT: '3',
      COUNTERPAY_DEVICE_HOST: '10.0.0.1',
      COUNTERPAY_ADMIN_HOST: '10.0.0.2',
      COUNTERPAY_LOG_LEVEL: 'error',
    };
    const fromEnv = loadConfig({ dataDir: dir }, env);
    expect([fromEnv.public.port, fromEnv.device.port, fromEnv.admin.port]).toEqual([1, 2, 3]);
    expect([fromEnv.device.host, fromEnv.admin.host, fromEnv.log.level]).toEqual(['10.0.0.1', '10.0.0.2', 'error']);
    const fromFlags = loadConfig(
      { dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1', adminHost: '::1', logLevel: 'silent' },
      env,
    );
    expect([fromFlags.public.port, fromFlags.device.port, fromFlags.admin.port]).toEqual([0, 0, 0]);
    expect([fromFlags.device.host, fromFlags.admin.host, fromFlags.log.level]).toEqual(['127.0.0.1', '::1', 'silent']);
  });

  it('reads config.json from the data dir chosen by the environment', () => {
    const dir = makeTempDir();
    writeConfig(dir, { public: { port: 7001 } });
    expect(loadConfig({}, { COUNTERPAY_DATA_DIR: dir }).public.port).toBe(7001);
  });

  it('treats an empty environment variable as unset', () => {
    const dir = makeTempDir();
    writeConfig(dir, { admin: { port: 7002 } });
    expect(loadConfig({ dataDir: dir }, { COUNTERPAY_ADMIN_PORT: '' }).admin.port).toBe(7002);
  });
});

describe('a bad configuration is refused with a clear message', () => {
  it('names the file when config.json is not JSON', () => {
    const dir = makeTempDir();
    const file = writeConfig(dir, '{ "public": { "port": 1, } ');
    const err = loadError(() => loadConfig({ dataDir: dir }, {}));
    expect(err.code).toBe('validation_failed');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('names the file when config.json holds no object', () => {
    const dir = makeTempDir();
    const file = writeConfig(dir, '[1, 2]');
    const err = loadError(() => loadConfig({ dataDir: dir }, {}));
    expect(err.message).toContain(file);
  });

  it('names an unknown key, top level and nested', () => {
    const dir = makeTempDir();
    writeConfig(dir, { pubilc: { port: 1 } });
    const top = loadError(() => loadConfig({ dataDir: dir }, {}));
    expect(top.code).toBe('validation_failed');
    expect(top.message).toContain('pubilc');

    writeConfig(dir, { public: { prot: 1 } });
    const nested = loadError(() => loadConfig({ dataDir: dir }, {}));
    expect(nested.message).toContain('prot');
    expect(nested.message).toContain('public');
  });

  it('names a field of the wrong type', () => {
    const dir = makeTempDir();
    writeConfig(dir, { admin: { port: '8788' } });
    const err = loadError(() => loadConfig({ dataDir: dir }, {}));
    expect(err.code).toBe('validation_failed');
    expect(err.message).toContain('admin.port');

    writeConfig(dir, { http: { jsonLimitBytes: 10 } });
    expect(loadError(() => loadConfig({ dataDir: dir }, {})).message).toContain('http.jsonLimitBytes');

    writeConfig(dir, { log: { level: 'loud' } });
    expect(loadError(() => loadConfig({ dataDir: dir }, {})).message).toContain('log.level');
  });

  it('refuses dataDir inside config.json', () => {
    const dir = makeTempDir();
    const file = writeConfig(dir, { dataDir: '/elsewhere' });
    const err = loadError(() => loadConfig({ dataDir: dir }, {}));
    expect(err.message).toContain(file);
    expect(err.message).toContain('dataDir');
  });

  it('names the environment variable that is not a port', () => {
    const dir = makeTempDir();
    const err = loadError(() => loadConfig({ dataDir: dir }, { COUNTERPAY_PUBLIC_PORT: 'eighty' }));
    expect(err.code).toBe('validation_failed');
    expect(err.message).toContain('COUNTERPAY_PUBLIC_PORT');
    expect(err.message).toContain('eighty');
    expect(loadError(() => loadConfig({ dataDir: dir }, { COUNTERPAY_ADMIN_PORT: '70000' })).message).toContain('admin.port');
  });
});

describe('the loaded config', () => {
  it('is deeply frozen', () => {
    const dir = makeTempDir();
    writeConfig(dir, { public: { allowedHosts: ['a.example'] } });
    const config = loadConfig({ dataDir: dir }, {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.public)).toBe(true);
    expect(Object.isFrozen(config.public.allowedHosts)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(() => {
      (config as { dataDir: string }).dataDir = '/tmp/other';
    }).toThrow(TypeError);
    expect(() => {
      (config.admin as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (config.public.allowedHosts as string[]).push('evil.example')).toThrow(TypeError);
    expect(config.admin.port).toBe(8788);
    expect(config.public.allowedHosts).toEqual(['a.example']);
  });
});
