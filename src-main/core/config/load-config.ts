import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { configSchema, type Config, type ConfigLayer } from './schema';
import { defaultDataDir } from './default-data-dir';

export const CONFIG_FILE_NAME = 'config.json';

/** Flags the shells accept; the same names as the environment variables, in flag form. */
export interface ConfigFlags {
  dataDir?: string;
  publicPort?: number;
  devicePort?: number;
  adminPort?: number;
  deviceHost?: string;
  adminHost?: string;
  logLevel?: string;
  /** `--modem PATH`, repeatable: these modems are read (a config.json entry with the same path lends its PIN and label). */
  modems?: string[];
  /** `--public-url URL`: the tunnel's public address, used in checkout links (sessions.publicBaseUrl). */
  publicUrl?: string;
  /** `--allow-private-webhooks`: webhook URLs may reach loopback and the LAN (webhooks.allowPrivate). */
  allowPrivateWebhooks?: boolean;
}

const ENV_NUMBERS: Record<string, [string, string]> = {
  COUNTERPAY_PUBLIC_PORT: ['public', 'port'],
  COUNTERPAY_DEVICE_PORT: ['device', 'port'],
  COUNTERPAY_ADMIN_PORT: ['admin', 'port'],
};
const ENV_STRINGS: Record<string, [string, string]> = {
  COUNTERPAY_DEVICE_HOST: ['device', 'host'],
  COUNTERPAY_ADMIN_HOST: ['admin', 'host'],
  COUNTERPAY_LOG_LEVEL: ['log', 'level'],
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Later layers win; nested objects merge key by key, arrays are replaced whole. */
export function mergeLayers(...layers: ConfigLayer[]): ConfigLayer {
  const out: ConfigLayer = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const prev = out[key];
      out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeLayers(prev, value) : value;
    }
  }
  return out;
}

function setPath(layer: ConfigLayer, [section, key]: [string, string], value: unknown): void {
  const existing = layer[section];
  const target: Record<string, unknown> = isPlainObject(existing) ? existing : {};
  target[key] = value;
  layer[section] = target;
}

function parsePort(raw: string, source: string): number {
  if (!/^\d{1,5}$/.test(raw.trim())) {
    throw new AppError('validation_failed', `${source} must be a port number (0-65535), got "${raw}"`);
  }
  return Number(raw.trim());
}

export function envLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const layer: ConfigLayer = {};
  if (env.COUNTERPAY_DATA_DIR) layer.dataDir = env.COUNTERPAY_DATA_DIR;
  for (const [name, at] of Object.entries(ENV_NUMBERS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') setPath(layer, at, parsePort(raw, name));
  }
  for (const [name, at] of Object.entries(ENV_STRINGS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') setPath(layer, at, raw);
  }
  return layer;
}

export function flagLayer(flags: ConfigFlags): ConfigLayer {
  const layer: ConfigLayer = {};
  if (flags.dataDir !== undefined) layer.dataDir = flags.dataDir;
  if (flags.publicPort !== undefined) setPath(layer, ['public', 'port'], flags.publicPort);
  if (flags.devicePort !== undefined) setPath(layer, ['device', 'port'], flags.devicePort);
  if (flags.adminPort !== undefined) setPath(layer, ['admin', 'port'], flags.adminPort);
  if (flags.deviceHost !== undefined) setPath(layer, ['device', 'host'], flags.deviceHost);
  if (flags.adminHost !== undefined) setPath(layer, ['admin', 'host'], flags.adminHost);
  if (flags.logLevel !== undefined) setPath(layer, ['log', 'level'], flags.logLevel);
  if (flags.publicUrl !== undefined) setPath(layer, ['sessions', 'publicBaseUrl'], flags.publicUrl);
  if (flags.allowPrivateWebhooks === true) setPath(layer, ['webhooks', 'allowPrivate'], true);
  return layer;
}

export function readConfigFile(dataDir: string): ConfigLayer {
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AppError('bad_request', `cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AppError('validation_failed', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new AppError('validation_failed', `${file} must hold a JSON object`);
  if ('dataDir' in parsed) {
    throw new AppError('validation_failed', `${file} cannot set dataDir: the file lives in the data dir`);
  }
  return parsed;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * defaults < config file in the data dir < environment < flags. The data dir itself is
 * resolved first (flags > env > OS default) because the config file lives inside it.
 */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv = envLayer(env);
  const fromFlags = flagLayer(flags);
  const dataDir = path.resolve(flags.dataDir ?? (fromEnv.dataDir as string | undefined) ?? defaultDataDir(env));
  const fromFile = readConfigFile(dataDir);
  const merged = mergeLayers({ dataDir }, fromFile, fromEnv, fromFlags, { dataDir });
  if (flags.modems && flags.modems.length > 0) merged.modems = modemsFromFlags(flags.modems, fromFile.modems);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const file = path.join(dataDir, CONFIG_FILE_NAME);
    throw new AppError(
      'validation_failed',
      `invalid configuration (from ${file}, COUNTERPAY_* variables or flags): ${describeIssues(result.error)}`,
    );
  }
  return deepFreeze(result.data);
}

function modemsFromFlags(paths: readonly string[], fromFile: unknown): unknown[] {
  const configured = Array.isArray(fromFile) ? (fromFile as unknown[]) : [];
  return paths.map((modemPath) => {
    const same = configured.find((m) => typeof m === 'object' && m !== null && (m as { path?: unknown }).path === modemPath);
    return same ?? { path: modemPath };
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
