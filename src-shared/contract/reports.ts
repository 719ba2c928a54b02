import type { MissingSmsView } from './admin';

/**
 * Reports (issue 14 item 5): a shop day's money, per wallet and per gateway, and the end-of-shift
 * close-out. Amounts are decimal strings ("1250.00"), summed from integer minor units; times are
 * ISO 8601 with the shop's offset.
 */

/** How a successful payment came: an online session, a counter sale, or a TxnID verified without either. */
export type PaymentChannel = 'online' | 'counter' | 'verified';

export interface MoneyTotal {
  count: number;
  amount: string;
}

/** One wallet (or one gateway) over the day: each channel, the sum, and how much of it the wallet reversed since. */
export interface ChannelTotals {
  currency: string;
  online: MoneyTotal;
  counter: MoneyTotal;
  verified: MoneyTotal;
  total: MoneyTotal;
  /** Payments of the day the wallet has since taken back (already inside the totals above). */
  reversed: MoneyTotal;
}

export interface WalletDayTotals extends ChannelTotals {
  provider: string;
}

export interface GatewayDayTotals extends ChannelTotals {
  gateway_id: number | null;
  provider: string;
  /** The name staff gave the gateway on the counter, if any. */
  label: string | null;
  /** The gateway's first account identifier ("01711111111", "XX6788"). */
  account: string | null;
}

/** A credit SMS of the day that no successful payment claimed: money that arrived and nobody took. */
export interface UnclaimedCreditView {
  sms_id: number;
  provider: string;
  txnid: string;
  amount: string;
  currency: string | null;
  counterparty: string | null;
  account_hint: string | null;
  received_at: string;
  /** An online attempt holds it for a person to check (the queue). */
  held_for_review: boolean;
}

/** A wallet reversal SMS of the day, and what it took back. */
export interface ReversalView {
  sms_id: number;
  provider: string;
  txnid: string;
  amount: string | null;
  currency: string | null;
  received_at: string;
  /** The payment it reversed; null when the credit had not paid anything. */
  paid: {
    transaction_id: number;
    channel: PaymentChannel;
    order_id: string | null;
    amount: string | null;
    paid_at: string | null;
  } | null;
}

export interface DayReport {
  /** The shop day, YYYY-MM-DD. */
  date: string;
  /** The shop's day today (to move between days and to know "today"). */
  today: string;
  /** [from, to) of the day, ISO 8601 with the shop's offset. */
  from: string;
  to: string;
  /** Where the day's boundaries come from, in words. */
  time_zone: { source: 'config' | 'computer'; name: string };
  test: boolean;
  generated_at: string;
  /** Per wallet, successful payments of the day (by when they were paid), by display order of the wallets. */
  wallets: WalletDayTotals[];
  gateways: GatewayDayTotals[];
  unclaimed: UnclaimedCreditView[];
  /** Unclaimed credits per wallet. */
  unclaimed_totals: ({ provider: string; currency: string } & MoneyTotal)[];
  reversals: ReversalView[];
  /**
   * Balance gaps per wallet: SMS the balance chains say are missing, whose window touches this
   * day (today: every open gap). Live money only: test mode has no balance chains.
   */
  balance_gaps: MissingSmsView[];
}

export type ReportCsvKind = 'payments' | 'credits';

export interface ReportCsv {
  filename: string;
  /** RFC 4180: CRLF line ends, a header row, quotes where needed; no cell starts a formula. */
  content: string;
  rows: number;
}

export interface ShiftCashierTotals {
  /** Who accepted the sales, as the audit log records it. */
  actor: string;
  /** The cashier's name the counter gave (the actor `staff:<name>`); null for the shared `staff` ("Staff (no name)"). */
  cashier: string | null;
  count: number;
  wallets: ({ provider: string; currency: string; reversed: MoneyTotal } & MoneyTotal)[];
}

export interface ShiftCloseOut {
  from: string;
  to: string;
  closed_at: string;
  closed_by: string;
  /**
   * False while every sale is recorded as one shared actor ('staff': the staff token is shared);
   * the totals are then per actor that exists, and say so.
   */
  per_cashier: boolean;
  /** The one cashier whose shift this closed (their sales since their last close-out); null: every cashier's. */
  cashier: string | null;
  note: string;
  cashiers: ShiftCashierTotals[];
  /** Counter sales of the shift per wallet, every cashier together. */
  wallets: ({ provider: string; currency: string; reversed: MoneyTotal } & MoneyTotal)[];
  /** The audit row that records this close-out. */
  audit_seq: number;
}
