import type { Migration } from './index';

/**
 * Issue 11: the GSM modem reader. Each part of a multipart SMS is kept here once read from the
 * SIM, so a restart between parts loses nothing: the part's row is committed before the part is
 * deleted from the SIM, and the whole message is ingested (and its parts removed) when the last
 * part arrives, or as it is, flagged incomplete, after a wait. Every SMS also keeps the
 * originator's type of number (alphanumeric, international, ...) beside its SMSC.
 */
const SQL = /* sql */ `
ALTER TABLE sms ADD COLUMN sender_toa INTEGER CHECK (sender_toa IS NULL OR sender_toa BETWEEN 0 AND 255);

CREATE TABLE modem_parts (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants (id),
  -- The modem's label (config), so two SIMs' references never mix.
  modem TEXT NOT NULL,
  sender TEXT NOT NULL,
  sender_toa INTEGER NOT NULL,
  -- '' when the PDU names no SMSC: part of the key, so parts relayed by two centres never join.
  smsc TEXT NOT NULL DEFAULT '',
  concat_ref INTEGER NOT NULL,
  ref_bits INTEGER NOT NULL CHECK (ref_bits IN (8, 16)),
  total INTEGER NOT NULL CHECK (total BETWEEN 2 AND 255),
  seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 255),
  text TEXT NOT NULL,
  -- The service centre's timestamp (epoch ms) and when the part was read from the SIM.
  sent_at INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  -- 1 once two different texts claimed one part of this message: it is then stored flagged
  -- incomplete (never a payment), whatever arrives later.
  contested INTEGER NOT NULL DEFAULT 0 CHECK (contested IN (0, 1)),
  UNIQUE (merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total, seq)
) STRICT;
-- The parts waiting longest, for the incomplete-message timeout.
CREATE INDEX modem_parts_age ON modem_parts (stored_at);
`;

export const modem: Migration = {
  version: 100,
  name: '0100-modem',
  up(db) {
    db.exec(SQL);
  },
};
