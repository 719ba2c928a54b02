import { useState, type FormEvent } from 'react';
import type { TxnidLookupResult } from '../../src-shared/contract/admin';
import { useCounter } from './store';

const VERDICT_TEXT: Record<TxnidLookupResult['verdict'], string> = {
  received: 'PAID',
  held: 'CHECK FIRST',
  wrong_amount: 'WRONG AMOUNT',
  already_used: 'ALREADY USED',
  not_found: 'NOT FOUND',
  spoof: 'FAKE SMS',
};

/** The cashier types (or scans) the TxnID a customer shows and sees the answer at once. */
export function TxnidCheck() {
  const lookup = useCounter((s) => s.lookupTxnid);
  const [txnid, setTxnid] = useState('');
  const [amount, setAmount] = useState('');
  const [result, setResult] = useState<TxnidLookupResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!txnid.trim()) return;
    void lookup(txnid.trim(), amount.trim()).then(
      (r) => {
        setResult(r);
        setError(null);
      },
      (err: unknown) => {
        setResult(null);
        setError(err instanceof Error ? err.message : 'Could not check');
      },
    );
  };
  return (
    <section aria-label="Check a TxnID" className="check">
      <form className="actions" onSubmit={submit}>
        <input aria-label="TxnID" placeholder="TxnID the customer shows" value={txnid} onChange={(e) => setTxnid(e.target.value)} autoFocus />
        <input aria-label="Amount (optional)" placeholder="Amount (optional)" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        <button type="submit" className="approve">
          Check
        </button>
      </form>
      {result ? (
        <div className={`verdict ${result.verdict}`} role="status" data-testid="txnid-verdict">
          <strong>{VERDICT_TEXT[result.verdict]}</strong> {result.message}
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
