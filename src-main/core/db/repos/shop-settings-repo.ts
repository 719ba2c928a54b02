import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';

export interface ShopSettingsRow {
  merchant_id: number;
  public_url: string | null;
  keys_shown_at: number | null;
  setup_dismissed_at: number | null;
  updated_at: number;
}

/** Read for every checkout link (when its cache is stale): prepared once per connection. */
const readStatements = new WeakMap<Db, Statement<[number], ShopSettingsRow>>();

export function readShopSettings(db: Db, merchantId: number): ShopSettingsRow | undefined {
  let statement = readStatements.get(db);
  if (!statement) {
    statement = db.prepare<[number], ShopSettingsRow>('SELECT * FROM shop_settings WHERE merchant_id = ?');
    readStatements.set(db, statement);
  }
  return statement.get(merchantId);
}

export function savePublicUrl(db: Db, merchantId: number, url: string | null, now: number): void {
  db.prepare(
    `INSERT INTO shop_settings (merchant_id, public_url, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (merchant_id) DO UPDATE SET public_url = excluded.public_url, updated_at = excluded.updated_at`,
  ).run(merchantId, url, now);
}

export function saveKeysShown(db: Db, merchantId: number, now: number): void {
  db.prepare(
    `INSERT INTO shop_settings (merchant_id, keys_shown_at, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (merchant_id) DO UPDATE SET keys_shown_at = excluded.keys_shown_at, updated_at = excluded.updated_at`,
  ).run(merchantId, now, now);
}

export function saveSetupDismissed(db: Db, merchantId: number, at: number | null, now: number): void {
  db.prepare(
    `INSERT INTO shop_settings (merchant_id, setup_dismissed_at, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (merchant_id) DO UPDATE SET setup_dismissed_at = excluded.setup_dismissed_at, updated_at = excluded.updated_at`,
  ).run(merchantId, at, now);
}
