import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Trans } from 'react-i18next';
import type { CounterSaleResult, NearMatchView, TxnidLookupResult } from '../../src-shared/contract/admin';
import { errorWords, money as moneyText, reasonDetail, reasonText, walletName, when } from './format';
import { t as tr, useT } from './i18n';
import { useCounter } from './store';

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
  const t = useT();
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

  const check = async (keepError = false, chosen?: string) => {
    const t = (chosen ?? txnid).trim();
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
    <section aria-label={t('check.section')} className="check">
      <form className="actions check-form" onKeyDown={onKeyDown} onSubmit={(e) => e.preventDefault()}>
        <input
          ref={box}
          aria-label={t('check.txnidLabel')}
          placeholder={t('check.txnidPlaceholder')}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          readOnly={busy === 'accept'}
          value={txnid}
          onChange={(e) => edit(setTxnid)(e.target.value)}
          autoFocus
        />
        <input
          aria-label={t('check.amountLabel')}
          placeholder={t('check.amountLabel')}
          inputMode="decimal"
          autoComplete="off"
          readOnly={busy === 'accept'}
          value={amount}
          onChange={(e) => edit(setAmount)(e.target.value)}
        />
        <button type="button" className="approve" onClick={() => void check()} disabled={busy !== null}>
          {busy === 'check' ? t('check.checking') : t('check.check')}
        </button>
      </form>
      <p className="muted small keys">{t('check.keys')}</p>
      {answer?.kind === 'verdict' ? (
        <VerdictPanel
          answer={answer}
          action={
            canAccept ? (
              <button type="button" className="accept" onClick={() => void acceptNow()} disabled={busy !== null}>
                {busy === 'accept' ? t('check.accepting') : t('check.accept')}
                <span className="key-hint"> {t('check.enterHint')}</span>
              </button>
            ) : null
          }
        />
      ) : null}
      {answer?.kind === 'verdict' && answer.result.verdict === 'not_found' && answer.result.near_matches?.length ? (
        <NearMatches
          matches={answer.result.near_matches}
          disabled={busy !== null}
          onPick={(m) => {
            // Never matched by itself: the chosen TxnID is checked as its own, and the cashier accepts it explicitly.
            setTxnid(m.txnid);
            void check(false, m.txnid);
          }}
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

/** "Did you mean…": unclaimed credits near a TxnID that was not found, for the cashier to choose. */
function NearMatches({ matches, disabled, onPick }: { matches: NearMatchView[]; disabled: boolean; onPick: (m: NearMatchView) => void }) {
  const t = useT();
  return (
    <div className="near-matches" data-testid="near-matches">
      <p className="verdict-advice">{t('near.heading')}</p>
      <ul>
        {matches.map((m) => (
          <li key={m.sms_id} data-testid="near-match" data-why={m.why}>
            <button type="button" onClick={() => onPick(m)} disabled={disabled}>
              <code>{m.txnid}</code>
              {m.amount ? <> · {moneyText(m.amount, m.currency)}</> : null}
              {m.provider ? <> · {walletName(m.provider)}</> : null}
              {m.counterparty ? <> · {t('near.from', { payer: m.counterparty })}</> : null} · {when(m.received_at)}
            </button>{' '}
            <span className="muted small">{t(`near.why.${m.why}`)}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">{t('near.note')}</p>
    </div>
  );
}

function AcceptedPanel({ answer }: { answer: Extract<Answer, { kind: 'accepted' }> }) {
  const t = useT();
  const { sale } = answer;
  return (
    <div className="verdict accepted" role="status" aria-live="polite" data-testid="txnid-verdict" data-verdict="accepted">
      <div className="verdict-head">
        <strong className="verdict-word">{t('verdict.accepted')}</strong>
        <span className="verdict-amount">{moneyText(sale.amount, sale.currency)}</span>
      </div>
      <p className="verdict-detail">
        {walletName(sale.provider)} · {t('common.txnid')} <code>{sale.txnid}</code>
        {answer.payer ? <> · {t('common.fromPayer', { payer: answer.payer })}</> : null}
      </p>
      <p className="verdict-detail">{t('check.paidAccepted', { paid: when(answer.paidAt), accepted: when(sale.accepted_at) })}</p>
      <p className="verdict-advice">{t('check.handOver')}</p>
    </div>
  );
}

function VerdictPanel({ answer, action }: { answer: Extract<Answer, { kind: 'verdict' }>; action: ReactNode }) {
  const t = useT();
  const { result } = answer;
  const { sms } = result;
  const reasons = result.reasons ?? [];
  const money = sms?.amount ? moneyText(sms.amount, sms.currency) : null;
  const credit = sms ? (
    <p className="verdict-detail">
      {walletName(sms.provider)}
      {sms.counterparty ? <> · {t('common.fromPayer', { payer: sms.counterparty })}</> : null} · {when(sms.received_at)} ·{' '}
      {t('common.txnid')} <code>{result.txnid}</code>
    </p>
  ) : null;

  let body: ReactNode;
  switch (result.verdict) {
    case 'received':
      body = (
        <>
          {credit}
          {result.can_accept ? null : <p className="verdict-advice">{t('check.cannotAcceptYet')}</p>}
        </>
      );
      break;
    case 'wrong_amount':
      body = (
        <>
          <p className="verdict-detail">
            <Trans
              i18nKey="check.wrongAmount"
              values={{ got: money ?? '?', want: answer.amount ? moneyText(answer.amount, sms?.currency) : '?' }}
              components={{ b: <strong /> }}
            />
          </p>
          {credit}
          <p className="verdict-advice">{t('check.payDifference')}</p>
        </>
      );
      break;
    case 'already_used':
      body = (
        <>
          <p className="verdict-detail">{usedByText(result)}</p>
          {credit}
          <p className="verdict-advice">{t('check.payOnce')}</p>
        </>
      );
      break;
    case 'held':
      body = (
        <>
          {credit}
          <ul className="verdict-reasons" aria-label={t('check.whyCheck')}>
            {reasons.length > 0 ? reasons.map((r) => <ReasonItem key={r.code} reason={r} />) : <li>{t('check.heldGeneric')}</li>}
          </ul>
          <p className="verdict-advice">{t('check.lookFirst')}</p>
        </>
      );
      break;
    case 'reversed':
      body = (
        <>
          <p className="verdict-detail">{money ? t('check.tookBackAmount', { money }) : t('check.tookBack')}</p>
          {credit}
          <p className="verdict-advice">{t('check.noGoods')}</p>
        </>
      );
      break;
    case 'spoof':
      body = (
        <>
          <p className="verdict-detail">{t('check.notFromWallet')}</p>
          <p className="verdict-advice">{t('check.spoofAdvice')}</p>
        </>
      );
      break;
    case 'not_found':
      body = (
        <>
          <p className="verdict-detail">{t('check.notFound')}</p>
          <p className="verdict-advice">{t('check.notFoundAuto')}</p>
        </>
      );
      break;
  }
  return (
    <div className={`verdict ${result.verdict}`} role="status" aria-live="polite" data-testid="txnid-verdict" data-verdict={result.verdict}>
      <div className="verdict-head">
        <strong className="verdict-word">{t(`verdict.${result.verdict}`)}</strong>
        {money && result.verdict === 'received' ? <span className="verdict-amount">{money}</span> : null}
      </div>
      {body}
      {action}
    </div>
  );
}

/** One review reason: the table's words, and for English readers the core's detail (amounts, accounts). */
export function ReasonItem({ reason }: { reason: { code: string; message: string } }) {
  const detail = reasonDetail(reason);
  return (
    <li data-reason={reason.code} title={reason.message}>
      {reasonText(reason)}
      {detail ? <span className="reason-detail"> {detail}</span> : null}
    </li>
  );
}

/** "Already used for order ORD-7 (500.00 BDT), 11:25 today" in the counter's language. */
function usedByText(result: TxnidLookupResult): string {
  const u = result.used_by;
  if (!u) return tr('check.usedUnknown');
  const what =
    u.source === 'counter'
      ? tr('check.usedCounter')
      : u.order_id
        ? tr('check.usedOrder', { order: u.order_id })
        : u.session_id
          ? tr('check.usedSession')
          : tr('check.usedOther');
  const amount = u.amount ? moneyText(u.amount, result.sms?.currency) : null;
  const at = u.at ? when(u.at) : null;
  if (amount && at) return tr('check.usedForAmountAt', { what, amount, when: at });
  if (amount) return tr('check.usedForAmount', { what, amount });
  if (at) return tr('check.usedForAt', { what, when: at });
  return tr('check.usedFor', { what });
}
