import path from 'node:path';
import type { StatusSnapshot } from '../../src-shared/contract/admin';
import type { ListenerName } from '../../src-shared/contract/api';
import { APP_VERSION } from '../../src-shared/version';
import type { Config } from './config';
import { closeDatabase, openDatabase, type Db } from './db';
import { EventBus } from './events';
import type { Logger } from './logging';
import { ensureShop, gatewayViews, type Shop } from './shop';
import { statusSnapshot } from './status/status-snapshot';
import { createListenerApp } from './http/create-listener-app';
import { ADMIN_CSP, adminRoutes, type AdminHandlers } from './http/admin-routes';
import { publicRoutes } from './http/public-routes';
import { deviceRoutes } from './http/device-routes';
import { listen, type RunningListener } from './http/listener-server';
import { SmsIngestor, importStaffSms, toSmsView } from './sms';

export interface CoreDeps {
  logger: Logger;
  /** Where the built counter UI lives; null serves a plain notice instead. */
  rendererDir: string | null;
}

export interface Core {
  readonly config: Config;
  readonly db: Db;
  readonly shop: Shop;
  readonly bus: EventBus;
  /** The one entry point for every SMS source. */
  readonly sms: SmsIngestor;
  /** Opens the three listeners; returns their URLs. */
  listen(): Promise<Record<ListenerName, string>>;
  status(): StatusSnapshot;
  /** Graceful: stop accepting, drain in-flight work, close the database with the WAL folded in. */
  stop(): Promise<void>;
}

const STATUS_POLL_MS = 2_000;

/**
 * Builds the whole engine without opening a port. Both shells (headless and Electron's
 * core process) call this and then `listen()`.
 */
export function createCore(config: Config, deps: CoreDeps): Core {
  const logger = deps.logger;
  const db = openDatabase(config.dataDir);
  const shop = ensureShop(db, config.dataDir);
  const bus = new EventBus();
  const sms = new SmsIngestor(db, shop.merchantId, logger.child({ module: 'sms' }));
  sms.onIngested(({ row, isNew }) => {
    if (isNew) bus.emit('sms', toSmsView(row, sms.smsRepo));
  });
  const reparsed = sms.reparseUnparsed();
  if (reparsed > 0) logger.info({ reparsed }, 'parsed SMS that were stored raw');
  const startedAt = Date.now();
  const urls: Record<ListenerName, string> = { public: '', device: '', admin: '' };
  const running: RunningListener[] = [];
  const streams = new Set<() => void>();
  let draining = false;
  let statusTimer: NodeJS.Timeout | null = null;
  let lastStatusJson = '';

  const status = () => statusSnapshot(db, { dataDir: config.dataDir, startedAt, listeners: { ...urls } });

  const handlers: AdminHandlers = {
    'status.get': () => status(),
    'gateways.list': () => ({ gateways: gatewayViews(db, shop.merchantId) }),
    'sms.import': (arg) => importStaffSms(sms, arg, 'staff'),
    'sms.recent': (arg) => {
      const limit = typeof arg.limit === 'number' && arg.limit >= 1 && arg.limit <= 500 ? Math.floor(arg.limit) : 50;
      return { sms: sms.smsRepo.recent(shop.merchantId, limit).map((row) => toSmsView(row, sms.smsRepo)) };
    },
  };

  const common = { jsonLimitBytes: config.http.jsonLimitBytes, logger, version: APP_VERSION, isDraining: () => draining };
  const apps = {
    public: createListenerApp({
      ...common,
      name: 'public',
      allowedHosts: config.public.allowedHosts,
      routes: publicRoutes(),
    }),
    device: createListenerApp({
      ...common,
      name: 'device',
      allowedHosts: config.device.allowedHosts,
      routes: deviceRoutes(),
    }),
    admin: createListenerApp({
      ...common,
      name: 'admin',
      allowedHosts: config.admin.allowedHosts,
      extraHeaders: { 'Content-Security-Policy': ADMIN_CSP },
      routes: adminRoutes({
        db,
        bus,
        handlers,
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

  return {
    config,
    db,
    shop,
    bus,
    sms,
    status,
    async listen() {
      for (const name of ['public', 'device', 'admin'] as const) {
        const section = config[name];
        const listener = await listen(apps[name], section.host, section.port);
        running.push(listener);
        urls[name] = listener.url;
        logger.info({ listener: name, url: listener.url }, 'listening');
      }
      statusTimer = setInterval(publishStatusIfChanged, STATUS_POLL_MS);
      statusTimer.unref();
      return { ...urls };
    },
    async stop() {
      if (draining) return;
      draining = true;
      if (statusTimer) clearInterval(statusTimer);
      for (const end of [...streams]) end();
      await Promise.all(running.map((l) => l.close(config.http.shutdownGraceMs)));
      closeDatabase(db);
      logger.info({ database: path.join(config.dataDir) }, 'stopped');
    },
  };
}
