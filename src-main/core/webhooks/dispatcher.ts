import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SessionView } from '../../../src-shared/contract/payments';
import { EVENT_HEADER, WEBHOOK_EVENTS, type WebhookBacklogView, type WebhookEventName } from '../../../src-shared/contract/webhooks';
import { writeTransaction, type Db } from '../db';
import type { WebhookDeliveryRow } from '../db/repos/webhook-repo';
import type { Logger } from '../logging';
import { countUndispatched, dispatchPending, type OutboxEvent } from '../outbox';
import { signingSecrets } from '../shop';
import { createAgents, postWebhook, type PostOutcome } from './post';
import { retryDelayMs } from './schedule';
import { backlogView, webhookRepo } from './settings';
import { signatureHeaders } from './sign';

/** Where a session's events go, as the payments domain knows it. */
export interface WebhookRoute {
  brandId: number;
  isTest: boolean;
  notifyUrl: string | null;
}

export interface WebhookDispatcherDeps {
  db: Db;
  dataDir: string;
  logger: Logger;
  clock: () => number;
  version: string;
  config: {
    allowPrivate: boolean;
    timeoutSeconds: number;
    secretOverlapHours: number;
    maxInFlight: number;
    maxInFlightPerReceiver: number;
  };
  route: (sessionId: string) => WebhookRoute | null;
  /** In [0, 1): the retry jitter (tests pin it). */
  random?: () => number;
  /** The backlog changed (a delivery finished, events were handed on): the counter's settings listen. */
  onBacklog?: (backlog: WebhookBacklogView) => void;
}

const POLL_MS = 1_000;
/** See kick(). */
const KICK_DELAY_MS = 20;
const DISPATCH_BATCH = 200;
const DUE_BATCH = 64;
const BACKLOG_NOTICE_MS = 500;

/**
 * Hands committed webhook events to their URLs and delivers them, off the request path.
 *
 * The rule it keeps: an event is POSTed only after the change it reports committed (it is read
 * from the outbox), and it is retried until a 2xx or the schedule ends, surviving restarts
 * (every state lives in SQLite; an attempt cut by a crash is simply made again). Per URL and
 * session, events go in the order they committed; a URL that is slow or down holds at most
 * `maxInFlightPerReceiver` requests and never the other receivers' turns, and nothing here
 * blocks the counter (HTTP is asynchronous; each SQLite write is one short transaction).
 */
export class WebhookDispatcher {
  private readonly repo;
  private readonly agents;
  /** By delivery id: the receiver (URL origin) it occupies and its end. */
  private readonly inFlight = new Map<number, { origin: string; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private noticeTimer: NodeJS.Timeout | null = null;
  private kicked = false;
  private readonly unrecorded: { row: WebhookDeliveryRow; sentAt: number; outcome: PostOutcome; resolve: () => void }[] = [];
  private stopped = false;

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.repo = webhookRepo(deps.db);
    this.agents = createAgents(deps.config.maxInFlightPerReceiver);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /**
   * Something committed (a session changed): look soon rather than at the next poll. Soon is
   * KICK_DELAY_MS, not the next turn of the loop: the changes of a burst (a batch of SMS that
   * settles many checkouts) are handed on in one commit, and the request that caused the change
   * (the merchant's GET right after a push) is answered before this worker's fsync, not after it.
   */
  kick(): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    setTimeout(() => {
      this.kicked = false;
      this.tick();
    }, KICK_DELAY_MS).unref();
  }

  /** Runs until nothing is due and nothing is in flight (tests and the benchmark; the clock stays where it is). */
  async flush(): Promise<void> {
    for (let round = 0; round < 1_000_000; round += 1) {
      this.tick();
      if (this.inFlight.size === 0) {
        if (this.stopped || !this.deps.db.open || countUndispatched(this.deps.db, 'webhook') === 0) return;
        continue;
      }
      // Each finished attempt refills its own URL's slots; the whole-queue pass runs once these are done.
      await Promise.all([...this.inFlight.values()].map((f) => f.done));
    }
  }

  /**
   * Stops: attempts in flight are cut and not recorded, so the next start makes them again
   * (a receiver dedupes on the event id); shutting down never waits on a slow receiver.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.agents.http.destroy();
    this.agents.https.destroy();
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** One pass: hand new events to their URLs, then start what is due within the limits. */
  tick(): void {
    if (this.stopped || !this.deps.db.open) return;
    try {
      const now = this.deps.clock();
      // One batch per pass: a backlog of months (a shop that never had a URL) is handed on a
      // batch at a time between requests, never in one loop that keeps the counter from answering.
      const handed = dispatchPending(this.deps.db, 'webhook', DISPATCH_BATCH, now, (event) => this.fanOut(event, now));
      if (handed > 0) this.noticeBacklog();
      if (handed === DISPATCH_BATCH) this.kick();
      this.startDue(now);
    } catch (err) {
      this.deps.logger.error({ err }, 'webhook pass failed; it runs again within a second');
    }
  }

  /** One delivery per URL the event goes to: the brand's URL for the session's mode, and the session's notify_url. */
  private fanOut(event: OutboxEvent, now: number): void {
    const name = event.topic as WebhookEventName;
    if (!WEBHOOK_EVENTS.includes(name)) return;
    const session = (event.payload as { session?: SessionView | null }).session;
    if (!session) return;
    const route = this.deps.route(session.id);
    if (!route) return;
    const targets: { url: string; target: 'brand' | 'session' }[] = [];
    const brandUrl = this.repo.endpoint(route.brandId, route.isTest)?.url;
    if (brandUrl) targets.push({ url: brandUrl, target: 'brand' });
    if (route.notifyUrl && route.notifyUrl !== brandUrl) targets.push({ url: route.notifyUrl, target: 'session' });
    if (targets.length === 0) return;
    const id = `evt_${crypto.randomBytes(12).toString('hex')}`;
    const body = JSON.stringify({ id, event: name, created_at: new Date(event.createdAt).toISOString(), session });
    for (const t of targets) {
      this.repo.insertDelivery({
        merchant_id: event.merchantId,
        outbox_id: event.id,
        event_id: id,
        event: name,
        session_id: session.id,
        url: t.url,
        origin: new URL(t.url).origin,
        target: t.target,
        is_test: route.isTest ? 1 : 0,
        body,
        next_attempt_at: now,
        created_at: event.createdAt,
      });
    }
  }

  /**
   * A receiver is a URL's origin (scheme, host, port): merchants put the order in notify_url
   * (`…/ipn?order=123`), so counting per URL would let one site that hangs take every slot.
   */
  private inFlightBy(origin: string): number {
    let n = 0;
    for (const f of this.inFlight.values()) if (f.origin === origin) n += 1;
    return n;
  }

  private startDue(now: number): void {
    const { maxInFlight, maxInFlightPerReceiver } = this.deps.config;
    if (this.inFlight.size >= maxInFlight) return;
    const perOrigin = new Map<string, number>();
    for (const f of this.inFlight.values()) perOrigin.set(f.origin, (perOrigin.get(f.origin) ?? 0) + 1);
    const full = [...perOrigin].filter(([, n]) => n >= maxInFlightPerReceiver).map(([origin]) => origin);
    const due = this.repo.due(now, DUE_BATCH, [...this.inFlight.keys()], full);
    for (const row of due) {
      if (this.inFlight.size >= maxInFlight) break;
      const count = perOrigin.get(row.origin) ?? 0;
      if (count >= maxInFlightPerReceiver) continue;
      perOrigin.set(row.origin, count + 1);
      this.launch(row);
    }
  }

  private launch(row: WebhookDeliveryRow): void {
    const done = this.attempt(row).finally(() => {
      this.inFlight.delete(row.id);
      this.refill(row.origin);
    });
    this.inFlight.set(row.id, { origin: row.origin, done });
  }

  /**
   * A slot of a receiver came free: its next due deliveries start at once, found through the
   * receiver's own index (the whole-queue pass would read past every row of receivers that are at
   * their limit). The whole-queue pass follows within the poll, or at once when nothing is left.
   */
  private refill(origin: string): void {
    if (this.stopped || !this.deps.db.open) return;
    const { maxInFlight, maxInFlightPerReceiver } = this.deps.config;
    const free = Math.min(maxInFlightPerReceiver - this.inFlightBy(origin), maxInFlight - this.inFlight.size);
    try {
      if (free > 0) for (const row of this.repo.dueForOrigin(origin, this.deps.clock(), free, [...this.inFlight.keys()])) this.launch(row);
    } catch (err) {
      this.deps.logger.error({ err }, 'webhook refill failed; the next pass picks it up');
    }
    if (this.inFlight.size === 0) this.kick();
  }

  private async attempt(row: WebhookDeliveryRow): Promise<void> {
    const { db, clock, config } = this.deps;
    const sentAt = clock();
    let secrets: string[];
    try {
      secrets = signingSecrets(this.deps.dataDir, row.is_test === 1, sentAt, config.secretOverlapHours * 3_600_000);
    } catch (err) {
      // No key to sign with (keys.json gone): nothing is sent unsigned; the attempt is recorded as failed.
      await this.record(row, sentAt, { httpStatus: null, ok: false, latencyMs: 0, error: (err as Error).message, excerpt: null });
      return;
    }
    const headers = {
      ...signatureHeaders(row.event_id, row.body, Math.floor(sentAt / 1000), secrets),
      [EVENT_HEADER]: row.event,
      'User-Agent': `CounterPay/${this.deps.version} (webhooks)`,
    };
    const outcome = await postWebhook(row.url, row.body, headers, {
      timeoutMs: config.timeoutSeconds * 1000,
      allowPrivate: config.allowPrivate,
      agents: this.agents,
      monotonic: () => performance.now(),
    });
    if (this.stopped || !db.open) return;
    await this.record(row, sentAt, outcome);
  }

  /**
   * Queues an attempt's outcome; the outcomes that finish in one turn of the event loop are
   * written in one IMMEDIATE transaction (one fsync for many receivers' answers). The delivery
   * stays in flight until its outcome committed, so it cannot be picked again meanwhile.
   */
  private record(row: WebhookDeliveryRow, sentAt: number, outcome: PostOutcome): Promise<void> {
    return new Promise((resolve) => {
      this.unrecorded.push({ row, sentAt, outcome, resolve });
      if (this.unrecorded.length === 1) setImmediate(() => this.writeOutcomes());
    });
  }

  private writeOutcomes(): void {
    const batch = this.unrecorded.splice(0);
    const { db, clock } = this.deps;
    try {
      if (!db.open) return;
      const now = clock();
      writeTransaction(db, () => {
        for (const { row, sentAt, outcome } of batch) this.writeOutcome(row, sentAt, outcome, now);
      });
    } catch (err) {
      this.deps.logger.error(
        { err, deliveries: batch.map((b) => b.row.id) },
        'could not record webhook attempts; those deliveries are tried again',
      );
      return;
    } finally {
      for (const b of batch) b.resolve();
    }
    for (const { row, outcome } of batch) {
      if (!outcome.ok)
        this.deps.logger.warn({ delivery_id: row.id, event: row.event, url: row.url, error: outcome.error }, 'webhook attempt failed');
    }
    this.noticeBacklog();
  }

  private writeOutcome(row: WebhookDeliveryRow, sentAt: number, outcome: PostOutcome, now: number): void {
    this.repo.addAttempt({
      delivery_id: row.id,
      attempted_at: sentAt,
      http_status: outcome.httpStatus,
      latency_ms: outcome.latencyMs,
      ok: outcome.ok ? 1 : 0,
      error: outcome.error,
      response_excerpt: outcome.excerpt,
    });
    if (outcome.ok) {
      this.repo.markDelivered(row.id, now);
      return;
    }
    // Read again: staff may have resent it while this attempt was out (a fresh schedule).
    const fresh = this.repo.byId(row.id);
    const failedInRound = (fresh?.attempts ?? row.attempts) + 1 - (fresh?.retry_from ?? row.retry_from);
    const delay = retryDelayMs(failedInRound, (this.deps.random ?? Math.random)());
    if (delay === null) this.repo.markDead(row.id, now);
    else this.repo.markRetry(row.id, now + delay);
  }

  private noticeBacklog(): void {
    if (!this.deps.onBacklog || this.noticeTimer || this.stopped) return;
    this.noticeTimer = setTimeout(() => {
      this.noticeTimer = null;
      if (this.deps.db.open) this.deps.onBacklog?.(backlogView(this.deps.db));
    }, BACKLOG_NOTICE_MS);
    this.noticeTimer.unref();
  }
}
