import crypto from 'node:crypto';
import { MAX_SYNC_BATCH_EVENTS, type SyncBatchRequest, type SyncStatusView } from '../../../src-shared/contract/sync';
import { writeTransaction, type Db } from '../db';
import { prepareSyncRepo, type SyncRepo, type SyncStateRow } from '../db/repos/sync-repo';
import type { Logger } from '../logging';
import {
  acknowledgeSyncEvents,
  forgetSyncNumbers,
  hasUnnumberedSyncEvents,
  numberSyncEvents,
  pendingSyncEvents,
  syncBacklog,
} from '../outbox';
import { activeKeyDigests } from '../shop';
import { postBatch } from './post-batch';
import { readSyncSettings, tokenHint } from './sync-settings';

export interface SyncWorkerDeps {
  db: Db;
  dataDir: string;
  merchantId: number;
  logger: Logger;
  clock: () => number;
  version: string;
  config: { batchSize: number; timeoutSeconds: number; heartbeatSeconds: number; maxBackoffSeconds: number };
  /** In [0, 1): the backoff's jitter (tests pin it). */
  random?: () => number;
  /** The status changed (a batch went, or failed): the counter's settings listen. */
  onChange?: (status: SyncStatusView) => void;
  /**
   * The shop's sessions, for the first pass to a cloud. A shop that sets up its cloud after
   * months without one had its old `sync` events purged (nothing would have sent them): when the
   * oldest session is older than the oldest waiting event, the first pass queues every session's
   * current state, so the cloud still learns them all.
   */
  sessions?: {
    /** When the oldest session was created (null: none yet). */
    oldestAt(): number | null;
    /** Queues the sessions after `after` (one page, one transaction; `next` null at the end). */
    queueAfter(after: number): { queued: number; next: number | null };
  };
}

const POLL_MS = 1_000;
/** See kick(). */
const KICK_DELAY_MS = 20;
const FIRST_BACKOFF_MS = 2_000;

/**
 * Sends the shop's `sync` outbox events to its cloud, in sequence order, in batches
 * (docs/sync.md). The rule it keeps: an event leaves the outbox only when the cloud's
 * acknowledged cursor covers it, so after a restart, days offline, a 5xx or a timeout the worker
 * simply sends again from the cursor; the cloud ignores what it already has. One batch is in
 * flight at a time, off the request path: a slow or absent cloud never blocks the counter.
 */
export class SyncWorker {
  private readonly repo: SyncRepo;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private kicked = false;
  /** Settings just changed: the next pass reports in even with nothing to send, so a wrong token shows at once. */
  private reportNow = false;

  constructor(private readonly deps: SyncWorkerDeps) {
    this.repo = prepareSyncRepo(deps.db);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /**
   * A session changed: send soon rather than at the next poll. Soon is KICK_DELAY_MS, so a burst
   * of changes goes up as one batch and the request that caused them is answered first (as the
   * webhook dispatcher does).
   */
  kick(): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    setTimeout(() => {
      this.kicked = false;
      this.runOnce().catch((err: unknown) => this.deps.logger.error({ err }, 'sync pass failed'));
    }, KICK_DELAY_MS).unref();
  }

  /** One pass (tests and the CLI-free harness): resolves when its batch, if any, is answered. */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.guardedPass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Passes until nothing is left to send or the cloud fails (tests). */
  async drain(maxPasses = 1_000): Promise<void> {
    for (let i = 0; i < maxPasses; i += 1) {
      const before = this.state()?.acked_seq ?? 0;
      await this.runOnce();
      const after = this.state();
      if (!after || after.last_error !== null || syncBacklog(this.deps.db).count === 0 || after.acked_seq === before) return;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private state(): SyncStateRow | undefined {
    return this.deps.db.open ? this.repo.get(this.deps.merchantId) : undefined;
  }

  status(): SyncStatusView {
    const settings = readSyncSettings(this.deps.dataDir);
    const st = this.state();
    const backlog = syncBacklog(this.deps.db);
    const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);
    return {
      url: settings?.url ?? null,
      token_hint: settings ? tokenHint(settings.token) : null,
      cursor: st?.acked_seq ?? 0,
      backlog: backlog.count,
      oldest_pending_at: iso(backlog.oldestAt),
      last_success_at: iso(st?.last_success_at),
      last_attempt_at: iso(st?.last_attempt_at),
      last_error: st?.last_error ?? null,
      next_attempt_at: st && st.next_attempt_at > 0 ? iso(st.next_attempt_at) : null,
    };
  }

  /**
   * Whether this shop has ever synced to a cloud (its sync row exists), even if the cloud is
   * removed now: its waiting events are then kept for that cloud's return, never purged.
   */
  everSetUp(): boolean {
    return this.state() !== undefined;
  }

  /** Settings changed (`sync set`, here or in the CLI): the next pass tries at once, whatever the backoff said. */
  resetBackoff(): void {
    if (this.deps.db.open && this.state()) this.repo.resume(this.deps.merchantId);
  }

  /**
   * For a cloud that lost events (a new or restored cloud database): a new stream numbered from
   * 1, carrying the current state of every session (`queueAll` puts them in the outbox). The
   * cloud answers the new stream 409 until its operator runs `cloud shop reset-stream`; then it
   * takes everything from 1. Returns the new stream and how many sessions were queued.
   */
  reseed(queueAll: () => number): { stream: string; sessions: number } {
    const { db, merchantId } = this.deps;
    const stream = `str_${crypto.randomBytes(12).toString('hex')}`;
    writeTransaction(db, () => {
      this.repo.ensure(merchantId, stream);
      this.repo.restart(merchantId, stream);
      forgetSyncNumbers(db, merchantId);
    });
    return { stream, sessions: queueAll() };
  }

  /** As resetBackoff, and a pass now that reports in even with nothing to send (the running core). */
  resume(): void {
    this.resetBackoff();
    this.reportNow = true;
    this.kick();
  }

  /**
   * A pass never rejects: whatever throws (a busy database, an answer the database refuses) is a
   * failed attempt in words, with backoff, never an unhandled rejection that ends the counter.
   */
  private async guardedPass(): Promise<void> {
    try {
      await this.pass();
    } catch (err) {
      this.deps.logger.error({ err }, 'sync pass failed');
      try {
        if (this.deps.db.open) this.fail(`the counter could not record the batch: ${(err as Error).message}`.slice(0, 300));
      } catch {
        // The database itself is failing: the next pass tries again.
      }
    }
  }

  /**
   * The first pass to a cloud, when events were purged: every session's current state, a page at a time with the loop
   * free between pages (a year of sessions takes seconds). Done before this shop's sync row
   * exists, so a restart halfway does it again from the start: the cloud takes a repeated state
   * as it takes any event.
   */
  private async queueEverySession(): Promise<void> {
    const sessions = this.deps.sessions;
    const oldestSession = sessions?.oldestAt() ?? null;
    if (!sessions || oldestSession === null) return;
    const oldestEvent = syncBacklog(this.deps.db).oldestAt;
    // Every session's creation wrote an event: while the oldest one waits, nothing was purged.
    if (oldestEvent !== null && oldestEvent <= oldestSession) return;
    let after: number | null = 0;
    let queued = 0;
    while (after !== null && !this.stopped && this.deps.db.open) {
      const done: { queued: number; next: number | null } = sessions.queueAfter(after);
      queued += done.queued;
      after = done.next;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (queued > 0) this.deps.logger.info({ sessions: queued }, 'first sync to this cloud: every session queued');
  }

  private fail(error: string): void {
    const { merchantId, clock, config } = this.deps;
    const failures = (this.state()?.failures ?? 0) + 1;
    const base = Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), config.maxBackoffSeconds * 1000);
    const delay = Math.round(base * (0.8 + 0.4 * (this.deps.random ?? Math.random)()));
    this.repo.failed(merchantId, error, clock() + delay);
    this.deps.logger.warn({ error, retry_in_ms: delay }, 'cloud sync failed; retrying later');
    this.deps.onChange?.(this.status());
  }

  private async pass(): Promise<void> {
    const { db, merchantId, clock, config } = this.deps;
    if (this.stopped || !db.open) return;
    const settings = readSyncSettings(this.deps.dataDir);
    if (!settings) return;
    const now = clock();
    // Polled every second: a write transaction only when there is a first row to make or numbers to give.
    let known = this.state();
    if (!known) {
      await this.queueEverySession();
      if (this.stopped || !db.open) return;
      known = this.state();
    }
    if (known && known.next_attempt_at > now) return;
    const prepared =
      known && !hasUnnumberedSyncEvents(db)
        ? known
        : writeTransaction(db, () => {
            const st = this.repo.ensure(merchantId, `str_${crypto.randomBytes(12).toString('hex')}`);
            if (st.next_attempt_at > now) return null;
            // Numbers are given in commit order before anything is sent, and never change after.
            const last = numberSyncEvents(db, st.last_seq, config.batchSize * 4);
            if (last !== st.last_seq) this.repo.setLastSeq(merchantId, last);
            return st;
          });
    if (!prepared) return;
    const queued = pendingSyncEvents(db, Math.min(config.batchSize, MAX_SYNC_BATCH_EVENTS));
    const keys = activeKeyDigests(db, merchantId);
    const keysJson = JSON.stringify(keys);
    const heartbeatDue = prepared.last_success_at === null || now - prepared.last_success_at >= config.heartbeatSeconds * 1000;
    const reportNow = this.reportNow;
    this.reportNow = false;
    if (queued.length === 0 && keysJson === prepared.keys_sent && !heartbeatDue && !reportNow) return;
    const batch: SyncBatchRequest = { stream: prepared.stream, app_version: this.deps.version, keys, events: queued.map((q) => q.event) };
    this.repo.attempted(merchantId, now);
    const outcome = await postBatch(settings.url, settings.token, batch, config.timeoutSeconds * 1000);
    if (!db.open) return;
    const after = clock();
    if (!outcome.ok) return this.fail(outcome.error);
    const ack = outcome.response.ack_seq;
    // What this counter has numbered so far: a cloud cannot have acknowledged more.
    const lastGiven = this.state()?.last_seq ?? 0;
    if (ack > lastGiven) {
      return this.fail(
        `the cloud acknowledged event ${ack}, but this counter has numbered only ${lastGiven}: is the URL another shop's cloud?`,
      );
    }
    const firstSent = queued[0]?.event.seq ?? prepared.acked_seq + 1;
    if (ack < firstSent - 1) {
      // The cloud's cursor is behind events this counter already let go (a new or restored cloud): nothing here can fill the gap.
      return this.fail(
        `the cloud waits for event ${ack + 1}, which this counter already delivered and no longer holds (a new or restored cloud?); ` +
          'see docs/sync.md "A cloud that lost events"',
      );
    }
    writeTransaction(db, () => {
      acknowledgeSyncEvents(db, queued, ack, after);
      this.repo.succeeded(merchantId, ack, keysJson, after, 0);
    });
    this.deps.onChange?.(this.status());
    const lastSent = queued.at(-1)?.event.seq ?? ack;
    if (ack >= lastSent && queued.length > 0) this.kick();
  }
}
