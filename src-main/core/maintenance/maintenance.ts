import type { Config } from '../config';
import { writeTransaction, type Db } from '../db';
import {
  deleteDeliveredOutbox,
  deleteUnsentSyncOutbox,
  deleteFinishedWebhookDeliveries,
  deleteResolvedAlerts,
  deleteSpentSigns,
  fileStats,
  foldWal,
  optimize,
  vacuum,
  type FileStats,
} from '../db/repos/maintenance-repo';
import type { Logger } from '../logging';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const MIB = 1024 * 1024;
/** Outbox rows one purge deletes at most; a full batch makes the next tick purge again at once. */
export const PURGE_BATCH_ROWS = 5_000;

/** In-memory state kept per key (rate-limit windows): pruned on the purge's timer. */
export interface Prunable {
  name: string;
  /** Drops what has expired; returns how many entries went. */
  prune(): number;
}

export interface MaintenanceDeps {
  db: Db;
  config: Config['maintenance'];
  clock: () => number;
  logger: Logger;
  /**
   * A number that changes whenever the shop is busy: requests on the public and admin
   * listeners, SMS stored. The phones' heartbeats do not count: they come all night.
   */
  activity: () => number;
  memory?: readonly Prunable[];
  /**
   * Whether a cloud is or ever was set up (sync.json, or the shop's sync row). When never, `sync`
   * events older than outboxDeliveredDays are purged too: nothing will ever send them, and they
   * were the largest table of a year's database. Setting up a first cloud later queues every
   * session's current state; a cloud that was removed keeps its waiting events for its return.
   */
  syncConfigured?: () => boolean;
}

export interface PurgeReport {
  spentSigns: number;
  deliveredOutbox: number;
  finishedWebhooks: number;
  resolvedAlerts: number;
  /** `sync` events dropped because no cloud is set up (see MaintenanceDeps.syncConfigured). */
  unsentSync: number;
  /** Entries dropped from in-memory maps, by name. */
  memory: Record<string, number>;
  /** A batch came back full: more is due, and the next tick purges again. */
  more: boolean;
}

export interface OptimizeReport {
  /** PRAGMA optimize ran (its ANALYZE statements, often none, in `analyzed`). */
  optimized: boolean;
  analyzed: string[];
  vacuumed: boolean;
  reason: 'start' | 'idle' | 'periodic' | null;
}

export interface MaintenanceState {
  idle: boolean;
  /** When activity was last seen (ms); the start counts as activity. */
  lastActiveAt: number;
  lastPurgeAt: number | null;
  lastOptimizeAt: number | null;
  lastVacuumAt: number | null;
}

/**
 * What keeps a shop's data dir small and its queries planned well, for years, without anyone
 * looking after it:
 *
 * - purge(now): deletes what has outlived its keep (spent forwarder signs past their expiry,
 *   delivered outbox rows after outboxDeliveredDays, alerts resolved more than resolvedAlertDays
 *   ago) and prunes in-memory rate-limit windows. Idempotency keys are purged by the http
 *   domain's purgeExpired on the same sweep. Evidence is never deleted.
 * - optimizeWhenIdle(now): PRAGMA optimize at start, once each time the shop falls idle, and
 *   every optimizeEveryHours regardless; VACUUM only while idle and only when free pages are a
 *   large share of a file worth rewriting.
 *
 * The core's sweep calls tick(), which throttles the purge to purgeEveryMinutes.
 *
 * Why a rare full VACUUM and not auto_vacuum = INCREMENTAL: shops' files were created with
 * auto_vacuum NONE, and switching an existing file takes a full VACUUM anyway. INCREMENTAL then
 * keeps pointer-map pages current on every commit (more pages written, each fsynced under
 * synchronous=FULL, on the money path) and incremental_vacuum only moves free pages to the end
 * of the file, leaving tables fragmented. The file mostly grows (evidence is kept) and SQLite
 * reuses free pages for new rows, so giving space back matters only after a large purge: a
 * VACUUM while the shop is idle, when free pages are a large share, does that and defragments.
 */
export class Maintenance {
  private lastActiveAt: number;
  private lastActivity: number;
  private lastPurgeAt: number | null = null;
  private purgeBacklog = false;
  private lastOptimizeAt: number | null = null;
  private lastVacuumAt: number | null = null;

  constructor(private readonly deps: MaintenanceDeps) {
    this.lastActiveAt = deps.clock();
    this.lastActivity = deps.activity();
  }

  /** The sweep's one call: purge when due, then optimize (and maybe vacuum) when due. */
  tick(now: number = this.deps.clock()): void {
    const every = this.deps.config.purgeEveryMinutes * MINUTE_MS;
    if (this.purgeBacklog || this.lastPurgeAt === null || now - this.lastPurgeAt >= every) this.purge(now);
    this.optimizeWhenIdle(now);
  }

  /** Deletes what is past its age (the outbox in bounded batches); never evidence. */
  purge(now: number = this.deps.clock()): PurgeReport {
    const { db, config } = this.deps;
    const outboxCutoff = now - config.outboxDeliveredDays * DAY_MS;
    const noCloud = this.deps.syncConfigured ? !this.deps.syncConfigured() : false;
    const report = writeTransaction(db, () => ({
      spentSigns: deleteSpentSigns(db, now),
      deliveredOutbox: deleteDeliveredOutbox(db, outboxCutoff, PURGE_BATCH_ROWS),
      finishedWebhooks: deleteFinishedWebhookDeliveries(db, now - config.webhookDeliveryDays * DAY_MS, PURGE_BATCH_ROWS),
      resolvedAlerts: deleteResolvedAlerts(db, now - config.resolvedAlertDays * DAY_MS),
      unsentSync: noCloud ? deleteUnsentSyncOutbox(db, outboxCutoff, PURGE_BATCH_ROWS) : 0,
    }));
    const memory: Record<string, number> = {};
    for (const item of this.deps.memory ?? []) memory[item.name] = item.prune();
    const more =
      report.deliveredOutbox >= PURGE_BATCH_ROWS || report.finishedWebhooks >= PURGE_BATCH_ROWS || report.unsentSync >= PURGE_BATCH_ROWS;
    this.lastPurgeAt = now;
    this.purgeBacklog = more;
    const deleted = report.spentSigns + report.deliveredOutbox + report.finishedWebhooks + report.resolvedAlerts + report.unsentSync;
    if (deleted > 0) this.deps.logger.info({ ...report, more }, 'purged old rows');
    return { ...report, memory, more };
  }

  /** True when nothing has kept the shop busy for idleAfterMinutes. */
  isIdle(now: number = this.deps.clock()): boolean {
    this.observe(now);
    return now - this.lastActiveAt >= this.deps.config.idleAfterMinutes * MINUTE_MS;
  }

  /**
   * PRAGMA optimize when due: at the first call (the core's start), once each time the shop
   * falls idle, and every optimizeEveryHours even if it never does. Then, only while idle,
   * VACUUM when the file's free pages are many (see shouldVacuum).
   */
  optimizeWhenIdle(now: number = this.deps.clock()): OptimizeReport {
    const idle = this.isIdle(now);
    const last = this.lastOptimizeAt;
    const reason =
      last === null
        ? 'start'
        : idle && last < this.lastActiveAt
          ? 'idle'
          : now - last >= this.deps.config.optimizeEveryHours * HOUR_MS
            ? 'periodic'
            : null;
    const report: OptimizeReport = { optimized: false, analyzed: [], vacuumed: false, reason };
    if (reason !== null) {
      try {
        report.analyzed = optimize(this.deps.db, reason === 'start');
        report.optimized = true;
        // Idle: a good moment to fold the WAL (up to WAL_CHECKPOINT_PAGES of it) back into the file.
        if (reason === 'idle') foldWal(this.deps.db);
        this.lastOptimizeAt = now;
        if (report.analyzed.length > 0) this.deps.logger.info({ analyzed: report.analyzed, reason }, 'database statistics refreshed');
      } catch (err) {
        // Busy (the CLI holds the write lock): statistics only; the next tick tries again.
        this.deps.logger.warn({ err, reason }, 'PRAGMA optimize did not run; it is tried again shortly');
      }
    }
    if (idle && (this.lastVacuumAt === null || this.lastVacuumAt < this.lastActiveAt)) {
      const stats = fileStats(this.deps.db);
      if (this.shouldVacuum(stats)) {
        report.vacuumed = this.vacuum(stats, now);
      }
    }
    return report;
  }

  /**
   * Free pages are reused by new rows before the file grows, so a little free space costs
   * nothing; a rewrite is worth it only after a large purge left much of the file empty.
   */
  shouldVacuum(stats: FileStats = fileStats(this.deps.db)): boolean {
    const { vacuumFreeRatio, vacuumMinFreeMiB } = this.deps.config;
    if (stats.pageCount === 0) return false;
    return stats.freelistCount / stats.pageCount >= vacuumFreeRatio && stats.freelistCount * stats.pageSize >= vacuumMinFreeMiB * MIB;
  }

  state(now: number = this.deps.clock()): MaintenanceState {
    return {
      idle: this.isIdle(now),
      lastActiveAt: this.lastActiveAt,
      lastPurgeAt: this.lastPurgeAt,
      lastOptimizeAt: this.lastOptimizeAt,
      lastVacuumAt: this.lastVacuumAt,
    };
  }

  private vacuum(before: FileStats, now: number): boolean {
    try {
      vacuum(this.deps.db);
      this.lastVacuumAt = now;
      const after = fileStats(this.deps.db);
      this.deps.logger.info(
        { before_mib: mib(before.pageCount * before.pageSize), after_mib: mib(after.pageCount * after.pageSize) },
        'database vacuumed while the shop was idle',
      );
      return true;
    } catch (err) {
      // Busy (another process is reading) or out of disk: nothing changed; the next idle spell tries again.
      this.lastVacuumAt = now;
      this.deps.logger.warn({ err }, 'VACUUM did not run; it is tried again the next time the shop is idle');
      return false;
    }
  }

  private observe(now: number): void {
    const activity = this.deps.activity();
    if (activity !== this.lastActivity) {
      this.lastActivity = activity;
      this.lastActiveAt = now;
    }
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}
