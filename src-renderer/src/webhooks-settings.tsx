import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { Trans } from 'react-i18next';
import {
  WEBHOOK_EVENTS,
  type WebhookAttemptView,
  type WebhookBacklogView,
  type WebhookDeliveryView,
} from '../../src-shared/contract/webhooks';
import { clockTime, count, when } from './format';
import { currentLocale, t as tr, useT } from './i18n';
import { formatDecimal } from './i18n/locale-format';
import { useCounter, type DeliveryFilter } from './store';

const FILTERS: DeliveryFilter[] = ['all', 'failing', 'dead'];

/** Each webhook event in the shop's words; an event this build does not know by its name. */
function eventWords(event: string): string {
  return (WEBHOOK_EVENTS as readonly string[]).includes(event) ? tr(`webhooks.event.${event as (typeof WEBHOOK_EVENTS)[number]}`) : event;
}

/** "HTTP 500", or why no answer came ("connection refused", "timed out after 15 s"). */
function attemptResult(a: WebhookAttemptView): string {
  if (a.http_status !== null)
    return a.ok ? tr('webhooks.httpOk', { status: a.http_status }) : tr('webhooks.http', { status: a.http_status });
  return a.error ?? tr('webhooks.noAnswer');
}

function latency(ms: number): string {
  return ms < 1000
    ? tr('webhooks.ms', { ms: count(ms) })
    : tr('webhooks.seconds', { s: formatDecimal((ms / 1000).toFixed(1), currentLocale()) });
}

/**
 * The merchant site's webhooks: where live and test events go, how far behind the receivers
 * are, and every delivery with its attempts, which staff can send again.
 */
export function WebhooksSettings() {
  const t = useT();
  const settings = useCounter((s) => s.webhooks);
  const failure = useCounter((s) => s.webhooksError);
  const load = useCounter((s) => s.loadWebhooks);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="webhooks-heading" className="webhooks">
      <h2 id="webhooks-heading">{t('webhooks.heading')}</h2>
      <p className="muted">{t('webhooks.intro')}</p>
      {failure && !settings ? (
        <p role="alert" className="form-error">
          {failure}
        </p>
      ) : null}
      {settings ? (
        <>
          {settings.allow_private ? (
            <p className="notice" data-testid="webhooks-private">
              {t('webhooks.privateAllowed')} <code dir="ltr">--allow-private-webhooks</code>.
            </p>
          ) : (
            <p className="muted small">{t('webhooks.publicOnly')}</p>
          )}
          <EndpointForm mode="live" />
          <EndpointForm mode="test" />
          <Backlog backlog={settings.backlog} />
          <Deliveries />
        </>
      ) : failure ? null : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </section>
  );
}

/** One mode's URL: type it, Save; Remove stops that mode's webhooks. The core's refusal shows in words. */
function EndpointForm({ mode }: { mode: 'live' | 'test' }) {
  const t = useT();
  const endpoint = useCounter((s) => s.webhooks?.[mode]);
  const save = useCounter((s) => s.saveWebhookUrl);
  // null: the box shows the saved URL; a string: what staff are typing.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saved = endpoint?.url ?? null;
  const value = draft ?? saved ?? '';
  const name = mode === 'live' ? t('webhooks.live') : t('webhooks.test');
  const inputId = `webhook-url-${mode}`;

  const apply = async (url: string | null) => {
    setBusy(true);
    setError(null);
    setDone(null);
    const refused = await save(url, mode === 'test');
    setBusy(false);
    if (refused) {
      setError(url === null ? t('webhooks.notRemoved', { why: refused }) : t('webhooks.notSaved', { why: refused }));
      return;
    }
    setDraft(null);
    if (url === null) setDone(mode === 'live' ? t('webhooks.removedLive') : t('webhooks.removedTest'));
    else setDone(mode === 'live' ? t('webhooks.savedLive') : t('webhooks.savedTest'));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const url = value.trim();
    if (!url) {
      setError(t('webhooks.typeFirst'));
      return;
    }
    void apply(url);
  };

  return (
    <form className="endpoint" onSubmit={submit} data-testid={`webhook-endpoint-${mode}`}>
      <label id={`${inputId}-label`} htmlFor={inputId} className="endpoint-label">
        {t('webhooks.urlLabel', { mode: name })}{' '}
        <span className="muted small">{mode === 'live' ? t('webhooks.liveHint') : t('webhooks.testHint')}</span>
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
          {t('common.save')}
        </button>
        <button type="button" className="reject" disabled={busy || saved === null} onClick={() => void apply(null)}>
          {t('common.remove')}
        </button>
      </div>
      <p id={`${inputId}-state`} className="muted small endpoint-state" data-testid={`webhook-state-${mode}`}>
        {saved
          ? t(mode === 'live' ? 'webhooks.sendingLive' : 'webhooks.sendingTest', { url: saved, when: when(endpoint?.updated_at) })
          : t(mode === 'live' ? 'webhooks.noLive' : 'webhooks.noTest')}
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
  const t = useT();
  return (
    <>
      <h3>{t('webhooks.backlogHeading')}</h3>
      <div className="counts backlog" aria-label={t('webhooks.backlogLabel')} role="group">
        <div className="count" data-testid="backlog-pending">
          <span className="value">{count(backlog.pending + backlog.undispatched)}</span>
          <span className="label">{t('webhooks.waiting')}</span>
        </div>
        <div className={backlog.dead > 0 ? 'count bad' : 'count'} data-testid="backlog-dead">
          <span className="value">{count(backlog.dead)}</span>
          <span className="label">{t('webhooks.failedForGood')}</span>
        </div>
        <div className="count wide" data-testid="backlog-oldest">
          <span className="value small-value">
            {backlog.oldest_pending_at ? when(backlog.oldest_pending_at) : t('webhooks.nothingWaits')}
          </span>
          <span className="label">{t('webhooks.oldestSince')}</span>
        </div>
      </div>
      {backlog.dead > 0 ? <p className="bad-text">{t('webhooks.gaveUp', { count: backlog.dead, n: count(backlog.dead) })}</p> : null}
    </>
  );
}

function StatusPill({ d }: { d: WebhookDeliveryView }) {
  const t = useT();
  if (d.status === 'delivered') return <span className="pill ok">{t('webhooks.delivered')}</span>;
  if (d.status === 'dead') return <span className="pill bad">{t('webhooks.dead')}</span>;
  if (d.attempts === 0) return <span className="pill warn">{t('webhooks.sending')}</span>;
  return <span className="pill warn">{t('webhooks.failingRetry', { time: clockTime(d.next_attempt_at) })}</span>;
}

/** The newest deliveries (or only the failing ones); a row opens to show every attempt. */
function Deliveries() {
  const t = useT();
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
        <h3>{t('webhooks.deliveries')}</h3>
        <label>
          {t('webhooks.show')}{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as DeliveryFilter)} data-testid="delivery-filter">
            {FILTERS.map((id) => (
              <option key={id} value={id}>
                {t(`webhooks.filter.${id}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {deliveries.length === 0 ? (
        <p className="muted" data-testid="no-deliveries">
          {filter === 'all' ? t('webhooks.noneSent') : t('webhooks.noneFailing')}
        </p>
      ) : (
        <table className="deliveries">
          <thead>
            <tr>
              <th>{t('webhooks.colEvent')}</th>
              <th>{t('webhooks.colOrder')}</th>
              <th>{t('webhooks.colSentTo')}</th>
              <th>{t('webhooks.colStatus')}</th>
              <th>{t('webhooks.colAttempts')}</th>
              <th>{t('webhooks.colLast')}</th>
              <th>
                <span className="sr-only">{t('webhooks.colActions')}</span>
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
  const t = useT();
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
    setMessage(refused ? t('webhooks.notSent', { why: refused }) : null);
  };
  return (
    <Fragment>
      <tr data-testid="delivery-row" data-delivery-id={d.id} data-status={d.status} className={open ? 'open' : undefined}>
        <td>
          <button type="button" className="disclosure" aria-expanded={open} aria-controls={detailsId} onClick={onToggle}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {eventWords(d.event)}
          </button>
          {d.test ? <em className="muted"> {t('common.test')}</em> : null}
        </td>
        <td>{d.order_id ?? '—'}</td>
        <td className="url" title={d.url} dir="ltr">
          {d.url}
          {d.target === 'session' ? (
            <div className="muted small" dir="auto">
              {t('webhooks.ordersOwn')}
            </div>
          ) : null}
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
            <span className="muted">{t('webhooks.notYet')}</span>
          )}
        </td>
        <td>
          <button type="button" className="secondary" disabled={busy} onClick={() => void sendAgain()}>
            {t('webhooks.sendAgain')}
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
              <Trans i18nKey="webhooks.eventOf" values={{ id: d.event_id, when: when(d.created_at) }} components={{ code: <code /> }} />
              {d.session_id ? (
                <>
                  {' '}
                  · <Trans i18nKey="webhooks.sessionId" values={{ id: d.session_id }} components={{ code: <code /> }} />
                </>
              ) : null}
              {d.delivered_at ? <> · {t('webhooks.deliveredAt', { when: when(d.delivered_at) })}</> : null}
            </p>
            {d.recent_attempts.length === 0 ? (
              <p className="muted">{t('webhooks.noAttempt')}</p>
            ) : (
              <table className="attempts">
                <thead>
                  <tr>
                    <th>{t('webhooks.colTime')}</th>
                    <th>{t('webhooks.colResult')}</th>
                    <th>{t('webhooks.colTook')}</th>
                    <th>{t('webhooks.colAnswer')}</th>
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
                        {a.response_excerpt ? (
                          <pre className="excerpt">{a.response_excerpt}</pre>
                        ) : (
                          <span className="muted">{t('webhooks.nothing')}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {d.attempts > d.recent_attempts.length ? (
              <p className="muted small">{t('webhooks.latestOf', { shown: count(d.recent_attempts.length), total: count(d.attempts) })}</p>
            ) : null}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
