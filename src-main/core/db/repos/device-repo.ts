import type { Db } from '../open-database';

export type DeviceKind = 'apk' | 'forwarder' | 'modem';

export interface DeviceRow {
  id: number;
  merchant_id: number;
  kind: DeviceKind;
  device_id: string;
  label: string | null;
  model: string | null;
  manufacturer: string | null;
  os_version: string | null;
  secret_hash: string | null;
  bound_at: number;
  unbound_at: number | null;
  last_seen_at: number | null;
  last_sms_at: number | null;
}

export interface BindDeviceInput {
  merchantId: number;
  kind: DeviceKind;
  deviceId: string;
  label?: string | null;
  model?: string | null;
  manufacturer?: string | null;
  osVersion?: string | null;
  secretHash?: string | null;
  now: number;
}

/**
 * Binds a device, or re-binds it: one row per (merchant, kind, device_id), so history is
 * kept across unbind/bind cycles. A re-bind clears unbound_at, takes the new descriptive
 * fields (keeping the old ones the caller did not send) and counts as a sighting.
 */
export function upsertBoundDevice(db: Db, input: BindDeviceInput): DeviceRow {
  db.prepare(
    `INSERT INTO devices (merchant_id, kind, device_id, label, model, manufacturer, os_version, secret_hash,
       bound_at, unbound_at, last_seen_at)
     VALUES (@merchantId, @kind, @deviceId, @label, @model, @manufacturer, @osVersion, @secretHash, @now, NULL, @now)
     ON CONFLICT (merchant_id, kind, device_id) DO UPDATE SET
       label = coalesce(excluded.label, devices.label),
       model = coalesce(excluded.model, devices.model),
       manufacturer = coalesce(excluded.manufacturer, devices.manufacturer),
       os_version = coalesce(excluded.os_version, devices.os_version),
       secret_hash = coalesce(excluded.secret_hash, devices.secret_hash),
       bound_at = CASE WHEN devices.unbound_at IS NULL THEN devices.bound_at ELSE excluded.bound_at END,
       unbound_at = NULL,
       last_seen_at = excluded.last_seen_at`,
  ).run({
    merchantId: input.merchantId,
    kind: input.kind,
    deviceId: input.deviceId,
    label: input.label ?? null,
    model: input.model ?? null,
    manufacturer: input.manufacturer ?? null,
    osVersion: input.osVersion ?? null,
    secretHash: input.secretHash ?? null,
    now: input.now,
  });
  return findDevice(db, input.merchantId, input.kind, input.deviceId) as DeviceRow;
}

export function findDevice(db: Db, merchantId: number, kind: DeviceKind, deviceId: string): DeviceRow | undefined {
  return db.prepare('SELECT * FROM devices WHERE merchant_id = ? AND kind = ? AND device_id = ?').get(merchantId, kind, deviceId) as
    DeviceRow | undefined;
}

/** A forwarder is addressed by its id alone (its webhook URL carries no merchant). */
export function findForwarderById(db: Db, deviceId: string): DeviceRow | undefined {
  return db.prepare("SELECT * FROM devices WHERE kind = 'forwarder' AND device_id = ? ORDER BY id LIMIT 1").get(deviceId) as
    DeviceRow | undefined;
}

/** Soft delete: the row stays for history. Returns false when it was already unbound. */
export function markUnbound(db: Db, id: number, now: number, options: { clearSecret?: boolean } = {}): boolean {
  const sql = options.clearSecret
    ? 'UPDATE devices SET unbound_at = ?, secret_hash = NULL WHERE id = ? AND unbound_at IS NULL'
    : 'UPDATE devices SET unbound_at = ? WHERE id = ? AND unbound_at IS NULL';
  return db.prepare(sql).run(now, id).changes === 1;
}

/** Never moves a time backwards (a slow request finishing after a newer one). */
export function touchSeen(db: Db, id: number, now: number): void {
  db.prepare('UPDATE devices SET last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?').run(now, id);
}

export function touchSms(db: Db, id: number, now: number): void {
  db.prepare(
    `UPDATE devices SET last_sms_at = max(coalesce(last_sms_at, 0), @now),
       last_seen_at = max(coalesce(last_seen_at, 0), @now) WHERE id = @id`,
  ).run({ id, now });
}

export function listBoundDevices(db: Db, merchantId: number): DeviceRow[] {
  return db.prepare('SELECT * FROM devices WHERE merchant_id = ? AND unbound_at IS NULL ORDER BY kind, id').all(merchantId) as DeviceRow[];
}

export function listDevicesOfKind(db: Db, kind: DeviceKind, options: { includeUnbound?: boolean } = {}): DeviceRow[] {
  const sql = options.includeUnbound
    ? 'SELECT * FROM devices WHERE kind = ? ORDER BY id'
    : 'SELECT * FROM devices WHERE kind = ? AND unbound_at IS NULL ORDER BY id';
  return db.prepare(sql).all(kind) as DeviceRow[];
}

/** Records a forwarder's timestamp sign as spent; false if it was spent before (a replay). */
export function spendSign(db: Db, deviceId: string, timestamp: string, now: number, keepMs: number): boolean {
  db.prepare('DELETE FROM forwarder_spent_signs WHERE expires_at <= ?').run(now);
  return (
    db
      .prepare('INSERT INTO forwarder_spent_signs (device_id, timestamp, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(deviceId, timestamp, now + keepMs).changes === 1
  );
}

/** A forwarder registered but not yet heard from: no last-seen time. */
export function clearForwarderSeen(db: Db, deviceId: string): void {
  db.prepare("UPDATE devices SET last_seen_at = NULL WHERE kind = 'forwarder' AND device_id = ?").run(deviceId);
}
