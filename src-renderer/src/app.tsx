import { useEffect, useState, type FormEvent } from 'react';
import { useCounter, type Tab } from './store';
import { StatusScreen } from './status-screen';
import { QueueView } from './queue-view';
import { SmsView } from './sms-view';
import { DevicesView } from './devices-view';
import { SettingsView } from './settings-view';
import { CreditBanner } from './credit-banner';
import { SetupFlow } from './setup-flow';
import { useSetup } from './setup-store';
import { ReportsView } from './reports-view';
import { PaymentsView } from './payments-view';
import { Trans } from 'react-i18next';
import { useT } from './i18n';
import { count } from './format';
import { LanguageMenu } from './i18n/language-menu';
import { CashierPicker } from './cashier-picker';

export function App() {
  const phase = useCounter((s) => s.phase);
  const start = useCounter((s) => s.start);
  const t = useT();
  useEffect(() => {
    void start();
  }, [start]);
  if (phase === 'starting') return <p className="muted centered">{t('app.connecting')}</p>;
  if (phase === 'login') return <LoginScreen />;
  return <Shell />;
}

/** The header of every screen: the stream's health, who is at the counter (not during setup), sign out, the language. */
function ShellHeader({ cashier = false }: { cashier?: boolean }) {
  const t = useT();
  const live = useCounter((s) => s.live);
  const logout = useCounter((s) => s.logout);
  return (
    <header>
      <h1>CounterPay</h1>
      <span className={live ? 'pill ok' : 'pill warn'} data-testid="live">
        {live ? t('app.live') : t('app.reconnecting')}
      </span>
      {cashier ? <CashierPicker /> : null}
      <button type="button" className="link" onClick={logout}>
        {t('app.signOut')}
      </button>
      <LanguageMenu />
    </header>
  );
}

const TABS: Tab[] = ['overview', 'queue', 'payments', 'sms', 'reports', 'devices', 'settings'];

function Shell() {
  const t = useT();
  const tab = useCounter((s) => s.tab);
  const setTab = useCounter((s) => s.setTab);
  const waiting = useCounter((s) => s.verifications.length);
  const deadWebhooks = useCounter((s) => s.webhooks?.backlog.dead ?? 0);
  const notice = useCounter((s) => s.notice);
  // A shop that is not set up (and did not skip it) starts in the setup flow.
  const setupOpen = useSetup((s) => s.flowOpen);
  const loadSetup = useSetup((s) => s.loadStatus);
  useEffect(() => {
    void loadSetup();
  }, [loadSetup]);
  if (setupOpen) {
    return (
      <main className="status">
        <ShellHeader />
        <CreditBanner />
        <SetupFlow />
      </main>
    );
  }
  return (
    <main className="status">
      <ShellHeader cashier />
      <CreditBanner />
      <nav className="tabs" aria-label={t('app.sections')}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            className={tab === id ? 'tab active' : 'tab'}
            aria-current={tab === id ? 'page' : undefined}
            onClick={() => setTab(id)}
          >
            {id === 'payments' ? t('payments.tab') : t(`app.tab.${id}`)}
            {id === 'queue' && waiting > 0 ? (
              <span className="badge" data-testid="queue-count">
                {count(waiting)}
              </span>
            ) : null}
            {id === 'settings' && deadWebhooks > 0 ? (
              <span className="badge" data-testid="settings-count" title={t('app.deadWebhooks')}>
                {count(deadWebhooks)}
              </span>
            ) : null}
          </button>
        ))}
      </nav>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {tab === 'overview' ? <StatusScreen /> : null}
      {tab === 'queue' ? <QueueView /> : null}
      {tab === 'sms' ? <SmsView /> : null}
      {tab === 'payments' ? <PaymentsView /> : null}
      {tab === 'reports' ? <ReportsView /> : null}
      {tab === 'devices' ? <DevicesView /> : null}
      {tab === 'settings' ? <SettingsView /> : null}
    </main>
  );
}

function LoginScreen() {
  const t = useT();
  const login = useCounter((s) => s.login);
  const error = useCounter((s) => s.error);
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) void login(token);
  };
  return (
    <main className="login">
      <LanguageMenu />
      <h1>CounterPay</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">{t('app.login.staffToken')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="cpa_…"
        />
        <button type="submit">{t('app.login.open')}</button>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <p className="muted">
          <Trans i18nKey="app.login.findIt" components={{ code: <code /> }} />
        </p>
      </form>
    </main>
  );
}
