import type { StatusSnapshot } from '../../src-shared/contract/admin';
import { count, dateTime, money, sessionStatusText, sourceText, variantName, walletName } from './format';
import { useT } from './i18n';
import { useCounter } from './store';
import { TxnidCheck } from './txnid-check';

const COUNT_KEYS: (keyof StatusSnapshot['counts'])[] = ['sms', 'sessions', 'sessions_pending', 'transactions', 'gateways', 'devices'];

export function StatusScreen() {
  const t = useT();
  const status = useCounter((s) => s.status);
  const gateways = useCounter((s) => s.gateways);
  const sessions = useCounter((s) => s.sessions);
  if (!status) return null;
  return (
    <>
      <TxnidCheck />
      <section aria-label={t('overview.counts')} className="counts">
        {COUNT_KEYS.map((key) => (
          <div key={key} className="count" data-testid={`count-${key}`} data-count={status.counts[key]}>
            <span className="value">{count(status.counts[key])}</span>
            <span className="label">{t(`overview.count.${key}`)}</span>
          </div>
        ))}
      </section>
      <section aria-label={t('overview.recent')}>
        <h2>{t('overview.recent')}</h2>
        {sessions.length === 0 ? (
          <p className="muted">{t('overview.noSession')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('overview.colOrder')}</th>
                  <th>{t('overview.colAmount')}</th>
                  <th>{t('overview.colStatus')}</th>
                  <th>{t('overview.colTxnid')}</th>
                  <th>{t('overview.colHow')}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.slice(0, 10).map((s) => (
                  <tr key={s.id} data-testid="session-row" data-status={s.status}>
                    <td>
                      {s.order_id}
                      {s.test ? <em className="muted"> {t('common.test')}</em> : null}
                    </td>
                    <td className="num">{money(s.amount, s.currency)}</td>
                    <td>
                      <span className={`state ${s.status}`}>{sessionStatusText(s)}</span>
                    </td>
                    <td>{s.latest_transaction?.txnid_submitted ?? '—'}</td>
                    <td data-testid="session-how">{sourceText(s.latest_transaction?.result_source)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-label={t('overview.gateways')}>
        <h2>{t('overview.gateways')}</h2>
        {gateways.length === 0 ? (
          <p className="muted">{t('overview.noGateway')}</p>
        ) : (
          <ul className="gateways">
            {gateways.map((g) => (
              <li key={g.id} data-testid="gateway">
                <strong>{g.label ?? walletName(g.provider)}</strong> · {walletName(g.provider)} {variantName(g.variant)} ·{' '}
                {g.account_identifiers.join(', ')}
                {g.enabled ? null : <em> {t('overview.disabled')}</em>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <details className="technical">
        <summary>{t('overview.technical')}</summary>
        <section aria-label={t('overview.listeners')}>
          <h2>{t('overview.listeners')}</h2>
          <table>
            <tbody>
              {(['public', 'device', 'admin'] as const).map((name) => (
                <tr key={name}>
                  <th scope="row">{t(`overview.listener.${name}`)}</th>
                  <td data-testid={`listener-${name}`} dir="ltr">
                    {status.listeners[name]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label={t('overview.database')}>
          <h2>{t('overview.database')}</h2>
          <p data-testid="database-path" dir="ltr">
            <code>{status.database_path}</code>
          </p>
          <p className="muted">{t('overview.running', { version: status.version, since: dateTime(status.started_at) })}</p>
        </section>
      </details>
    </>
  );
}
