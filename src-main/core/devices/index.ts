export {
  bindApkDevice,
  unbindApkDevice,
  requireBoundDevice,
  recordSeen,
  ingestForDevice,
  toDeviceView,
  parseOrThrow,
  deviceUnknown,
  bindSchema,
  deviceRefSchema,
  smsUploadSchema,
  MAX_SMS_PER_BATCH,
} from './apk-devices';
export { listDeviceHealth, DeviceHealthMonitor, DEFAULT_OFFLINE_AFTER_MS, type DeviceHealthMonitorOptions } from './health';
export { buildPairingPayload, lanIpv4Addresses, type PairingOptions } from './pairing';
export {
  registerForwarder,
  removeForwarder,
  listForwarders,
  receiveForwarderWebhook,
  webhookPath,
  FORWARDER_ID_PATTERN,
  type ForwarderDeps,
  type ForwarderRequest,
  type ForwarderAnswer,
} from './forwarders';
export {
  verifyCapcom6,
  verifyBodyHmac,
  verifyTimestampSign,
  verifyToken,
  signCapcom6,
  signBodyHmac,
  signTimestampSign,
  MAX_SIGNATURE_AGE_MS,
} from './forwarder-auth';
export { extractCapcom6, extractGeneric, DEFAULT_FIELD_ALIASES } from './forwarder-payloads';
export { readForwarderFile, forwarderFilePath, FORWARDER_FILE_NAME } from './forwarder-store';
export { captureRawBody, signedBodyCandidates } from './raw-body';
export type * from './types';
