import type { Migration } from './index';

/**
 * X-Idempotency-Key memory for the merchant API (PayMaya's semantics). A row is the first
 * transmission of one (requesting party, method, URL, key): `in_flight` while its handler
 * runs, then `done` with the exact response to replay. Only digests are kept: key_hash is
 * sha256 over scope, method, URL and the client's key; fingerprint is sha256 over the
 * canonical JSON body. Times are INTEGER ms since the epoch, like the rest of the schema.
 */
const SQL = /* sql */ `
CREATE TABLE idempotency_keys (
  key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  response_status INTEGER CHECK (response_status IS NULL OR response_status BETWEEN 100 AND 499),
  response_body TEXT CHECK (response_body IS NULL OR json_valid(response_body)),
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  expires_at INTEGER NOT NULL,
  CHECK (expires_at >= created_at + 86400000),
  CHECK ((state = 'done') = (response_status IS NOT NULL AND response_body IS NOT NULL AND completed_at IS NOT NULL))
) STRICT;
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
`;

export const createIdempotency: Migration = {
  version: 20,
  name: '0020-idempotency',
  up(db) {
    db.exec(SQL);
  },
};
