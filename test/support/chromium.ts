import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * Which Chromium the browser tests drive, in this order:
 *  1. CHROMIUM_PATH, when set;
 *  2. Debian's /usr/bin/chromium (CI installs it with apt-get), unless
 *     COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM=1 hides it (to check the fallback on a machine that has it);
 *  3. the Chromium inside the @sparticuz/chromium npm package (a devDependency): a
 *     chrome-headless-shell build, brotli-compressed in the package itself, so `npm install`
 *     is all a fresh machine needs; no browser download and no network at test time.
 *     It is unpacked once into node_modules/.cache, with the NSS/expat libraries the package
 *     carries for Amazon Linux (a minimal Debian lacks libnss3) and its Open Sans font.
 */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumChoice {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  /** Extra environment for the browser process (the bundled libraries and fonts). */
  env: Record<string, string>;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where npm put the package (its `exports` hide package.json and bin/ from require.resolve). */
const SPARTICUZ_DIR = path.join(REPO_ROOT, 'node_modules', '@sparticuz', 'chromium');

export function bundledChromiumVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(SPARTICUZ_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

function bundledEnv(dir: string): Record<string, string> {
  const libs = path.join(dir, 'al2023', 'lib');
  return {
    LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
  };
}

/**
 * Unpacks the package's Chromium into `dir` (once per version). The package's own
 * `executablePath()` unpacks into a fixed os.tmpdir()/chromium, which parallel test workers (or
 * another project's version) would race on; its `inflate` writes beside os.tmpdir(), so each
 * archive is inflated with TMPDIR pointed at a private staging folder, which is then renamed
 * into place whole: a worker sees no Chromium or a complete one.
 */
async function unpackSparticuz(dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, 'chromium'))) return;
  const { inflate } = await import('@sparticuz/chromium');
  const bin = path.join(SPARTICUZ_DIR, 'bin');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  const saved = process.env.TMPDIR;
  const inflating: Promise<string>[] = [];
  try {
    process.env.TMPDIR = staging;
    // inflate() reads os.tmpdir() synchronously, before its first await.
    for (const archive of ['chromium.br', 'fonts.tar.br', 'swiftshader.tar.br', 'al2023.tar.br']) {
      inflating.push(inflate(path.join(bin, archive)));
    }
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  await Promise.all(inflating);
  // The system's fonts, plus the package's Open Sans for a machine that has none.
  fs.writeFileSync(
    path.join(staging, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      `  <dir>${path.join(dir, 'fonts')}</dir>`,
      `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  try {
    fs.renameSync(staging, dir);
  } catch {
    // Another worker finished first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'chromium'))) throw new Error(`could not unpack @sparticuz/chromium into ${dir}`);
  }
}

export async function chooseChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH', env: {} };
  if (env.COUNTERPAY_TEST_NO_SYSTEM_CHROMIUM !== '1' && fs.existsSync(SYSTEM_CHROMIUM)) {
    return { executablePath: SYSTEM_CHROMIUM, source: 'system', env: {} };
  }
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', `sparticuz-chromium-${bundledChromiumVersion()}`);
  await unpackSparticuz(dir);
  return { executablePath: path.join(dir, 'chromium'), source: '@sparticuz/chromium', env: bundledEnv(dir) };
}

/**
 * Headless Chromium as these machines allow it: no sandbox (root in CI), and no background
 * networking, whose connections the closed network refuses many at a time.
 */
export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  return chromium.launch({
    executablePath: choice.executablePath,
    env: { ...process.env, ...choice.env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
