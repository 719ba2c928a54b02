import { PROVIDERS } from '../../src-shared/providers';
import { useCounter } from './store';

/** The moment a wallet credit arrives, staff see it without looking for it. */
export function CreditBanner() {
  const banner = useCounter((s) => s.banner);
  const dismiss = useCounter((s) => s.dismissBanner);
  if (!banner) return null;
  return (
    <div className="banner" role="alert" data-testid="credit-banner">
      <strong>
        {banner.amount} {banner.currency}
      </strong>{' '}
      received on {PROVIDERS.find((p) => p.id === banner.provider)?.name ?? banner.provider} · TxnID <code>{banner.txnid}</code>
      {banner.counterparty ? <> · from {banner.counterparty}</> : null}
      <button type="button" className="link" onClick={dismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
