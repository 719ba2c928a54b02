import type { PaymentAuditEntry } from '../../../src-shared/contract/payment-search';
import type { Db } from '../db';
import { auditRowsAbout } from '../db/repos/audit-repo';

/** An audit row as staff read it: the shape the Payments detail contract already names. */
export type AuditEntryView = PaymentAuditEntry;

/** The audit rows about one subject, oldest first, with their details parsed. */
export function auditEntriesAbout(db: Db, subjectType: string, subjectId: string): AuditEntryView[] {
  return auditRowsAbout(db, subjectType, subjectId).map((row) => {
    let details: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(row.details);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
    } catch {
      // The column is CHECKed json_valid: unreachable.
    }
    return {
      seq: row.seq,
      at: new Date(row.at).toISOString(),
      actor: row.actor,
      action: row.action,
      subject_type: row.subject_type,
      subject_id: row.subject_id,
      details,
    };
  });
}
