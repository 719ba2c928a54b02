import type { SmsView } from '../../src-shared/sms';
import { money, walletName } from './format';
import { t as tr, useT } from './i18n';
import { useCounter } from './store';
import { ReasonItem } from './txnid-check';

/**
 * The moment a wallet credit arrives, staff see it without looking for it: green (and a
 * chime) only for a credit that pays by itself; amber "To check" with its reasons for one
 * that needs a person first. Spoofs and test SMS show nothing here.
 */
export function CreditBanner() {
  const t = useT();
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
          aria-label={t('banner.toCheckLabel', { what: describe(sms) })}
          data-testid="check-banner"
        >
          <div className="banner-main">
            <span className="banner-word">
              <span aria-hidden="true">⚠ </span>
              {t('banner.toCheck')}
            </span>
            <span className="banner-amount">{money(sms.amount, sms.currency)}</span>
            <span className="banner-detail">
              {t('banner.onWallet', { wallet: walletName(sms.provider) })} · {t('common.txnid')} <code>{sms.txnid}</code>
              {sms.counterparty ? <> · {t('common.fromPayer', { payer: sms.counterparty })}</> : null}
            </span>
            <span className="banner-hint">{t('banner.hint')}</span>
            <ul className="banner-reasons">
              {(sms.credit_check?.reasons ?? []).map((r) => (
                <ReasonItem key={r.code} reason={r} />
              ))}
            </ul>
          </div>
          <button
            type="button"
            className="link"
            onClick={() => dismissToCheck(sms.id)}
            aria-label={t('banner.hide', { txnid: sms.txnid ?? '' })}
          >
            ✕
          </button>
        </div>
      ))}
      {banner ? (
        <div
          className="banner pays"
          role="alert"
          aria-label={t('banner.receivedLabel', { what: describe(banner) })}
          data-testid="credit-banner"
        >
          <div className="banner-main">
            <span className="banner-word">
              <span aria-hidden="true">✓ </span>
              {t('banner.received')}
            </span>
            <span className="banner-amount">{money(banner.amount, banner.currency)}</span>
            <span className="banner-detail">
              {t('banner.onWallet', { wallet: walletName(banner.provider) })} · {t('common.txnid')} <code>{banner.txnid}</code>
              {banner.counterparty ? <> · {t('common.fromPayer', { payer: banner.counterparty })}</> : null}
            </span>
          </div>
          <button type="button" className="link" onClick={dismiss} aria-label={t('banner.dismiss')}>
            ✕
          </button>
        </div>
      ) : null}
    </div>
  );
}

function describe(sms: SmsView): string {
  return tr('banner.describe', { money: money(sms.amount, sms.currency), wallet: walletName(sms.provider), txnid: sms.txnid ?? '?' });
}
