import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SyncStatusView } from '../../src-shared/contract/sync';
import { when } from './format';
import { useCounter } from './store';

/** "1 change", "3 changes". */
function changes(n: number): string {
  return n === 1 ? '1 change' : `${n.toLocaleString()} changes`;
}

/** "11:25:03" today, the date and time otherwise: retries are seconds apart. */
function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString([], { dateStyle: 'medium' })} ${time}`;
}

/**
 * The sync worker's last failure (`last_error`, written for the CLI) as a sentence for the shop:
 * what went wrong and what to do, with the core's own words kept in brackets for whoever helps.
 */
export function syncFailureWords(error: string): string {
  if (/^the cloud refused the token \(401\)/.test(error)) {
    return "The cloud refused this counter's sync token (HTTP 401). Check the token the merchant's cloud gave this shop, type it again and save.";
  }
  const http = /^HTTP (\d{3})(?::\s*(.*))?$/s.exec(error);
  if (http) {
    const status = Number(http[1]);
    const said = http[2] ? `: “${http[2]}”` : '';
    if (status === 409) {
      return `The cloud already holds another counter's changes for this shop (HTTP 409${said}). Is this token used on a second counter, or was this counter restored from a backup? Ask whoever runs the cloud.`;
    }
    if (status >= 500) {
      return `The cloud had a problem and did not take the changes (HTTP ${status}${said}). They are kept here and sent again.`;
    }
    if (status >= 300 && status < 400) {
      return `The cloud URL points somewhere else (HTTP ${status}${said}). Check the cloud URL (https:// perhaps).`;
    }
    return `The cloud refused the changes (HTTP ${status}${said}). Check the cloud URL.`;
  }
  if (error.startsWith('timed out')) {
    return `The cloud did not answer in time (${error}). The changes are kept here and sent again.`;
  }
  if (error.startsWith('the cloud refused the connection')) {
    return 'The cloud could not be reached: nothing answers at that address (is it running?).';
  }
  if (error.includes('does not resolve')) {
    return `The cloud could not be reached: its name was not found (is the internet down?). (${error})`;
  }
  if (error.startsWith('the cloud waits for event')) {
    return `The cloud has lost changes this counter already sent it (a new or restored cloud?). Ask whoever runs the cloud. (${error})`;
  }
  if (error.startsWith('the cloud acknowledged event')) {
    return `The cloud claims more changes than this counter ever made: is the cloud URL or token another shop's? (${error})`;
  }
  if (error.startsWith('the cloud answered') || error.startsWith("the cloud's answer")) {
    return `The cloud answered, but not as a CounterPay cloud does (${error}). Check the cloud URL.`;
  }
  return `The last try failed: ${error.replace(/\.$/, '')}.`;
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
  const sync = useCounter((s) => s.sync);
  const failure = useCounter((s) => s.syncError);
  const load = useCounter((s) => s.loadSync);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="sync-heading" className="sync" data-testid="sync-settings">
      <h2 id="sync-heading">Cloud sync</h2>
      <p className="muted">
        CounterPay sends every payment this counter records to the merchant&apos;s cloud, in order and once each, also what happened while
        the internet was down. The counter never waits for it.
      </p>
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
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}

type Tone = 'ok' | 'warn' | 'bad';

function headline(view: SyncStatusView, now: number): { text: string; tone: Tone } {
  if (view.url === null) return { text: 'Not syncing: no cloud is set', tone: 'warn' };
  if (view.backlog > 0) {
    return {
      text: `${changes(view.backlog)} waiting since ${when(view.oldest_pending_at, now)}`,
      tone: view.last_error ? 'bad' : 'warn',
    };
  }
  if (view.last_error) return { text: 'Nothing waiting, but the cloud did not accept the last report', tone: 'bad' };
  if (view.last_success_at === null) return { text: 'Not yet in touch with the cloud', tone: 'warn' };
  return { text: 'Up to date', tone: 'ok' };
}

/** How far the cloud has got, in words: up to date or what waits, the last success, the last failure and the next try. */
function SyncStatus({ view }: { view: SyncStatusView }) {
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
          {changes(view.backlog)} {view.backlog === 1 ? 'is' : 'are'} kept on this counter and will be sent once a cloud is set.
        </p>
      ) : null}
      {configured && view.last_error ? (
        <div className="sync-failure">
          <p role="alert" className="form-error" data-testid="sync-error">
            {syncFailureWords(view.last_error)}
          </p>
          <p className="muted small" data-testid="sync-retry">
            {view.last_attempt_at ? `Last try at ${clockTime(view.last_attempt_at)}. ` : ''}
            {view.next_attempt_at
              ? Date.parse(view.next_attempt_at) > now
                ? `Next try at ${clockTime(view.next_attempt_at)}.`
                : 'Trying again now.'
              : 'It is tried again with the next change.'}
          </p>
        </div>
      ) : null}
      <div className="counts backlog" role="group" aria-label="Cloud sync progress">
        <div className="count wide" data-testid="sync-last-success">
          <span className="value small-value">{view.last_success_at ? when(view.last_success_at, now) : 'never yet'}</span>
          <span className="label">last reached the cloud</span>
        </div>
        <div className="count" data-testid="sync-cursor">
          <span className="value small-value">{changes(view.cursor)} sent</span>
          <span className="label">confirmed by the cloud, in order</span>
        </div>
      </div>
    </>
  );
}

/** The cloud URL and the sync token: Save (Enter), or Stop syncing after a second, explicit press. */
function SyncForm({ view }: { view: SyncStatusView }) {
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
      setError(next === null ? `Not stopped: ${refused}` : `Not saved: ${refused}`);
      return;
    }
    setDraft(null);
    setToken('');
    setConfirming(false);
    // The confirmation (and its focused button) is gone: the form starts again at the URL.
    if (next === null) urlInput.current?.focus();
    setDone(
      next === null
        ? 'Stopped: nothing is sent to the cloud now. Changes keep waiting on this counter.'
        : 'Saved: this counter sends its changes to the cloud now.',
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = url.trim();
    if (!typed) {
      setError('Type the cloud address first, e.g. https://cloud.example.com');
      return;
    }
    if (!token.trim() && saved === null) {
      setError("Type the sync token the merchant's cloud gave this shop.");
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
      <h3 id="sync-form-heading">Where to send</h3>
      <label htmlFor="sync-url" className="endpoint-label">
        Cloud URL
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
        Sync token <span className="muted small">{saved ? '(leave empty to keep the saved one)' : "(from the merchant's cloud)"}</span>
      </label>
      <input
        id="sync-token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={saved ? 'saved: type a new one only to change it' : 'cps_…'}
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
          Save
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
          Stop syncing
        </button>
      </div>
      {confirming ? (
        <div className="sync-confirm" role="group" aria-labelledby="sync-confirm-text" onKeyDown={onConfirmKey}>
          <p id="sync-confirm-text">
            Stop syncing? Changes keep waiting on this counter, and the token is forgotten: you need it again to start again.
          </p>
          <div className="actions">
            <button ref={confirmButton} type="button" className="reject" disabled={busy} onClick={() => void apply(null)}>
              Yes, stop syncing
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={cancelStop}>
              Keep syncing
            </button>
          </div>
        </div>
      ) : null}
      <p id="sync-setting" className="muted small endpoint-state" data-testid="sync-setting">
        {saved ? (
          <>
            Sending to <span data-testid="sync-url-saved">{saved}</span> with the token starting{' '}
            <code data-testid="sync-token-hint">{view.token_hint}</code> (only its start is shown).
          </>
        ) : (
          "No cloud is set. Type the cloud's address and the sync token the merchant's cloud gave this shop, then Save."
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
