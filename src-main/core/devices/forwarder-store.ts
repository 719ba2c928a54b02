import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { writeFileAtomic } from '../files';

export const FORWARDER_FILE_NAME = 'forwarders.json';

const fieldPath = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'must be a field name or a dotted path (a.b.c)');

export const fieldMapSchema = z
  .object({
    sender: fieldPath.optional(),
    body: fieldPath.optional(),
    received_at: fieldPath.optional(),
    timestamp: fieldPath.optional(),
    sign: fieldPath.optional(),
  })
  .strict();

const entrySchema = z.object({
  kind: z.enum(['capcom6', 'generic']),
  auth: z.enum(['hmac', 'timestamp_sign', 'token']),
  /** Present for hmac and timestamp_sign: verifying a signature needs the secret itself. */
  secret: z.string().min(16).optional(),
  field_map: fieldMapSchema.default({}),
  created_at: z.string(),
});

const fileSchema = z.object({
  version: z.literal(1),
  forwarders: z.record(z.string(), entrySchema),
});

export type ForwarderEntry = z.infer<typeof entrySchema>;
export type ForwarderFile = z.infer<typeof fileSchema>;

export function forwarderFilePath(dataDir: string): string {
  return path.join(dataDir, FORWARDER_FILE_NAME);
}

/**
 * The forwarders' signing secrets and field maps (docs/forwarders.md, "Where secrets live").
 * Read on every request, so a forwarder added or removed by the CLI applies at once.
 */
export function readForwarderFile(dataDir: string): ForwarderFile {
  const file = forwarderFilePath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, forwarders: {} };
    throw new AppError('internal', `cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('internal', `${file} is not valid JSON; restore it from a backup or register the forwarders again`);
  }
  const checked = fileSchema.safeParse(parsed);
  if (!checked.success) {
    throw new AppError('internal', `${file} is damaged (${checked.error.issues[0]?.message ?? 'invalid'}); restore it from a backup`);
  }
  return checked.data;
}

/** Atomic and mode 0600, as keys.json. */
export function writeForwarderFile(dataDir: string, content: ForwarderFile): void {
  writeFileAtomic(forwarderFilePath(dataDir), `${JSON.stringify(content, null, 2)}\n`);
}
