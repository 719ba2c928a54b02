import type { Migration } from './index';

/**
 * Issue 11: a gateway may list the SMS centres its wallet's SMS come through (a modem reads the
 * SMSC from every PDU). A wallet-looking credit relayed by another SMSC is held for a person, never
 * matched by itself. A JSON array of addresses; empty: no check.
 */
export const expectedSmsc: Migration = {
  version: 110,
  name: '0110-expected-smsc',
  up(db) {
    db.exec(
      `ALTER TABLE gateways ADD COLUMN expected_smsc TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(expected_smsc) AND json_type(expected_smsc) = 'array');`,
    );
  },
};
