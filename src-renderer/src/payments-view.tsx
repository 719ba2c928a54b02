import { useEffect, type FormEvent } from 'react';
import type { PaymentDecisionView, PaymentListItem, PaymentTimelineEntry } from '../../src-shared/contract/payment-search';
import { PAYMENT_STATUSES } from '../../src-shared/contract/payment-search';
import { PROVIDER_IDS } from '../../src-shared/providers';
import { dateTime, money, reasonText, walletName } from './format';
import { t, useT } from './i18n';
import { usePayments, type PaymentFilters } from './payments-store';

/** Who did it, in words: staff, the phone, the customer, the merchant's site, CounterPay itself. */
export function whoText(who: string | null): string {
  if (!who) return '';
  if (who === 'staff') return t('payments.who.staff');
  if (who === 'system') return t('payments.who.system');
  if (who === 'customer') return t('payments.who.customer');
  if (who === 'merchant') return t('payments.who.merchant');
  if (who === 'phone' || who.startsWith('apk')) return t('payments.who.phone');
  return t('payments.who.other');
}

/** A staff decision in words: "Rejected: <reason>" or "Approved by <who>". */
export function decisionText(d: PaymentDecisionView): string {
  if (d.result === 'approved') return t('payments.approvedBy', { who: whoText(d.by) });
  return d.reason ? t('payments.rejectedBecause', { reason: d.reason }) : t('payments.rejected');
}

function statusText(p: PaymentListItem): string {
  if (p.decision?.result === 'rejected') return decisionText(p.decision);
  if (p.reversed_at) return t('payments.status.reversed');
  return t(`payments.status.${p.status}`);
}

function eventText(e: PaymentTimelineEntry): string {
  switch (e.event) {
    case 'rejected':
      return e.reason ? t('payments.rejectedBecause', { reason: e.reason }) : t('payments.rejected');
    case 'approved':
      return t('payments.approvedBy', { who: whoText(e.who) });
    case 'alert':
      return e.alert_kind ? t(`payments.alert.${e.alert_kind}`) : t('payments.event.alert');
    default:
      return t(`payments.event.${e.event}`);
  }
}

function auditText(action: string): string {
  if (action === 'verification.approved') return t('payments.audit.approved');
  if (action === 'verification.rejected') return t('payments.audit.rejected');
  if (action === 'counter.sale_accepted') return t('payments.audit.counterSale');
  if (action === 'txnid.verified') return t('payments.audit.verified');
  return t('payments.audit.other');
}

/** Sessions and counter sales: search, filters, list, and one payment's story. */
export function PaymentsView() {
  const tr = useT();
  const { filters, payments, nextBefore, loading, error, detail } = usePayments();
  const setFilters = usePayments((s) => s.setFilters);
  const search = usePayments((s) => s.search);
  const open = usePayments((s) => s.open);
  const close = usePayments((s) => s.close);
  useEffect(() => {
    void search();
  }, [search]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void search();
  };
  const change = (patch: Partial<PaymentFilters>) => {
    setFilters(patch);
    void search();
  };

  if (detail) {
    const p = detail.payment;
    return (
      <section aria-label={tr('payments.detailSection')} data-testid="payment-detail">
        <button type="button" onClick={close}>
          {tr('payments.back')}
        </button>
        <h2>{p.kind === 'counter' ? tr('payments.counterSale') : tr('payments.orderTitle', { order: p.order_id ?? '' })}</h2>
        <p>
          <strong data-testid="payment-status">{statusText(p)}</strong> · {money(p.amount, p.currency)}
          {p.wallet ? <> · {walletName(p.wallet)}</> : null}
          {p.txnid ? (
            <>
              {' '}
              · {tr('common.txnid')} <code>{p.txnid}</code>
            </>
          ) : null}
          {p.test ? <span className="pill"> {tr('payments.testPill')}</span> : null}
        </p>
        {p.customer_phone || detail.customer_name ? (
          <p className="muted">
            {tr('payments.customer')}: {[detail.customer_name, p.customer_phone].filter(Boolean).join(' · ')}
          </p>
        ) : null}
        <h3>{tr('payments.timeline')}</h3>
        <ol className="timeline" data-testid="payment-timeline">
          {detail.timeline.map((e, i) => (
            <li key={i} data-event={e.event}>
              <span className="muted small">{dateTime(e.at)}</span> <strong>{eventText(e)}</strong>
              {e.event !== 'approved' && e.who ? <span className="muted"> · {whoText(e.who)}</span> : null}
              {e.txnid && e.event !== 'created' ? (
                <>
                  {' '}
                  · <code>{e.txnid}</code>
                </>
              ) : null}
              {e.amount ? <> · {money(e.amount, p.currency)}</> : null}
              {e.event === 'failed' && e.reason ? <div className="muted small">{e.reason}</div> : null}
            </li>
          ))}
        </ol>
        {detail.attempts.some((a) => a.review_reasons.length > 0) ? (
          <>
            <h3>{tr('payments.checks')}</h3>
            <ul>
              {detail.attempts.flatMap((a) => a.review_reasons.map((r, i) => <li key={`${a.transaction_id}-${i}`}>{reasonText(r)}</li>))}
            </ul>
          </>
        ) : null}
        {detail.sms.length > 0 ? (
          <>
            <h3>{tr('payments.smsHeading')}</h3>
            {detail.sms.map((m) => (
              <blockquote key={m.id} className="sms-body" dir="auto">
                {m.body}
              </blockquote>
            ))}
          </>
        ) : null}
        <h3>{tr('payments.auditHeading')}</h3>
        {detail.audit.length === 0 ? <p className="muted">{tr('payments.noAudit')}</p> : null}
        <ul data-testid="payment-audit">
          {detail.audit.map((a) => (
            <li key={a.seq}>
              <span className="muted small">{dateTime(a.at)}</span> {auditText(a.action)} · {whoText(a.actor)}
            </li>
          ))}
        </ul>
      </section>
    );
  }

  return (
    <section aria-label={tr('payments.section')}>
      <h2>{tr('payments.heading')}</h2>
      <form className="payments-search" onSubmit={submit}>
        <input
          aria-label={tr('payments.searchLabel')}
          placeholder={tr('payments.searchPlaceholder')}
          value={filters.q}
          onChange={(e) => setFilters({ q: e.target.value })}
          data-testid="payments-q"
        />
        <button type="submit">{tr('payments.search')}</button>
      </form>
      <div className="payments-filters">
        <label>
          {tr('payments.filter.status')}{' '}
          <select value={filters.status} onChange={(e) => change({ status: e.target.value as PaymentFilters['status'] })}>
            <option value="">{tr('payments.filter.any')}</option>
            {PAYMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {tr(`payments.status.${s}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {tr('payments.filter.wallet')}{' '}
          <select value={filters.wallet} onChange={(e) => change({ wallet: e.target.value })}>
            <option value="">{tr('payments.filter.any')}</option>
            {PROVIDER_IDS.map((w) => (
              <option key={w} value={w}>
                {walletName(w)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {tr('payments.filter.from')} <input type="date" value={filters.from} onChange={(e) => change({ from: e.target.value })} />
        </label>{' '}
        <label>
          {tr('payments.filter.to')} <input type="date" value={filters.to} onChange={(e) => change({ to: e.target.value })} />
        </label>{' '}
        <label>
          {tr('payments.filter.mode')}{' '}
          <select value={filters.mode} onChange={(e) => change({ mode: e.target.value as PaymentFilters['mode'] })}>
            <option value="all">{tr('payments.filter.any')}</option>
            <option value="live">{tr('payments.filter.live')}</option>
            <option value="test">{tr('payments.filter.test')}</option>
          </select>
        </label>{' '}
        <label>
          {tr('payments.filter.kind')}{' '}
          <select value={filters.kind} onChange={(e) => change({ kind: e.target.value as PaymentFilters['kind'] })}>
            <option value="all">{tr('payments.filter.any')}</option>
            <option value="sessions">{tr('payments.filter.sessions')}</option>
            <option value="counter">{tr('payments.filter.counter')}</option>
          </select>
        </label>
      </div>
      {error ? <p className="error">{error}</p> : null}
      {!loading && payments.length === 0 ? <p className="muted">{tr('payments.none')}</p> : null}
      <table className="payments-list">
        <thead>
          <tr>
            <th>{tr('payments.col.when')}</th>
            <th>{tr('payments.col.what')}</th>
            <th>{tr('payments.col.amount')}</th>
            <th>{tr('payments.col.wallet')}</th>
            <th>{tr('common.txnid')}</th>
            <th>{tr('payments.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((p) => (
            <tr key={p.session_id ?? `t${p.transaction_id}`} data-testid="payment-row">
              <td>{dateTime(p.created_at)}</td>
              <td>
                <button type="button" className="link" onClick={() => void open(p)}>
                  {p.kind === 'counter' ? tr('payments.counterSale') : p.order_id}
                </button>
                {p.test ? <span className="pill"> {tr('payments.testPill')}</span> : null}
              </td>
              <td>{money(p.amount, p.currency)}</td>
              <td>{p.wallet ? walletName(p.wallet) : ''}</td>
              <td>{p.txnid ? <code>{p.txnid}</code> : null}</td>
              <td>{statusText(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextBefore ? (
        <button type="button" onClick={() => void search(true)}>
          {tr('payments.more')}
        </button>
      ) : null}
    </section>
  );
}
