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

export function App() {
  const phase = useCounter((s) => s.phase);
  const start = useCounter((s) => s.start);
  useEffect(() => {
    void start();
  }, [start]);
  if (phase === 'starting') return <p className="muted centered">Connecting to CounterPay…</p>;
  if (phase === 'login') return <LoginScreen />;
  return <Shell />;
}

const TABS: [Tab, string][] = [
  ['overview', 'Overview'],
  ['queue', 'To check'],
  ['sms', 'Wallet SMS'],
  ['devices', 'Devices'],
  ['settings', 'Settings'],
];

function Shell() {
  const tab = useCounter((s) => s.tab);
  const setTab = useCounter((s) => s.setTab);
  const live = useCounter((s) => s.live);
  const logout = useCounter((s) => s.logout);
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
        <header>
          <h1>CounterPay</h1>
          <span className={live ? 'pill ok' : 'pill warn'} data-testid="live">
            {live ? 'Live' : 'Reconnecting…'}
          </span>
          <button type="button" className="link" onClick={logout}>
            Sign out
          </button>
        </header>
        <CreditBanner />
        <SetupFlow />
      </main>
    );
  }
  return (
    <main className="status">
      <header>
        <h1>CounterPay</h1>
        <span className={live ? 'pill ok' : 'pill warn'} data-testid="live">
          {live ? 'Live' : 'Reconnecting…'}
        </span>
        <button type="button" className="link" onClick={logout}>
          Sign out
        </button>
      </header>
      <CreditBanner />
      <nav className="tabs" aria-label="Sections">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            className={tab === id ? 'tab active' : 'tab'}
            aria-current={tab === id ? 'page' : undefined}
            onClick={() => setTab(id)}
          >
            {label}
            {id === 'queue' && waiting > 0 ? (
              <span className="badge" data-testid="queue-count">
                {waiting}
              </span>
            ) : null}
            {id === 'settings' && deadWebhooks > 0 ? (
              <span className="badge" data-testid="settings-count" title="Webhooks that failed for good">
                {deadWebhooks}
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
      {tab === 'devices' ? <DevicesView /> : null}
      {tab === 'settings' ? <SettingsView /> : null}
    </main>
  );
}

function LoginScreen() {
  const login = useCounter((s) => s.login);
  const error = useCounter((s) => s.error);
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) void login(token);
  };
  return (
    <main className="login">
      <h1>CounterPay</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">Staff token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="cpa_…"
        />
        <button type="submit">Open the counter</button>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <p className="muted">
          Find it with <code>npm run cli -- keys</code> on the shop computer (admin_token).
        </p>
      </form>
    </main>
  );
}
