/**
 * electron-builder.yml, checked statically: electron-builder cannot run here (it downloads
 * Electron's binary, which these build machines cannot), so its configuration is validated
 * against electron-builder's own JSON schema (app-builder-lib/scheme.json) and checked for
 * what issue 14 asks of the packages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/child-process';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface TargetEntry {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  publish: unknown;
  linux: { target: TargetEntry[]; maintainer?: string };
  win: { target: TargetEntry[] };
  mac: { target: TargetEntry[] };
  nsis: { deleteAppDataOnUninstall: boolean };
}

const config = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own schema", () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('makes AppImage and deb, NSIS and dmg, and never publishes', () => {
    const names = (t: TargetEntry[]) => t.map((x) => x.target);
    expect(names(config.linux.target)).toEqual(['AppImage', 'deb']);
    expect(names(config.win.target)).toEqual(['nsis']);
    expect(names(config.mac.target)).toEqual(['dmg']);
    expect(config.publish).toBeNull();
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    // The shop's database and keys survive an uninstall.
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
  });

  it('rebuilds better-sqlite3 and serialport for Electron and keeps them out of the asar archive', () => {
    expect(config.npmRebuild).toBe(true);
    expect(pkg.dependencies).toHaveProperty('better-sqlite3');
    expect(pkg.dependencies).toHaveProperty('serialport');
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/@serialport/bindings-cpp/**']),
    );
  });

  it("packages the built app that package.json's main points at", () => {
    expect(config.files).toContain('out/**');
    expect(pkg.main).toBe('out/main/index.cjs');
    for (const platform of ['linux', 'win', 'mac']) expect(pkg.scripts[`dist:${platform}`]).toBe(`node scripts/dist.mjs ${platform}`);
  });
});
