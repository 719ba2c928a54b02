import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SyncStatusView } from '../../src-shared/contract/sync';
import { Trans } from 'react-i18next';
import { clockTime, count, when } from './format';
import { t as tr, useT } from './i18n';
import { useCounter } from './store';

/** "1 change", "3 changes", with the count in the language's digits. */
function changes(n: number): string {
  return tr('sync.changes', { count: n, n: count(n) });
}

/**
 * The sync worker's last failure (`last_error`, written for the CLI) as a sentence for the shop:
 * what went wrong and what to do, with the core's own words kept in brackets for whoever helps.
 */
export function syncFailureWords(error: string): string {
  if (/^the cloud refused the token \(401\)/.test(error)) return tr('sync.fail401');
  const http = /^HTTP (\d{3})(?::\s*(.*))?$/s.exec(error);
  if (http) {
    const status = Number(http[1]);
    const said = http[2] ? `: “${http[2]}”` : '';
    if (status === 409) return tr('sync.fail409', { said });
    if (status >= 500) return tr('sync.fail5xx', { status, said });
    if (status >= 300 && status < 400) return tr('sync.fail3xx', { status, said });
    return tr('sync.fail4xx', { status, said });
  }
  if (error.startsWith('timed out')) return tr('sync.failTimeout', { error });
  if (error.startsWith('the cloud refused the connection')) return tr('sync.failRefused');
  if (error.includes('does not resolve')) return tr('sync.failDns', { error });
  if (error.startsWith('the cloud waits for event')) return tr('sync.failLost', { error });
  if (error.startsWith('the cloud acknowledged event')) return tr('sync.failAhead', { error });
  if (error.startsWith('the cloud answered') || error.startsWith("the cloud's answer")) return tr('sync.failAnswer', { error });
  return tr('sync.failOther', { error: error.replace(/\.$/, '') });
}

/** Re-renders every `ms` so "5 min ago" stays true while the screen is open. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Cloud sync (issue 13): where this counter sends every change to its sessions, and how far the
 * cloud has got. The status follows the core's `sync` event, and is read again as sessions change.
 */
export function SyncSettings() {
  const t = useT();
  const sync = useCounter((s) => s.sync);
  const failure = useCounter((s) => s.syncError);
  const load = useCounter((s) => s.loadSync);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="sync-heading" className="sync" data-testid="sync-settings">
      <h2 id="sync-heading">{t('sync.heading')}</h2>
      <p className="muted">{t('sync.intro')}</p>
      {failure && !sync ? (
        <p role="alert" className="form-error">
          {failure}
        </p>
      ) : null}
      {sync ? (
        <>
          <SyncStatus view={sync} />
          <SyncForm view={sync} />
        </>
      ) : failure ? null : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </section>
  );
}

type Tone = 'ok' | 'warn' | 'bad';

function headline(view: SyncStatusView, now: number): { text: string; tone: Tone } {
  if (view.url === null) return { text: tr('sync.notSyncing'), tone: 'warn' };
  if (view.backlog > 0) {
    return {
      text: tr('sync.waitingSince', { changes: changes(view.backlog), when: when(view.oldest_pending_at, now) }),
      tone: view.last_error ? 'bad' : 'warn',
    };
  }
  if (view.last_error) return { text: tr('sync.lastNotAccepted'), tone: 'bad' };
  if (view.last_success_at === null) return { text: tr('sync.notInTouch'), tone: 'warn' };
  return { text: tr('sync.upToDate'), tone: 'ok' };
}

/** How far the cloud has got, in words: up to date or what waits, the last success, the last failure and the next try. */
function SyncStatus({ view }: { view: SyncStatusView }) {
  const t = useT();
  const now = useNow(30_000);
  const head = headline(view, now);
  const configured = view.url !== null;
  return (
    <>
      <p className={`sync-state ${head.tone}`} role="status" data-testid="sync-state">
        {head.text}
      </p>
      {!configured && view.backlog > 0 ? (
        <p className="muted" data-testid="sync-kept">
          {t('sync.kept', { count: view.backlog, changes: changes(view.backlog) })}
        </p>
      ) : null}
      {configured && view.last_error ? (
        <div className="sync-failure">
          <p role="alert" className="form-error" data-testid="sync-error">
            {syncFailureWords(view.last_error)}
          </p>
          <p className="muted small" data-testid="sync-retry">
            {view.last_attempt_at ? t('sync.lastTry', { time: clockTime(view.last_attempt_at) }) : ''}
            {view.next_attempt_at
              ? Date.parse(view.next_attempt_at) > now
                ? t('sync.nextTry', { time: clockTime(view.next_attempt_at) })
                : t('sync.tryingNow')
              : t('sync.withNext')}
          </p>
        </div>
      ) : null}
      <div className="counts backlog" role="group" aria-label={t('sync.progress')}>
        <div className="count wide" data-testid="sync-last-success">
          <span className="value small-value">{view.last_success_at ? when(view.last_success_at, now) : t('sync.neverYet')}</span>
          <span className="label">{t('sync.lastReached')}</span>
        </div>
        <div className="count" data-testid="sync-cursor">
          <span className="value small-value">{t('sync.sent', { changes: changes(view.cursor) })}</span>
          <span className="label">{t('sync.confirmed')}</span>
        </div>
      </div>
    </>
  );
}

/** The cloud URL and the sync token: Save (Enter), or Stop syncing after a second, explicit press. */
function SyncForm({ view }: { view: SyncStatusView }) {
  const t = useT();
  const save = useCounter((s) => s.saveSync);
  // null: the box shows the saved URL; a string: what staff are typing.
  const [draft, setDraft] = useState<string | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const stopButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const urlInput = useRef<HTMLInputElement>(null);
  const saved = view.url;
  const url = draft ?? saved ?? '';

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const edited = () => {
    setError(null);
    setDone(null);
  };
  const apply = async (next: string | null, nextToken?: string) => {
    setBusy(true);
    edited();
    const refused = await save(next, nextToken);
    setBusy(false);
    if (refused) {
      setError(next === null ? t('sync.notStopped', { why: refused }) : t('sync.notSaved', { why: refused }));
      return;
    }
    setDraft(null);
    setToken('');
    setConfirming(false);
    // The confirmation (and its focused button) is gone: the form starts again at the URL.
    if (next === null) urlInput.current?.focus();
    setDone(next === null ? t('sync.stopped') : t('sync.saved'));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = url.trim();
    if (!typed) {
      setError(t('sync.typeUrl'));
      return;
    }
    if (!token.trim() && saved === null) {
      setError(t('sync.typeToken'));
      return;
    }
    void apply(typed, token.trim() || undefined);
  };
  const cancelStop = () => {
    setConfirming(false);
    stopButton.current?.focus();
  };
  const onConfirmKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') cancelStop();
  };

  return (
    <form className="endpoint sync-form" onSubmit={submit} data-testid="sync-form" aria-labelledby="sync-form-heading">
      <h3 id="sync-form-heading">{t('sync.whereTo')}</h3>
      <label htmlFor="sync-url" className="endpoint-label">
        {t('sync.cloudUrl')}
      </label>
      <input
        ref={urlInput}
        id="sync-url"
        type="text"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://cloud.example.com"
        value={url}
        aria-invalid={error ? true : undefined}
        aria-describedby="sync-setting"
        onChange={(e) => {
          setDraft(e.target.value);
          edited();
        }}
      />
      <label htmlFor="sync-token" className="endpoint-label">
        {t('sync.syncToken')} <span className="muted small">{saved ? t('sync.keepSaved') : t('sync.fromCloud')}</span>
      </label>
      <input
        id="sync-token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={saved ? t('sync.tokenSaved') : 'cps_…'}
        value={token}
        aria-invalid={error ? true : undefined}
        aria-describedby="sync-setting"
        onChange={(e) => {
          setToken(e.target.value);
          edited();
        }}
      />
      <div className="actions">
        <button type="submit" className="approve" disabled={busy}>
          {t('common.save')}
        </button>
        <button
          ref={stopButton}
          type="button"
          className="reject"
          disabled={busy || saved === null}
          onClick={() => {
            edited();
            setConfirming(true);
          }}
        >
          {t('sync.stop')}
        </button>
      </div>
      {confirming ? (
        <div className="sync-confirm" role="group" aria-labelledby="sync-confirm-text" onKeyDown={onConfirmKey}>
          <p id="sync-confirm-text">{t('sync.stopConfirm')}</p>
          <div className="actions">
            <button ref={confirmButton} type="button" className="reject" disabled={busy} onClick={() => void apply(null)}>
              {t('sync.yesStop')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={cancelStop}>
              {t('sync.keep')}
            </button>
          </div>
        </div>
      ) : null}
      <p id="sync-setting" className="muted small endpoint-state" data-testid="sync-setting">
        {saved ? (
          <Trans
            i18nKey="sync.sendingTo"
            values={{ url: saved, hint: view.token_hint }}
            components={{ url: <span data-testid="sync-url-saved" dir="ltr" />, hint: <code data-testid="sync-token-hint" dir="ltr" /> }}
          />
        ) : (
          t('sync.noCloud')
        )}
      </p>
      {error ? (
        <p role="alert" className="form-error" data-testid="sync-form-error">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="form-done" data-testid="sync-form-done">
          {done}
        </p>
      ) : null}
    </form>
  );
}
