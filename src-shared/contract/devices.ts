/** Wire shapes of the device API and the device views (issue: Devices). */

export type DeviceKindName = 'apk' | 'forwarder' | 'modem';

/** A device as the APK sees it in the /bind answer, and as the admin API lists it. */
export interface DeviceView {
  device_id: string;
  kind: DeviceKindName;
  label: string | null;
  model: string | null;
  manufacturer: string | null;
  os_version: string | null;
  bound_at: string;
  last_seen_at: string | null;
  last_sms_at: string | null;
}

export interface DeviceHealthView extends DeviceView {
  /** Heard from (any authenticated call) within the offline threshold. */
  online: boolean;
  /** Milliseconds since the last authenticated call, null if never seen. */
  silent_for_ms: number | null;
}

export interface DeviceBindResponse {
  ok: true;
  device: DeviceView;
}

export interface DeviceOkResponse {
  ok: true;
}

export interface DeviceHeartbeatResponse {
  ok: true;
  server_time: string;
}

export type SmsUploadItem =
  | { index: number; ok: true; sms_id: number; is_new: boolean; kind: string }
  | { index: number; ok: false; code: string; message: string; field?: string };

/** The answer to /api/device/sms and to every forwarder webhook that carried SMS. */
export interface SmsUploadResponse {
  ok: true;
  /** Messages stored or already stored (is_new false). */
  accepted: number;
  /** Of the accepted, how many were new. */
  new: number;
  duplicates: number;
  rejected: number;
  results: SmsUploadItem[];
}

/** Shown as a QR code by the counter UI; the APK scans it instead of typing the key. */
export interface PairingPayload {
  version: 1;
  base_urls: string[];
  device_auth_key: string;
}

export type ForwarderFormat = 'capcom6' | 'generic';

/**
 * How a forwarder proves it holds its secret:
 * - `hmac`: X-Signature header = hex HMAC-SHA256 of the request (capcom6: body + X-Timestamp;
 *   generic: the raw body, as "SMS to URL Forwarder" signs it).
 * - `timestamp_sign`: SmsForwarder (pppscn) style: `timestamp` (ms) and
 *   `sign` = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)) in the body or query.
 * - `token`: the secret itself in `X-CounterPay-Token`, `Authorization: Bearer`, or `?token=`.
 */
export type ForwarderAuth = 'hmac' | 'timestamp_sign' | 'token';

/** Where the generic endpoint finds each value: a field name or a dotted path. */
export interface ForwarderFieldMap {
  sender?: string;
  body?: string;
  received_at?: string;
  /** timestamp_sign only: where the timestamp and sign are (defaults `timestamp`, `sign`). */
  timestamp?: string;
  sign?: string;
}

export interface RegisterForwarderInput {
  kind: ForwarderFormat;
  label: string;
  fieldMap?: ForwarderFieldMap;
  /** capcom6 is always `hmac`; generic defaults to `hmac`. */
  auth?: ForwarderAuth;
}

/** Returned once, at registration: the only time the secret is shown. */
export interface RegisteredForwarder {
  device_id: string;
  kind: ForwarderFormat;
  auth: ForwarderAuth;
  label: string;
  secret: string;
  /** Path on the device listener, e.g. /api/forwarders/fwd_xxx/capcom6. */
  webhook_path: string;
}

export interface ForwarderView {
  device_id: string;
  kind: ForwarderFormat;
  auth: ForwarderAuth;
  label: string | null;
  field_map: ForwarderFieldMap;
  webhook_path: string;
  bound_at: string;
  last_seen_at: string | null;
  last_sms_at: string | null;
  /**
   * Why this forwarder's SMS are being refused, in words with the fix, or null. A generic
   * forwarder registered with `hmac` before that was refused at registration: no released app
   * signs its body, so every SMS it sends is refused until it is registered again.
   */
  problem: string | null;
}

export interface DevicesChangedEvent {
  devices: DeviceHealthView[];
  changed: { kind: DeviceKindName; device_id: string; online: boolean }[];
}
