import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useCounter } from './store';

/** Every wallet SMS as stored, with where it came from; staff can paste one by hand. */
export function SmsView() {
  const sms = useCounter((s) => s.sms);
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
      <section aria-label="Paste an SMS">
        <h2>Paste an SMS</h2>
        <form className="paste" onSubmit={submit}>
          <input aria-label="Sender" placeholder="Sender (e.g. bKash)" value={sender} onChange={(e) => setSender(e.target.value)} />
          <textarea aria-label="Message" placeholder="The whole SMS text" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
          <button type="submit">Store SMS</button>
        </form>
        <label className="import">
          Or import an SMS backup export (CSV with sender/address and body/message columns, or JSON):{' '}
          <input type="file" accept=".csv,.json,text/csv,application/json" onChange={onFile} data-testid="sms-import" />
        </label>
      </section>
      <section aria-label="Wallet SMS">
        <h2>Latest SMS</h2>
        {sms.length === 0 ? <p className="muted">No SMS yet.</p> : null}
        <ul className="sms-list">
          {sms.map((m) => (
            <li key={m.id} data-testid="sms-row" className={`sms ${m.kind}`}>
              <div>
                <span className={`kind ${m.kind}`}>{m.kind}</span> <strong>{m.sender}</strong>
                {m.amount ? (
                  <>
                    {' '}
                    · {m.amount} {m.currency}
                  </>
                ) : null}
                {m.txnid ? (
                  <>
                    {' '}
                    · TxnID <code>{m.txnid}</code>
                  </>
                ) : null}
                {m.corroborated ? <span className="pill ok"> corroborated</span> : null}
                {m.manual ? <span className="pill warn"> pasted by staff</span> : null}
                {m.is_test ? <span className="pill"> test</span> : null}
                {m.credit_check?.verdict === 'pays' ? <span className="pill ok"> pays</span> : null}
                {m.credit_check?.verdict === 'check_first' ? (
                  <span className="pill warn" title={m.credit_check.reasons.map((r) => r.message).join('\n')}>
                    {' '}
                    to check
                  </span>
                ) : null}
                {m.credit_check?.verdict === 'rejected' ? <span className="pill bad"> cannot pay</span> : null}
              </div>
              <div className="muted small">
                {new Date(m.received_at).toLocaleString()} · via {[...new Set(m.deliveries.map((d) => d.source))].join(' + ')}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
