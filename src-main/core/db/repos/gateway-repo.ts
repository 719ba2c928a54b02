import type { Db } from '../open-database';

export interface GatewayRow {
  id: number;
  merchant_id: number;
  provider: string;
  variant: string;
  account_identifiers: string;
  label: string | null;
  extra_sender_ids: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface NewGateway {
  merchantId: number;
  provider: string;
  variant: string;
  accountIdentifiers: readonly string[];
  label: string | null;
  now: number;
}

export function insertGateway(db: Db, g: NewGateway): GatewayRow {
  const id = db
    .prepare(
      `INSERT INTO gateways (merchant_id, provider, variant, account_identifiers, label, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(g.merchantId, g.provider, g.variant, JSON.stringify(g.accountIdentifiers), g.label, g.now, g.now)
    .lastInsertRowid;
  return db.prepare('SELECT * FROM gateways WHERE id = ?').get(id) as GatewayRow;
}

export function listGateways(db: Db, merchantId: number): GatewayRow[] {
  return db.prepare('SELECT * FROM gateways WHERE merchant_id = ? ORDER BY id').all(merchantId) as GatewayRow[];
}
