import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { CounterSaleResult, TxnidLookupResult } from '../../src-shared/contract/admin';
import { errorWords, walletName, when } from './format';
import { useCounter } from './store';

/** The verdict words a cashier reads at arm's length. */
const VERDICT_TEXT: Record<TxnidLookupResult['verdict'], string> = {
  received: 'PAID',
  held: 'CHECK FIRST',
  wrong_amount: 'WRONG AMOUNT',
  already_used: 'ALREADY USED',
  not_found: 'NOT FOUND YET',
  spoof: 'FAKE SMS',
  reversed: 'REVERSED',
};

/** What the answer area shows: the last check (and what it was asked), or a sale just accepted. */
type Answer =
  | { kind: 'verdict'; result: TxnidLookupResult; txnid: string; amount: string }
  | { kind: 'accepted'; sale: CounterSaleResult; payer: string | null; paidAt: string | null };

/** The check answered PAID, and the box still holds exactly what was checked: Enter (or the button) accepts. */
function acceptable(answer: Answer | null, txnid: string, amount: string): answer is Extract<Answer, { kind: 'verdict' }> {
  return (
    answer?.kind === 'verdict' &&
    answer.result.verdict === 'received' &&
    answer.result.can_accept === true &&
    answer.txnid === txnid.trim() &&
    answer.amount === amount.trim()
  );
}

/**
 * The cashier types (or scans) the TxnID a customer shows: Enter checks; on PAID, Enter
 * again (the same TxnID unchanged) accepts it for this sale, which spends it everywhere;
 * Esc clears. The TxnID box keeps the focus throughout, ready for the next customer.
 */
export function TxnidCheck() {
  const lookup = useCounter((s) => s.lookupTxnid);
  const accept = useCounter((s) => s.acceptTxnid);
  const [txnid, setTxnid] = useState('');
  const [amount, setAmount] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'accept' | null>(null);
  const box = useRef<HTMLInputElement>(null);
  // Only the newest request may write the answer: a slow reply never overwrites a newer one.
  const latest = useRef(0);
  // One accept at a time, even if Enter repeats faster than React re-renders.
  const accepting = useRef(false);
  const focusBox = () => box.current?.focus();

  const check = async (keepError = false) => {
    const t = txnid.trim();
    const a = amount.trim();
    if (!t) return focusBox();
    const seq = ++latest.current;
    setBusy('check');
    if (!keepError) setError(null);
    try {
      const result = await lookup(t, a);
      if (seq !== latest.current) return;
      setAnswer({ kind: 'verdict', result, txnid: t, amount: a });
    } catch (err) {
      if (seq !== latest.current) return;
      setAnswer(null);
      setError(errorWords(err, 'check'));
    } finally {
      if (seq === latest.current) setBusy(null);
      focusBox();
    }
  };

  const acceptNow = async () => {
    if (!acceptable(answer, txnid, amount) || busy || accepting.current) return;
    accepting.current = true;
    const { result } = answer;
    const seq = ++latest.current;
    setBusy('accept');
    setError(null);
    try {
      // The boxes are read-only and Esc waits while this runs, so nothing can hide a sale once accepted.
      const sale = await accept(result.txnid, answer.amount, result.sms?.id ?? null);
      latest.current++;
      setAnswer({ kind: 'accepted', sale, payer: result.sms?.counterparty ?? null, paidAt: result.sms?.received_at ?? null });
      setTxnid('');
      setAmount('');
      setBusy(null);
    } catch (err) {
      if (seq !== latest.current) return;
      setBusy(null);
      setError(errorWords(err, 'accept'));
      // Whatever happened (someone else took it, or the reply was lost), show what the credit is now.
      await check(true);
    } finally {
      accepting.current = false;
      focusBox();
    }
  };

  const clear = () => {
    latest.current++;
    setTxnid('');
    setAmount('');
    setAnswer(null);
    setError(null);
    setBusy(null);
    focusBox();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (busy === 'accept') {
      if (event.key === 'Enter' || event.key === 'Escape') event.preventDefault();
      return;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      clear();
    } else if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      if (busy) return;
      if (acceptable(answer, txnid, amount)) void acceptNow();
      else void check();
    }
  };

  // Typing anything new makes the last answer stale: it goes, so the screen never shows PAID for another TxnID.
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    latest.current++;
    setBusy(null);
    setAnswer(null);
    setError(null);
  };

  const canAccept = acceptable(answer, txnid, amount);
  return (
    <section aria-label="Check a TxnID" className="check">
      <form className="actions check-form" onKeyDown={onKeyDown} onSubmit={(e) => e.preventDefault()}>
        <input
          ref={box}
          aria-label="TxnID"
          placeholder="TxnID the customer shows"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          readOnly={busy === 'accept'}
          value={txnid}
          onChange={(e) => edit(setTxnid)(e.target.value)}
          autoFocus
        />
        <input
          aria-label="Amount (optional)"
          placeholder="Amount (optional)"
          inputMode="decimal"
          autoComplete="off"
          readOnly={busy === 'accept'}
          value={amount}
          onChange={(e) => edit(setAmount)(e.target.value)}
        />
        <button type="button" className="approve" onClick={() => void check()} disabled={busy !== null}>
          {busy === 'check' ? 'Checking…' : 'Check'}
        </button>
      </form>
      <p className="muted small keys">Enter: check · Enter again on PAID: accept · Esc: clear</p>
      {answer?.kind === 'verdict' ? (
        <VerdictPanel
          answer={answer}
          action={
            canAccept ? (
              <button type="button" className="accept" onClick={() => void acceptNow()} disabled={busy !== null}>
                {busy === 'accept' ? 'Accepting…' : 'Accept payment'}
                <span className="key-hint"> (Enter)</span>
              </button>
            ) : null
          }
        />
      ) : null}
      {answer?.kind === 'accepted' ? <AcceptedPanel answer={answer} /> : null}
      {error ? (
        <p className="check-error" role="alert" data-testid="txnid-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function AcceptedPanel({ answer }: { answer: Extract<Answer, { kind: 'accepted' }> }) {
  const { sale } = answer;
  return (
    <div className="verdict accepted" role="status" aria-live="polite" data-testid="txnid-verdict" data-verdict="accepted">
      <div className="verdict-head">
        <strong className="verdict-word">ACCEPTED</strong>
        <span className="verdict-amount">
          {sale.amount} {sale.currency ?? ''}
        </span>
      </div>
      <p className="verdict-detail">
        {walletName(sale.provider)} · TxnID <code>{sale.txnid}</code>
        {answer.payer ? <> · from {answer.payer}</> : null}
      </p>
      <p className="verdict-detail">
        Paid {when(answer.paidAt)} · accepted {when(sale.accepted_at)}
      </p>
      <p className="verdict-advice">Hand over the goods. The TxnID box is ready for the next customer.</p>
    </div>
  );
}

function VerdictPanel({ answer, action }: { answer: Extract<Answer, { kind: 'verdict' }>; action: ReactNode }) {
  const { result } = answer;
  const { sms } = result;
  const reasons = result.reasons ?? [];
  const money = sms?.amount ? `${sms.amount} ${sms.currency ?? ''}`.trim() : null;
  const credit = sms ? (
    <p className="verdict-detail">
      {walletName(sms.provider)}
      {sms.counterparty ? <> · from {sms.counterparty}</> : null} · {when(sms.received_at)} · TxnID <code>{result.txnid}</code>
    </p>
  ) : null;

  let body: ReactNode;
  switch (result.verdict) {
    case 'received':
      body = (
        <>
          {credit}
          {result.can_accept ? null : <p className="verdict-advice">{result.message}</p>}
        </>
      );
      break;
    case 'wrong_amount':
      body = (
        <>
          <p className="verdict-detail">
            The wallet received <strong>{money ?? '?'}</strong>; the sale is <strong>{answer.amount || '?'}</strong>.
          </p>
          {credit}
          <p className="verdict-advice">Ask the customer to pay the difference, or change the sale.</p>
        </>
      );
      break;
    case 'already_used':
      body = (
        <>
          <p className="verdict-detail">{usedByText(result)}</p>
          {credit}
          <p className="verdict-advice">One payment pays once: do not hand over goods for it again.</p>
        </>
      );
      break;
    case 'held':
      body = (
        <>
          {credit}
          <ul className="verdict-reasons" aria-label="Why to check">
            {reasons.length > 0 ? reasons.map((r) => <li key={r.code}>{r.message}</li>) : <li>{result.message}</li>}
          </ul>
          <p className="verdict-advice">Do not hand over goods until you have looked in the wallet app.</p>
        </>
      );
      break;
    case 'reversed':
      body = (
        <>
          <p className="verdict-detail">The wallet took this money back{money ? ` (${money})` : ''}.</p>
          {credit}
          <p className="verdict-advice">Do not hand over goods for it.</p>
        </>
      );
      break;
    case 'spoof':
      body = (
        <>
          <p className="verdict-detail">{result.message}</p>
          <p className="verdict-advice">The SMS did not come from the wallet. Do not hand over goods for it.</p>
        </>
      );
      break;
    case 'not_found':
      body = <p className="verdict-detail">{result.message}</p>;
      break;
  }
  return (
    <div className={`verdict ${result.verdict}`} role="status" aria-live="polite" data-testid="txnid-verdict" data-verdict={result.verdict}>
      <div className="verdict-head">
        <strong className="verdict-word">{VERDICT_TEXT[result.verdict]}</strong>
        {money && result.verdict === 'received' ? <span className="verdict-amount">{money}</span> : null}
      </div>
      {body}
      {action}
    </div>
  );
}

function usedByText(result: TxnidLookupResult): string {
  const u = result.used_by;
  if (!u) return result.message;
  const what =
    u.source === 'counter'
      ? 'a sale at the counter'
      : u.order_id
        ? `order ${u.order_id}`
        : u.session_id
          ? `payment session ${u.session_id}`
          : 'another payment';
  const amount = u.amount ? ` (${u.amount} ${result.sms?.currency ?? ''})`.replace(' )', ')') : '';
  return `Already used for ${what}${amount}${u.at ? `, ${when(u.at)}` : ''}.`;
}
