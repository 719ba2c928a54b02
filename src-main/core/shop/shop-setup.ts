import { z } from 'zod';
import {
  DEFAULT_SHOP_NAME,
  REVEALABLE_KEY_KINDS,
  type KeysView,
  type RevealableKeyKind,
  type SetupStatusView,
} from '../../../src-shared/contract/setup';
import { writeTransaction, type Db } from '../db';
import { readShopSettings, saveKeysShown, saveSetupDismissed } from '../db/repos/shop-settings-repo';
import { AppError, parseOrThrow } from '../errors';
import { readKeyFile, type KeyRing } from '../secrets';
import { listGateways } from '../db/repos/gateway-repo';
import { rotateKeys, type Shop } from './shop-keys';
import { shopNameOf } from './shop-name';

function keysOf(ring: KeyRing): KeysView {
  const out = {} as KeysView;
  for (const kind of REVEALABLE_KEY_KINDS) out[kind] = ring[kind];
  return out;
}

/**
 * The keys to give the merchant's site (and the phone's device key), read from keys.json as they
 * are now (a rotation by the CLI shows at once). Never the staff token or the audit key.
 * Remembers that they were shown: the setup flow's last step.
 */
export function revealKeys(db: Db, dataDir: string, merchantId: number, now: number): KeysView {
  const ring = readKeyFile(dataDir);
  if (!ring) throw new AppError('internal', `keys.json is missing from ${dataDir}; restore it from a backup, or rotate every key`);
  writeTransaction(db, () => saveKeysShown(db, merchantId, now));
  return keysOf(ring);
}

const rotateSchema = z.object({ kind: z.enum(REVEALABLE_KEY_KINDS) }).strict();

/**
 * Replaces one key (audit-logged as `keys.rotated`, as the CLI does): the old one stops working
 * at once. The running core's copy of its keys follows, so everything it prints stays true.
 */
export function rotateShopKey(
  db: Db,
  dataDir: string,
  shop: Shop,
  raw: unknown,
  actor: string,
): { rotated: RevealableKeyKind; keys: KeysView } {
  const { kind } = parseOrThrow(rotateSchema, raw);
  const rotated = rotateKeys(db, dataDir, [kind], actor);
  shop.keys[kind] = rotated.keys[kind];
  return { rotated: kind, keys: keysOf(rotated.keys) };
}

/**
 * What the first-run flow still needs. `phoneOrModem` and `publicAddress` come from the domains
 * that know them (devices, modems, the tunnel's address).
 */
export function setupStatus(db: Db, merchantId: number, seen: { phoneOrModem: boolean; publicAddress: boolean }): SetupStatusView {
  const settings = readShopSettings(db, merchantId);
  const name = shopNameOf(db, merchantId);
  const steps = {
    shop_named: name !== null && name !== DEFAULT_SHOP_NAME,
    wallet: listGateways(db, merchantId).some((g) => g.enabled === 1),
    phone_or_modem: seen.phoneOrModem,
    public_address: seen.publicAddress,
    keys_shown: settings?.keys_shown_at != null,
  };
  return { complete: Object.values(steps).every(Boolean), dismissed: settings?.setup_dismissed_at != null, steps };
}

const dismissSchema = z.object({ dismissed: z.boolean() }).strict();

/** The shop finished or skipped the flow (`dismissed: true`), or asked for it again (`false`). */
export function dismissSetup(db: Db, merchantId: number, raw: unknown, now: number): void {
  const { dismissed } = parseOrThrow(dismissSchema, raw);
  writeTransaction(db, () => saveSetupDismissed(db, merchantId, dismissed ? now : null, now));
}
