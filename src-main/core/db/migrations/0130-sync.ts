import type { Migration } from './index';

/**
 * Issue 13: cloud sync. Each `sync` outbox event gets the shop's next sequence number (and a
 * stable event id) when the sync worker first takes it, in commit order; `sync_state` keeps the
 * counter's side of the protocol (docs/sync.md): the last number given, the cloud's cursor, and
 * how the last attempt went. The cloud's URL and token live in sync.json (a secret, never here).
 */
const SQL = `
ALTER TABLE outbox ADD COLUMN seq INTEGER CHECK (seq IS NULL OR seq > 0);
ALTER TABLE outbox ADD COLUMN event_id TEXT;
CREATE UNIQUE INDEX outbox_seq ON outbox (merchant_id, seq) WHERE seq IS NOT NULL;

CREATE TABLE sync_state (
  merchant_id INTEGER PRIMARY KEY REFERENCES merchants(id),
  -- Names this database to the cloud (a restored backup must not replay old numbers as new).
  stream TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
  keys_sent TEXT,
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_success_at INTEGER,
  last_attempt_at INTEGER,
  last_error TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0
) STRICT;
`;

export const sync: Migration = {
  version: 130,
  name: '0130-sync',
  up(db) {
    db.exec(SQL);
  },
};
