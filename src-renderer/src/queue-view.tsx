import { useState } from 'react';
import type { VerificationView } from '../../src-shared/contract/payments';
import { useCounter } from './store';

/** Attempts waiting for a person: approve (Mark paid) or reject (Mark failed) with a reason. */
export function QueueView() {
  const verifications = useCounter((s) => s.verifications);
  const alerts = useCounter((s) => s.alerts);
  return (
    <>
      <section aria-label="To check">
        <h2>Payments to check</h2>
        {verifications.length === 0 ? <p className="muted">Nothing waits for you.</p> : null}
        {verifications.map((v) => (
          <VerificationCard key={v.verification_id} verification={v} />
        ))}
      </section>
      {alerts.length > 0 ? (
        <section aria-label="Alerts">
          <h2>Alerts</h2>
          <ul className="alerts">
            {alerts.map((a) => (
              <li key={a.id} data-testid="alert" className={`alert ${a.kind}`}>
                <strong>{a.kind.replace('_', ' ')}</strong> · {a.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function VerificationCard({ verification: v }: { verification: VerificationView }) {
  const decide = useCounter((s) => s.decide);
  const [reason, setReason] = useState('');
  return (
    <article className="card" data-testid="verification">
      <div className="card-head">
        <strong>
          {v.amount ?? '?'} {v.currency}
        </strong>{' '}
        · TxnID <code>{v.txnid_submitted}</code> · {v.provider} {v.account_number ?? ''}
        {v.order_id ? <> · order {v.order_id}</> : null}
      </div>
      {v.customer_name || v.customer_phone ? (
        <p className="muted">
          Customer: {v.customer_name ?? ''} {v.customer_phone ?? ''}
        </p>
      ) : null}
      {v.review_reasons.length > 0 ? (
        <ul className="reasons">
          {v.review_reasons.map((r) => (
            <li key={r.code}>{r.message}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">No SMS with this TxnID has arrived yet.</p>
      )}
      {v.sms_body ? <blockquote className="sms-body">{v.sms_body}</blockquote> : null}
      <div className="actions">
        <button type="button" className="approve" onClick={() => void decide(v.verification_id, 'success')}>
          Mark paid
        </button>
        <input
          aria-label="Reason for rejecting"
          placeholder="Reason (shown to the merchant)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="button" className="reject" onClick={() => void decide(v.verification_id, 'failed', reason || undefined)}>
          Mark failed
        </button>
      </div>
    </article>
  );
}
