import express, { Router, type Request, type RequestHandler } from 'express';
import type { Db } from '../db';
import {
  bindApkDevice,
  bindSchema,
  captureRawBody,
  deviceRefSchema,
  ingestForDevice,
  parseOrThrow,
  receiveForwarderWebhook,
  recordSeen,
  requireBoundDevice,
  smsUploadSchema,
  unbindApkDevice,
  type DeviceBindResponse,
  type DeviceHeartbeatResponse,
  type DeviceOkResponse,
  type ForwarderFormat,
} from '../devices';
import { AppError } from '../errors';
import { authenticateKey } from '../shop';
import type { SmsIngestor } from '../sms';
import { pinReceivedAt } from '../sms';
import { DEVICE_SMS_JSON_LIMIT_BYTES } from '../config';
import { allowLargeJson } from './create-listener-app';
import type { Payments } from '../payments';
import { devicePaymentRoutes } from './device-payment-routes';

export interface DeviceRouteDeps {
  db: Db;
  /** Where forwarders.json lives (the forwarders' signing secrets). */
  dataDir: string;
  /** The one ingestion path. */
  sms: SmsIngestor;
  /**
   * Runs before the /api/device/sms handler (seed's 429 shape): 120 uploads/min per device key,
   * and wrong or missing keys per client address (limiters.ts, deviceSmsBucket).
   */
  smsRateLimit?: RequestHandler;
  /** Body size limit for form-encoded forwarder posts; JSON is limited by the listener. */
  formLimitBytes?: number;
  /** JSON limit of the SMS routes, above the listener's: a full batch of long Bangla SMS must fit (config device.smsJsonLimitBytes). */
  smsJsonLimitBytes?: number;
  /** The phones' offset from UTC, for SMS times sent without a zone (config devices.utcOffsetMinutes); absent: the process's local zone. */
  utcOffsetMinutes?: number;
  /** For tests. */
  clock?: () => number;
  /** Poll / report / transactions / verify; absent in tests of the SMS side alone. */
  payments?: { payments: Payments; offlineAfterMs: number };
}

type Body = Record<string, unknown>;

/**
 * The APK's auth: `auth_key` in the JSON body is the merchant's device_auth_key, checked
 * against the database on every call, so a key rotated by the CLI locks old phones out at once.
 */
function authenticateDevice(db: Db, raw: unknown): { merchantId: number; body: Body } {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new AppError('validation_failed', 'body: send a JSON object (Content-Type: application/json).');
  }
  const body = (raw ?? {}) as Body;
  const auth = authenticateKey(db, body.auth_key, ['device_auth_key']);
  if (!auth) {
    throw new AppError('unauthorized', 'Missing or invalid auth_key: the APK must send the device_auth_key (PV-…) in the body.');
  }
  return { merchantId: auth.merchantId, body };
}

function isFormat(value: string): value is ForwarderFormat {
  return value === 'capcom6' || value === 'generic';
}

/** The shop LAN: the MASTER PAY forwarder APK and the open-source forwarder apps. */
export function deviceRoutes(deps?: DeviceRouteDeps): Router {
  const router = Router();
  if (!deps) return router;
  const now = deps.clock ?? Date.now;

  router.post('/api/device/bind', (req, res) => {
    const { merchantId, body } = authenticateDevice(deps.db, req.body);
    const input = parseOrThrow(bindSchema, body);
    const answer: DeviceBindResponse = { ok: true, device: bindApkDevice(deps.db, merchantId, input, now()) };
    res.json(answer);
  });

  router.post('/api/device/unbind', (req, res) => {
    const { merchantId, body } = authenticateDevice(deps.db, req.body);
    const input = parseOrThrow(deviceRefSchema, body);
    unbindApkDevice(deps.db, merchantId, input.device_id, now());
    const answer: DeviceOkResponse = { ok: true };
    res.json(answer);
  });

  router.post('/api/device/heartbeat', (req, res) => {
    const { merchantId, body } = authenticateDevice(deps.db, req.body);
    const input = parseOrThrow(deviceRefSchema, body);
    const at = now();
    recordSeen(deps.db, requireBoundDevice(deps.db, merchantId, 'apk', input.device_id), at);
    const answer: DeviceHeartbeatResponse = { ok: true, server_time: new Date(at).toISOString() };
    res.json(answer);
  });

  const smsChain: RequestHandler[] = deps.smsRateLimit ? [deps.smsRateLimit] : [];
  router.post('/api/device/sms', ...smsChain, (req, res) => {
    const { merchantId, body } = authenticateDevice(deps.db, req.body);
    const input = parseOrThrow(smsUploadSchema, body);
    const device = requireBoundDevice(deps.db, merchantId, 'apk', input.device_id);
    const at = now();
    const messages = input.messages.map((m) => inShopTime(m, at, deps.utcOffsetMinutes));
    const answer = ingestForDevice(
      deps.db,
      deps.sms,
      device,
      messages,
      {
        source: 'apk',
        origin: input.device_id,
        isTest: false,
      },
      at,
    );
    res.json(answer);
  });

  if (deps.payments) {
    router.use(devicePaymentRoutes({ db: deps.db, payments: deps.payments.payments, clock: now }));
  }

  // SmsForwarder posts a form by default; capture its bytes too in case it is HMAC-signed.
  const form = express.urlencoded({ extended: false, limit: deps.formLimitBytes ?? 64 * 1024, verify: captureRawBody });
  router.post('/api/forwarders/:device_id/:format', form, (req: Request, res) => {
    const format = String(req.params.format);
    if (!isFormat(format)) throw new AppError('not_found', `No forwarder format "${format}" (use capcom6 or generic).`);
    const forwarderDeps = { db: deps.db, dataDir: deps.dataDir, sms: deps.sms, clock: now, utcOffsetMinutes: deps.utcOffsetMinutes };
    const answer = receiveForwarderWebhook(forwarderDeps, format, String(req.params.device_id), {
      headers: req.headers,
      query: req.query as Record<string, unknown>,
      body: req.body,
      rawBody: (req as unknown as { rawBody?: unknown }).rawBody,
    });
    res.json(answer);
  });

  const smsLimit = deps.smsJsonLimitBytes ?? DEVICE_SMS_JSON_LIMIT_BYTES;
  return allowLargeJson(router, [
    { path: /^\/api\/device\/sms\/?$/i, limitBytes: smsLimit },
    { path: /^\/api\/forwarders\/[^/]+\/[^/]+\/?$/i, limitBytes: smsLimit },
  ]);
}

/** The ingestor reads a zone-less time in the process's zone; a configured shop offset wins, so it is applied here. */
function inShopTime(message: unknown, now: number, utcOffsetMinutes: number | undefined): unknown {
  if (utcOffsetMinutes === undefined || typeof message !== 'object' || message === null || !('received_at' in message)) return message;
  return { ...message, received_at: pinReceivedAt(message.received_at, now, { utcOffsetMinutes }) };
}
