import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { writeFileAtomic } from '../files';
import { KEY_KINDS, type KeyKind } from './key-format';

export const KEY_FILE_NAME = 'keys.json';

/** A webhook signing secret replaced by `keys rotate`, still signing until its overlap ends. */
export interface RetiredSecret {
  kind: 'secret_key' | 'test_secret_key';
  key: string;
  /** Epoch ms of the rotation. */
  retired_at: number;
}

/** The shop's usable secrets. Only here (mode 0600), never in the database. */
export type KeyRing = Record<KeyKind, string> & {
  /** Keys the audit chain's HMAC; never printed. */
  audit_key: string;
  /** Replaced signing secrets: webhooks carry their signature too for a while, so receivers can switch keys without a gap. */
  retired_secrets?: RetiredSecret[];
};

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE_NAME);
}

export function readKeyFile(dataDir: string): KeyRing | null {
  const file = keyFilePath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('internal', `cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('internal', `${file} is not valid JSON; restore it from a backup or rotate every key`);
  }
  const ring = parsed as Partial<KeyRing>;
  for (const kind of [...KEY_KINDS, 'audit_key'] as const) {
    if (typeof ring[kind] !== 'string' || ring[kind] === '') {
      throw new AppError('internal', `${file} lacks ${kind}; restore it from a backup or rotate every key`);
    }
  }
  return ring as KeyRing;
}

/** Atomic (a power cut leaves the old ring or the new one) and readable by this user only. */
export function writeKeyFile(dataDir: string, ring: KeyRing): void {
  writeFileAtomic(keyFilePath(dataDir), `${JSON.stringify(ring, null, 2)}\n`);
}
