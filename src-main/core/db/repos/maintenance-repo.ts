import type { Db } from '../open-database';

/**
 * The SQL of the maintenance domain: deleting what outlived its keep, and keeping the file
 * healthy. It never names an evidence table (sms, sms_deliveries, sessions, transactions,
 * audit_log, balance_*): those rows are kept for good.
 */

/**
 * Forwarder timestamp signs past their keep (refused by their age by then anyway). Few: the
 * table holds only the signs of the replay window, so one statement takes them all.
 */
export function deleteSpentSigns(db: Db, now: number): number {
  return db.prepare('DELETE FROM forwarder_spent_signs WHERE expires_at <= ?').run(now).changes;
}

/**
 * Outbox rows delivered at or before `cutoff`, oldest first, at most `limit` of them so one pass
 * holds the write lock briefly even when months come due at once (the caller goes on while a
 * batch comes back full). Pending and dead rows stay.
 */
export function deleteDeliveredOutbox(db: Db, cutoff: number, limit: number): number {
  // Without statistics SQLite prefers outbox_due's equality on status, which reads every delivered row once the
  // webhook worker marks thousands delivered; the partial index on delivered_at is the one that stops at the cutoff.
  return db
    .prepare(
      "DELETE FROM outbox INDEXED BY outbox_delivered WHERE status = 'delivered' AND delivered_at <= ? ORDER BY delivered_at LIMIT ?",
    )
    .run(cutoff, limit).changes;
}

/**
 * `sync` events no cloud will ask for (the caller purges them only while no cloud is set up):
 * waiting, never numbered, committed at or before `cutoff`. At most `limit`, oldest first, read
 * along outbox_pending_channel and stopped at the first newer one, so a pass reads no more than
 * it deletes. A numbered event is never deleted here: a cloud that was set up waits for its number.
 */
export function deleteUnsentSyncOutbox(db: Db, cutoff: number, limit: number): number {
  const rows = db
    .prepare(`SELECT id, created_at FROM outbox WHERE channel = 'sync' AND status = 'pending' AND seq IS NULL ORDER BY id LIMIT ?`)
    .all(limit) as { id: number; created_at: number }[];
  const remove = db.prepare(`DELETE FROM outbox WHERE id = ? AND seq IS NULL`);
  let deleted = 0;
  for (const row of rows) {
    if (row.created_at > cutoff) break;
    deleted += remove.run(row.id).changes;
  }
  return deleted;
}

/**
 * Webhook deliveries that ended (delivered, or dead) at or before `cutoff`, with their attempts
 * (ON DELETE CASCADE), in bounded batches like the outbox. Pending deliveries stay.
 */
export function deleteFinishedWebhookDeliveries(db: Db, cutoff: number, limit: number): number {
  return db
    .prepare("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at <= ? ORDER BY finished_at LIMIT ?")
    .run(cutoff, limit).changes;
}

/** Staff alerts resolved at or before `cutoff` (a handful a month); open alerts (resolved_at NULL) stay however old. */
export function deleteResolvedAlerts(db: Db, cutoff: number): number {
  return db.prepare('DELETE FROM staff_alerts WHERE resolved_at <= ?').run(cutoff).changes;
}

export interface FileStats {
  pageSize: number;
  pageCount: number;
  /** Pages the file holds but no table uses; new rows reuse them before the file grows. */
  freelistCount: number;
  /** 0 none, 1 full, 2 incremental. */
  autoVacuum: number;
}

export function fileStats(db: Db): FileStats {
  return {
    pageSize: Number(db.pragma('page_size', { simple: true })),
    pageCount: Number(db.pragma('page_count', { simple: true })),
    freelistCount: Number(db.pragma('freelist_count', { simple: true })),
    autoVacuum: Number(db.pragma('auto_vacuum', { simple: true })),
  };
}

/**
 * PRAGMA optimize: ANALYZE the tables whose statistics the query planner would use and are
 * missing or stale (since SQLite 3.46 it caps each ANALYZE's work itself). `allTables` (at
 * start) looks at every table, not only those this connection has queried since it opened.
 * Returns the statements it ran (asked first in its debug mode, which changes nothing).
 */
export function optimize(db: Db, allTables: boolean): string[] {
  const mask = allTables ? 0x10002 : 0xfffe;
  const planned = db.pragma(`optimize = ${mask | 0x01}`) as { optimize?: string }[];
  db.pragma(`optimize = ${mask}`);
  keepRowCountsOnly(db);
  return planned.map((r) => r.optimize ?? '').filter((s) => s !== '');
}

/**
 * better-sqlite3's SQLite is built with STAT4: ANALYZE also keeps sample key values, and a
 * statement whose plan consulted a sample for a bound parameter is planned again each time a
 * parameter is bound, i.e. on every call. On a year's database (740 samples after a full
 * ANALYZE) that made each TxnID lookup 22–45 µs instead of 2–12, and ingest 1,600 SMS/s instead
 * of 4,500. The row counts of sqlite_stat1 pick our indexes; where a value is rare (pending
 * attempts, reversals) the statement says so itself (a partial index, or CROSS JOIN to fix the
 * order), as test/core/db/query-plans.test.ts checks with row counts only. The samples go, and
 * the planner reloads what is left.
 */
export function keepRowCountsOnly(db: Db): void {
  const hasSamples = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'").get();
  if (!hasSamples) return;
  db.exec('DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;');
}

/**
 * Rewrites the file without its free pages, then folds the WAL (which held the whole copy)
 * back and truncates it. Blocks this connection for its duration: run it only when the shop
 * is idle. Never inside a transaction.
 */
/** Copies the WAL back into the file and empties it; a no-op when a reader holds an old snapshot. */
export function foldWal(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

export function vacuum(db: Db): void {
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}
