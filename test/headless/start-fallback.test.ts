import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT } from '../support/child-process';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';

/** Runs `npm start` until the headless core prints its ready line, then stops it. */
function npmStart(env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      process.kill(-(child.pid as number), 'SIGKILL');
      reject(new Error(`no ready line\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 90_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (/^ready public=\S+ device=\S+ admin=\S+$/m.test(stdout)) {
        clearTimeout(timer);
        // 'close', not 'exit': the exit can be reported before the last stderr lines are read.
        child.once('close', () => resolve({ stdout, stderr }));
        process.kill(-(child.pid as number), 'SIGTERM');
      }
    });
  });
}

describe('npm start where the desktop window cannot run', () => {
  afterEach(() => removeTempDirs());

  it('says why in one line and serves the counter headless when Electron dies while starting', async () => {
    const dir = makeTempDir();
    const fake = path.join(dir, 'electron-that-crashes');
    fs.writeFileSync(fake, '#!/bin/sh\necho "libgtk-3.so.0: cannot open shared object file" >&2\nexit 127\n', { mode: 0o755 });
    const env = cleanEnv(dir, {
      COUNTERPAY_ELECTRON: fake,
      COUNTERPAY_START_NO_BUILD: '1',
      DISPLAY: ':99',
      COUNTERPAY_DATA_DIR: path.join(dir, 'data'),
      COUNTERPAY_PUBLIC_PORT: '0',
      COUNTERPAY_DEVICE_PORT: '0',
      COUNTERPAY_ADMIN_PORT: '0',
    });
    const { stderr } = await npmStart(env);
    const lines = stderr.split('\n').filter((l) => l.startsWith('CounterPay: the desktop window cannot start'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Electron exited with code 127 while starting');
    expect(stderr).toMatch(/Open the counter: http:\/\/127\.0\.0\.1:\d+\/#token=cpa_/);
  }, 180_000);

  it('says why without trying when there is no display', async () => {
    const dir = makeTempDir();
    const env = cleanEnv(dir, {
      COUNTERPAY_ELECTRON: process.execPath,
      COUNTERPAY_DATA_DIR: path.join(dir, 'data'),
      COUNTERPAY_PUBLIC_PORT: '0',
      COUNTERPAY_DEVICE_PORT: '0',
      COUNTERPAY_ADMIN_PORT: '0',
    });
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const { stderr } = await npmStart(env);
    expect(stderr).toContain('cannot start because there is no display');
  }, 180_000);
});
