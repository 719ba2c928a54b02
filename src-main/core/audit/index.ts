export { appendAudit, verifyAudit, GENESIS_HASH, type AuditEntry, type AuditVerdict } from './audit-chain';
export { auditEntriesAbout, type AuditEntryView } from './audit-read';
export { cashierActor, cashierOf, parseCashier, SHARED_ACTOR } from './cashier';
