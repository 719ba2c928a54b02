import { useEffect, useState, type FormEvent } from 'react';
import { useCounter } from './store';
import { StatusScreen } from './status-screen';

export function App() {
  const phase = useCounter((s) => s.phase);
  const start = useCounter((s) => s.start);
  useEffect(() => {
    void start();
  }, [start]);
  if (phase === 'starting') return <p className="muted centered">Connecting to CounterPay…</p>;
  if (phase === 'login') return <LoginScreen />;
  return <StatusScreen />;
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
