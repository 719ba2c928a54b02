import type { Migration } from './index';

/**
 * SmsForwarder's timestamp sign does not cover the message, so each sign is accepted once per
 * forwarder. Kept in the database, not in memory, so a restart does not reopen the window.
 */
const SQL = /* sql */ `
CREATE TABLE forwarder_spent_signs (
  device_id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, timestamp)
) STRICT;
CREATE INDEX forwarder_spent_signs_expiry ON forwarder_spent_signs (expires_at);
`;

export const spentSigns: Migration = {
  version: 50,
  name: '0050-spent-signs',
  up(db) {
    db.exec(SQL);
  },
};
