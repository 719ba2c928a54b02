import express, { type RequestHandler } from 'express';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { captureRawBody } from '../../../src-main/core/devices';
import { createListenerApp } from '../../../src-main/core/http/create-listener-app';
import { deviceRoutes } from '../../../src-main/core/http/device-routes';
import { errorHandler, notFoundHandler } from '../../../src-main/core/http/error-handler';
import { listen, type RunningListener } from '../../../src-main/core/http/listener-server';
import { silentLogger } from '../../../src-main/core/logging';
import { ensureShop, type Shop } from '../../../src-main/core/shop';
import { SmsIngestor } from '../../../src-main/core/sms';
import { makeTempDir } from '../../support/temp-dir';

export interface DeviceHarness {
  dataDir: string;
  db: Db;
  shop: Shop;
  sms: SmsIngestor;
  url: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  clock?: () => number;
  smsRateLimit?: RequestHandler;
  /**
   * true: a plain express app whose JSON parser keeps the raw bytes (captureRawBody), the
   * wiring proposed for createListenerApp. false (default): createListenerApp as it is.
   */
  rawBody?: boolean;
  dataDir?: string;
}

/** Real SQLite in a temp dir, the device routes on 127.0.0.1, an OS-chosen port. */
export async function startDeviceHarness(options: HarnessOptions = {}): Promise<DeviceHarness> {
  const dataDir = options.dataDir ?? makeTempDir('counterpay-devices-');
  const db = openDatabase(dataDir);
  const shop = ensureShop(db, dataDir);
  const sms = new SmsIngestor(db, shop.merchantId, silentLogger());
  const routes = deviceRoutes({ db, dataDir, sms, clock: options.clock, smsRateLimit: options.smsRateLimit });
  let app;
  if (options.rawBody) {
    app = express();
    app.use(express.json({ limit: 64 * 1024, type: ['application/json', 'application/*+json'], verify: captureRawBody }));
    app.use(routes);
    app.use(notFoundHandler());
    app.use(errorHandler(silentLogger()));
  } else {
    app = createListenerApp({
      name: 'device',
      allowedHosts: [],
      jsonLimitBytes: 64 * 1024,
      logger: silentLogger(),
      version: 'test',
      isDraining: () => false,
      routes,
    });
  }
  const listener: RunningListener = await listen(app, '127.0.0.1', 0);
  return {
    dataDir,
    db,
    shop,
    sms,
    url: listener.url,
    async close() {
      await listener.close(1_000);
      closeDatabase(db);
    },
  };
}

export function countSms(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM sms').get() as { n: number }).n;
}

export function deliveriesOf(db: Db, smsId: number): { source: string; origin: string }[] {
  return db.prepare('SELECT source, origin FROM sms_deliveries WHERE sms_id = ? ORDER BY id').all(smsId) as {
    source: string;
    origin: string;
  }[];
}

/** A bKash credit the bundled parser reads as a credit with TxnID and amount. */
export function bkashCredit(txnid: string, amount = '500.00'): { sender: string; body: string; received_at: string } {
  return {
    sender: 'bKash',
    body: `You have received Tk ${amount} from 01712345678. Ref 42. Fee Tk 0.00. Balance Tk 1,500.00. TrxID ${txnid} at 12/05/2026 11:25`,
    received_at: '2026-05-12T11:25:30Z',
  };
}
