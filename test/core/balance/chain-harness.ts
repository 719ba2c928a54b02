import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { insertGateway } from '../../../src-main/core/db/repos/gateway-repo';
import type { SmsRow } from '../../../src-main/core/db/repos/sms-repo';
import { silentLogger } from '../../../src-main/core/logging';
import { ensureShop, type Shop } from '../../../src-main/core/shop';
import { SmsIngestor, type DeliveryContext, type IngestedSms } from '../../../src-main/core/sms';

export const PHONE: DeliveryContext = { source: 'apk', origin: 'phone-1', isTest: false };
export const MODEM: DeliveryContext = { source: 'modem', origin: 'modem-1', isTest: false };
export const STAFF: DeliveryContext = { source: 'manual', origin: '', isTest: false };

/**
 * A real SQLite file with a shop, ingesting through SmsIngestor exactly as the device routes
 * do, so every test sees the balance chain as production builds it.
 */
export class ChainHarness {
  readonly dir: string;
  readonly db: Db;
  readonly shop: Shop;
  readonly ingestor: SmsIngestor;
  /** Every IngestedSms handed to subscribers, in order. */
  readonly events: IngestedSms[] = [];
  private t = Date.parse('2026-11-21T03:55:00Z');

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-chain-'));
    this.db = openDatabase(this.dir);
    this.shop = ensureShop(this.db, this.dir);
    this.ingestor = new SmsIngestor(this.db, this.shop.merchantId, silentLogger(), () => this.t + 600_000);
    this.ingestor.onIngested((e) => this.events.push(e));
  }

  get merchantId(): number {
    return this.shop.merchantId;
  }

  /** Delivers an SMS; received_at defaults to one minute after the previous one. */
  ingest(sender: string, body: string, context: DeliveryContext = PHONE, receivedAt?: string): SmsRow {
    this.t = receivedAt ? Date.parse(receivedAt) : this.t + 60_000;
    const { sms } = this.ingestor.ingest({ sender, body, received_at: new Date(this.t).toISOString() }, context);
    return this.row(sms.id);
  }

  row(id: number): SmsRow {
    return this.db.prepare('SELECT * FROM sms WHERE id = ?').get(id) as SmsRow;
  }

  link(row: Pick<SmsRow, 'id'>): string | null {
    return this.row(row.id).balance_link;
  }

  /** The last event for this SMS. */
  eventFor(row: Pick<SmsRow, 'id'>): IngestedSms | undefined {
    return [...this.events].reverse().find((e) => e.row.id === row.id);
  }

  addGateway(provider: string, identifiers: string[]): number {
    return insertGateway(this.db, {
      merchantId: this.merchantId,
      provider,
      variant: 'personal',
      accountIdentifiers: identifiers,
      label: null,
      now: this.t,
    }).id;
  }

  anchorCtx() {
    this.t += 60_000;
    return { merchantId: this.merchantId, auditKey: this.shop.keys.audit_key, actor: 'staff', now: this.t };
  }

  close(): void {
    closeDatabase(this.db);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
