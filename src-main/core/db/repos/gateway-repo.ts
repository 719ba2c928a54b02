import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';

export interface GatewayRow {
  id: number;
  merchant_id: number;
  provider: string;
  variant: string;
  account_identifiers: string;
  label: string | null;
  extra_sender_ids: string;
  /** JSON array of SMSC addresses the wallet's SMS come through ('[]': no check). */
  expected_smsc: string;
  enabled: number;
  balance_check: 'off' | 'warn' | 'review';
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
    .run(g.merchantId, g.provider, g.variant, JSON.stringify(g.accountIdentifiers), g.label, g.now, g.now).lastInsertRowid;
  return db.prepare('SELECT * FROM gateways WHERE id = ?').get(id) as GatewayRow;
}

/** Read for every SMS (its sender, its gateway): prepared once per connection, not per call. */
const listStatements = new WeakMap<Db, Statement<[number], GatewayRow>>();

export function listGateways(db: Db, merchantId: number): GatewayRow[] {
  let statement = listStatements.get(db);
  if (!statement) {
    statement = db.prepare<[number], GatewayRow>('SELECT * FROM gateways WHERE merchant_id = ? ORDER BY id');
    listStatements.set(db, statement);
  }
  return statement.all(merchantId);
}

export interface GatewayChanges {
  extraSenderIds?: readonly string[];
  expectedSmsc?: readonly string[];
  balanceCheck?: 'off' | 'warn' | 'review';
  enabled?: boolean;
  label?: string | null;
  accountIdentifiers?: readonly string[];
}

export function findGateway(db: Db, merchantId: number, id: number): GatewayRow | undefined {
  return db.prepare('SELECT * FROM gateways WHERE merchant_id = ? AND id = ?').get(merchantId, id) as GatewayRow | undefined;
}

export function updateGateway(db: Db, id: number, changes: GatewayChanges, now: number): void {
  const sets: string[] = ['updated_at = @now'];
  const params: Record<string, string | number | null> = { id, now };
  if (changes.expectedSmsc) {
    sets.push('expected_smsc = @smsc');
    params.smsc = JSON.stringify(changes.expectedSmsc);
  }
  if (changes.extraSenderIds) {
    sets.push('extra_sender_ids = @extra');
    params.extra = JSON.stringify(changes.extraSenderIds);
  }
  if (changes.balanceCheck) {
    sets.push('balance_check = @balance');
    params.balance = changes.balanceCheck;
  }
  if (changes.enabled !== undefined) {
    sets.push('enabled = @enabled');
    params.enabled = changes.enabled ? 1 : 0;
  }
  if (changes.label !== undefined) {
    sets.push('label = @label');
    params.label = changes.label;
  }
  if (changes.accountIdentifiers) {
    sets.push('account_identifiers = @accounts');
    params.accounts = JSON.stringify(changes.accountIdentifiers);
  }
  db.prepare(`UPDATE gateways SET ${sets.join(', ')} WHERE id = @id`).run(params);
}
