import type { Db } from '../open-database';

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The chain's last row: max(seq) is one step down the rowid b-tree, and the row one lookup. */
export function lastAuditRow(db: Db): AuditRow | undefined {
  return db.prepare('SELECT * FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)').get() as AuditRow | undefined;
}

export function insertAuditRow(db: Db, row: AuditRow): void {
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, subject_type, subject_id, details, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @subject_type, @subject_id, @details, @prev_hash, @hash)`,
  ).run(row);
}

export function* iterateAudit(db: Db): Generator<AuditRow> {
  yield* db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<AuditRow>;
}

/** The rows about one subject (a transaction, a gateway), oldest first: a payment's detail. */
export function auditRowsAbout(db: Db, subjectType: string, subjectId: string): AuditRow[] {
  return db
    .prepare('SELECT * FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY seq')
    .all(subjectType, subjectId) as AuditRow[];
}
