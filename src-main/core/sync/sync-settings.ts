import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { writeFileAtomic } from '../files';

export const SYNC_FILE_NAME = 'sync.json';

/** Where the counter syncs to. The token is a secret: it lives in this file (mode 0600), never in the database. */
export interface SyncSettings {
  url: string;
  token: string;
}

const cache = new Map<string, { stamp: string; settings: SyncSettings | null }>();

function stampOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return 'absent';
  }
}

/**
 * Whether a cloud has been set up here: a sync.json exists, readable or not. What may be thrown
 * away because no cloud will ever ask for it is decided on this, never on a file that failed to
 * parse (an operator's typo must not cost the cloud its history).
 */
export function isSyncSetUp(dataDir: string): boolean {
  return stampOf(path.join(dataDir, SYNC_FILE_NAME)) !== 'absent';
}

/**
 * The data dir's sync settings, or null when sync is not set up. Re-read when the file changes,
 * so `sync set` from the CLI (another process) takes effect at the worker's next pass.
 */
export function readSyncSettings(dataDir: string): SyncSettings | null {
  const file = path.join(dataDir, SYNC_FILE_NAME);
  const stamp = stampOf(file);
  const cached = cache.get(file);
  if (cached && cached.stamp === stamp) return cached.settings;
  let settings: SyncSettings | null = null;
  if (stamp !== 'absent') {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SyncSettings>;
      if (typeof parsed.url === 'string' && typeof parsed.token === 'string') settings = { url: parsed.url, token: parsed.token };
    } catch {
      settings = null;
    }
  }
  cache.set(file, { stamp, settings });
  return settings;
}

function refuse(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { hints: { field } });
}

/** Checks and stores the cloud's address and this shop's token (from the cloud's `shop add`). */
export function writeSyncSettings(dataDir: string, input: { url: unknown; token: unknown }): SyncSettings {
  if (typeof input.url !== 'string' || input.url.trim() === '')
    throw refuse('url', "give the cloud's address, e.g. https://cloud.example.com");
  let url: URL;
  try {
    url = new URL(input.url.trim());
  } catch {
    throw refuse('url', 'must be an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('url', 'must be an http:// or https:// URL');
  if (url.username || url.password) throw refuse('url', 'must not carry a user name or password (the token authenticates)');
  if (url.search || url.hash) throw refuse('url', "must be the cloud's base address, without ?query or #fragment");
  if (typeof input.token !== 'string' || !/^[\x21-\x7e]{16,200}$/.test(input.token.trim())) {
    throw refuse('token', 'give the sync token the cloud printed (`cloud shop add`)');
  }
  const settings = { url: url.href.replace(/\/+$/, ''), token: input.token.trim() };
  writeFileAtomic(path.join(dataDir, SYNC_FILE_NAME), `${JSON.stringify(settings, null, 2)}\n`);
  return settings;
}

/** Stops syncing (the events keep waiting in the outbox). */
export function removeSyncSettings(dataDir: string): boolean {
  try {
    fs.unlinkSync(path.join(dataDir, SYNC_FILE_NAME));
    return true;
  } catch {
    return false;
  }
}

/** `cps_AbCd…`: enough to recognise a token, never enough to use it. */
export function tokenHint(token: string): string {
  return `${token.slice(0, 8)}…`;
}
