import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A fresh directory under the OS temp dir; removed by removeTempDirs(). */
export function makeTempDir(prefix = 'counterpay-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory made by makeTempDir in this worker. Call from afterEach/afterAll. */
export function removeTempDirs(): void {
  while (created.length > 0) {
    const dir = created.pop() as string;
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
