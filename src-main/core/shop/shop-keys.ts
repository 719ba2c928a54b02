import crypto from 'node:crypto';
import fs from 'node:fs';
import { writeTransaction, type Db } from '../db';
import { appendAudit } from '../audit';
import { AppError } from '../errors';
import { activeCredentials, insertCredential, revokeActive, type CredentialRow } from '../db/repos/credential-repo';
import { prepareKeyLookup, type ActiveKeyRow } from '../db/repos/key-lookup-repo';
import { findFirstBrand, findFirstMerchant, insertBrand, insertMerchant } from '../db/repos/merchant-repo';
import { KEY_KINDS, generateKey, hashKey, keyFilePath, keyHint, readKeyFile, writeKeyFile, type KeyKind, type KeyRing } from '../secrets';

export interface Shop {
  merchantId: number;
  brandId: number;
  keys: KeyRing;
}

const BRAND_KINDS: readonly KeyKind[] = ['api_key', 'secret_key', 'test_api_key', 'test_secret_key'];

function storeCredential(db: Db, shop: { merchantId: number; brandId: number }, kind: KeyKind, key: string): void {
  insertCredential(db, {
    merchantId: shop.merchantId,
    brandId: BRAND_KINDS.includes(kind) ? shop.brandId : null,
    kind,
    hash: hashKey(key),
    hint: keyHint(key),
    now: Date.now(),
  });
}

/** Whether this data dir's database has its shop yet (read only: creates nothing). */
export function hasShop(db: Db): boolean {
  return findFirstMerchant(db) !== undefined;
}

/**
 * The shop's merchant, brand and keys, created on first use of a data dir. Runs in an
 * IMMEDIATE transaction so a CLI call and a starting server cannot both create them.
 */
export function ensureShop(db: Db, dataDir: string): Shop {
  return writeTransaction(db, () => {
    const merchant = findFirstMerchant(db);
    if (merchant) {
      const brand = findFirstBrand(db, merchant.id);
      if (!brand) throw new AppError('internal', 'the database has a merchant without a brand');
      const keys = readKeyFile(dataDir);
      if (!keys) {
        throw new AppError(
          'internal',
          `keys.json is missing from ${dataDir}; restore it from a backup, or run "counterpay keys rotate all"`,
        );
      }
      checkRingMatches(activeCredentials(db, merchant.id), keys);
      return { merchantId: merchant.id, brandId: brand.id, keys };
    }
    const now = Date.now();
    const merchantId = insertMerchant(db, 'My shop', now);
    const brandId = insertBrand(db, merchantId, 'Default', now);
    const keys = { audit_key: crypto.randomBytes(32).toString('hex') } as KeyRing;
    for (const kind of KEY_KINDS) {
      keys[kind] = generateKey(kind);
      storeCredential(db, { merchantId, brandId }, kind, keys[kind]);
    }
    writeKeyFile(dataDir, keys);
    appendAudit(db, keys.audit_key, {
      actor: 'system',
      action: 'shop.created',
      subjectType: 'merchant',
      subjectId: String(merchantId),
      details: {},
    });
    return { merchantId, brandId, keys };
  });
}

function checkRingMatches(active: CredentialRow[], ring: KeyRing): void {
  for (const kind of KEY_KINDS) {
    const row = active.find((c) => c.kind === kind);
    if (!row || row.key_hash !== hashKey(ring[kind])) {
      throw new AppError(
        'internal',
        `keys.json does not match the database for ${kind}; restore the matching keys.json or run "counterpay keys rotate ${kind}"`,
      );
    }
  }
}

/**
 * Replaces keys: the old one stops working at once, in every process on this data dir,
 * because authentication reads the database on every request. A missing or damaged
 * keys.json can be recovered only this way (`all`).
 */
export function rotateKeys(db: Db, dataDir: string, kinds: readonly KeyKind[], actor: string): Shop {
  return writeTransaction(db, () => {
    const merchant = findFirstMerchant(db);
    const brand = merchant ? findFirstBrand(db, merchant.id) : undefined;
    if (!merchant || !brand) throw new AppError('not_found', 'no shop in this data dir yet; run "keys" first');
    let ring: KeyRing | null = null;
    try {
      ring = readKeyFile(dataDir);
    } catch {
      ring = null;
    }
    if (!ring && !KEY_KINDS.every((k) => kinds.includes(k))) {
      throw new AppError(
        'validation_failed',
        'keys.json is missing or damaged; only "keys rotate all" can recover it (every key is replaced)',
      );
    }
    const keys = { ...(ring ?? { audit_key: crypto.randomBytes(32).toString('hex') }) } as KeyRing;
    const now = Date.now();
    const retired = (keys.retired_secrets ?? []).filter((r) => now - r.retired_at < RETIRED_SECRET_KEEP_MS);
    for (const kind of kinds) {
      const old = ring?.[kind];
      if (old && (kind === 'secret_key' || kind === 'test_secret_key')) retired.unshift({ kind, key: old, retired_at: now });
      revokeActive(db, merchant.id, kind, now);
      keys[kind] = generateKey(kind);
      storeCredential(db, { merchantId: merchant.id, brandId: brand.id }, kind, keys[kind]);
    }
    keys.retired_secrets = retired;
    checkRingMatches(activeCredentials(db, merchant.id), keys);
    writeKeyFile(dataDir, keys);
    appendAudit(db, keys.audit_key, {
      actor,
      action: 'keys.rotated',
      subjectType: 'merchant',
      subjectId: String(merchant.id),
      details: { kinds: [...kinds] },
    });
    return { merchantId: merchant.id, brandId: brand.id, keys };
  });
}

/** Retired signing secrets are dropped from keys.json after this long, whatever the overlap. */
const RETIRED_SECRET_KEEP_MS = 30 * 86_400_000;

const ringCache = new Map<string, { stamp: string; ring: KeyRing }>();

/**
 * The secrets that sign a webhook now: the mode's current secret_key, then those rotated away
 * less than `overlapMs` ago. Read from keys.json (re-read when it changes), so a rotation by
 * the CLI in another process signs the next delivery.
 */
export function signingSecrets(dataDir: string, isTest: boolean, now: number, overlapMs: number): string[] {
  const file = keyFilePath(dataDir);
  let stamp = '';
  try {
    const st = fs.statSync(file);
    stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    stamp = '';
  }
  let cached = ringCache.get(file);
  if (!cached || cached.stamp !== stamp) {
    const ring = readKeyFile(dataDir);
    if (!ring) throw new AppError('internal', `keys.json is missing from ${dataDir}; webhooks cannot be signed`);
    cached = { stamp, ring };
    ringCache.set(file, cached);
  }
  const kind = isTest ? 'test_secret_key' : 'secret_key';
  const current = cached.ring[kind];
  const older = (cached.ring.retired_secrets ?? [])
    .filter((r) => r.kind === kind && now - r.retired_at < overlapMs && r.key !== current)
    .map((r) => r.key);
  return [current, ...older];
}

/**
 * SHA-256 digests of the shop's active merchant API keys (live, test): what the cloud needs to
 * check a merchant's X-API-Key on its read API without ever holding the key (docs/sync.md).
 */
export function activeKeyDigests(db: Db, merchantId: number): { live: string[]; test: string[] } {
  const active = activeCredentials(db, merchantId);
  const of = (kind: KeyKind) => active.filter((c) => c.kind === kind).map((c) => c.key_hash);
  return { live: of('api_key'), test: of('test_api_key') };
}

export interface Authenticated {
  merchantId: number;
  brandId: number | null;
  kind: KeyKind;
}

/** One prepared lookup per connection: preparing it again on every request cost more than running it. */
const keyLookups = new WeakMap<Db, (keyHash: string) => ActiveKeyRow | undefined>();

/** Checks a presented key against the active keys of the given kinds. */
export function authenticateKey(db: Db, presented: unknown, kinds: readonly KeyKind[]): Authenticated | null {
  if (typeof presented !== 'string' || presented.length < 8 || presented.length > 200) return null;
  return authenticateKeyHash(db, hashKey(presented), kinds);
}

/**
 * The same check for a caller that already holds the key's digest (hashKey). The database is
 * read on every call, so a key rotated here or by another process (the CLI) stops at once.
 */
export function authenticateKeyHash(db: Db, keyHash: string, kinds: readonly KeyKind[]): Authenticated | null {
  let lookup = keyLookups.get(db);
  if (!lookup) {
    lookup = prepareKeyLookup(db);
    keyLookups.set(db, lookup);
  }
  const row = lookup(keyHash);
  return row && kinds.includes(row.kind) ? { merchantId: row.merchant_id, brandId: row.brand_id, kind: row.kind } : null;
}

/** The data dir's shop (its first merchant), or null before the first start. */
export function firstMerchantId(db: Db): number | null {
  return findFirstMerchant(db)?.id ?? null;
}
