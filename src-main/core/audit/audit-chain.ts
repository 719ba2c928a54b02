import crypto from 'node:crypto';
import type { Db } from '../db';
import { insertAuditRow, iterateAudit, lastAuditRow, type AuditRow } from '../db/repos/audit-repo';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
}

function rowHash(key: string, row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actor, row.action, row.subject_type, row.subject_id, row.details, row.prev_hash]);
  return crypto.createHmac('sha256', key).update(canonical).digest('hex');
}

/**
 * Appends one decision. Call inside the write transaction that makes the decision, so
 * the decision and its record commit together. The HMAC key lives in keys.json, not in
 * the database: whoever edits the file cannot forge a chain that verifies.
 */
export function appendAudit(db: Db, key: string, entry: AuditEntry, now: number = Date.now()): AuditRow {
  const last = lastAuditRow(db);
  const partial = {
    seq: (last?.seq ?? 0) + 1,
    at: now,
    actor: entry.actor,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    details: JSON.stringify(entry.details),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const row: AuditRow = { ...partial, hash: rowHash(key, partial) };
  insertAuditRow(db, row);
  return row;
}

export interface AuditVerdict {
  ok: boolean;
  rows: number;
  /** The first row whose content, position or link does not verify. */
  firstBadSeq: number | null;
  problem: string | null;
}

export function verifyAudit(db: Db, key: string): AuditVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  for (const row of iterateAudit(db)) {
    rows += 1;
    const { hash, ...rest } = row;
    let problem: string | null = null;
    if (row.seq !== expectedSeq) problem = `row ${expectedSeq} is missing`;
    else if (row.prev_hash !== prev) problem = 'link to the previous row is broken';
    else if (rowHash(key, rest) !== hash) problem = 'row content was changed';
    if (problem) return { ok: false, rows, firstBadSeq: Math.min(row.seq, expectedSeq), problem };
    prev = hash;
    expectedSeq += 1;
  }
  return { ok: true, rows, firstBadSeq: null, problem: null };
}
