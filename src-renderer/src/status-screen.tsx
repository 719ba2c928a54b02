import type { StatusSnapshot } from '../../src-shared/contract/admin';
import { useCounter } from './store';
import { TxnidCheck } from './txnid-check';

const COUNT_LABELS: [keyof StatusSnapshot['counts'], string][] = [
  ['sms', 'SMS stored'],
  ['sessions', 'Sessions'],
  ['sessions_pending', 'Pending sessions'],
  ['transactions', 'Transactions'],
  ['gateways', 'Gateways'],
  ['devices', 'Devices'],
];

export function StatusScreen() {
  const status = useCounter((s) => s.status);
  const gateways = useCounter((s) => s.gateways);
  const sessions = useCounter((s) => s.sessions);
  if (!status) return null;
  return (
    <>
      <TxnidCheck />
      <section aria-label="Counts" className="counts">
        {COUNT_LABELS.map(([key, label]) => (
          <div key={key} className="count" data-testid={`count-${key}`}>
            <span className="value">{status.counts[key]}</span>
            <span className="label">{label}</span>
          </div>
        ))}
      </section>
      <section aria-label="Recent sessions">
        <h2>Recent sessions</h2>
        {sessions.length === 0 ? (
          <p className="muted">No payment session yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Order</th>
                <th>Amount</th>
                <th>Status</th>
                <th>TxnID</th>
                <th>How</th>
              </tr>
            </thead>
            <tbody>
              {sessions.slice(0, 10).map((s) => (
                <tr key={s.id} data-testid="session-row">
                  <td>
                    {s.order_id}
                    {s.test ? <em className="muted"> (test)</em> : null}
                  </td>
                  <td>
                    {s.amount} {s.currency}
                  </td>
                  <td>
                    <span className={`state ${s.status}`}>{s.status}</span>
                  </td>
                  <td>{s.latest_transaction?.txnid_submitted ?? '—'}</td>
                  <td>{s.latest_transaction?.result_source ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Listeners">
        <h2>Listeners</h2>
        <table>
          <tbody>
            {(['public', 'device', 'admin'] as const).map((name) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td data-testid={`listener-${name}`}>{status.listeners[name]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Database">
        <h2>Database</h2>
        <p data-testid="database-path">
          <code>{status.database_path}</code>
        </p>
        <p className="muted">
          CounterPay {status.version}, running since {new Date(status.started_at).toLocaleString()}
        </p>
      </section>
      <section aria-label="Gateways">
        <h2>Gateways</h2>
        {gateways.length === 0 ? (
          <p className="muted">
            No gateway yet. Add one: <code>npm run cli -- gateway add --provider bkash --account 01711111111</code>
          </p>
        ) : (
          <ul className="gateways">
            {gateways.map((g) => (
              <li key={g.id} data-testid="gateway">
                <strong>{g.label ?? g.provider}</strong> · {g.provider} {g.variant} · {g.account_identifiers.join(', ')}
                {g.enabled ? null : <em> (disabled)</em>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
