import type { Migration } from './index';

/**
 * Issue 11: a multipart SMS's parts stay (marked done) for a while after the whole message was
 * stored. A core killed after it stored the message but before the modem deleted its last part
 * reads that part again at the next start: the done parts recognise it (same part, same text,
 * same service-centre time) and it leaves the SIM without coming back as a new, incomplete
 * message. The `modem` column now holds the SIM's identity ("imsi:…", else "iccid:…", else the
 * modem's "imei:…", else the label), so a renumbered port does not orphan a waiting part.
 */
const SQL = /* sql */ `
ALTER TABLE modem_parts ADD COLUMN done_at INTEGER;
`;

export const modemPartsDone: Migration = {
  version: 170,
  name: '0170-modem-parts-done',
  up(db) {
    db.exec(SQL);
  },
};
