import { Router } from 'express';
import { AppError } from '../errors';
import { callerOf, requireApiKey } from './api-key-auth';
import { idempotency } from './idempotency';
import { publicOrigin, type PaymentsContext } from './payments-context';
import { rateLimit } from './rate-limit';
import { sendJson } from './send-json';

/**
 * The MASTER PAY merchant API (X-API-Key), plus test mode's SMS injection. Every POST honours
 * X-Idempotency-Key, scoped to the calling key. Added to `router` when given (the public
 * listener's own, so a request does not walk one more nested router to reach them).
 */
export function merchantRoutes(ctx: PaymentsContext, router: Router = Router()): Router {
  const auth = requireApiKey(ctx.db);
  const idem = idempotency({ db: ctx.db, scope: (_req, res) => callerOf(res).keyId });
  // Keyed on the API key (its digest), as the contract says: one busy site cannot starve another.
  const createLimit = rateLimit({
    limiter: ctx.limiters.sessionCreate,
    key: (req) => `key:${String((req.res?.locals.caller as { keyId?: string } | undefined)?.keyId ?? '')}`,
    message: ctx.limiters.sessionCreate.message,
  });

  router.post('/api/payment/sessions', auth, createLimit, idem, (req, res) => {
    const caller = callerOf(res);
    const origin = publicOrigin(req, ctx);
    const { status, body } = ctx.payments.create(caller, req.body, (id) => `${origin}/pay/${id}`);
    res.status(status).json(body);
  });

  router.get('/api/payment/sessions', auth, (req, res) => {
    const orderId = req.query.order_id;
    if (typeof orderId !== 'string' || orderId.trim() === '') {
      throw new AppError('validation_failed', 'order_id: give the order_id to look up', { hints: { field: 'order_id' } });
    }
    const sessions = ctx.payments.byOrder(callerOf(res), orderId.trim());
    const [first] = sessions;
    if (!first) throw new AppError('session_not_found', `No session for order_id ${orderId.trim()}.`);
    res.json({ session: first, sessions });
  });

  // The route merchants poll: one statement to read it (payments.getFor), sent without res.json's overhead.
  router.get('/api/payment/sessions/:id', auth, (req, res) => {
    sendJson(res, { session: ctx.payments.getFor(callerOf(res), String(req.params.id)) });
  });

  router.post('/api/payment/sessions/:id/cancel', auth, idem, (req, res) => {
    const caller = callerOf(res);
    const session = ctx.payments.cancel(
      String(req.params.id),
      (row) => row.brand_id === caller.brandId && (row.is_test === 1) === caller.isTest,
    );
    res.json({ session });
  });

  router.post('/api/test/sms', requireApiKey(ctx.db, ['test_api_key']), idem, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const result = ctx.sms.ingest(
      { sender: body.sender, body: body.body, received_at: body.received_at },
      { source: 'test', origin: 'api', isTest: true },
    );
    res.status(result.is_new ? 201 : 200).json(result);
  });

  return router;
}
