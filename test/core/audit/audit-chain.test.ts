import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, GENESIS_HASH, verifyAudit } from '../../../src-main/core/audit';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { addGateway, ensureShop, rotateKeys, type Shop } from '../../../src-main/core/shop';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

let dir: string;
let db: Db;
let shop: Shop;

beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(dir);
  shop = ensureShop(db, dir);
});

afterEach(() => {
  closeDatabase(db);
  removeTempDirs();
});

/** Five rows: shop created, two gateways, a rotation, a staff decision. */
function buildChain(): void {
  const ctx = { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'test' };
  addGateway(db, ctx, { provider: 'bkash', account: '01711111111,XX6788' });
  addGateway(db, ctx, { provider: 'nagad', account: '01822222222' });
  shop = rotateKeys(db, dir, ['api_key'], 'test');
  appendAudit(db, shop.keys.audit_key, {
    actor: 'staff:1',
    action: 'session.approved',
    subjectType: 'session',
    subjectId: 'sess_0000000000000001',
    details: { amount_minor: 50000 },
  });
}

describe('audit chain', () => {
  it('verifies a fresh chain', () => {
    expect(verifyAudit(db, shop.keys.audit_key)).toEqual({ ok: true, rows: 1, firstBadSeq: null, problem: null });
    buildChain();
    const verdict = verifyAudit(db, shop.keys.audit_key);
    expect(verdict).toEqual({ ok: true, rows: 5, firstBadSeq: null, problem: null });
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as {
      seq: number;
      prev_hash: string;
      hash: string;
    }[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });

  it('does not verify with another key', () => {
    buildChain();
    const verdict = verifyAudit(db, 'f'.repeat(64));
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBadSeq).toBe(1);
  });

  it('finds a row edited behind the trigger', () => {
    buildChain();
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET details = ? WHERE seq = 3').run(JSON.stringify({ provider: 'rocket' }));
    const verdict = verifyAudit(db, shop.keys.audit_key);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBadSeq).toBe(3);
    expect(verdict.problem).toMatch(/changed/);
  });

  it('finds an edited actor on the first row', () => {
    buildChain();
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'intruder' WHERE seq = 1").run();
    expect(verifyAudit(db, shop.keys.audit_key)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('finds a deleted middle row', () => {
    buildChain();
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    const verdict = verifyAudit(db, shop.keys.audit_key);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBadSeq).toBe(2);
    expect(verdict.problem).toMatch(/missing/);
  });

  it('finds a deleted row even when the later rows are renumbered', () => {
    buildChain();
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2').run();
    const verdict = verifyAudit(db, shop.keys.audit_key);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBadSeq).toBe(2);
  });

  it('finds a row inserted with a forged hash', () => {
    buildChain();
    const last = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string };
    db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, subject_type, subject_id, details, prev_hash, hash)
       VALUES (6, 1, 'intruder', 'session.approved', 'session', 'x', '{}', ?, ?)`,
    ).run(last.hash, 'b'.repeat(64));
    expect(verifyAudit(db, shop.keys.audit_key)).toMatchObject({ ok: false, firstBadSeq: 6 });
  });
});
