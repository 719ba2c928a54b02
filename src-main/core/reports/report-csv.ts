import type { ReportCsv, ReportCsvKind } from '../../../src-shared/contract/reports';
import { minorToDecimal } from '../../../src-shared/money';
import { isProviderId, providerInfo } from '../../../src-shared/providers';
import type { ReportRepo, WalletSmsReportRow } from '../db/repos/report-repo';
import { toCsv, type CsvCell } from './csv';
import { currencyOf } from './day-report';
import { dayRange, shopIso, type ShopZone } from './shop-day';

export interface CsvContext {
  repo: ReportRepo;
  merchantId: number;
  zone: ShopZone;
  gateways: { id: number; label: string | null; account_identifiers: string[] }[];
}

export const PAYMENTS_HEADER = [
  'paid_at',
  'wallet',
  'gateway',
  'channel',
  'txnid',
  'amount',
  'currency',
  'order_id',
  'customer_name',
  'payer',
  'sms_received_at',
  'accepted_by',
  'reversed_at',
  'transaction_id',
] as const;

export const CREDITS_HEADER = [
  'received_at',
  'wallet',
  'account',
  'txnid',
  'amount',
  'currency',
  'payer',
  'sender',
  'status',
  'paid_by',
  'order_id',
  'paid_at',
  'sms_id',
] as const;

const walletName = (provider: string) => (isProviderId(provider) ? providerInfo(provider).name : provider);
const amountOf = (minor: number | null) => (minor === null ? null : minorToDecimal(minor));

/** What became of a credit: paid, held for a person, taken back by the wallet, or nobody's yet. */
function creditStatus(row: WalletSmsReportRow): string {
  if (row.paid_transaction_id !== null) return row.reversal_sms_id !== null ? 'paid, reversed' : 'paid';
  if (row.reversal_sms_id !== null) return 'reversed';
  return row.held > 0 ? 'unclaimed, held for review' : 'unclaimed';
}

/** One row per successful payment, or per credit SMS, of a shop day. */
export function buildReportCsv(ctx: CsvContext, date: string, kind: ReportCsvKind, test: boolean): ReportCsv {
  const { repo, merchantId, zone } = ctx;
  const { from, to } = dayRange(date, zone);
  const at = (ms: number | null) => (ms === null ? null : shopIso(ms, zone));
  const gateways = new Map(ctx.gateways.map((g) => [g.id, g]));
  const gatewayName = (id: number | null, fallback: string | null) => {
    const g = id === null ? undefined : gateways.get(id);
    return g?.label ?? g?.account_identifiers[0] ?? fallback;
  };
  const filename = `counterpay-${kind}-${date}${test ? '-test' : ''}.csv`;
  let rows: CsvCell[][];
  if (kind === 'payments') {
    const actors = new Map(repo.saleActors(from, to).map((a) => [a.transaction_id, a.actor]));
    rows = repo
      .payments(merchantId, test, from, to)
      .map((p) => [
        at(p.verified_at),
        walletName(p.provider),
        gatewayName(p.gateway_id, p.account_number),
        p.channel,
        p.txnid_submitted,
        amountOf(p.amount_minor),
        p.session_currency ?? p.sms_currency ?? currencyOf(p.provider),
        p.order_id,
        p.customer_name,
        p.sender_account,
        at(p.sms_received_at),
        p.channel === 'counter' ? (actors.get(p.id) ?? null) : null,
        at(p.reversed_at),
        p.id,
      ]);
    return { filename, content: toCsv(PAYMENTS_HEADER, rows), rows: rows.length };
  }
  rows = repo
    .credits(merchantId, test, from, to)
    .map((c) => [
      at(c.received_at),
      walletName(c.provider),
      c.account_hint,
      c.txnid ?? c.txnid_normalized,
      amountOf(c.amount_minor),
      c.currency ?? currencyOf(c.provider),
      c.counterparty,
      c.sender,
      creditStatus(c),
      c.paid_channel,
      c.paid_order_id,
      at(c.paid_at),
      c.id,
    ]);
  return { filename, content: toCsv(CREDITS_HEADER, rows), rows: rows.length };
}
