import { useState } from 'react';
import type { StaffAlertView } from '../../src-shared/contract/admin';
import type { VerificationView } from '../../src-shared/contract/payments';
import { walletName } from './format';
import { useCounter } from './store';

/** Each alert kind in a cashier's words. */
export const ALERT_TEXT: Record<StaffAlertView['kind'], string> = {
  paid_late: 'Paid after the order closed',
  balance_mismatch: "Balance does not follow the wallet's",
  spoof_attempt: 'Fake SMS attempt',
  transaction_reversed: 'Payment reversed by the wallet',
};

/** Attempts waiting for a person: approve (Mark paid) or reject (Mark failed) with a reason. */
export function QueueView() {
  const verifications = useCounter((s) => s.verifications);
  const alerts = useCounter((s) => s.alerts);
  const resolveAlert = useCounter((s) => s.resolveAlert);
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
              <li key={a.id} data-testid="alert" data-kind={a.kind} className={`alert ${a.kind}`}>
                <strong>{ALERT_TEXT[a.kind] ?? a.kind}</strong> · {a.message}{' '}
                <span className="muted small">{new Date(a.created_at).toLocaleString()}</span>{' '}
                <button type="button" className="link" onClick={() => void resolveAlert(a.id)}>
                  Done
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
  const missing = useCounter((s) => s.missing);
  if (missing.length === 0) return null;
  return (
    <section aria-label="SMS that seem missing">
      <h2>SMS that seem missing</h2>
      <p className="muted">Payments after a gap wait for a check. Find these in the wallet app, then set the balance below.</p>
      <ul className="missing-sms">
        {missing.map((m) => (
          <li key={`${m.provider}:${m.account_key}:${m.before_sms_id}`} data-testid="missing-sms">
            <strong>
              {walletName(m.provider)}
              {m.account_key ? ` ${m.account_key}` : ''}
            </strong>{' '}
            · {m.direction === 'credit' ? 'money in' : 'money out'} of {m.amount} {m.currency ?? ''}
            {m.ambiguous ? ' (maybe several SMS)' : ''} · between {new Date(m.from).toLocaleString()} and {new Date(m.to).toLocaleString()}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** After a missed SMS the balance check holds every payment: staff read the wallet app and set the real balance. */
function AnchorForm() {
  const gateways = useCounter((s) => s.gateways);
  const anchor = useCounter((s) => s.anchorBalance);
  const providers = [...new Set(gateways.map((g) => g.provider))];
  const [provider, setProvider] = useState('');
  const [balance, setBalance] = useState('');
  const [account, setAccount] = useState('');
  if (providers.length === 0) return null;
  const chosen = provider || providers[0] || '';
  return (
    <section aria-label="Set a wallet balance">
      <h2>Set a wallet's balance</h2>
      <p className="muted">
        When payments wait with “balance does not follow” because an SMS was missed, read the balance in the wallet app and set it here.
      </p>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (balance.trim()) void anchor(chosen, balance.trim(), account.trim()).then(() => setBalance(''));
        }}
      >
        <select aria-label="Wallet" value={chosen} onChange={(e) => setProvider(e.target.value)}>
          {providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <input
          aria-label="Account shown in the SMS (optional)"
          placeholder="Account in SMS, e.g. XX6788 (optional)"
          value={account}
          onChange={(e) => setAccount(e.target.value)}
        />
        <input
          aria-label="Balance"
          placeholder="Balance, e.g. 1500.50"
          inputMode="decimal"
          value={balance}
          onChange={(e) => setBalance(e.target.value)}
        />
        <button type="submit" className="approve">
          Set balance
        </button>
      </form>
    </section>
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
