import type { SmsView } from '../../src-shared/sms';
import { walletName } from './format';
import { useCounter } from './store';

/**
 * The moment a wallet credit arrives, staff see it without looking for it: green (and a
 * chime) only for a credit that pays by itself; amber "To check" with its reasons for one
 * that needs a person first. Spoofs and test SMS show nothing here.
 */
export function CreditBanner() {
  const banner = useCounter((s) => s.banner);
  const toCheck = useCounter((s) => s.toCheck);
  const dismiss = useCounter((s) => s.dismissBanner);
  const dismissToCheck = useCounter((s) => s.dismissToCheck);
  if (!banner && toCheck.length === 0) return null;
  return (
    <div className="banners">
      {toCheck.map((sms) => (
        <div
          key={sms.id}
          className="banner to-check"
          role="alert"
          aria-label={`Payment to check: ${describe(sms)}`}
          data-testid="check-banner"
        >
          <div className="banner-main">
            <span className="banner-word">
              <span aria-hidden="true">⚠ </span>To check
            </span>
            <span className="banner-amount">
              {sms.amount} {sms.currency}
            </span>
            <span className="banner-detail">
              on {walletName(sms.provider)} · TxnID <code>{sms.txnid}</code>
              {sms.counterparty ? <> · from {sms.counterparty}</> : null}
            </span>
            <span className="banner-hint">Do not hand over goods for it until you have checked:</span>
            <ul className="banner-reasons">
              {(sms.credit_check?.reasons ?? []).map((r) => (
                <li key={r.code}>{r.message}</li>
              ))}
            </ul>
          </div>
          <button
            type="button"
            className="link"
            onClick={() => dismissToCheck(sms.id)}
            aria-label={`Hide the notice for TxnID ${sms.txnid ?? ''}`}
          >
            ✕
          </button>
        </div>
      ))}
      {banner ? (
        <div className="banner pays" role="alert" aria-label={`Payment received: ${describe(banner)}`} data-testid="credit-banner">
          <div className="banner-main">
            <span className="banner-word">
              <span aria-hidden="true">✓ </span>Received
            </span>
            <span className="banner-amount">
              {banner.amount} {banner.currency}
            </span>
            <span className="banner-detail">
              on {walletName(banner.provider)} · TxnID <code>{banner.txnid}</code>
              {banner.counterparty ? <> · from {banner.counterparty}</> : null}
            </span>
          </div>
          <button type="button" className="link" onClick={dismiss} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ) : null}
    </div>
  );
}

function describe(sms: SmsView): string {
  return `${sms.amount ?? '?'} ${sms.currency ?? ''} on ${walletName(sms.provider)}, TxnID ${sms.txnid ?? '?'}`.replace(/ {2,}/g, ' ');
}
