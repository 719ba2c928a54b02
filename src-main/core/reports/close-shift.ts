import type { ShiftCloseOut } from '../../../src-shared/contract/reports';
import { appendAudit, cashierOf, SHARED_ACTOR } from '../audit';
import { writeTransaction, type Db } from '../db';
import type { ReportRepo } from '../db/repos/report-repo';
import { currencyOf, money, walletOrder } from './day-report';
import { dayRange, shopDateOf, shopIso, type ShopZone } from './shop-day';
import { MAX_SHIFT_MS } from './report-input';

export interface CloseShiftContext {
  db: Db;
  repo: ReportRepo;
  auditKey: string;
  zone: ShopZone;
  now: number;
}

/** How many recent close-outs are searched for where a shift starts. */
const RECENT_CLOSES = 500;

interface Sums {
  count: number;
  minor: number;
  reversedCount: number;
  reversedMinor: number;
}

type WalletLine = ShiftCloseOut['wallets'][number];

function walletLines(sums: Map<string, Sums>): WalletLine[] {
  return [...sums]
    .sort(([a], [b]) => walletOrder(a, b))
    .map(([provider, s]) => ({
      provider,
      currency: currencyOf(provider),
      ...money({ count: s.count, minor: s.minor }),
      reversed: money({ count: s.reversedCount, minor: s.reversedMinor }),
    }));
}

function addTo(sums: Map<string, Sums>, provider: string, row: { n: number; minor: number; reversed_n: number; reversed_minor: number }) {
  const s = sums.get(provider) ?? { count: 0, minor: 0, reversedCount: 0, reversedMinor: 0 };
  s.count += row.n;
  s.minor += row.minor;
  s.reversedCount += row.reversed_n;
  s.reversedMinor += row.reversed_minor;
  sums.set(provider, s);
}

/**
 * Where a shift starts when staff do not say: where the last close-out that covered it ended,
 * else the start of the shop day. Every cashier's close-out ends every shift; one cashier's
 * close-out ends only that cashier's (the others' shifts stay open).
 */
function defaultStart(repo: ReportRepo, to: number, zone: ShopZone, cashier: string | null): number {
  const last = repo.recentShiftCloses(RECENT_CLOSES).find((row) => {
    const closed = (JSON.parse(row.details) as { cashier?: unknown }).cashier ?? null;
    return closed === null || closed === cashier;
  });
  const lastEnd = last ? (JSON.parse(last.details) as { to_ms?: unknown }).to_ms : undefined;
  if (typeof lastEnd === 'number' && lastEnd < to && to - lastEnd <= MAX_SHIFT_MS) return lastEnd;
  return dayRange(shopDateOf(to - 1, zone), zone).from;
}

/**
 * The end-of-shift close-out: the counter sales accepted in [from, to), per cashier (the actor
 * the audit log recorded with each `counter.sale_accepted`) and wallet, written to the audit
 * log as `shift.closed` in the same transaction as the read, so the record is what was shown.
 */
export function closeShift(ctx: CloseShiftContext, range: { from?: number; to: number; cashier: string | null }): ShiftCloseOut {
  const { db, repo, zone, now } = ctx;
  const { cashier } = range;
  const actor = cashier === null ? SHARED_ACTOR : `${SHARED_ACTOR}:${cashier}`;
  return writeTransaction(db, () => {
    const to = range.to;
    const from = range.from ?? defaultStart(repo, to, zone, cashier);
    const byActor = new Map<string, Map<string, Sums>>();
    const all = new Map<string, Sums>();
    for (const row of repo.shiftTotals(from, to)) {
      if (cashier !== null && row.actor !== actor) continue;
      let wallets = byActor.get(row.actor);
      if (!wallets) byActor.set(row.actor, (wallets = new Map()));
      addTo(wallets, row.provider, row);
      addTo(all, row.provider, row);
    }
    const cashiers = [...byActor]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([who, wallets]) => ({
        actor: who,
        cashier: cashierOf(who),
        count: [...wallets.values()].reduce((n, s) => n + s.count, 0),
        wallets: walletLines(wallets),
      }));
    const perCashier = cashiers.some((c) => c.actor !== SHARED_ACTOR);
    const note =
      cashier !== null
        ? `The counter sales ${cashier} accepted since their last close-out; the other cashiers' shifts stay open.`
        : perCashier
          ? 'Totals per cashier, as each sale was recorded. Sales recorded before the counter named its cashier are under "Staff (no name)".'
          : `Every counter sale is recorded as "${SHARED_ACTOR}": the counter's staff sign-in is shared, so CounterPay cannot tell ` +
            'cashiers apart. These totals are for everyone who used the counter during the shift.';
    const wallets = walletLines(all);
    const row = appendAudit(
      db,
      ctx.auditKey,
      {
        actor,
        action: 'shift.closed',
        subjectType: 'shift',
        subjectId: shopIso(to, zone),
        details: {
          from: shopIso(from, zone),
          to: shopIso(to, zone),
          from_ms: from,
          to_ms: to,
          cashier,
          wallets: wallets.map((w) => ({ provider: w.provider, count: w.count, amount: w.amount, reversed: w.reversed })),
          cashiers: cashiers.map((c) => ({
            actor: c.actor,
            count: c.count,
            wallets: c.wallets.map((w) => ({ provider: w.provider, count: w.count, amount: w.amount })),
          })),
        },
      },
      now,
    );
    return {
      from: shopIso(from, zone),
      to: shopIso(to, zone),
      closed_at: shopIso(now, zone),
      closed_by: actor,
      per_cashier: perCashier,
      cashier,
      note,
      cashiers,
      wallets,
      audit_seq: row.seq,
    };
  });
}
