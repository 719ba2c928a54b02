import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { SMS_FILTERS, type SmsFilter, type SmsListItem } from '../../src-shared/contract/payment-search';
import { dateTime, money, smsKindText, smsSourcesText, walletName } from './format';
import { useT } from './i18n';
import { currentClient, useCounter } from './store';

/** Every wallet SMS as stored, with its text and where it came from; staff can paste one by hand. */
export function SmsView() {
  const t = useT();
  const live = useCounter((s) => s.sms);
  const [filter, setFilter] = useState<SmsFilter>('all');
  const [listed, setListed] = useState<SmsListItem[] | null>(null);
  // The chosen tab from the core (with each credit's claim); read again when an SMS arrives.
  useEffect(() => {
    const client = currentClient();
    if (!client) return;
    let current = true;
    client
      .invoke('sms.list', { filter, limit: 100 })
      .then((r) => {
        if (current) setListed(r.sms);
      })
      .catch(() => {
        if (current) setListed(null);
      });
    return () => {
      current = false;
    };
  }, [filter, live]);
  const sms: (SmsListItem | (typeof live)[number])[] = listed ?? (filter === 'all' ? live : []);
  const pasteSms = useCounter((s) => s.pasteSms);
  const importSms = useCounter((s) => s.importSms);
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const format = file.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    void file.text().then((content) => importSms(format, content));
    event.target.value = '';
  };
  const [sender, setSender] = useState('');
  const [body, setBody] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!sender.trim() || !body.trim()) return;
    void pasteSms(sender.trim(), body).then(() => setBody(''));
  };
  return (
    <>
      <section aria-label={t('sms.pasteSection')}>
        <h2>{t('sms.pasteHeading')}</h2>
        <form className="paste" onSubmit={submit}>
          <input
            aria-label={t('sms.senderLabel')}
            placeholder={t('sms.senderPlaceholder')}
            value={sender}
            onChange={(e) => setSender(e.target.value)}
          />
          <textarea
            aria-label={t('sms.messageLabel')}
            placeholder={t('sms.messagePlaceholder')}
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          <button type="submit">{t('sms.store')}</button>
        </form>
        <label className="import">
          {t('sms.importLabel')}{' '}
          <input type="file" accept=".csv,.json,text/csv,application/json" onChange={onFile} data-testid="sms-import" />
        </label>
      </section>
      <section aria-label={t('sms.listSection')}>
        <h2>{t('sms.latest')}</h2>
        <div className="tabs sms-filters" role="tablist" aria-label={t('smsFilters.label')}>
          {SMS_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              role="tab"
              aria-selected={filter === f}
              className={filter === f ? 'tab active' : 'tab'}
              data-testid={`sms-filter-${f}`}
              onClick={() => setFilter(f)}
            >
              {t(`smsFilters.${f}`)}
            </button>
          ))}
        </div>
        {sms.length === 0 ? <p className="muted">{t('sms.none')}</p> : null}
        <ul className="sms-list">
          {sms.map((m) => (
            <li key={m.id} data-testid="sms-row" data-kind={m.kind} className={`sms ${m.kind}`}>
              <div>
                <span className={`kind ${m.kind}`}>{smsKindText(m.kind)}</span>{' '}
                <strong>{m.provider ? walletName(m.provider) : m.sender}</strong>
                {m.provider && m.sender !== walletName(m.provider) ? <span className="muted small"> ({m.sender})</span> : null}
                {m.amount ? <> · {money(m.amount, m.currency)}</> : null}
                {m.txnid ? (
                  <>
                    {' '}
                    · {t('common.txnid')} <code>{m.txnid}</code>
                  </>
                ) : null}
                {m.corroborated ? <span className="pill ok"> {t('sms.corroborated')}</span> : null}
                {m.manual ? <span className="pill warn"> {t('sms.pasted')}</span> : null}
                {m.is_test ? <span className="pill"> {t('sms.test')}</span> : null}
                {m.credit_check?.verdict === 'pays' ? <span className="pill ok"> {t('sms.pays')}</span> : null}
                {m.credit_check?.verdict === 'check_first' ? (
                  <span className="pill warn" title={m.credit_check.reasons.map((r) => r.message).join('\n')}>
                    {' '}
                    {t('sms.toCheck')}
                  </span>
                ) : null}
                {m.credit_check?.verdict === 'rejected' ? <span className="pill bad"> {t('sms.cannotPay')}</span> : null}
              </div>
              <blockquote className="sms-body" dir="auto" data-testid="sms-body">
                {m.body}
              </blockquote>
              <div className="muted small">
                {dateTime(m.received_at)} · {t('sms.via', { sources: smsSourcesText(m.deliveries) })}
              </div>
              {'claim' in m && m.kind === 'credit' ? (
                <div className="small" data-testid="sms-claim">
                  {m.claim
                    ? m.claim.kind === 'counter'
                      ? t('smsFilters.claimCounter', { time: m.claim.at ? dateTime(m.claim.at) : '' })
                      : t('smsFilters.claimOrder', { order: m.claim.order_id ?? '' })
                    : t('smsFilters.unclaimedNote')}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
