import type { MissingSmsView } from '../../../src-shared/contract/admin';
import type {
  ChannelTotals,
  DayReport,
  GatewayDayTotals,
  MoneyTotal,
  PaymentChannel,
  ReversalView,
  UnclaimedCreditView,
  WalletDayTotals,
} from '../../../src-shared/contract/reports';
import { minorToDecimal } from '../../../src-shared/money';
import { PROVIDER_IDS, isProviderId, providerInfo } from '../../../src-shared/providers';
import type { PaymentTotalsRow, ReportRepo, WalletSmsReportRow } from '../db/repos/report-repo';
import { dayRange, shopDateOf, shopIso, zoneWords, type ShopZone } from './shop-day';

/** The facts a report needs besides its own reads: the shop's gateways and its balance gaps. */
export interface DayReportContext {
  repo: ReportRepo;
  merchantId: number;
  zone: ShopZone;
  now: number;
  gateways: { id: number; provider: string; label: string | null; account_identifiers: string[] }[];
  /** The balance domain's open gaps (live money). */
  missingSms: () => MissingSmsView[];
}

/** A running sum in integer minor units. */
interface Sum {
  count: number;
  minor: number;
}

const zero = (): Sum => ({ count: 0, minor: 0 });

function add(sum: Sum, count: number, minor: number): void {
  sum.count += count;
  sum.minor += minor;
  if (!Number.isSafeInteger(sum.minor)) throw new RangeError('a report total outgrew exact integers');
}

export function money(sum: Sum): MoneyTotal {
  return { count: sum.count, amount: minorToDecimal(sum.minor) };
}

/** The currency a wallet's money is in (a wallet is one country's). */
export function currencyOf(provider: string): string {
  return isProviderId(provider) ? providerInfo(provider).currency : '';
}

/** Wallets in the order the shared provider list gives them. */
export function walletOrder(a: string, b: string): number {
  const rank = (p: string) => (isProviderId(p) ? PROVIDER_IDS.indexOf(p) : PROVIDER_IDS.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

interface ChannelSums {
  online: Sum;
  counter: Sum;
  verified: Sum;
  total: Sum;
  reversed: Sum;
}

const channelSums = (): ChannelSums => ({ online: zero(), counter: zero(), verified: zero(), total: zero(), reversed: zero() });

function addRow(sums: ChannelSums, row: PaymentTotalsRow): void {
  add(sums[row.channel], row.n, row.minor);
  add(sums.total, row.n, row.minor);
  add(sums.reversed, row.reversed_n, row.reversed_minor);
}

function channelTotals(sums: ChannelSums, currency: string): ChannelTotals {
  return {
    currency,
    online: money(sums.online),
    counter: money(sums.counter),
    verified: money(sums.verified),
    total: money(sums.total),
    reversed: money(sums.reversed),
  };
}

/** The wallet SMS's TxnID as the wallet printed it. */
function txnidOf(row: WalletSmsReportRow): string {
  return row.txnid ?? row.txnid_normalized;
}

/** Credits that no successful payment claimed and the wallet did not take back, one per TxnID and wallet. */
function unclaimedRows(credits: WalletSmsReportRow[]): WalletSmsReportRow[] {
  const seen = new Set<string>();
  return credits.filter((row) => {
    // Paid (through this copy or another of the same TxnID), or taken back by the wallet: not money waiting.
    if (row.paid_transaction_id !== null || row.reversal_sms_id !== null) return false;
    // Two stored copies of one SMS (two sources that read it slightly differently) are one credit.
    const key = `${row.provider}|${row.txnid_normalized}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function unclaimedView(row: WalletSmsReportRow, zone: ShopZone): UnclaimedCreditView {
  return {
    sms_id: row.id,
    provider: row.provider,
    txnid: txnidOf(row),
    amount: minorToDecimal(row.amount_minor ?? 0),
    currency: row.currency,
    counterparty: row.counterparty,
    account_hint: row.account_hint,
    received_at: shopIso(row.received_at, zone),
    held_for_review: row.held > 0,
  };
}

function reversalOf(row: WalletSmsReportRow, zone: ShopZone): ReversalView {
  return {
    sms_id: row.id,
    provider: row.provider,
    txnid: txnidOf(row),
    amount: row.amount_minor === null ? null : minorToDecimal(row.amount_minor),
    currency: row.currency,
    received_at: shopIso(row.received_at, zone),
    paid:
      row.paid_transaction_id === null
        ? null
        : {
            transaction_id: row.paid_transaction_id,
            channel: row.paid_channel as PaymentChannel,
            order_id: row.paid_order_id,
            amount: row.paid_minor === null ? null : minorToDecimal(row.paid_minor),
            paid_at: row.paid_at === null ? null : shopIso(row.paid_at, zone),
          },
  };
}

/** A shop day's report (see the DayReport contract). */
export function buildDayReport(ctx: DayReportContext, date: string | undefined, test: boolean): DayReport {
  const { repo, merchantId, zone, now } = ctx;
  const today = shopDateOf(now, zone);
  const day = date ?? today;
  const { from, to } = dayRange(day, zone);

  const wallets = new Map<string, ChannelSums>();
  const gateways = new Map<string, { provider: string; gatewayId: number | null; sums: ChannelSums }>();
  for (const row of repo.paymentTotals(merchantId, test, from, to)) {
    let wallet = wallets.get(row.provider);
    if (!wallet) wallets.set(row.provider, (wallet = channelSums()));
    addRow(wallet, row);
    const key = `${row.provider}|${row.gateway_id ?? ''}`;
    let gateway = gateways.get(key);
    if (!gateway) gateways.set(key, (gateway = { provider: row.provider, gatewayId: row.gateway_id, sums: channelSums() }));
    addRow(gateway.sums, row);
  }

  const unclaimed = unclaimedRows(repo.credits(merchantId, test, from, to));
  // Summed here, not in SQL: which copies are one credit is decided above. Integers all the same.
  const unclaimedSums = new Map<string, Sum>();
  for (const row of unclaimed) {
    let sum = unclaimedSums.get(row.provider);
    if (!sum) unclaimedSums.set(row.provider, (sum = zero()));
    add(sum, 1, row.amount_minor ?? 0);
  }

  const gatewayInfo = new Map(ctx.gateways.map((g) => [g.id, g]));
  const walletRows: WalletDayTotals[] = [...wallets]
    .sort(([a], [b]) => walletOrder(a, b))
    .map(([provider, sums]) => ({ provider, ...channelTotals(sums, currencyOf(provider)) }));
  const gatewayRows: GatewayDayTotals[] = [...gateways.values()]
    .sort((a, b) => walletOrder(a.provider, b.provider) || (a.gatewayId ?? 0) - (b.gatewayId ?? 0))
    .map(({ provider, gatewayId, sums }) => {
      const info = gatewayId === null ? undefined : gatewayInfo.get(gatewayId);
      return {
        gateway_id: gatewayId,
        provider,
        label: info?.label ?? null,
        account: info?.account_identifiers[0] ?? null,
        ...channelTotals(sums, currencyOf(provider)),
      };
    });

  const isToday = day === today;
  // The chains are the wallet's money now: a gap shows on the days its window touches, and today shows every open one.
  const gaps = test
    ? []
    : ctx
        .missingSms()
        .filter((gap) => isToday || (Date.parse(gap.to) >= from && Date.parse(gap.from) < to))
        // Every time in a report reads as the shop's clock.
        .map((gap) => ({ ...gap, from: shopIso(Date.parse(gap.from), zone), to: shopIso(Date.parse(gap.to), zone) }));

  return {
    date: day,
    today,
    from: shopIso(from, zone),
    to: shopIso(to, zone),
    time_zone: zoneWords(zone),
    test,
    generated_at: shopIso(now, zone),
    wallets: walletRows,
    gateways: gatewayRows,
    unclaimed: unclaimed.map((row) => unclaimedView(row, zone)),
    unclaimed_totals: [...unclaimedSums]
      .sort(([a], [b]) => walletOrder(a, b))
      .map(([provider, sum]) => ({ provider, currency: currencyOf(provider), ...money(sum) })),
    reversals: repo.reversals(merchantId, test, from, to).map((row) => reversalOf(row, zone)),
    balance_gaps: gaps,
  };
}
