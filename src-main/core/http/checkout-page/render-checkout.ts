import { ERROR_TABLE, type ErrorCode } from '../../../../src-shared/contract/errors';
import { SCRIPT_ASSET, STYLE_ASSET } from './assets';
import { html, type SafeHtml } from './html';

export interface CheckoutGateway {
  id: number;
  providerName: string;
  variant: string;
  label: string | null;
  identifiers: string[];
}

export type CheckoutState = 'form' | 'waiting' | 'success' | 'expired' | 'cancelled';

export interface CheckoutModel {
  sessionId: string;
  shopName: string;
  /** Decimal string as stored ("1500.50"); grouped for display, never parsed as a float. */
  amount: string;
  currency: string;
  orderId: string;
  customerName: string | null;
  isTest: boolean;
  state: CheckoutState;
  gateways: CheckoutGateway[];
  /** For final states: the merchant's redirect_url with session_id and status. */
  returnUrl: string | null;
  /** The TxnID of the attempt being waited on. */
  waitingTxnid: string | null;
  /** The notice above the form: a code from ?error=, or the last attempt having failed. */
  notice: ErrorCode | null;
}

const TEXT = {
  howTo: 'Use your wallet app (Send Money or Payment), then tap the account you paid to.',
  waitingTitle: 'Waiting for confirmation',
  waiting: 'We are matching your transaction ID with the payment the shop received. This page will update by itself.',
  waitingSmall: 'Keep this page open. It usually takes less than a minute; the shop may also check your payment by hand.',
  retryHint: 'Entered a wrong transaction ID? Send the correct one',
  offline: 'Could not reach the shop. Check your internet connection and try again.',
  busy: 'Checking…',
  copied: 'Copied',
  noGateways: 'This shop cannot take this payment online right now. Please contact the shop.',
} as const;

const VARIANT_NAMES: Record<string, string> = {
  personal: 'Personal',
  agent: 'Agent',
  merchant: 'Merchant',
  bank: 'Bank',
  till: 'Till',
  paybill: 'Paybill',
};

/** "1500.50" → "1,500.50" by string grouping; anything unexpected is shown as given. */
export function groupAmount(amount: string): string {
  const match = /^(\d+)(\.\d+)?$/.exec(amount);
  if (!match) return amount;
  const whole = (match[1] as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return whole + (match[2] ?? '');
}

function variantName(variant: string): string {
  return VARIANT_NAMES[variant] ?? variant;
}

function layout(title: string, body: SafeHtml, options: { refreshSeconds?: number } = {}): string {
  const refresh = options.refreshSeconds ? html`<noscript><meta http-equiv="refresh" content="${options.refreshSeconds}"></noscript>` : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${STYLE_ASSET.path}">
${refresh}
<script src="${SCRIPT_ASSET.path}" defer></script>
</head>
<body>
${body}
</body>
</html>
`.value;
}

function header(model: CheckoutModel): SafeHtml {
  return html`<header class="shop">
  <p class="shop-name">${model.shopName}</p>
  ${model.isTest ? html`<span class="badge" title="No real money moves in test mode">TEST MODE</span>` : ''}
</header>`;
}

function amountBlock(model: CheckoutModel): SafeHtml {
  const label =
    model.state === 'success' ? 'Amount paid' : model.state === 'form' || model.state === 'waiting' ? 'Amount to pay' : 'Amount';
  return html`<p class="amount-label" id="amount-label">${label}</p>
<p class="amount" aria-labelledby="amount-label" data-testid="amount"><span class="currency">${model.currency}</span>${groupAmount(model.amount)}</p>
<ul class="meta">
  <li>Order <strong data-testid="order-id">${model.orderId}</strong></li>
  ${model.customerName ? html`<li>For <strong data-testid="customer-name">${model.customerName}</strong></li>` : ''}
</ul>`;
}

function gatewayCard(g: CheckoutGateway, checked: boolean): SafeHtml {
  const inputId = `gateway-${g.id}`;
  return html`<div class="gateway" data-testid="gateway">
  <input type="radio" name="gateway_id" id="${inputId}" value="${g.id}"${checked ? html` checked` : ''}>
  <label for="${inputId}">
    <span class="gateway-name">${g.providerName}</span> <span class="gateway-variant">· ${variantName(g.variant)}</span>
    ${g.label ? html`<span class="gateway-label">${g.label}</span>` : ''}
  </label>
  <ul class="accounts" aria-label="${g.providerName} account numbers">
    ${g.identifiers.map(
      (id) =>
        html`<li class="account"><span class="account-number">${id}</span><button type="button" class="copy" data-copy="${id}" aria-label="Copy ${id}" hidden>Copy</button></li>`,
    )}
  </ul>
</div>`;
}

function noticeBlock(code: ErrorCode | null): SafeHtml {
  const text = code ? ERROR_TABLE[code].error : '';
  return html`<div id="notice" class="notice notice-error" role="alert" data-testid="notice"${code ? '' : html` hidden`}>${text}</div>`;
}

function payForm(model: CheckoutModel): SafeHtml {
  const id = encodeURIComponent(model.sessionId);
  const waiting = model.state === 'waiting';
  // Folded while waiting, unless a retry from this state just came back with an error.
  const fold = waiting && !model.notice;
  const only = model.gateways.length === 1;
  return html`<section class="section" id="waiting-section">
  <div id="waiting" class="notice waiting" role="status" aria-live="polite" data-testid="waiting"${waiting ? '' : html` hidden`}>
    <h2><span class="spinner" aria-hidden="true"></span>${TEXT.waitingTitle}</h2>
    <p id="waiting-txnid-line"${model.waitingTxnid ? '' : html` hidden`}>Transaction ID <strong id="waiting-txnid" class="mono">${model.waitingTxnid}</strong></p>
    <p id="waiting-text">${TEXT.waiting}</p>
    <p class="small">${TEXT.waitingSmall}</p>
    <noscript><p class="small"><a href="/pay/${id}">Check again now</a></p></noscript>
  </div>
  ${noticeBlock(model.notice)}
</section>
<details id="pay-details" class="pay-details${fold ? ' collapsible' : ''}"${fold ? '' : html` open`}>
<summary class="retry-hint" data-testid="retry">${TEXT.retryHint}</summary>
<form id="pay-form" method="post" action="/api/checkout/${id}/submit">
  <fieldset class="section">
    <legend class="step">1. Send ${model.currency} ${groupAmount(model.amount)}</legend>
    <p class="hint" data-testid="how-to">${TEXT.howTo}</p>
    <div class="gateways">
      ${model.gateways.map((g) => gatewayCard(g, only))}
    </div>
  </fieldset>
  <div class="section">
    <label class="field-label step" for="txnid">2. Enter the transaction ID</label>
    <p class="hint" id="txnid-hint">It is in the SMS your wallet sent you, after “TrxID” or “TxnID”.</p>
    <input class="txnid" id="txnid" name="txnid" type="text" required maxlength="64" autocomplete="off" autocorrect="off" autocapitalize="characters" spellcheck="false" placeholder="e.g. BKX92H1ABC" aria-describedby="txnid-hint">
    <button class="primary" id="verify" type="submit">Verify payment</button>
  </div>
</form>
</details>`;
}

function cancelForm(model: CheckoutModel): SafeHtml {
  return html`<form class="cancel" method="post" action="/api/checkout/${encodeURIComponent(model.sessionId)}/cancel">
  <button type="submit" class="link-button" data-testid="cancel">Cancel payment</button>
</form>`;
}

function finalBlock(model: CheckoutModel): SafeHtml {
  const finals = {
    success: { icon: '✓', title: 'Payment received', text: 'Thank you. The shop has confirmed your payment.', link: 'Return to the shop' },
    expired: { icon: '!', title: 'Payment link expired', text: ERROR_TABLE.session_expired.error, link: 'Back to the shop' },
    cancelled: {
      icon: '×',
      title: 'Payment cancelled',
      text: 'This payment was cancelled. If you already sent the money, please contact the shop with your transaction ID.',
      link: 'Back to the shop',
    },
  } as const;
  const state = model.state as keyof typeof finals;
  const f = finals[state];
  return html`<section class="final final-${state}" data-testid="final" data-final="${state}">
  <div class="final-icon" aria-hidden="true">${f.icon}</div>
  <h1>${f.title}</h1>
  <p>${f.text}</p>
  ${model.returnUrl ? html`<a class="primary" href="${model.returnUrl}" data-testid="return">${f.link}</a>` : ''}
</section>`;
}

export function renderCheckout(model: CheckoutModel): string {
  const final = model.state === 'success' || model.state === 'expired' || model.state === 'cancelled';
  let content: SafeHtml;
  if (final) {
    content = html`${finalBlock(model)}
<div class="section">${amountBlock(model)}</div>`;
  } else if (model.gateways.length === 0) {
    content = html`${amountBlock(model)}
<div class="notice notice-error section" role="alert">${TEXT.noGateways}</div>
${cancelForm(model)}`;
  } else {
    content = html`<h1 class="sr-only">Pay ${model.shopName}</h1>
${amountBlock(model)}
${payForm(model)}
${cancelForm(model)}`;
  }
  const body = html`<main class="page" id="checkout" data-session="${model.sessionId}" data-state="${model.state}"
  data-text-rejected="${ERROR_TABLE.payment_rejected.error}" data-text-offline="${TEXT.offline}"
  data-text-failed="${ERROR_TABLE.internal.error}" data-text-busy="${TEXT.busy}" data-text-copied="${TEXT.copied}">
${header(model)}
<div class="card">
${content}
</div>
<p class="footer">Payments are confirmed from the shop's own wallet messages.</p>
</main>`;
  const title = final
    ? `${finalTitle(model.state)} · ${model.shopName}`
    : `Pay ${model.currency} ${groupAmount(model.amount)} · ${model.shopName}`;
  return layout(title, body, { refreshSeconds: model.state === 'waiting' ? 5 : undefined });
}

function finalTitle(state: CheckoutState): string {
  return state === 'success' ? 'Payment received' : state === 'expired' ? 'Payment link expired' : 'Payment cancelled';
}

export function renderNotFound(): string {
  return layout(
    'Payment not found',
    html`<main class="page">
<div class="card final">
  <div class="final-icon" aria-hidden="true">?</div>
  <h1>${ERROR_TABLE.session_not_found.error}</h1>
  <p>Please check the link, or start again from the shop.</p>
</div>
</main>`,
  );
}
