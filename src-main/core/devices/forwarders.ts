import { z } from 'zod';
import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import {
  clearForwarderSeen,
  findForwarderById,
  listDevicesOfKind,
  markUnbound,
  spendSign,
  touchSeen,
  upsertBoundDevice,
  type DeviceRow,
} from '../db/repos/device-repo';
import { firstMerchantId } from '../shop';
import { AppError } from '../errors';
import { hashKey, randomString, readKeyFile } from '../secrets';
import type { SmsIngestor } from '../sms';
import { pinReceivedAt } from '../sms';
import { deviceUnknown, ingestForDevice, parseOrThrow } from './apk-devices';
import { MAX_SIGNATURE_AGE_MS, verifyBodyHmac, verifyCapcom6, verifyTimestampSign, verifyToken, type VerifyResult } from './forwarder-auth';
import { extractCapcom6, extractGeneric, getPath } from './forwarder-payloads';
import { fieldMapSchema, readForwarderFile, writeForwarderFile, type ForwarderEntry } from './forwarder-store';
import { signedBodyCandidates } from './raw-body';
import type {
  ForwarderAuth,
  ForwarderFormat,
  ForwarderView,
  RegisteredForwarder,
  RegisterForwarderInput,
  SmsUploadResponse,
} from './types';

const registerSchema = z
  .object({
    kind: z.enum(['capcom6', 'generic'], { error: 'must be "capcom6" or "generic"' }),
    label: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(100),
    fieldMap: fieldMapSchema.optional(),
    auth: z.enum(['hmac', 'timestamp_sign', 'token'], { error: 'must be "hmac", "timestamp_sign" or "token"' }).optional(),
  })
  .strict();

export const FORWARDER_ID_PATTERN = /^fwd_[A-Za-z0-9]{16}$/;

export function webhookPath(deviceId: string, kind: ForwarderFormat): string {
  return `/api/forwarders/${deviceId}/${kind}`;
}

function auditKey(dataDir: string): string | null {
  try {
    return readKeyFile(dataDir)?.audit_key ?? null;
  } catch {
    return null;
  }
}

/**
 * Registers a forwarder app as a device (kind 'forwarder') and returns its id and secret;
 * the secret is shown this once. The secret's SHA-256 goes to devices.secret_hash; signing
 * modes also keep the secret itself in forwarders.json (0600), written inside the same
 * IMMEDIATE transaction so the row and the file never disagree after a failure.
 */
export function registerForwarder(
  db: Db,
  dataDir: string,
  raw: RegisterForwarderInput,
  actor = 'staff',
  now: number = Date.now(),
): RegisteredForwarder {
  const input = parseOrThrow(registerSchema, raw);
  if (input.kind === 'capcom6' && input.auth && input.auth !== 'hmac') {
    throw new AppError('validation_failed', 'auth: SMS Gateway for Android always signs (hmac)');
  }
  if (input.kind === 'capcom6' && input.fieldMap && Object.keys(input.fieldMap).length > 0) {
    throw new AppError('validation_failed', 'fieldMap: the capcom6 format is fixed; a field map is for generic forwarders');
  }
  // No released generic app signs its body, and the one it was documented for (SMS to URL
  // Forwarder) never shipped the option: an hmac forwarder would refuse every SMS it sends.
  // Refused here, not quietly downgraded: sending the token in clear is the owner's call.
  if (input.kind === 'generic' && input.auth === 'hmac') {
    throw new AppError(
      'validation_failed',
      'auth: no released forwarder app signs the body (hmac). SMS to URL Forwarder: register with auth "token" and add the X-CounterPay-Token header in the app; SmsForwarder: use "timestamp_sign".',
    );
  }
  const auth: ForwarderAuth = input.auth ?? (input.kind === 'capcom6' ? 'hmac' : 'token');
  const deviceId = `fwd_${randomString(16)}`;
  const secret = `fws_${randomString(40)}`;
  const key = auditKey(dataDir);
  writeTransaction(db, () => {
    const merchantId = firstMerchantId(db);
    if (merchantId === null) throw new AppError('not_found', 'no shop in this data dir yet; start CounterPay once first');
    upsertBoundDevice(db, {
      merchantId,
      kind: 'forwarder',
      deviceId,
      label: input.label,
      model: input.kind,
      secretHash: hashKey(secret),
      now,
    });
    // Registered, not yet heard from.
    clearForwarderSeen(db, deviceId);
    if (key) {
      appendAudit(
        db,
        key,
        {
          actor,
          action: 'forwarder.registered',
          subjectType: 'device',
          subjectId: deviceId,
          details: { kind: input.kind, auth, label: input.label },
        },
        now,
      );
    }
    const file = readForwarderFile(dataDir);
    const entry: ForwarderEntry = {
      kind: input.kind,
      auth,
      field_map: input.fieldMap ?? {},
      created_at: new Date(now).toISOString(),
      ...(auth === 'token' ? {} : { secret }),
    };
    file.forwarders[deviceId] = entry;
    writeForwarderFile(dataDir, file);
  });
  return { device_id: deviceId, kind: input.kind, auth, label: input.label, secret, webhook_path: webhookPath(deviceId, input.kind) };
}

/** Unbinds (history kept), forgets the secret in the database and in forwarders.json. */
export function removeForwarder(db: Db, dataDir: string, deviceId: string, actor = 'staff', now: number = Date.now()): boolean {
  const key = auditKey(dataDir);
  return writeTransaction(db, () => {
    const row = findForwarderById(db, deviceId);
    if (!row) return false;
    const changed = markUnbound(db, row.id, now, { clearSecret: true });
    const file = readForwarderFile(dataDir);
    if (deviceId in file.forwarders) {
      delete file.forwarders[deviceId];
      writeForwarderFile(dataDir, file);
    }
    if (changed && key) {
      appendAudit(db, key, { actor, action: 'forwarder.removed', subjectType: 'device', subjectId: deviceId, details: {} }, now);
    }
    return changed;
  });
}

export function listForwarders(db: Db, dataDir: string): ForwarderView[] {
  const file = readForwarderFile(dataDir);
  return listDevicesOfKind(db, 'forwarder').map((row) => {
    const entry = file.forwarders[row.device_id];
    const kind: ForwarderFormat = entry?.kind ?? (row.model === 'capcom6' ? 'capcom6' : 'generic');
    return {
      device_id: row.device_id,
      kind,
      auth: entry?.auth ?? 'hmac',
      label: row.label,
      field_map: entry?.field_map ?? {},
      webhook_path: webhookPath(row.device_id, kind),
      bound_at: new Date(row.bound_at).toISOString(),
      last_seen_at: row.last_seen_at === null ? null : new Date(row.last_seen_at).toISOString(),
      last_sms_at: row.last_sms_at === null ? null : new Date(row.last_sms_at).toISOString(),
      problem: forwarderProblem(kind, entry),
    };
  });
}

/** The generic forwarder's hmac mode, which no released app can speak (see registerForwarder). */
const UNSIGNABLE_HMAC =
  'registered with auth "hmac", which no released forwarder app can sign: its SMS are refused. Register it again with auth "token" (SMS to URL Forwarder) or "timestamp_sign" (SmsForwarder).';

/** Why a registered forwarder cannot deliver, or null (listForwarders; also logged at start). */
export function forwarderProblem(kind: ForwarderFormat, entry: ForwarderEntry | undefined): string | null {
  if (!entry) return 'its entry in forwarders.json is missing, so nothing it sends is accepted: register it again.';
  if (kind === 'generic' && entry.auth === 'hmac') return UNSIGNABLE_HMAC;
  return null;
}

/** What the HTTP layer hands over: only the parts of the request a forwarder may sign. */
export interface ForwarderRequest {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  rawBody?: unknown;
}

export interface ForwarderDeps {
  db: Db;
  dataDir: string;
  sms: SmsIngestor;
  clock?: () => number;
  /** The phones' offset from UTC, for times sent without a zone (SmsForwarder's [receive_time]); absent: the process's local zone. */
  utcOffsetMinutes?: number;
}

export type ForwarderAnswer = SmsUploadResponse | { ok: true; ignored: true; event: string };

const header = (req: ForwarderRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

function presentedToken(req: ForwarderRequest): string | undefined {
  const direct = header(req, 'x-counterpay-token');
  if (direct) return direct.trim();
  const authz = header(req, 'authorization');
  if (authz && /^bearer\s+/i.test(authz)) return authz.replace(/^bearer\s+/i, '').trim();
  return text(req.query.token);
}

function authenticate(
  db: Db,
  format: ForwarderFormat,
  entry: ForwarderEntry,
  row: DeviceRow,
  req: ForwarderRequest,
  now: number,
): VerifyResult {
  if (entry.auth === 'token') return verifyToken({ secretHash: row.secret_hash, token: presentedToken(req) });
  const secret = entry.secret;
  // The file's secret must be the one registered for this row: a swapped or stale file fails closed.
  if (!secret || !row.secret_hash || hashKey(secret) !== row.secret_hash) {
    return { ok: false, reason: 'this forwarder has no usable secret in forwarders.json; register it again' };
  }
  const bodies = signedBodyCandidates(req);
  if (format === 'capcom6') {
    return verifyCapcom6({ secret, bodies, signature: header(req, 'x-signature'), timestamp: header(req, 'x-timestamp'), now });
  }
  if (entry.auth === 'hmac') {
    const verdict = verifyBodyHmac({ secret, bodies, signature: header(req, 'x-signature') });
    // A shop's own script may sign; an app cannot: say how to fix it rather than only "bad signature".
    return verdict.ok ? verdict : { ok: false, reason: `${verdict.reason}; this forwarder is ${UNSIGNABLE_HMAC}` };
  }
  const tsPath = entry.field_map.timestamp ?? 'timestamp';
  const signPath = entry.field_map.sign ?? 'sign';
  const timestamp = text(getPath(req.body, tsPath)) ?? text(req.query[tsPath]);
  const verdict = verifyTimestampSign({ secret, timestamp, sign: text(getPath(req.body, signPath)) ?? text(req.query[signPath]), now });
  if (!verdict.ok || timestamp === undefined) return verdict;
  return claimTimestampOnce(db, row.device_id, timestamp.trim(), now);
}

/**
 * SmsForwarder's sign covers the timestamp, not the message: whoever sniffs one request on the
 * shop Wi-Fi could reuse its sign with any text until it ages out. Each timestamp is therefore
 * accepted once per forwarder (kept in the database, so a restart does not reopen the window);
 * the phone's own request comes first, so a sniffed sign is spent.
 */
function claimTimestampOnce(db: Db, deviceId: string, timestamp: string, now: number): VerifyResult {
  const fresh = writeTransaction(db, () => spendSign(db, deviceId, timestamp, now, 2 * MAX_SIGNATURE_AGE_MS));
  return fresh ? { ok: true } : { ok: false, reason: 'this timestamp and sign were already used; each request needs a fresh one' };
}

/**
 * One forwarder webhook: find the forwarder, check its proof, count it as seen, and put
 * its SMS through the SmsIngestor with source 'forwarder' and origin = its device_id.
 */
export function receiveForwarderWebhook(
  deps: ForwarderDeps,
  format: ForwarderFormat,
  deviceId: string,
  req: ForwarderRequest,
): ForwarderAnswer {
  const now = (deps.clock ?? Date.now)();
  if (!FORWARDER_ID_PATTERN.test(deviceId)) throw deviceUnknown(deviceId);
  const row = findForwarderById(deps.db, deviceId);
  if (!row || row.unbound_at !== null) throw deviceUnknown(deviceId);
  const entry = readForwarderFile(deps.dataDir).forwarders[deviceId];
  if (!entry) throw new AppError('unauthorized', `Forwarder ${deviceId} has no entry in forwarders.json; register it again.`);
  if (entry.kind !== format) {
    throw new AppError(
      'device_unknown',
      `Forwarder ${deviceId} is registered as ${entry.kind}; post to ${webhookPath(deviceId, entry.kind)}.`,
    );
  }
  const verdict = authenticate(deps.db, format, entry, row, req, now);
  if (!verdict.ok) {
    throw new AppError(entry.auth === 'token' ? 'unauthorized' : 'signature_invalid', `Forwarder ${deviceId}: ${verdict.reason}.`);
  }
  writeTransaction(deps.db, () => touchSeen(deps.db, row.id, now));
  const extraction = format === 'capcom6' ? extractCapcom6(req.body) : extractGeneric(req.body, entry.field_map);
  if (extraction.kind === 'ignored') return { ok: true, ignored: true, event: extraction.event };
  const messages = extraction.messages.map((m) => ({
    ...m,
    received_at: pinReceivedAt(m.received_at, now, { utcOffsetMinutes: deps.utcOffsetMinutes }),
  }));
  return ingestForDevice(deps.db, deps.sms, row, messages, { source: 'forwarder', origin: deviceId, isTest: false }, now);
}
