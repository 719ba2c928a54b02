import { Fragment, useEffect, useState, type FormEvent } from 'react';
import type { WebhookAttemptView, WebhookBacklogView, WebhookDeliveryView, WebhookEventName } from '../../src-shared/contract/webhooks';
import { when } from './format';
import { useCounter, type DeliveryFilter } from './store';

/** Each webhook event in the shop's words. */
export const EVENT_WORDS: Record<WebhookEventName, string> = {
  'session.success': 'Paid',
  'session.expired': 'Expired',
  'session.cancelled': 'Cancelled',
  'transaction.failed': 'Payment failed',
  'transaction.reversed': 'Reversed',
};

const FILTERS: [DeliveryFilter, string][] = [
  ['all', 'All deliveries'],
  ['failing', 'Not delivered (failing or failed for good)'],
  ['dead', 'Failed for good only'],
];

/** "11:25:03" today, the date and time otherwise: attempts are seconds apart. */
function clockTime(iso: string | null): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString([], { dateStyle: 'medium' })} ${time}`;
}

/** "HTTP 500", or why no answer came ("connection refused", "timed out after 15 s"). */
function attemptResult(a: WebhookAttemptView): string {
  if (a.http_status !== null) return a.ok ? `HTTP ${a.http_status} OK` : `HTTP ${a.http_status}`;
  return a.error ?? 'no answer';
}

function latency(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The merchant site's webhooks: where live and test events go, how far behind the receivers
 * are, and every delivery with its attempts, which staff can send again.
 */
export function WebhooksSettings() {
  const settings = useCounter((s) => s.webhooks);
  const failure = useCounter((s) => s.webhooksError);
  const load = useCounter((s) => s.loadWebhooks);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="webhooks-heading" className="webhooks">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted">
        CounterPay tells the shop&apos;s website the moment a payment is paid, expires, is cancelled, fails or is reversed, by sending a
        signed message to these addresses.
      </p>
      {failure && !settings ? (
        <p role="alert" className="form-error">
          {failure}
        </p>
      ) : null}
      {settings ? (
        <>
          {settings.allow_private ? (
            <p className="notice" data-testid="webhooks-private">
              Private addresses are allowed: this counter also sends to loopback and shop-network (LAN) addresses, because it was started
              with <code>--allow-private-webhooks</code>.
            </p>
          ) : (
            <p className="muted small">
              Only public internet addresses are accepted; loopback and shop-network (LAN) addresses are refused.
            </p>
          )}
          <EndpointForm mode="live" />
          <EndpointForm mode="test" />
          <Backlog backlog={settings.backlog} />
          <Deliveries />
        </>
      ) : failure ? null : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}

/** One mode's URL: type it, Save; Remove stops that mode's webhooks. The core's refusal shows in words. */
function EndpointForm({ mode }: { mode: 'live' | 'test' }) {
  const endpoint = useCounter((s) => s.webhooks?.[mode]);
  const save = useCounter((s) => s.saveWebhookUrl);
  // null: the box shows the saved URL; a string: what staff are typing.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saved = endpoint?.url ?? null;
  const value = draft ?? saved ?? '';
  const name = mode === 'live' ? 'Live' : 'Test';
  const inputId = `webhook-url-${mode}`;

  const apply = async (url: string | null) => {
    setBusy(true);
    setError(null);
    setDone(null);
    const refused = await save(url, mode === 'test');
    setBusy(false);
    if (refused) {
      setError(url === null ? `Not removed: ${refused}` : `Not saved: ${refused}`);
      return;
    }
    setDraft(null);
    setDone(url === null ? `Removed: ${mode} sessions send no webhooks now.` : `Saved: events of ${mode} sessions go to this address.`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const url = value.trim();
    if (!url) {
      setError('Type the address first, e.g. https://shop.example/counterpay/webhook');
      return;
    }
    void apply(url);
  };

  return (
    <form className="endpoint" onSubmit={submit} data-testid={`webhook-endpoint-${mode}`}>
      <label id={`${inputId}-label`} htmlFor={inputId} className="endpoint-label">
        {name} webhook URL{' '}
        <span className="muted small">
          ({mode} sessions, {mode === 'live' ? 'API key' : 'test API key'})
        </span>
      </label>
      <div className="actions">
        <input
          id={inputId}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://shop.example/counterpay/webhook"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${inputId}-state`}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
            setDone(null);
          }}
        />
        <button type="submit" className="approve" disabled={busy}>
          Save
        </button>
        <button type="button" className="reject" disabled={busy || saved === null} onClick={() => void apply(null)}>
          Remove
        </button>
      </div>
      <p id={`${inputId}-state`} className="muted small endpoint-state" data-testid={`webhook-state-${mode}`}>
        {saved
          ? `Sending ${mode} events to ${saved} (set ${when(endpoint?.updated_at)}).`
          : `No ${mode} URL: ${mode} sessions send no webhooks (a session's own notify_url still gets its events).`}
      </p>
      {error ? (
        <p role="alert" className="form-error" data-testid={`webhook-error-${mode}`}>
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="form-done">
          {done}
        </p>
      ) : null}
    </form>
  );
}

/** How far behind the receivers are; it follows the core's `webhooks` event. */
function Backlog({ backlog }: { backlog: WebhookBacklogView }) {
  return (
    <>
      <h3>Waiting to be delivered</h3>
      <div className="counts backlog" aria-label="Webhook backlog" role="group">
        <div className="count" data-testid="backlog-pending">
          <span className="value">{backlog.pending + backlog.undispatched}</span>
          <span className="label">waiting (being sent or retried)</span>
        </div>
        <div className={backlog.dead > 0 ? 'count bad' : 'count'} data-testid="backlog-dead">
          <span className="value">{backlog.dead}</span>
          <span className="label">failed for good</span>
        </div>
        <div className="count wide" data-testid="backlog-oldest">
          <span className="value small-value">{backlog.oldest_pending_at ? when(backlog.oldest_pending_at) : 'nothing waits'}</span>
          <span className="label">oldest waiting since</span>
        </div>
      </div>
      {backlog.dead > 0 ? (
        <p className="bad-text">
          {backlog.dead === 1 ? 'One webhook' : `${backlog.dead} webhooks`} gave up after every retry: show &ldquo;Failed for good
          only&rdquo; below, check the website, then send them again.
        </p>
      ) : null}
    </>
  );
}

function StatusPill({ d }: { d: WebhookDeliveryView }) {
  if (d.status === 'delivered') return <span className="pill ok">Delivered</span>;
  if (d.status === 'dead') return <span className="pill bad">Failed for good</span>;
  if (d.attempts === 0) return <span className="pill warn">Sending…</span>;
  return <span className="pill warn">Failing, retry at {clockTime(d.next_attempt_at)}</span>;
}

/** The newest deliveries (or only the failing ones); a row opens to show every attempt. */
function Deliveries() {
  const deliveries = useCounter((s) => s.deliveries);
  const filter = useCounter((s) => s.deliveryFilter);
  const setFilter = useCounter((s) => s.setDeliveryFilter);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((was) => {
      const next = new Set(was);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <>
      <div className="deliveries-head">
        <h3>Deliveries</h3>
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as DeliveryFilter)} data-testid="delivery-filter">
            {FILTERS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {deliveries.length === 0 ? (
        <p className="muted" data-testid="no-deliveries">
          {filter === 'all' ? 'No webhook has been sent yet.' : 'None: every webhook got through or is on its way.'}
        </p>
      ) : (
        <table className="deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>Order</th>
              <th>Sent to</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last attempt</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <DeliveryRow key={d.id} d={d} open={open.has(d.id)} onToggle={() => toggle(d.id)} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DeliveryRow({ d, open, onToggle }: { d: WebhookDeliveryView; open: boolean; onToggle: () => void }) {
  const resend = useCounter((s) => s.resendDelivery);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const last = d.recent_attempts[0] ?? null;
  const detailsId = `delivery-${d.id}-attempts`;
  const sendAgain = async () => {
    setBusy(true);
    setMessage(null);
    const refused = await resend(d.id);
    setBusy(false);
    setMessage(refused ? `Not sent: ${refused}` : null);
  };
  return (
    <Fragment>
      <tr data-testid="delivery-row" data-delivery-id={d.id} data-status={d.status} className={open ? 'open' : undefined}>
        <td>
          <button type="button" className="disclosure" aria-expanded={open} aria-controls={detailsId} onClick={onToggle}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {EVENT_WORDS[d.event] ?? d.event}
          </button>
          {d.test ? <em className="muted"> (test)</em> : null}
        </td>
        <td>{d.order_id ?? '—'}</td>
        <td className="url" title={d.url}>
          {d.url}
          {d.target === 'session' ? <div className="muted small">the order&apos;s own notify_url</div> : null}
        </td>
        <td data-testid="delivery-status">
          <StatusPill d={d} />
        </td>
        <td data-testid="delivery-attempts">{d.attempts}</td>
        <td data-testid="delivery-last">
          {last ? (
            <>
              {clockTime(last.attempted_at)}
              <div className={last.ok ? 'small' : 'small bad-text'}>
                {attemptResult(last)} · {latency(last.latency_ms)}
              </div>
            </>
          ) : (
            <span className="muted">not yet</span>
          )}
        </td>
        <td>
          <button type="button" className="secondary" disabled={busy} onClick={() => void sendAgain()}>
            Send again
          </button>
          {message ? (
            <div role="alert" className="form-error small">
              {message}
            </div>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr className="attempts-row" id={detailsId} data-testid="delivery-details">
          <td colSpan={7}>
            <p className="muted small">
              Event <code>{d.event_id}</code> of {when(d.created_at)}
              {d.session_id ? (
                <>
                  {' '}
                  · session <code>{d.session_id}</code>
                </>
              ) : null}
              {d.delivered_at ? <> · delivered {when(d.delivered_at)}</> : null}
            </p>
            {d.recent_attempts.length === 0 ? (
              <p className="muted">No attempt yet: it goes out within seconds.</p>
            ) : (
              <table className="attempts">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Result</th>
                    <th>Took</th>
                    <th>Receiver&apos;s answer</th>
                  </tr>
                </thead>
                <tbody>
                  {d.recent_attempts.map((a, i) => (
                    <tr key={`${a.attempted_at}:${i}`} data-testid="attempt-row" data-ok={a.ok}>
                      <td>{clockTime(a.attempted_at)}</td>
                      <td>
                        <span className={a.ok ? 'pill ok' : 'pill bad'}>{attemptResult(a)}</span>
                      </td>
                      <td>{latency(a.latency_ms)}</td>
                      <td>
                        {a.response_excerpt ? <pre className="excerpt">{a.response_excerpt}</pre> : <span className="muted">nothing</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {d.attempts > d.recent_attempts.length ? (
              <p className="muted small">
                The latest {d.recent_attempts.length} of {d.attempts} attempts are shown.
              </p>
            ) : null}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
