import type { SqlClient } from './sql-client';

/**
 * The cloud's schema, numbered like the counter's (src-main/core/db/migrations): 0010, 0020, …
 * Forward-only: never edit a released migration; add the next one. The recorded history in
 * `schema_migrations` must match this list, or the cloud refuses to start (a database written by a
 * newer cloud, or a renamed migration).
 */
export interface CloudMigration {
  version: number;
  name: string;
  sql: string;
}

const CREATE_CLOUD = `
-- One row per counter (shop) that syncs here. The sync token is kept only as its SHA-256 digest.
CREATE TABLE shops (
  id text PRIMARY KEY,
  name text NOT NULL,
  token_digest text NOT NULL UNIQUE,
  -- The counter database this shop syncs from (the first batch adopts it; reset-stream clears it).
  stream text,
  -- Every event up to this sequence number is stored, once.
  cursor bigint NOT NULL DEFAULT 0 CHECK (cursor >= 0),
  app_version text,
  -- When the shop last reported in (any accepted batch): X-CounterPay-Synced-At.
  last_batch_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every event as the counter sent it, once: (shop, stream, seq) and (shop, event id) are unique.
-- The stream is part of the key because \`shop reset-stream\` starts a new numbering from 1.
CREATE TABLE events (
  shop_id text NOT NULL REFERENCES shops(id),
  stream text NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  event_id text NOT NULL,
  type text NOT NULL,
  session_id text,
  created_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  body text NOT NULL,
  PRIMARY KEY (shop_id, stream, seq),
  UNIQUE (shop_id, event_id)
);

-- The latest state of every session, exactly as the counter's GET answered it (view, as text so
-- the merchant gets the counter's bytes back).
CREATE TABLE sessions (
  shop_id text NOT NULL REFERENCES shops(id),
  id text NOT NULL,
  test boolean NOT NULL,
  order_id text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  view text NOT NULL,
  -- The event that wrote this state (events apply in order, so the last applied one wins).
  last_stream text NOT NULL,
  last_seq bigint NOT NULL,
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX sessions_by_order ON sessions (shop_id, test, order_id);

-- The SHA-256 digests of each shop's active API keys, replaced by every batch.
CREATE TABLE shop_key_digests (
  shop_id text NOT NULL REFERENCES shops(id),
  digest text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'test')),
  PRIMARY KEY (shop_id, digest)
);
CREATE INDEX shop_key_digests_by_digest ON shop_key_digests (digest);
`;

export const CLOUD_MIGRATIONS: readonly CloudMigration[] = [{ version: 10, name: '0010-create-cloud', sql: CREATE_CLOUD }];

/** One number for every cloud process sharing a database: whoever holds it migrates. */
const MIGRATION_LOCK = 0x636c6f7564; // "cloud"

/**
 * Applies the pending migrations, each in its own transaction under a transaction-scoped advisory
 * lock, so two cloud processes starting at once migrate once: the second waits, then sees the
 * version recorded and skips it.
 */
export async function migrate(db: SqlClient, migrations: readonly CloudMigration[] = CLOUD_MIGRATIONS): Promise<number[]> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const history = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      checkHistory(history, migrations);
      if (history.some((row) => row.version === migration.version)) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

/** The recorded history must be a prefix of the files: same versions, same names. */
function checkHistory(history: readonly { version: number; name: string }[], migrations: readonly CloudMigration[]): void {
  for (const row of history) {
    const known = migrations.find((m) => m.version === row.version);
    if (!known) {
      throw new Error(`The database has migration ${row.version} (${row.name}), which this cloud does not know: run a newer cloud.`);
    }
    if (known.name !== row.name) {
      throw new Error(
        `Migration ${row.version} is recorded as ${row.name} but this cloud calls it ${known.name}: never edit a released migration.`,
      );
    }
  }
}
