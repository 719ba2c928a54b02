import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, loadConfig, type Core } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/logging';
import { dismissSetup } from '../../src-main/core/shop';

/** Where `npm test` builds the counter UI before vitest runs. */
export const RENDERER_DIR = path.resolve('out/renderer');

/** A real headless core serving the built counter UI on free ports, for the Chromium tests. */
export async function startCounterCore(
  prefix: string,
  /**
   * `config`: config.json content besides the test default (no modem probing unless `modems` are given).
   * `firstRun`: the counter opens on the first-run setup flow, as on a fresh install; otherwise the
   * shop has skipped it, so the counter opens on its tabs.
   */
  options: { modems?: string[]; config?: Record<string, unknown>; firstRun?: boolean } = {},
): Promise<{ dataDir: string; core: Core; adminUrl: string }> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is not built: run `npm run build:renderer` (npm test does it first)');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const fileConfig = { ...(options.modems ? {} : { modem: { probe: false } }), ...(options.config ?? {}) };
  if (Object.keys(fileConfig).length > 0) fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(fileConfig));
  const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0, modems: options.modems }, {});
  const core = createCore(config, { logger: silentLogger(), rendererDir: RENDERER_DIR });
  if (!options.firstRun) dismissSetup(core.db, core.shop.merchantId, { dismissed: true }, Date.now());
  const adminUrl = (await core.listen()).admin;
  return { dataDir, core, adminUrl };
}
