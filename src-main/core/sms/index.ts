export {
  SmsIngestor,
  toSmsView,
  MAX_SMS_BODY,
  incomingSmsSchema,
  type DeliveryContext,
  type IngestedSms,
  type IngestOutcome,
  type IncomingSms,
} from './ingest-sms';
export { smsFingerprint, canonicalBody, canonicalSender } from './fingerprint';
export { parseImport } from './import-formats';
export { importStaffSms } from './staff-import';
export { readReceivedAt, pinReceivedAt } from './received-at';
