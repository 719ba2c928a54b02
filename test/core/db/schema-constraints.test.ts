import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/db';
import { baseFixture, failTransaction, insertSession, insertSms, insertTransaction, type Fixture } from '../../support/db-fixtures';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

let db: Db;
let f: Fixture;

beforeEach(() => {
  db = openDatabase(makeTempDir());
  f = baseFixture(db);
});

afterEach(() => {
  closeDatabase(db);
  removeTempDirs();
});

function count(sql: string, ...params: unknown[]): number {
  return Number((db.prepare(sql).get(...params) as { n: number }).n);
}

describe('one SMS pays one thing', () => {
  it('refuses a second successful transaction backed by the same SMS', () => {
    const sms = insertSms(f, { txnid: 'ABC123' });
    const s1 = insertSession(f);
    const s2 = insertSession(f);
    insertTransaction(f, { sessionId: s1, smsId: sms, txnid: 'ABC123', status: 'success' });
    // A different TxnID on purpose: only the one-success-per-SMS rule stands in the way.
    expect(() => insertTransaction(f, { sessionId: s2, smsId: sms, txnid: 'OTHER1', status: 'success' })).toThrow(
      /UNIQUE constraint failed: transactions\.sms_id/,
    );
    expect(count("SELECT count(*) AS n FROM transactions WHERE status = 'success'")).toBe(1);
  });

  it('refuses to turn a pending claim into a second success on an already used SMS', () => {
    const sms = insertSms(f, { txnid: 'ABC124' });
    insertTransaction(f, { sessionId: insertSession(f), smsId: sms, txnid: 'ABC124', status: 'success' });
    const pending = insertTransaction(f, { sessionId: insertSession(f), txnid: 'ZZZ999' });
    expect(() =>
      db
        .prepare("UPDATE transactions SET status = 'success', sms_id = ?, result_source = 'sms_inbound', verified_at = 1 WHERE id = ?")
        .run(sms, pending),
    ).toThrow(/UNIQUE constraint failed: transactions\.sms_id/);
  });
});

describe('one successful payment per session', () => {
  it('refuses a second successful transaction for one session', () => {
    const session = insertSession(f);
    insertTransaction(f, { sessionId: session, smsId: insertSms(f, { txnid: 'AAA1' }), txnid: 'AAA1', status: 'success' });
    expect(() =>
      insertTransaction(f, { sessionId: session, smsId: insertSms(f, { txnid: 'BBB2' }), txnid: 'BBB2', status: 'success' }),
    ).toThrow(/UNIQUE constraint failed: transactions\.session_id/);
  });
});

describe('one live claim per TxnID and wallet', () => {
  it('refuses a second pending claim of the same TxnID for the same provider', () => {
    insertTransaction(f, { sessionId: insertSession(f), txnid: 'DUP777' });
    expect(() => insertTransaction(f, { sessionId: insertSession(f), txnid: 'DUP777' })).toThrow(
      /UNIQUE constraint failed: transactions\.merchant_id, transactions\.provider, transactions\.is_test, transactions\.txnid_normalized/,
    );
  });

  it('refuses a pending claim while a successful one holds the TxnID', () => {
    const sms = insertSms(f, { txnid: 'DUP778' });
    insertTransaction(f, { sessionId: insertSession(f), smsId: sms, txnid: 'DUP778', status: 'success' });
    expect(() => insertTransaction(f, { sessionId: insertSession(f), txnid: 'DUP778' })).toThrow(/UNIQUE constraint failed/);
  });

  it('allows the TxnID again once the first claim failed', () => {
    const first = insertTransaction(f, { sessionId: insertSession(f), txnid: 'DUP779' });
    failTransaction(f, first);
    const second = insertTransaction(f, { sessionId: insertSession(f), txnid: 'DUP779' });
    expect(second).toBeGreaterThan(first);
    expect(count("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = 'DUP779'")).toBe(2);
  });

  it('allows the same TxnID text on another provider, and in test mode', () => {
    insertTransaction(f, { sessionId: insertSession(f), txnid: 'SAME1' });
    insertTransaction(f, { sessionId: insertSession(f), txnid: 'SAME1', provider: 'nagad' });
    insertTransaction(f, { sessionId: insertSession(f, { isTest: 1 }), txnid: 'SAME1', isTest: 1 });
    expect(count("SELECT count(*) AS n FROM transactions WHERE txnid_normalized = 'SAME1'")).toBe(3);
  });
});

describe('session states', () => {
  it('refuses success without a successful transaction', () => {
    const session = insertSession(f);
    expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(session)).toThrow(
      /session cannot succeed without a successful transaction/,
    );
    // A pending or failed transaction is not enough either.
    const t = insertTransaction(f, { sessionId: session, txnid: 'PEND1' });
    expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(session)).toThrow(/cannot succeed/);
    failTransaction(f, t);
    expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(session)).toThrow(/cannot succeed/);
    expect((db.prepare('SELECT status FROM sessions WHERE id = ?').get(session) as { status: string }).status).toBe('pending');
  });

  it('allows success with a successful transaction, and then it is final', () => {
    const session = insertSession(f);
    insertTransaction(f, { sessionId: session, smsId: insertSms(f, { txnid: 'OK1' }), txnid: 'OK1', status: 'success' });
    db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(session);
    for (const next of ['pending', 'expired', 'cancelled']) {
      expect(() => db.prepare('UPDATE sessions SET status = ? WHERE id = ?').run(next, session)).toThrow(/session is already final/);
    }
    expect((db.prepare('SELECT status FROM sessions WHERE id = ?').get(session) as { status: string }).status).toBe('success');
  });

  it('keeps expired and cancelled final too', () => {
    const expired = insertSession(f);
    db.prepare("UPDATE sessions SET status = 'expired' WHERE id = ?").run(expired);
    expect(() => db.prepare("UPDATE sessions SET status = 'pending' WHERE id = ?").run(expired)).toThrow(/already final/);
    const cancelled = insertSession(f);
    db.prepare("UPDATE sessions SET status = 'cancelled' WHERE id = ?").run(cancelled);
    insertTransaction(f, { sessionId: cancelled, smsId: insertSms(f, { txnid: 'LATE1' }), txnid: 'LATE1', status: 'success' });
    expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(cancelled)).toThrow(/already final/);
  });

  it('refuses a session created already paid', () => {
    expect(() =>
      db
        .prepare(
          `INSERT INTO sessions (id, merchant_id, brand_id, order_id, amount_minor, currency, status, expires_at, created_at, updated_at)
           VALUES ('sess_created_paid_1', ?, ?, 'o', 100, 'BDT', 'success', 2, 1, 1)`,
        )
        .run(f.merchantId, f.brandId),
    ).toThrow(/a session starts pending/);
  });

  it('refuses an amount of zero or less', () => {
    expect(() => insertSession(f, { amountMinor: 0 })).toThrow(/CHECK constraint failed/);
    expect(() => insertSession(f, { amountMinor: -500 })).toThrow(/CHECK constraint failed/);
    expect(count('SELECT count(*) AS n FROM sessions')).toBe(0);
  });
});

describe('only a credit SMS of the same wallet and mode backs a transaction', () => {
  it.each(['spoof', 'debit', 'unparsed', 'reversal'])('refuses an SMS of kind %s', (kind) => {
    const sms = insertSms(f, { kind, txnid: `K-${kind}` });
    expect(() => insertTransaction(f, { sessionId: insertSession(f), smsId: sms, txnid: `K-${kind}`, status: 'success' })).toThrow(
      /only a credit SMS of the same wallet and mode/,
    );
    expect(() => insertTransaction(f, { sessionId: insertSession(f), smsId: sms, txnid: `K-${kind}` })).toThrow(/only a credit SMS/);
  });

  it('refuses a credit of another provider', () => {
    const sms = insertSms(f, { provider: 'nagad', txnid: 'PROV1' });
    expect(() =>
      insertTransaction(f, { sessionId: insertSession(f), smsId: sms, provider: 'bkash', txnid: 'PROV1', status: 'success' }),
    ).toThrow(/only a credit SMS/);
  });

  it('refuses a test SMS for a live payment and a live SMS for a test payment', () => {
    const testSms = insertSms(f, { isTest: 1, txnid: 'MODE1' });
    expect(() =>
      insertTransaction(f, { sessionId: insertSession(f), smsId: testSms, txnid: 'MODE1', status: 'success', isTest: 0 }),
    ).toThrow(/only a credit SMS/);
    const liveSms = insertSms(f, { isTest: 0, txnid: 'MODE2' });
    expect(() =>
      insertTransaction(f, {
        sessionId: insertSession(f, { isTest: 1 }),
        smsId: liveSms,
        txnid: 'MODE2',
        status: 'success',
        isTest: 1,
      }),
    ).toThrow(/only a credit SMS/);
  });

  it('refuses attaching a spoof to a pending transaction by UPDATE', () => {
    const spoof = insertSms(f, { kind: 'spoof', txnid: 'UPD1' });
    const t = insertTransaction(f, { sessionId: insertSession(f), txnid: 'UPD1' });
    expect(() => db.prepare('UPDATE transactions SET sms_id = ? WHERE id = ?').run(spoof, t)).toThrow(/only a credit SMS/);
  });

  it('refuses a live transaction on a test session', () => {
    const session = insertSession(f, { isTest: 1 });
    expect(() => insertTransaction(f, { sessionId: session, txnid: 'MIX1', isTest: 0 })).toThrow(/both be live or both be test/);
  });

  it('refuses success without an SMS unless a person decided it', () => {
    expect(() =>
      insertTransaction(f, { sessionId: insertSession(f), txnid: 'NOSMS1', status: 'success', resultSource: 'sms_inbound' }),
    ).toThrow(/CHECK constraint failed/);
    // Positive control: a manual verdict needs no SMS.
    expect(
      insertTransaction(f, { sessionId: insertSession(f), txnid: 'NOSMS2', status: 'success', resultSource: 'manual' }),
    ).toBeGreaterThan(0);
  });

  it('keeps a verdict final', () => {
    const sms = insertSms(f, { txnid: 'FIN1' });
    const t = insertTransaction(f, { sessionId: insertSession(f), smsId: sms, txnid: 'FIN1', status: 'success' });
    expect(() => db.prepare("UPDATE transactions SET status = 'failed', failure_reason = 'x' WHERE id = ?").run(t)).toThrow(
      /transaction verdict is final/,
    );
    expect(() => db.prepare('UPDATE transactions SET amount_minor = 1 WHERE id = ?').run(t)).toThrow(/verdict is final/);
  });
});

describe('sms rows', () => {
  it('refuses a credit without an amount', () => {
    expect(() => insertSms(f, { kind: 'credit', amountMinor: null })).toThrow(/CHECK constraint failed/);
  });

  it('refuses a credit without a TxnID or provider', () => {
    expect(() => insertSms(f, { kind: 'credit', txnid: null })).toThrow(/CHECK constraint failed/);
    expect(() => insertSms(f, { kind: 'credit', provider: null })).toThrow(/CHECK constraint failed/);
  });

  it('accepts a spoof without an amount (positive control)', () => {
    expect(insertSms(f, { kind: 'spoof', amountMinor: null, provider: null, txnid: null })).toBeGreaterThan(0);
  });
});

describe('audit_log is append-only', () => {
  beforeEach(() => {
    db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, subject_type, subject_id, details, prev_hash, hash)
       VALUES (1, 1, 'staff', 'session.approved', 'session', 's1', '{}', ?, ?)`,
    ).run('0'.repeat(64), 'a'.repeat(64));
  });

  it('refuses UPDATE', () => {
    expect(() => db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1").run()).toThrow(/audit_log is append-only/);
    expect((db.prepare('SELECT actor FROM audit_log WHERE seq = 1').get() as { actor: string }).actor).toBe('staff');
  });

  it('refuses DELETE', () => {
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/audit_log is append-only/);
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(1);
  });
});

describe('foreign keys', () => {
  it('are enforced', () => {
    expect(() => insertTransaction(f, { sessionId: 'sess_does_not_exist_x', txnid: 'FK1' })).toThrow(
      /FOREIGN KEY constraint failed|both be live or both be test/,
    );
    expect(() => db.prepare("INSERT INTO brands (merchant_id, name, created_at) VALUES (9999, 'ghost', 1)").run()).toThrow(
      /FOREIGN KEY constraint failed/,
    );
  });
});

/*
 * Holes found in review: UPDATE paths around the INSERT-time rules. Each of these lets one
 * SMS stand behind a payment it does not prove, which the schema promises cannot happen.
 */
describe('the money rules hold on UPDATE too', () => {
  it('a successful transaction cannot be moved to another session (one SMS would pay two sessions)', () => {
    const sms = insertSms(f, { txnid: 'MOVE1' });
    const paid = insertSession(f);
    const t = insertTransaction(f, { sessionId: paid, smsId: sms, txnid: 'MOVE1', status: 'success' });
    db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(paid);
    const other = insertSession(f);
    expect(() => db.prepare('UPDATE transactions SET session_id = ? WHERE id = ?').run(other, t)).toThrow();
    // Had the move gone through, this would mark a second session paid by the same SMS.
    expect(() => db.prepare("UPDATE sessions SET status = 'success' WHERE id = ?").run(other)).toThrow(/cannot succeed/);
  });

  it('an SMS-backed claim cannot switch wallet on its way to success', () => {
    const sms = insertSms(f, { provider: 'bkash', txnid: 'SWAP1' });
    const t = insertTransaction(f, { sessionId: insertSession(f), smsId: sms, txnid: 'SWAP1' });
    expect(() =>
      db
        .prepare(
          "UPDATE transactions SET provider = 'nagad', status = 'success', result_source = 'sms_inbound', verified_at = 1 WHERE id = ?",
        )
        .run(t),
    ).toThrow(/only a credit SMS/);
  });

  it('a live claim cannot be moved onto a test session', () => {
    const t = insertTransaction(f, { sessionId: insertSession(f), txnid: 'MODEUPD1' });
    const testSession = insertSession(f, { isTest: 1 });
    expect(() => db.prepare('UPDATE transactions SET session_id = ? WHERE id = ?').run(testSession, t)).toThrow(
      /both be live or both be test/,
    );
  });
});
