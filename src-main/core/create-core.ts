import type { StatusSnapshot } from '../../src-shared/contract/admin';
import type { SessionView } from '../../src-shared/contract/payments';
import type { ListenerName } from '../../src-shared/contract/api';
import { APP_VERSION } from '../../src-shared/version';
import type { Config } from './config';
import { closeDatabase, openDatabase, type Db } from './db';
import { EventBus } from './events';
import type { Logger } from './logging';
import { PublicAddress, TunnelProbes, ensureShop, type Shop } from './shop';
import { statusSnapshot } from './status/status-snapshot';
import { createListenerApp } from './http/create-listener-app';
import { ADMIN_CSP, adminRoutes } from './http/admin-routes';
import { publicRoutes } from './http/public-routes';
import { deviceRoutes } from './http/device-routes';
import { listen, type RunningListener } from './http/listener-server';
import { buildLimiters, deviceSmsBucket } from './http/limiters';
import { rateLimit } from './http/rate-limit';
import { purgeExpired } from './http/idempotency';
import { trustedProxies, type PaymentsContext } from './http/payments-context';
import { SmsIngestor, toSmsView } from './sms';
import { Payments } from './payments';
import { DeviceHealthMonitor, listForwarders } from './devices';
import { buildAdminHandlers } from './admin/admin-handlers';
import { Maintenance } from './maintenance';
import { Modems } from './modem';
import { WebhookDispatcher } from './webhooks';
import { SyncWorker, isSyncSetUp } from './sync';

export interface CoreDeps {
  logger: Logger;
  /** Where the built counter UI lives; null serves a plain notice instead. */
  rendererDir: string | null;
  /** For tests: the core's notion of now. */
  clock?: () => number;
}

export interface Core {
  readonly config: Config;
  readonly db: Db;
  readonly shop: Shop;
  readonly bus: EventBus;
  /** The one entry point for every SMS source. */
  readonly sms: SmsIngestor;
  /** Sessions, attempts, counter sales and the one verdict on every credit. */
  readonly payments: Payments;
  /** Purges what outlived its keep; PRAGMA optimize and VACUUM when the shop is idle. */
  readonly maintenance: Maintenance;
  /** The GSM modems' readers (started with the listeners). */
  readonly modems: Modems;
  /** Delivers merchant webhooks from the outbox (started with the listeners). */
  readonly webhooks: WebhookDispatcher;
  /** Sends the outbox's sync events to the merchant's cloud (started with the listeners). */
  readonly sync: SyncWorker;
  /** Opens the three listeners; returns their URLs. */
  listen(): Promise<Record<ListenerName, string>>;
  status(): StatusSnapshot;
  /** Expire due sessions, fail TxnIDs whose SMS never came, purge old idempotency keys, run maintenance. */
  sweep(): void;
  /** Graceful: stop accepting, drain in-flight work, close the database with the WAL folded in. */
  stop(): Promise<void>;
}

const STATUS_POLL_MS = 2_000;
const DEVICE_HEALTH_TICK_MS = 5_000;

/**
 * Builds the whole engine without opening a port. Both shells (headless and Electron's
 * core process) call this and then `listen()`.
 */
export function createCore(config: Config, deps: CoreDeps): Core {
  const logger = deps.logger;
  const clock = deps.clock ?? Date.now;
  const db = openDatabase(config.dataDir);
  const shop = ensureShop(db, config.dataDir);
  const bus = new EventBus();
  const startedAt = clock();
  const urls: Record<ListenerName, string> = { public: '', device: '', admin: '' };
  const running: RunningListener[] = [];
  const streams = new Set<() => void>();
  const timers: NodeJS.Timeout[] = [];
  let draining = false;
  let lastStatusJson = '';
  /** Bumped by every merchant, checkout and counter request and every SMS stored: the idle clock. */
  let activity = 0;
  const busy = () => {
    activity += 1;
  };

  const sms = new SmsIngestor(db, shop.merchantId, logger.child({ module: 'sms' }), clock);
  const modems = new Modems({
    db,
    merchantId: shop.merchantId,
    config,
    ingest: (messages, context) => sms.ingestBatch(messages, context),
    logger: logger.child({ module: 'modems' }),
    clock,
    onChange: (view) => bus.emit('modem', view),
  });
  const payments: Payments = new Payments({
    db,
    logger: logger.child({ module: 'payments' }),
    merchantId: shop.merchantId,
    auditKey: shop.keys.audit_key,
    config,
    clock,
    sms: sms.smsRepo,
    defaultCurrency: 'BDT',
    onSessionChange: (view: SessionView) => {
      bus.emit('session', view);
      webhooks.kick();
      syncWorker.kick();
    },
    onVerificationsChange: () => bus.emit('verifications', { pending: payments.pendingCount() }),
  });
  const webhooks = new WebhookDispatcher({
    db,
    dataDir: config.dataDir,
    logger: logger.child({ module: 'webhooks' }),
    clock,
    version: APP_VERSION,
    config: config.webhooks,
    route: (sessionId) => payments.webhookRoute(sessionId),
    onBacklog: (backlog) => bus.emit('webhooks', backlog),
  });
  const syncWorker = new SyncWorker({
    db,
    dataDir: config.dataDir,
    merchantId: shop.merchantId,
    logger: logger.child({ module: 'sync' }),
    clock,
    version: APP_VERSION,
    config: config.sync,
    onChange: (view) => bus.emit('sync', view),
    sessions: { oldestAt: () => payments.oldestSessionAt(), queueAfter: (after) => payments.queueForSyncAfter(after) },
  });
  sms.onIngested((ingested) => {
    busy();
    // A "Test both paths" canary is the shop's own SMS: it never enters matching.
    const canary = modems.observeSms(ingested.row.body, `${ingested.context.source}:${ingested.context.origin}`);
    if (!canary) payments.onSmsStored(ingested);
    // After matching: the banner celebrates a credit that settled a checkout by itself too. Its
    // verdict costs a judge per SMS, so it is worked out only while a counter window listens.
    if (ingested.isNew && bus.wanted('sms'))
      bus.emit('sms', { ...toSmsView(ingested.row, sms.smsRepo), credit_check: payments.creditCheck(ingested.row, 'arrival') });
  });
  const reparsed = sms.reparseUnparsed();
  if (reparsed > 0) logger.info({ reparsed }, 'parsed SMS that were stored raw');
  payments.catchUp();
  // A forwarder that can never deliver loses every SMS it sends: say so where the operator looks first.
  // Only a warning: a damaged forwarders.json refuses its forwarders' requests in words, never the start.
  try {
    for (const f of listForwarders(db, config.dataDir)) {
      if (f.problem) logger.warn({ device_id: f.device_id }, `forwarder ${f.device_id}: ${f.problem}`);
    }
  } catch (err) {
    logger.warn({ err }, 'the forwarders could not be checked');
  }

  const limiters = buildLimiters(config);
  const maintenance = new Maintenance({
    db,
    config: config.maintenance,
    clock,
    logger: logger.child({ module: 'maintenance' }),
    activity: () => activity,
    memory: Object.entries(limiters).map(([name, limiter]) => ({ name: `rateLimit.${name}`, prune: () => limiter.prune() })),
    // A cloud removed for a while still wants what happened meanwhile: only a shop that never had one loses nothing by the purge.
    syncConfigured: () => isSyncSetUp(config.dataDir) || syncWorker.everSetUp(),
  });
  const publicAddress = new PublicAddress(db, shop.merchantId, config.sessions.publicBaseUrl, clock);
  const tunnelProbes = new TunnelProbes();
  const paymentsContext: PaymentsContext = {
    config,
    db,
    payments,
    sms,
    limiters,
    trusted: trustedProxies(config),
    publicUrl: () => publicAddress.url(),
  };
  const offlineAfterMs = config.devices.offlineAfterSeconds * 1000;
  const deviceHealth = new DeviceHealthMonitor({
    db,
    offlineAfterMs,
    clock,
    merchantId: shop.merchantId,
    logger: logger.child({ module: 'devices' }),
    onChange: (event) => bus.emit('devices', event),
  });

  const status = () => statusSnapshot(db, { dataDir: config.dataDir, startedAt, listeners: { ...urls } });
  const handlers = buildAdminHandlers({
    db,
    dataDir: config.dataDir,
    shop,
    sms,
    payments,
    modems,
    webhooks: { allowPrivate: config.webhooks.allowPrivate, kick: () => webhooks.kick() },
    sync: { status: () => syncWorker.status(), resume: () => syncWorker.resume() },
    status,
    tunnel: {
      address: publicAddress,
      probes: tunnelProbes,
      localUrl: () => urls.public || `http://${config.public.host}:${config.public.port}`,
    },
    devicePort: () => (urls.device ? Number(new URL(urls.device).port) : config.device.port),
    deviceHost: config.device.host,
    offlineAfterMs,
    clock,
    utcOffsetMinutes: config.devices.utcOffsetMinutes,
  });

  const common = { jsonLimitBytes: config.http.jsonLimitBytes, logger, version: APP_VERSION, isDraining: () => draining };
  const apps = {
    public: createListenerApp({
      ...common,
      name: 'public',
      allowedHosts: config.public.allowedHosts,
      onRequest: busy,
      healthProbe: (probe) => tunnelProbes.knows(probe),
      // The address set on the counter is the tunnel's: its Host passes as if listed in allowedHosts.
      extraAllowedHost: () => publicAddress.storedHostname(),
      routes: publicRoutes(paymentsContext),
    }),
    device: createListenerApp({
      ...common,
      name: 'device',
      allowedHosts: config.device.allowedHosts,
      routes: deviceRoutes({
        db,
        dataDir: config.dataDir,
        sms,
        formLimitBytes: config.http.jsonLimitBytes,
        smsJsonLimitBytes: config.device.smsJsonLimitBytes,
        utcOffsetMinutes: config.devices.utcOffsetMinutes,
        clock,
        payments: { payments, offlineAfterMs },
        smsRateLimit: rateLimit({
          limiter: limiters.deviceSms,
          message: limiters.deviceSms.message,
          // The shop's device key by key; wrong or missing keys by the client's real address.
          key: deviceSmsBucket(db, paymentsContext.trusted),
        }),
      }),
    }),
    admin: createListenerApp({
      ...common,
      name: 'admin',
      allowedHosts: config.admin.allowedHosts,
      onRequest: busy,
      extraHeaders: { 'Content-Security-Policy': ADMIN_CSP },
      routes: adminRoutes({
        db,
        bus,
        handlers,
        payments: paymentsContext,
        currentStatus: status,
        rendererDir: deps.rendererDir,
        trackStream: (end) => {
          streams.add(end);
          return () => streams.delete(end);
        },
      }),
    }),
  };

  // Another process (the CLI) may change the database; a cheap poll keeps every window current.
  const publishStatusIfChanged = () => {
    if (!db.open) return;
    const snapshot = status();
    const { started_at: _s, ...comparable } = snapshot;
    const json = JSON.stringify(comparable);
    if (json !== lastStatusJson) {
      lastStatusJson = json;
      bus.emit('status', snapshot);
    }
  };

  const sweep = () => {
    if (!db.open) return;
    try {
      payments.sweep();
      purgeExpired(db, clock());
      maintenance.tick(clock());
    } catch (err) {
      logger.error({ err }, 'sweep failed; it runs again shortly');
    }
  };

  const every = (ms: number, fn: () => void) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    config,
    db,
    shop,
    bus,
    sms,
    payments,
    maintenance,
    modems,
    webhooks,
    sync: syncWorker,
    status,
    sweep,
    async listen() {
      for (const name of ['public', 'device', 'admin'] as const) {
        const section = config[name];
        const listener = await listen(apps[name], section.host, section.port);
        running.push(listener);
        urls[name] = listener.url;
        logger.info({ listener: name, url: listener.url }, 'listening');
      }
      every(STATUS_POLL_MS, publishStatusIfChanged);
      every(config.matching.sweepIntervalSeconds * 1000, sweep);
      deviceHealth.start(DEVICE_HEALTH_TICK_MS);
      // A PC that was off for days expires everything due before it serves anyone (and tells the merchants).
      const expired = payments.expireAllDue();
      if (expired > 0) logger.info({ expired }, 'expired sessions that ran out while the counter was off');
      sweep();
      webhooks.start();
      syncWorker.start();
      await modems.start();
      return { ...urls };
    },
    async stop() {
      if (draining) return;
      draining = true;
      for (const timer of timers) clearInterval(timer);
      deviceHealth.stop();
      await Promise.all([modems.stop(), webhooks.stop(), syncWorker.stop()]);
      for (const end of [...streams]) end();
      await Promise.all(running.map((l) => l.close(config.http.shutdownGraceMs)));
      closeDatabase(db);
      logger.info({ data_dir: config.dataDir }, 'stopped');
    },
  };
}
