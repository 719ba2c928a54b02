import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, closeDatabase, openDatabase, readUserVersion, type Db } from '../../../src-main/core/db';
import { baseFixture, insertSession, insertSms, insertTransaction } from '../../support/db-fixtures';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) closeDatabase(db);
  removeTempDirs();
});

/**
 * 0070 rebuilds `transactions` and `staff_alerts` to widen their CHECKs (counter sales,
 * reversals, new alert kinds). A shop upgrading keeps every payment, alert, index and trigger.
 */
describe('migration 0070-payments-domain on a database with payments', () => {
  it('keeps rows, ids, references, the one-success indexes and the triggers; foreign keys stay on', () => {
    const dir = makeTempDir('counterpay-0070-');
    const before = MIGRATIONS.filter((m) => m.version < 70);
    const old = openDatabase(dir, { migrations: before });
    const f = baseFixture(old);
    const session = insertSession(f);
    const sms = insertSms(f, { txnid: 'BK0070AAAA' });
    const paid = insertTransaction(f, { sessionId: session, smsId: sms, txnid: 'BK0070AAAA', status: 'success' });
    old.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(session);
    old
      .prepare(
        "INSERT INTO staff_alerts (merchant_id, kind, transaction_id, sms_id, message, created_at) VALUES (?, 'paid_late', ?, ?, 'x', ?)",
      )
      .run(f.merchantId, paid, sms, f.now);
    closeDatabase(old);

    const db = openDatabase(dir);
    open.push(db);
    expect(readUserVersion(db)).toBeGreaterThanOrEqual(70);
    expect(Number(db.pragma('foreign_keys', { simple: true }))).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT id, session_id, sms_id, status, reversed_at FROM transactions').all()).toEqual([
      { id: paid, session_id: session, sms_id: sms, status: 'success', reversed_at: null },
    ]);
    expect(db.prepare('SELECT transaction_id, kind FROM staff_alerts').all()).toEqual([{ transaction_id: paid, kind: 'paid_late' }]);
    // The rules kept their teeth: a second success for the same SMS, and a session paid without a success, are refused.
    const other = insertSession({ ...f, db });
    expect(() => insertTransaction({ ...f, db }, { sessionId: other, smsId: sms, txnid: 'BK0070BBBB', status: 'success' })).toThrow(
      /UNIQUE/,
    );
    expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(other)).toThrow(/without a successful transaction/);
    expect(() => db.prepare("UPDATE transactions SET status = 'failed' WHERE id = ?").run(paid)).toThrow(/final/);
    // What 0070 adds: a counter sale, and a reversal mark only on a success.
    const sale = insertSms({ ...f, db }, { txnid: 'BK0070CCCC' });
    expect(() =>
      insertTransaction({ ...f, db }, { smsId: sale, txnid: 'BK0070CCCC', status: 'success', resultSource: 'counter' }),
    ).not.toThrow();
    expect(() =>
      insertTransaction({ ...f, db }, { sessionId: other, smsId: null, txnid: 'BK0070DDDD', status: 'success', resultSource: 'counter' }),
    ).toThrow(/CHECK/);
    db.prepare('UPDATE transactions SET reversed_at = ? WHERE id = ?').run(f.now, paid);
    const pending = insertTransaction({ ...f, db }, { sessionId: other, txnid: 'BK0070EEEE' });
    expect(() => db.prepare('UPDATE transactions SET reversed_at = ? WHERE id = ?').run(f.now, pending)).toThrow(/CHECK/);
  });
});
