import type { Migration } from './index';

/**
 * Issue 11: a done part (migration 0170) records when its SIM copy was deleted (AT+CMGD answered
 * OK, or a +CMT delivery was acknowledged). A part read again that matches a done part (same
 * part, text and SMSC time) is a repeat only while that done part's SIM copy may still be on the
 * SIM; once it is known gone, an identical part is a new message's part (a wallet that sends two
 * long SMS in the same second with the same reference and the same last part) and waits for the
 * rest of its message instead of leaving the SIM unstored.
 */
const SQL = /* sql */ `
ALTER TABLE modem_parts ADD COLUMN sim_deleted_at INTEGER;
`;

export const modemPartsSimDeleted: Migration = {
  version: 180,
  name: '0180-modem-parts-sim-deleted',
  up(db) {
    db.exec(SQL);
  },
};
