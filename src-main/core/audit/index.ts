export { appendAudit, verifyAudit, GENESIS_HASH, type AuditEntry, type AuditVerdict } from './audit-chain';
