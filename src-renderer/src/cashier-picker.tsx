import { useState, type FormEvent } from 'react';
import { MAX_CASHIER_LENGTH, useCashier } from './cashier-store';
import { useT } from './i18n';

/** The header's "Who is at the counter?": a name typed or picked from those used on this PC; changeable. */
export function CashierPicker() {
  const t = useT();
  const name = useCashier((s) => s.name);
  const names = useCashier((s) => s.names);
  const choosing = useCashier((s) => s.choosing);
  const choose = useCashier((s) => s.choose);
  const change = useCashier((s) => s.change);
  const cancel = useCashier((s) => s.cancel);
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  if (!choosing && name !== null) {
    return (
      <span className="cashier" data-testid="cashier">
        {t('cashier.current', { name })}{' '}
        <button
          type="button"
          className="link"
          onClick={() => {
            setText('');
            setBad(false);
            change();
          }}
        >
          {t('cashier.change')}
        </button>
      </span>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBad(!choose(text));
  };
  return (
    <form className="cashier-form" aria-label={t('cashier.ask')} onSubmit={submit}>
      <label>
        <strong>{t('cashier.ask')}</strong>{' '}
        <input
          type="text"
          list="cashier-names"
          aria-label={t('cashier.name')}
          placeholder={t('cashier.name')}
          maxLength={MAX_CASHIER_LENGTH}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={bad}
        />
      </label>
      <datalist id="cashier-names">
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>{' '}
      <button type="submit">{t('cashier.start')}</button>
      {name !== null ? (
        <>
          {' '}
          <button type="button" className="link" onClick={cancel}>
            {t('cashier.cancel')}
          </button>
        </>
      ) : null}
      {bad ? (
        <span role="alert" className="error small">
          {' '}
          {t('cashier.tooLong')}
        </span>
      ) : null}
    </form>
  );
}
