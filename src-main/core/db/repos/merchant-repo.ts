import type { Db } from '../open-database';

export interface MerchantRow {
  id: number;
  name: string;
  country: string;
  currency: string;
  suspended: number;
  created_at: number;
}

export function findFirstMerchant(db: Db): MerchantRow | undefined {
  return db.prepare('SELECT * FROM merchants ORDER BY id LIMIT 1').get() as MerchantRow | undefined;
}

export function findMerchantName(db: Db, merchantId: number): string | undefined {
  return (db.prepare('SELECT name FROM merchants WHERE id = ?').get(merchantId) as { name: string } | undefined)?.name;
}

export function insertMerchant(db: Db, name: string, now: number): number {
  return Number(db.prepare('INSERT INTO merchants (name, created_at) VALUES (?, ?)').run(name, now).lastInsertRowid);
}

export function insertBrand(db: Db, merchantId: number, name: string, now: number): number {
  return Number(
    db.prepare('INSERT INTO brands (merchant_id, name, created_at) VALUES (?, ?, ?)').run(merchantId, name, now).lastInsertRowid,
  );
}

export function findFirstBrand(db: Db, merchantId: number): { id: number } | undefined {
  return db.prepare('SELECT id FROM brands WHERE merchant_id = ? ORDER BY id LIMIT 1').get(merchantId) as { id: number } | undefined;
}

export function renameMerchant(db: Db, merchantId: number, name: string): void {
  db.prepare('UPDATE merchants SET name = ? WHERE id = ?').run(name, merchantId);
}
