import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError, toAppError } from '../errors';
import { publicOrigin, realClient, returnUrl, type PaymentsContext } from './payments-context';
import { rateLimit } from './rate-limit';

/** A form post (no JavaScript) wants a page back; fetch() from the page wants JSON. */
function wantsHtml(req: Request): boolean {
  return req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
}

function pageUrl(id: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `/pay/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
}

/**
 * The customer's side, through the tunnel, without any key: submit a TxnID, read the
 * session's state while waiting, cancel. Limited per real client and session (the tunnel
 * makes every customer 127.0.0.1), and capped in wrong guesses per session by matching.
 */
export function checkoutRoutes(ctx: PaymentsContext): Router {
  const router = Router();
  const forms = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
  const submitLimit = rateLimit({
    limiter: ctx.limiters.checkoutSubmit,
    key: (req) => `${realClient(req, ctx)}|${String(req.params.id)}`,
    message: ctx.limiters.checkoutSubmit.message,
  });

  // A customer without JavaScript posted a form: a limit hit sends them back to the page, not to raw JSON.
  const limitForForms: RequestHandler = (req, res, next) =>
    submitLimit(req, res, (err?: unknown) => {
      if (err && wantsHtml(req) && toAppError(err).code === 'rate_limited') {
        return res.redirect(303, pageUrl(String(req.params.id), { error: 'rate_limited' }));
      }
      next(err);
    });

  router.post('/api/checkout/:id/submit', forms, limitForForms, (req: Request, res: Response) => {
    const id = String(req.params.id);
    const html = wantsHtml(req);
    try {
      const outcome = ctx.payments.submit(id, req.body ?? {});
      const row = ctx.payments.session(id)?.record;
      if (outcome.status === 'success') {
        const redirect = row?.redirect_url ? returnUrl(row.redirect_url, id, 'success') : null;
        if (html) return res.redirect(303, redirect ?? pageUrl(id));
        return res.status(200).json({ status: 'success', session_id: id, redirect_url: redirect });
      }
      if (html) return res.redirect(303, pageUrl(id));
      return res.status(202).json({
        status: 'pending',
        session_id: id,
        review: outcome.review,
        message: outcome.review
          ? 'Your payment is being checked by the shop. This page will update by itself.'
          : 'Waiting for the payment confirmation. This page will update by itself.',
      });
    } catch (err) {
      const error = toAppError(err);
      if (html && error.code !== 'internal') return res.redirect(303, pageUrl(id, { error: error.code }));
      throw error;
    }
  });

  router.get('/api/checkout/:id/status', (req, res) => {
    const id = String(req.params.id);
    const found = ctx.payments.session(id);
    if (!found) throw new AppError('session_not_found');
    const { record: row, view } = found;
    const latest = view.latest_transaction;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      session_id: id,
      status: view.status,
      attempt: latest ? { status: latest.status, failure_reason: latest.failure_reason } : null,
      redirect_url: row.redirect_url && view.status !== 'pending' ? returnUrl(row.redirect_url, id, view.status) : null,
    });
  });

  router.post('/api/checkout/:id/cancel', forms, (req, res) => {
    const id = String(req.params.id);
    const view = ctx.payments.cancel(id, () => true);
    const row = ctx.payments.session(id)?.record;
    const redirect = row?.redirect_url ? returnUrl(row.redirect_url, id, view.status) : null;
    if (wantsHtml(req)) return res.redirect(303, redirect ?? pageUrl(id));
    res.json({ status: view.status, session_id: id, redirect_url: redirect });
  });

  // Where a merchant's link should point; useful for support staff reading a log line.
  router.get('/api/checkout/:id/url', (req, res) => {
    res.json({ checkout_url: `${publicOrigin(req, ctx)}${pageUrl(String(req.params.id))}` });
  });

  return router;
}
