import type { Migration } from './index';

/**
 * Which SMS may anchor the balance chain. A balance that does not follow from the last trusted
 * point breaks the chain instead of re-seeding it, so two forged credits in a row cannot make
 * the second one look continuous.
 */
const SQL = /* sql */ `
ALTER TABLE sms ADD COLUMN balance_link TEXT
  CHECK (balance_link IS NULL OR balance_link IN ('start', 'follows', 'breaks'));
`;

export const balanceLinks: Migration = {
  version: 40,
  name: '0040-balance-links',
  up(db) {
    db.exec(SQL);
  },
};
