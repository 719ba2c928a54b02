import type { Migration } from './index';

/**
 * Issue 14: the first-run setup. The tunnel's public address set from the counter (checkout
 * links use it when neither `--public-url` nor config.json sets one), when the merchant's keys
 * were last shown, and whether the shop finished or skipped the setup flow. One row per shop.
 */
const SQL = `
CREATE TABLE shop_settings (
  merchant_id INTEGER PRIMARY KEY REFERENCES merchants(id),
  public_url TEXT CHECK (public_url IS NULL OR (length(public_url) BETWEEN 8 AND 300 AND public_url GLOB 'http*://*')),
  keys_shown_at INTEGER,
  setup_dismissed_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
`;

export const shopSettings: Migration = {
  version: 140,
  name: '0140-shop-settings',
  up(db) {
    db.exec(SQL);
  },
};
