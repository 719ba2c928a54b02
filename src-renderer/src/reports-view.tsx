import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { MissingSmsView } from '../../src-shared/contract/admin';
import type {
  ChannelTotals,
  DayReport,
  MoneyTotal,
  PaymentChannel,
  ReportCsvKind,
  ReversalView,
  ShiftCloseOut,
} from '../../src-shared/contract/reports';
import { useReports } from './reports-store';
import { useCashier } from './cashier-store';
import { currentClient } from './store';
import { count, money, walletName } from './format';
import { currentLocale, t as tr, useT } from './i18n';
import { formatCalendarDay, formatWallClock } from './i18n/locale-format';
import './reports.css';

/** The shop's calendar day in words, in the counter's language ("Tuesday, May 12, 2026"). */
function dayWords(date: string): string {
  return formatCalendarDay(date, currentLocale());
}

/**
 * A report time ("2026-05-12T10:04:05+06:00") as the shop's clock read it: "10:04", with the date
 * when it is not the day shown. The core writes every time with the shop's offset.
 */
function when(iso: string | null, day: string): string {
  if (!iso) return '';
  const clock = formatWallClock(iso.slice(11, 16), currentLocale());
  const date = iso.slice(0, 10);
  if (date === day) return clock;
  return `${formatCalendarDay(date, currentLocale(), 'short')} ${clock}`;
}

function cell(total: MoneyTotal, currency: string): string {
  return total.count === 0 ? '–' : tr('reports.countAndAmount', { n: count(total.count), amount: money(total.amount, currency) });
}

/** Today's report reads itself again when money moves (a rush of events is one read a second). */
function useLiveToday(): void {
  const isToday = useReports((s) => s.report !== null && s.report.date === s.report.today);
  const load = useReports((s) => s.load);
  useEffect(() => {
    const client = currentClient();
    if (!client || !isToday) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, 1_000);
    };
    const offs = [client.on('session', later), client.on('sms', later)];
    return () => {
      if (timer) clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [isToday, load]);
}

export function ReportsView() {
  const t = useT();
  const { report, date, today, test, loading, error } = useReports();
  const load = useReports((s) => s.load);
  const step = useReports((s) => s.step);
  const setTest = useReports((s) => s.setTest);
  useLiveToday();
  // Read the day again each time the tab opens: money may have moved meanwhile.
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="reports" aria-label={t('reports.heading')} data-testid="reports">
      <div className="reports-bar">
        <h2>{t('reports.heading')}</h2>
        <div className="reports-days" role="group" aria-label={t('reports.daysGroup')}>
          <button type="button" onClick={() => void step(-1)} aria-label={t('reports.previousDay')} disabled={!date}>
            ←
          </button>
          <input
            type="date"
            aria-label={t('reports.dayLabel')}
            value={date ?? ''}
            max={today ?? undefined}
            onChange={(e) => {
              if (e.target.value) void load(e.target.value);
            }}
          />
          <button type="button" onClick={() => void step(1)} aria-label={t('reports.nextDay')} disabled={!date || !today || date >= today}>
            →
          </button>
          <button type="button" className="link" onClick={() => void load(today ?? undefined)} disabled={!today || date === today}>
            {t('reports.today')}
          </button>
        </div>
        <label className="reports-test">
          <input type="checkbox" checked={test} onChange={(e) => void setTest(e.target.checked)} /> {t('reports.testToggle')}
        </label>
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {loading && !report ? <p className="muted">{t('reports.loading')}</p> : null}
      {report ? <DayReportView report={report} /> : null}
      <ShiftClose />
    </section>
  );
}

function DayReportView({ report }: { report: DayReport }) {
  const t = useT();
  return (
    <div aria-busy={useReports((s) => s.loading)}>
      <p className="reports-day" data-testid="reports-day">
        <strong>{dayWords(report.date)}</strong>{' '}
        <span className="muted small">
          {t(report.time_zone.source === 'config' ? 'reports.zoneConfig' : 'reports.zoneComputer', { name: report.time_zone.name })}
        </span>
      </p>
      {report.test ? <p className="notice">{t('reports.testNote')}</p> : null}
      <Totals report={report} />
      <Unclaimed report={report} />
      <Reversals report={report} />
      <BalanceGaps report={report} />
      <CsvButtons key={report.date} />
    </div>
  );
}

const CHANNELS: PaymentChannel[] = ['online', 'counter', 'verified'];

function TotalsRow({ name, totals }: { name: string; totals: ChannelTotals }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      {CHANNELS.map((c) => (
        <td key={c} className="num">
          {cell(totals[c], totals.currency)}
        </td>
      ))}
      <td className="num total">{cell(totals.total, totals.currency)}</td>
      <td className="num muted">{cell(totals.reversed, totals.currency)}</td>
    </tr>
  );
}

function TotalsHead({ first }: { first: string }) {
  const t = useT();
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t('reports.online')}</th>
        <th scope="col">{t('reports.counter')}</th>
        <th scope="col">{t('reports.verified')}</th>
        <th scope="col">{t('reports.total')}</th>
        <th scope="col">{t('reports.reversedSince')}</th>
      </tr>
    </thead>
  );
}

function Totals({ report }: { report: DayReport }) {
  const t = useT();
  if (report.wallets.length === 0) {
    return (
      <section aria-label={t('reports.walletsHeading')}>
        <h3>{t('reports.walletsHeading')}</h3>
        <p className="muted" data-testid="reports-no-payments">
          {t('reports.noPayments')}
        </p>
      </section>
    );
  }
  return (
    <>
      <section aria-label={t('reports.walletsHeading')}>
        <h3>{t('reports.walletsHeading')}</h3>
        <table className="reports-table" data-testid="reports-wallets">
          <TotalsHead first={t('reports.wallet')} />
          <tbody>
            {report.wallets.map((w) => (
              <TotalsRow key={w.provider} name={walletName(w.provider)} totals={w} />
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label={t('reports.gatewaysHeading')}>
        <h3>{t('reports.gatewaysHeading')}</h3>
        <table className="reports-table" data-testid="reports-gateways">
          <TotalsHead first={t('reports.account')} />
          <tbody>
            {report.gateways.map((g) => (
              <TotalsRow
                key={`${g.provider}-${g.gateway_id ?? ''}`}
                name={g.label ?? [walletName(g.provider), g.account].filter(Boolean).join(' ')}
                totals={g}
              />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function Unclaimed({ report }: { report: DayReport }) {
  const t = useT();
  return (
    <section aria-label={t('reports.unclaimedHeading')}>
      <h3>{t('reports.unclaimedHeading')}</h3>
      <p className="muted small">{t('reports.unclaimedHelp')}</p>
      {report.unclaimed.length === 0 ? (
        <p className="muted">{t('reports.noUnclaimed')}</p>
      ) : (
        <>
          <ul className="reports-sums" data-testid="reports-unclaimed-totals">
            {report.unclaimed_totals.map((u) => (
              <li key={u.provider}>
                {t('reports.unclaimedTotal', {
                  count: u.count,
                  n: count(u.count),
                  wallet: walletName(u.provider),
                  amount: money(u.amount, u.currency),
                })}
              </li>
            ))}
          </ul>
          <table className="reports-table" data-testid="reports-unclaimed">
            <thead>
              <tr>
                <th scope="col">{t('reports.time')}</th>
                <th scope="col">{t('reports.wallet')}</th>
                <th scope="col">{t('reports.txnid')}</th>
                <th scope="col">{t('reports.amount')}</th>
                <th scope="col">{t('reports.from')}</th>
                <th scope="col">{t('reports.state')}</th>
              </tr>
            </thead>
            <tbody>
              {report.unclaimed.map((u) => (
                <tr key={u.sms_id}>
                  <td>{when(u.received_at, report.date)}</td>
                  <td>{walletName(u.provider)}</td>
                  <td>
                    <code>{u.txnid}</code>
                  </td>
                  <td className="num">{money(u.amount, u.currency)}</td>
                  <td>{u.counterparty ?? ''}</td>
                  <td>{t(u.held_for_review ? 'reports.heldForReview' : 'reports.waiting')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function reversalWords(r: ReversalView, day: string): string {
  if (!r.paid) return tr('reports.reversalUnpaid');
  const at = when(r.paid.paid_at, day);
  if (r.paid.channel === 'online') {
    const order = r.paid.order_id ?? '';
    return at ? tr('reports.tookOnlineAt', { order, at }) : tr('reports.tookOnline', { order });
  }
  if (r.paid.channel === 'counter') return at ? tr('reports.tookCounterAt', { at }) : tr('reports.tookCounter');
  return at ? tr('reports.tookVerifiedAt', { at }) : tr('reports.tookVerified');
}

function Reversals({ report }: { report: DayReport }) {
  const t = useT();
  return (
    <section aria-label={t('reports.reversalsHeading')}>
      <h3>{t('reports.reversalsHeading')}</h3>
      {report.reversals.length === 0 ? (
        <p className="muted">{t('reports.noReversals')}</p>
      ) : (
        <ul className="reports-list" data-testid="reports-reversals">
          {report.reversals.map((r) => (
            <li key={r.sms_id}>
              <strong>
                {walletName(r.provider)} {money(r.amount, r.currency)}
              </strong>{' '}
              · <code>{r.txnid}</code> · {when(r.received_at, report.date)} — {reversalWords(r, report.date)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function gapWords(g: MissingSmsView, day: string): string {
  const wallet = walletName(g.provider);
  const amount = money(g.amount, g.currency);
  return tr(g.ambiguous ? 'reports.gapSeveral' : 'reports.gap', {
    who: g.account_key ? tr('reports.walletAccount', { wallet, account: g.account_key }) : wallet,
    what: tr(g.direction === 'credit' ? 'reports.moneyIn' : 'reports.moneyOut', { amount }),
    from: when(g.from, day),
    to: when(g.to, day),
  });
}

function BalanceGaps({ report }: { report: DayReport }) {
  const t = useT();
  if (report.test) return null;
  return (
    <section aria-label={t('reports.gapsHeading')}>
      <h3>{t('reports.gapsHeading')}</h3>
      {report.balance_gaps.length === 0 ? (
        <p className="muted">{t('reports.noGaps')}</p>
      ) : (
        <>
          <p className="muted small">{t('reports.gapsHelp')}</p>
          <ul className="reports-list" data-testid="reports-gaps">
            {report.balance_gaps.map((g) => (
              <li key={`${g.provider}-${g.account_key}-${g.before_sms_id}`}>{gapWords(g, report.date)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Hands a CSV to the browser as a file: a Blob behind an <a download>. */
function saveFile(filename: string, content: string): void {
  // A byte-order mark first, so a spreadsheet reads the file as UTF-8 (names in Bangla, Urdu…).
  const blob = new Blob(['\ufeff', content], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function CsvButtons() {
  const t = useT();
  const csv = useReports((s) => s.csv);
  const [saved, setSaved] = useState<string | null>(null);
  const download = async (kind: ReportCsvKind) => {
    setSaved(null);
    const file = await csv(kind);
    if (!file) return;
    saveFile(file.filename, file.content);
    setSaved(file.filename);
  };
  return (
    <section aria-label={t('reports.csvHeading')} className="reports-export">
      <h3>{t('reports.csvHeading')}</h3>
      <button type="button" onClick={() => void download('payments')}>
        {t('reports.csvPayments')}
      </button>{' '}
      <button type="button" onClick={() => void download('credits')}>
        {t('reports.csvCredits')}
      </button>
      {saved ? (
        <span className="muted small" role="status">
          {' '}
          {t('reports.csvSaved', { name: saved })}
        </span>
      ) : null}
    </section>
  );
}

function ShiftClose() {
  const t = useT();
  const closeOut = useReports((s) => s.closeOut);
  const closing = useReports((s) => s.closing);
  const closeError = useReports((s) => s.closeError);
  const closeShift = useReports((s) => s.closeShift);
  const cashier = useCashier((s) => s.name);
  // Whose shift the confirmation closes: everyone's ('all') or the named cashier's.
  const [confirming, setConfirming] = useState<false | 'all' | 'mine'>(false);
  const mine = confirming === 'mine' && cashier !== null ? cashier : undefined;
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') setConfirming(false);
  };
  return (
    <section aria-label={t('reports.shiftHeading')} className="reports-shift">
      <h3>{t('reports.shiftHeading')}</h3>
      {!confirming ? (
        <>
          <button type="button" onClick={() => setConfirming('all')} disabled={closing}>
            {t('reports.closeShift')}
          </button>
          {cashier !== null ? (
            <>
              {' '}
              <button type="button" onClick={() => setConfirming('mine')} disabled={closing}>
                {t('reports.closeMine', { name: cashier })}
              </button>
            </>
          ) : null}
        </>
      ) : (
        <div role="alertdialog" aria-modal="false" aria-labelledby="close-shift-title" className="reports-confirm" onKeyDown={onKey}>
          <p id="close-shift-title">
            <strong>{t('reports.confirmTitle')}</strong>
          </p>
          <p>{mine ? t('reports.confirmMineText', { name: mine }) : t('reports.confirmText')}</p>
          <button
            ref={confirmRef}
            type="button"
            className="approve"
            disabled={closing}
            onClick={() => {
              void closeShift(mine).then(() => setConfirming(false));
            }}
          >
            {t(closing ? 'reports.closing' : 'reports.confirm')}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            {t('reports.cancel')}
          </button>
        </div>
      )}
      {closeError ? (
        <p role="alert" className="error">
          {closeError}
        </p>
      ) : null}
      {closeOut ? <CloseOutSummary closeOut={closeOut} /> : null}
    </section>
  );
}

function WalletLines({ wallets }: { wallets: ShiftCloseOut['wallets'] }) {
  const t = useT();
  return (
    <>
      {wallets.map((w) => (
        <tr key={w.provider}>
          <td>{walletName(w.provider)}</td>
          <td className="num">{t('reports.countAndAmount', { n: count(w.count), amount: money(w.amount, w.currency) })}</td>
          <td className="num muted">{cell(w.reversed, w.currency)}</td>
        </tr>
      ))}
    </>
  );
}

/** An actor as the cashier reads it: `staff:<name>` is the name, the shared `staff` "Staff (no name)". */
function actorWords(actor: string): string {
  if (actor.startsWith('staff:')) return actor.slice('staff:'.length);
  return actor === 'staff' ? tr('reports.noName') : actor;
}

function CloseOutSummary({ closeOut }: { closeOut: ShiftCloseOut }) {
  const t = useT();
  const dismiss = useReports((s) => s.dismissCloseOut);
  const day = closeOut.to.slice(0, 10);
  const full = (iso: string) => `${dayWords(iso.slice(0, 10))} ${formatWallClock(iso.slice(11, 16), currentLocale())}`;
  return (
    <article className="reports-closeout" data-testid="closeout" aria-label={t('reports.closeOutHeading')}>
      <h3>{t('reports.closeOutHeading')}</h3>
      {closeOut.cashier ? <p data-testid="closeout-of">{t('reports.shiftOf', { name: closeOut.cashier })}</p> : null}
      <p>{t('reports.closeOutRange', { from: full(closeOut.from), to: full(closeOut.to) })}</p>
      <p className="muted small">{t('reports.closedBy', { who: actorWords(closeOut.closed_by), at: when(closeOut.closed_at, day) })}</p>
      <p className="small" data-testid="closeout-note">
        {closeOut.note}
      </p>
      {closeOut.wallets.length === 0 ? (
        <p className="muted">{t('reports.noSales')}</p>
      ) : (
        <table className="reports-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.wallet')}</th>
              <th scope="col">{t('reports.sales')}</th>
              <th scope="col">{t('reports.reversedSince')}</th>
            </tr>
          </thead>
          {closeOut.cashiers.map((c) => (
            <tbody key={c.actor} data-testid="closeout-cashier">
              <tr>
                <th scope="rowgroup" colSpan={3}>
                  {t('reports.cashier', { who: c.cashier ?? (c.actor === 'staff' ? t('reports.noName') : c.actor) })}
                </th>
              </tr>
              <WalletLines wallets={c.wallets} />
            </tbody>
          ))}
          {closeOut.cashiers.length > 1 ? (
            <tbody>
              <tr>
                <th scope="rowgroup" colSpan={3}>
                  {t('reports.allCashiers')}
                </th>
              </tr>
              <WalletLines wallets={closeOut.wallets} />
            </tbody>
          ) : null}
        </table>
      )}
      <p className="reports-closeout-actions">
        <button type="button" onClick={() => window.print()}>
          {t('reports.print')}
        </button>{' '}
        <button type="button" className="link" onClick={dismiss}>
          {t('common.done')}
        </button>
      </p>
    </article>
  );
}
