import { useState } from 'react';
import type { StaffAlertView } from '../../src-shared/contract/admin';
import type { VerificationView } from '../../src-shared/contract/payments';
import { dateTime, money, reasonDetail, walletName } from './format';
import { useT } from './i18n';
import { useCounter } from './store';
import { ReasonItem } from './txnid-check';

const ALERT_KINDS: readonly StaffAlertView['kind'][] = ['paid_late', 'balance_mismatch', 'spoof_attempt', 'transaction_reversed'];

/** Attempts waiting for a person: approve (Mark paid) or reject (Mark failed) with a reason. */
export function QueueView() {
  const t = useT();
  const verifications = useCounter((s) => s.verifications);
  const alerts = useCounter((s) => s.alerts);
  const resolveAlert = useCounter((s) => s.resolveAlert);
  return (
    <>
      <section aria-label={t('queue.section')}>
        <h2>{t('queue.heading')}</h2>
        {verifications.length === 0 ? <p className="muted">{t('queue.nothing')}</p> : null}
        {verifications.map((v) => (
          <VerificationCard key={v.verification_id} verification={v} />
        ))}
      </section>
      {alerts.length > 0 ? (
        <section aria-label={t('queue.alerts')}>
          <h2>{t('queue.alerts')}</h2>
          <ul className="alerts">
            {alerts.map((a) => (
              <li key={a.id} data-testid="alert" data-kind={a.kind} className={`alert ${a.kind}`}>
                <strong title={a.message}>{ALERT_KINDS.includes(a.kind) ? t(`alert.${a.kind}`) : t('reason.other')}</strong>
                {reasonDetail(a) ? <> · {reasonDetail(a)}</> : null} <span className="muted small">{dateTime(a.created_at)}</span>{' '}
                <button type="button" className="link" onClick={() => void resolveAlert(a.id)}>
                  {t('common.done')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <MissingSms />
      <AnchorForm />
    </>
  );
}

/**
 * Gaps in a wallet's balance chain: an SMS that never came (or not yet). Staff look for it in
 * the wallet app by amount and time; it closes by itself when the SMS arrives late.
 */
function MissingSms() {
  const t = useT();
  const missing = useCounter((s) => s.missing);
  if (missing.length === 0) return null;
  return (
    <section aria-label={t('queue.missingHeading')}>
      <h2>{t('queue.missingHeading')}</h2>
      <p className="muted">{t('queue.missingHelp')}</p>
      <ul className="missing-sms">
        {missing.map((m) => (
          <li key={`${m.provider}:${m.account_key}:${m.before_sms_id}`} data-testid="missing-sms">
            <strong>
              {walletName(m.provider)}
              {m.account_key ? ` ${m.account_key}` : ''}
            </strong>{' '}
            · {t(m.direction === 'credit' ? 'queue.moneyIn' : 'queue.moneyOut', { amount: money(m.amount, m.currency) })}
            {m.ambiguous ? ` ${t('queue.maybeSeveral')}` : ''} · {t('queue.between', { from: dateTime(m.from), to: dateTime(m.to) })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** After a missed SMS the balance check holds every payment: staff read the wallet app and set the real balance. */
function AnchorForm() {
  const t = useT();
  const gateways = useCounter((s) => s.gateways);
  const anchor = useCounter((s) => s.anchorBalance);
  const providers = [...new Set(gateways.map((g) => g.provider))];
  const [provider, setProvider] = useState('');
  const [balance, setBalance] = useState('');
  const [account, setAccount] = useState('');
  if (providers.length === 0) return null;
  const chosen = provider || providers[0] || '';
  return (
    <section aria-label={t('queue.anchorSection')}>
      <h2>{t('queue.anchorHeading')}</h2>
      <p className="muted">{t('queue.anchorHelp')}</p>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (balance.trim()) void anchor(chosen, balance.trim(), account.trim()).then(() => setBalance(''));
        }}
      >
        <select aria-label={t('queue.walletLabel')} value={chosen} onChange={(e) => setProvider(e.target.value)}>
          {providers.map((p) => (
            <option key={p} value={p}>
              {walletName(p)}
            </option>
          ))}
        </select>
        <input
          aria-label={t('queue.accountLabel')}
          placeholder={t('queue.accountPlaceholder')}
          value={account}
          onChange={(e) => setAccount(e.target.value)}
        />
        <input
          aria-label={t('queue.balanceLabel')}
          placeholder={t('queue.balancePlaceholder')}
          inputMode="decimal"
          value={balance}
          onChange={(e) => setBalance(e.target.value)}
        />
        <button type="submit" className="approve">
          {t('queue.setBalance')}
        </button>
      </form>
    </section>
  );
}

function VerificationCard({ verification: v }: { verification: VerificationView }) {
  const t = useT();
  const decide = useCounter((s) => s.decide);
  const [reason, setReason] = useState('');
  return (
    <article className="card" data-testid="verification">
      <div className="card-head">
        <strong>{money(v.amount, v.currency)}</strong> · {t('common.txnid')} <code>{v.txnid_submitted}</code> · {walletName(v.provider)}{' '}
        {v.account_number ?? ''}
        {v.order_id ? <> · {t('common.order', { order: v.order_id })}</> : null}
      </div>
      {v.customer_name || v.customer_phone ? (
        <p className="muted">{t('queue.customer', { who: [v.customer_name, v.customer_phone].filter(Boolean).join(' ') })}</p>
      ) : null}
      {v.review_reasons.length > 0 ? (
        <ul className="reasons">
          {v.review_reasons.map((r) => (
            <ReasonItem key={r.code} reason={r} />
          ))}
        </ul>
      ) : (
        <p className="muted">{t('queue.noSmsYet')}</p>
      )}
      {v.sms_body ? <blockquote className="sms-body">{v.sms_body}</blockquote> : null}
      <div className="actions">
        <button type="button" className="approve" onClick={() => void decide(v.verification_id, 'success')}>
          {t('queue.markPaid')}
        </button>
        <input
          aria-label={t('queue.rejectLabel')}
          placeholder={t('queue.rejectPlaceholder')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="button" className="reject" onClick={() => void decide(v.verification_id, 'failed', reason || undefined)}>
          {t('queue.markFailed')}
        </button>
      </div>
    </article>
  );
}
