import { useEffect, useRef } from 'react';
import type { SetupStatusView } from '../../src-shared/contract/setup';
import { KeysSection, PhoneSection, ShopSection, TunnelSection, WalletsSection } from './setup-sections';
import { SETUP_STEPS, useSetup, type SetupStep } from './setup-store';
import { useCounter } from './store';
import { Trans } from 'react-i18next';
import { useT } from './i18n';
import { count } from './format';
import './setup.css';

/** Which of the core's setup steps a flow step completes. */
const STEP_DONE: Partial<Record<SetupStep, keyof SetupStatusView['steps']>> = {
  shop: 'shop_named',
  wallets: 'wallet',
  phone: 'phone_or_modem',
  tunnel: 'public_address',
  keys: 'keys_shown',
};

/**
 * The first-run setup (issue 14): shop name → wallets → phone or modem → public address → keys →
 * done. It opens by itself while the shop is not set up, can be skipped at any step, and is opened
 * again from Settings. Each step is the same section Settings shows.
 */
export function SetupFlow() {
  const t = useT();
  const step = useSetup((s) => s.step);
  const status = useSetup((s) => s.status);
  const setStep = useSetup((s) => s.setStep);
  const close = useSetup((s) => s.closeFlow);
  const heading = useRef<HTMLHeadingElement>(null);
  const index = SETUP_STEPS.indexOf(step);
  const previous = SETUP_STEPS[index - 1];
  const next = SETUP_STEPS[index + 1];
  const doneKey = STEP_DONE[step];
  const stepDone = doneKey ? (status?.steps[doneKey] ?? false) : true;
  // The step's own first field takes the focus; the heading only when it has none.
  useEffect(() => {
    if (step === 'phone' || step === 'done') heading.current?.focus();
  }, [step]);

  return (
    <section className="setup-flow" aria-labelledby="setup-title" data-testid="setup-flow">
      <div className="setup-top">
        <h2 id="setup-title" ref={heading} tabIndex={-1} data-testid="setup-step-title">
          {t('setup.title', { step: t(`setup.step.${step}`) })}
        </h2>
        <button type="button" className="link" onClick={() => void close()}>
          {t(step === 'done' ? 'setup.close' : 'setup.skipSetup')}
        </button>
      </div>
      <ol className="setup-steps" aria-label={t('setup.stepsLabel')}>
        {SETUP_STEPS.map((s, i) => {
          const key = STEP_DONE[s];
          const done = key ? (status?.steps[key] ?? false) : status?.complete === true;
          return (
            <li key={s} className={[s === step ? 'current' : '', done ? 'done' : ''].join(' ').trim() || undefined}>
              <button type="button" aria-current={s === step ? 'step' : undefined} onClick={() => setStep(s)}>
                <span className="setup-step-number" aria-hidden="true">
                  {done ? '✓' : count(i + 1)}
                </span>
                {t(`setup.step.${s}`)}
                {done && s !== 'done' ? <span className="sr-only"> {t('setup.stepDone')}</span> : null}
              </button>
            </li>
          );
        })}
      </ol>
      <div className="setup-body">
        {step === 'shop' ? <ShopSection autoFocus /> : null}
        {step === 'wallets' ? <WalletsSection autoFocus /> : null}
        {step === 'phone' ? <PhoneSection /> : null}
        {step === 'tunnel' ? <TunnelSection autoFocus /> : null}
        {step === 'keys' ? <KeysSection autoFocus /> : null}
        {step === 'done' ? <SetupDone status={status} /> : null}
      </div>
      <div className="actions setup-nav">
        {previous ? (
          <button type="button" className="secondary" onClick={() => setStep(previous)}>
            {t('setup.back')}
          </button>
        ) : null}
        {next ? (
          <button type="button" className={stepDone ? 'approve' : 'secondary'} onClick={() => setStep(next)} data-testid="setup-next">
            {t(stepDone ? 'setup.next' : 'setup.skipStep')}
          </button>
        ) : (
          <button type="button" className="approve" onClick={() => void close()} data-testid="setup-finish">
            {t('setup.openCounter')}
          </button>
        )}
      </div>
    </section>
  );
}

function SetupDone({ status }: { status: SetupStatusView | null }) {
  const t = useT();
  const listeners = useCounter((s) => s.status?.listeners);
  const setStep = useSetup((s) => s.setStep);
  const missing = status
    ? (Object.entries(STEP_DONE) as [SetupStep, keyof SetupStatusView['steps']][]).filter(([, key]) => !status.steps[key])
    : [];
  return (
    <div className="setup-section" data-testid="setup-done">
      {missing.length === 0 ? (
        <p className="sync-state ok" role="status">
          {t('setup.allDone')}
        </p>
      ) : (
        <div className="sync-state warn" role="status">
          {t('setup.stillToDo')}{' '}
          {missing.map(([step], i) => (
            <span key={step}>
              {i > 0 ? t('setup.listJoin') : ''}
              <button type="button" className="link" onClick={() => setStep(step)}>
                {t(`setup.step.${step}`)}
              </button>
            </span>
          ))}
          {t('setup.finishLater')}
        </div>
      )}
      <p>
        <Trans
          i18nKey="setup.merchantApi"
          values={{ url: listeners?.public || 'http://127.0.0.1:8787' }}
          components={{ code: <code />, b: <strong /> }}
        />
      </p>
    </div>
  );
}
