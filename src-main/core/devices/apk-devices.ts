import { z } from 'zod';
import { writeTransaction, type Db } from '../db';
import { findDevice, markUnbound, touchSeen, touchSms, upsertBoundDevice, type DeviceKind, type DeviceRow } from '../db/repos/device-repo';
import { AppError } from '../errors';
import type { DeliveryContext, SmsIngestor } from '../sms';
import type { DeviceView, SmsUploadItem, SmsUploadResponse } from './types';

export const MAX_SMS_PER_BATCH = 100;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toDeviceView(row: DeviceRow): DeviceView {
  return {
    device_id: row.device_id,
    kind: row.kind,
    label: row.label,
    model: row.model,
    manufacturer: row.manufacturer,
    os_version: row.os_version,
    bound_at: new Date(row.bound_at).toISOString(),
    last_seen_at: iso(row.last_seen_at),
    last_sms_at: iso(row.last_sms_at),
  };
}

/** Android IDs, UUIDs, serials: printable ASCII, no spaces, at most 128. */
const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

export const deviceIdSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .min(1, 'is required')
  .max(128, 'is longer than 128 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const optionalText = (max: number) =>
  z
    .string({ error: typeError('a string') })
    .trim()
    .max(max, `is longer than ${max} characters`)
    .transform((s) => (s === '' ? null : s))
    .nullish();

export const bindSchema = z.object({
  device_id: deviceIdSchema,
  model: optionalText(100),
  manufacturer: optionalText(100),
  os_version: optionalText(50),
});

export const deviceRefSchema = z.object({ device_id: deviceIdSchema });

export const smsUploadSchema = z.object({
  device_id: deviceIdSchema,
  messages: z
    .array(z.unknown(), { error: 'must be an array of {sender, body, received_at}' })
    .min(1, 'must hold at least one message')
    .max(MAX_SMS_PER_BATCH, `holds at most ${MAX_SMS_PER_BATCH} messages per request`),
});

/** zod failure → 400 validation_failed naming the field, in the documented shape. */
export { parseOrThrow } from '../errors';

export function deviceUnknown(deviceId: string): AppError {
  return new AppError('device_unknown', `Device "${deviceId}" is not bound (never bound, or unbound). Call /api/device/bind again.`);
}

export function bindApkDevice(db: Db, merchantId: number, input: z.infer<typeof bindSchema>, now: number): DeviceView {
  const row = writeTransaction(db, () =>
    upsertBoundDevice(db, {
      merchantId,
      kind: 'apk',
      deviceId: input.device_id,
      model: input.model ?? null,
      manufacturer: input.manufacturer ?? null,
      osVersion: input.os_version ?? null,
      now,
    }),
  );
  return toDeviceView(row);
}

/**
 * Soft delete. Unbinding an already-unbound device is a success (the APK may retry);
 * a device_id never bound here is device_unknown.
 */
export function unbindApkDevice(db: Db, merchantId: number, deviceId: string, now: number): void {
  writeTransaction(db, () => {
    const row = findDevice(db, merchantId, 'apk', deviceId);
    if (!row) throw deviceUnknown(deviceId);
    markUnbound(db, row.id, now);
  });
}

/** The bound device, or device_unknown: the APK's cue to bind again. */
export function requireBoundDevice(db: Db, merchantId: number, kind: DeviceKind, deviceId: string): DeviceRow {
  const row = findDevice(db, merchantId, kind, deviceId);
  if (!row || row.unbound_at !== null) throw deviceUnknown(deviceId);
  return row;
}

export function recordSeen(db: Db, row: DeviceRow, now: number): void {
  writeTransaction(db, () => touchSeen(db, row.id, now));
}

/**
 * Every message goes through the one SmsIngestor, in one batch: a retried batch finds its
 * messages already stored (is_new false), and a bad message is refused alone.
 */
export function ingestForDevice(
  db: Db,
  ingestor: SmsIngestor,
  device: DeviceRow,
  messages: readonly unknown[],
  context: DeliveryContext,
  now: number,
): SmsUploadResponse {
  const outcomes = ingestor.ingestBatch(messages, context, (stored) =>
    stored > 0 ? touchSms(db, device.id, now) : touchSeen(db, device.id, now),
  );
  const results: SmsUploadItem[] = outcomes.map((o, index) => {
    if (o.ok) return { index, ok: true, sms_id: o.result.sms.id, is_new: o.result.is_new, kind: o.result.sms.kind };
    const field = typeof o.error.hints.field === 'string' ? o.error.hints.field : undefined;
    return { index, ok: false, code: o.error.code, message: o.error.message, ...(field ? { field } : {}) };
  });
  const accepted = results.filter((r) => r.ok).length;
  const fresh = results.filter((r) => r.ok && r.is_new).length;
  return { ok: true, accepted, new: fresh, duplicates: accepted - fresh, rejected: results.length - accepted, results };
}
