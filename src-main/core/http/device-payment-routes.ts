import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db';
import { parseOrThrow, recordSeen, requireBoundDevice } from '../devices';
import { amountNumber, decisionResult, manualVerifyResult } from '../admin';
import { AppError } from '../errors';
import { normalizeTxnid } from '../parsers';
import type { Payments } from '../payments';
import { decimalToMinor } from '../../../src-shared/money';
import { authenticateKey } from '../shop';

export interface DevicePaymentDeps {
  db: Db;
  payments: Payments;
  clock: () => number;
}

const deviceId = z.string().trim().min(1).max(128);
const pollSchema = z.object({ auth_key: z.string(), device_id: deviceId }).passthrough();
const reportSchema = z
  .object({
    auth_key: z.string(),
    device_id: deviceId,
    verification_id: z.number().int().positive(),
    result: z.enum(['success', 'failed']),
    matched_sms: z.string().max(5000).nullish(),
    failure_reason: z.string().max(500).nullish(),
  })
  .passthrough();
const listSchema = z
  .object({
    auth_key: z.string(),
    device_id: deviceId,
    status: z.enum(['pending', 'success', 'failed']).nullish(),
    q: z.string().trim().max(64).nullish(),
    limit: z.number().int().min(1).max(200).nullish(),
  })
  .passthrough();
const verifySchema = z.object({ auth_key: z.string(), device_id: deviceId, txnid: z.string().max(64) }).passthrough();

/**
 * The order every device endpoint checks in (docs/device-api.md): a JSON object, then the
 * auth_key (401), then the fields (400), then that the phone is bound (404). Every call is a
 * sign of life.
 */
function boundDevice<T extends { device_id: string }>(
  db: Db,
  body: unknown,
  schema: z.ZodType<T>,
  now: number,
): { merchantId: number; input: T } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('validation_failed', 'body: send a JSON object (Content-Type: application/json).');
  }
  const auth = authenticateKey(db, (body as { auth_key?: unknown }).auth_key, ['device_auth_key']);
  if (!auth) throw new AppError('unauthorized', 'Missing or invalid auth_key: the APK must send the device_auth_key (PV-…) in the body.');
  const input = parseOrThrow(schema, body);
  recordSeen(db, requireBoundDevice(db, auth.merchantId, 'apk', input.device_id), now);
  return { merchantId: auth.merchantId, input };
}

/**
 * The verification side of the device API: poll pending attempts, approve/reject them from
 * the phone (result_source `apk`, audit-logged like a counter decision), list history, and
 * verify a TxnID typed on the phone. Amounts are JSON numbers here, as the seed prints them.
 */
export function devicePaymentRoutes(deps: DevicePaymentDeps): Router {
  const router = Router();

  router.post('/api/device/poll', (req, res) => {
    // One shop, one merchant: a bound device of this shop sees this shop's queue.
    boundDevice(deps.db, req.body, pollSchema, deps.clock());
    const verifications = deps.payments.pendingVerifications().map((v) => ({
      ...v,
      amount: v.amount === null ? null : amountNumber(decimalToMinor(v.amount)),
    }));
    res.json({ verifications });
  });

  router.post('/api/device/report', (req, res) => {
    const { input } = boundDevice(deps.db, req.body, reportSchema, deps.clock());
    const id = input.device_id;
    const outcome = deps.payments.decide(input.verification_id, {
      result: input.result,
      source: 'apk',
      actor: `apk:${id}`,
      failureReason: input.result === 'failed' ? (input.failure_reason ?? 'Rejected on the phone.') : null,
    });
    res.json(decisionResult(outcome));
  });

  router.post('/api/device/transactions', (req, res) => {
    const { input } = boundDevice(deps.db, req.body, listSchema, deps.clock());
    const rows = deps.payments.listTransactions({
      status: input.status ?? undefined,
      q: input.q || undefined,
      qTxnid: input.q ? normalizeTxnid(input.q) : undefined,
      limit: input.limit ?? 50,
    });
    res.json({
      transactions: rows.map((t) => ({
        id: t.id,
        txnid_submitted: t.txnid_submitted,
        amount: amountNumber(t.amount_minor),
        status: t.status,
        result_source: t.result_source,
        verified_at: t.verified_at === null ? null : new Date(t.verified_at).toISOString(),
        failure_reason: t.failure_reason,
        provider: t.provider,
        account_number: t.account_number,
        order_id: t.order_id,
        customer_name: t.customer_name,
        session_id: t.session_id,
        created_at: new Date(t.created_at).toISOString(),
      })),
    });
  });

  router.post('/api/device/verify', (req, res) => {
    const { input } = boundDevice(deps.db, req.body, verifySchema, deps.clock());
    res.json(manualVerifyResult(deps.payments.verify(input.txnid, `apk:${input.device_id}`)));
  });

  return router;
}
