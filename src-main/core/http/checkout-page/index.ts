import { Router, type Response } from 'express';
import { isErrorCode, type ErrorCode } from '../../../../src-shared/contract/errors';
import { isProviderId, providerInfo } from '../../../../src-shared/providers';
import { gatewayViews, shopNameOf } from '../../shop';
import type { SessionView } from '../../../../src-shared/contract/payments';
import type { SessionRecord } from '../../payments';
import { returnUrl, type PaymentsContext } from '../payments-context';
import { assetAt } from './assets';
import { renderCheckout, renderNotFound, type CheckoutGateway, type CheckoutModel, type CheckoutState } from './render-checkout';

/** Errors a customer may be shown from `?error=`: only codes the submit and cancel routes send. */
const PAGE_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'bad_request',
  'validation_failed',
  'session_not_pending',
  'session_expired',
  'txnid_invalid',
  'txnid_already_used',
  'too_many_attempts',
  'gateway_unknown',
  'payment_rejected',
  'txnid_not_found',
  'rate_limited',
  'payload_too_large',
  'malformed_json',
  'unsupported_media_type',
  'shutting_down',
]);

/** The CSP of the page. A form post may end in a redirect to the merchant, so its origin is allowed as a form target. */
export function checkoutCsp(redirectUrl: string | null): string {
  const formAction = ["'self'"];
  const origin = redirectOrigin(redirectUrl);
  if (origin) formAction.push(origin);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${formAction.join(' ')}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function redirectOrigin(redirectUrl: string | null): string | null {
  if (!redirectUrl) return null;
  try {
    const url = new URL(redirectUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    // An origin is scheme://host[:port]; refuse anything that could break out of the header.
    return /^https?:\/\/[A-Za-z0-9.\-[\]:]+$/.test(url.origin) ? url.origin : null;
  } catch {
    return null;
  }
}

function pageHeaders(res: Response, redirectUrl: string | null): void {
  res.setHeader('Content-Security-Policy', checkoutCsp(redirectUrl));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.type('html');
}

function shopName(ctx: PaymentsContext, merchantId: number): string {
  return shopNameOf(ctx.db, merchantId) ?? 'Shop';
}

/** The shop's enabled gateways whose wallet pays in the session's currency. */
function gatewaysFor(ctx: PaymentsContext, row: SessionRecord): CheckoutGateway[] {
  return gatewayViews(ctx.db, row.merchant_id)
    .filter((g) => g.enabled && isProviderId(g.provider) && providerInfo(g.provider).currency === row.currency)
    .map((g) => ({
      id: g.id,
      providerName: isProviderId(g.provider) ? providerInfo(g.provider).name : g.provider,
      variant: g.variant,
      label: g.label,
      identifiers: g.account_identifiers.filter((v): v is string => typeof v === 'string'),
    }));
}

function buildModel(ctx: PaymentsContext, row: SessionRecord, view: SessionView, errorParam: unknown): CheckoutModel {
  const latest = view.latest_transaction;
  let state: CheckoutState;
  if (view.status !== 'pending') state = view.status;
  else state = latest?.status === 'pending' ? 'waiting' : 'form';
  let notice: ErrorCode | null = null;
  if (state === 'form' || state === 'waiting') {
    if (typeof errorParam === 'string' && isErrorCode(errorParam) && PAGE_ERRORS.has(errorParam)) notice = errorParam;
    else if (state === 'form' && latest?.status === 'failed') notice = 'payment_rejected';
  }
  return {
    sessionId: row.id,
    shopName: shopName(ctx, row.merchant_id),
    amount: view.amount,
    currency: view.currency,
    orderId: row.order_id,
    customerName: row.customer_name,
    isTest: view.test,
    state,
    gateways: state === 'form' || state === 'waiting' ? gatewaysFor(ctx, row) : [],
    waitingTxnid: state === 'waiting' ? (latest?.txnid_submitted ?? null) : null,
    returnUrl: row.redirect_url && view.status !== 'pending' ? returnUrl(row.redirect_url, row.id, view.status) : null,
    notice,
  };
}

/** The hosted checkout page `/pay/:session_id` and its two static assets. */
export function checkoutPageRoutes(ctx: PaymentsContext): Router {
  const router = Router();

  router.get('/pay/assets/:file', (req, res, next) => {
    const asset = assetAt(req.path);
    if (!asset) return next();
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.send(asset.body);
  });

  router.get('/pay/:id', (req, res) => {
    const id = String(req.params.id);
    const found = ctx.payments.session(id);
    if (!found) {
      pageHeaders(res, null);
      res.status(404).send(renderNotFound());
      return;
    }
    pageHeaders(res, found.record.redirect_url);
    res.status(200).send(renderCheckout(buildModel(ctx, found.record, found.view, req.query.error)));
  });

  return router;
}
