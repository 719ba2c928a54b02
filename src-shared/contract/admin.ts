import type { CanaryView, ModemStatusView } from './modem';
import type { SyncStatusView } from './sync';
import type { DayReport, ReportCsv, ReportCsvKind, ShiftCloseOut } from './reports';
import type { WebhookBacklogView, WebhookDeliveryStatus, WebhookDeliveryView, WebhookSettingsView } from './webhooks';
import type { GatewayView, ListenerName } from './api';
import type { KeysView, RevealableKeyKind, SetupStatusView, ShopView, TunnelCheckView, TunnelView } from './setup';
import type { IngestResultView, SmsView } from '../sms';
import type { PaymentDetail, PaymentSearchArg, PaymentSearchResult, SmsFilter, SmsListResult } from './payment-search';
import type { ResultSource, ReviewReason, SessionView, VerificationView } from './payments';
import type {
  DeviceHealthView,
  DevicesChangedEvent,
  ForwarderView,
  PairingPayload,
  RegisterForwarderInput,
  RegisteredForwarder,
} from './devices';

/**
 * What the core offers the counter UI. Commands return one result; events stream.
 * The renderer calls `client.invoke(name, arg)` and `client.on(event, cb)`; both ends
 * compile against this map so a renamed command fails the typecheck, not the shop.
 */
export interface StatusSnapshot {
  version: string;
  started_at: string;
  data_dir: string;
  database_path: string;
  listeners: Record<ListenerName, string>;
  counts: {
    sms: number;
    sessions: number;
    sessions_pending: number;
    transactions: number;
    gateways: number;
    devices: number;
  };
}

/** Staff paste one SMS, or import a CSV/JSON export of many; everything is marked `manual`. */
export type SmsImportArg = { sender: string; body: string; received_at?: string } | { format: 'csv' | 'json'; content: string };

export interface SmsImportResult {
  results: (({ index: number; ok: true } & IngestResultView) | { index: number; ok: false; code: string; message: string })[];
  stored: number;
  duplicates: number;
  rejected: number;
}

export interface AdminCommands {
  'status.get': { arg: Record<string, never>; result: StatusSnapshot };
  'gateways.list': { arg: Record<string, never>; result: { gateways: GatewayView[] } };
  'gateways.update': {
    arg: {
      id: number;
      extra_sender_ids?: string[];
      expected_smsc?: string[];
      balance_check?: 'off' | 'warn' | 'review';
      enabled?: boolean;
      label?: string | null;
      account?: string;
    };
    result: GatewayView;
  };
  /** A wallet account the shop receives on, with its sender IDs; audit-logged. Edit and disable with gateways.update. */
  'gateways.add': {
    arg: {
      provider: string;
      account: string;
      variant?: string;
      label?: string;
      extra_sender_ids?: string[];
      expected_smsc?: string[];
      balance_check?: 'off' | 'warn' | 'review';
    };
    result: GatewayView;
  };
  /** The shop's name, shown to customers at the top of the hosted checkout. */
  'shop.get': { arg: Record<string, never>; result: ShopView };
  'shop.rename': { arg: { name: string }; result: ShopView };
  /** The merchant's keys and the phone's device key as they work now (never the staff token or the audit key). */
  'keys.reveal': { arg: Record<string, never>; result: { keys: KeysView } };
  /** Replaces one key at once (audit-logged); the old one is refused from then on. */
  'keys.rotate': { arg: { kind: RevealableKeyKind }; result: { rotated: RevealableKeyKind; keys: KeysView } };
  /** The tunnel's public address for checkout links, and where it is set. */
  'tunnel.get': { arg: Record<string, never>; result: TunnelView };
  /** Stores the address (null or '' removes it); refused while --public-url or config.json sets one. */
  'tunnel.set': { arg: { url: string | null }; result: TunnelView };
  /** Fetches `<url>/api/health` (the stored address when no url is given) and says whether it reaches this core. */
  'tunnel.check': { arg: { url?: string }; result: TunnelCheckView };
  /** What the first-run setup still needs. */
  'setup.status': { arg: Record<string, never>; result: SetupStatusView };
  /** The shop finished or skipped the setup flow (true), or wants it again (false). */
  'setup.dismiss': { arg: { dismissed: boolean }; result: SetupStatusView };
  'sms.import': { arg: SmsImportArg; result: SmsImportResult };
  'sms.recent': { arg: { limit?: number }; result: { sms: SmsView[] } };
  'sessions.recent': { arg: { limit?: number }; result: { sessions: SessionView[] } };
  'verifications.list': { arg: Record<string, never>; result: { verifications: VerificationView[] } };
  'verifications.decide': {
    arg: { verification_id: number; result: 'success' | 'failed'; failure_reason?: string; cashier?: string };
    result: DecisionResult;
  };
  'txnid.verify': { arg: { txnid: string }; result: ManualVerifyResult };
  'txnid.lookup': { arg: { txnid: string; amount?: string }; result: TxnidLookupResult };
  /** Claims a credit the check answered PAID for an in-person sale; from then on it is ALREADY USED everywhere. `cashier`: who is at the counter (recorded as `staff:<name>`). */
  'txnid.accept': { arg: { txnid: string; amount?: string; sms_id?: number; cashier?: string }; result: CounterSaleResult };
  'alerts.list': { arg: Record<string, never>; result: { alerts: StaffAlertView[] } };
  'alerts.resolve': { arg: { id: number }; result: { resolved: boolean } };
  'balance.anchor': {
    arg: { provider: string; account?: string; balance: string };
    result: { anchored: true; provider: string; account: string; balance: string };
  };
  /** SMS the balance chains say are missing: the amount and the time window to look for in the wallet app. */
  'balance.missing': { arg: Record<string, never>; result: { missing: MissingSmsView[] } };
  'devices.list': { arg: Record<string, never>; result: { devices: DeviceHealthView[] } };
  'devices.pairing': { arg: Record<string, never>; result: PairingPayload };
  /** The GSM modems: state, signal, operator, SIM storage, last message and error (issue 11). */
  'modems.list': { arg: Record<string, never>; result: { modems: ModemStatusView[] } };
  /** "Test both paths": the first ready modem texts the phone's number; the counter watches the phone's upload. */
  'modems.canary': { arg: { to: string }; result: { canary: CanaryView } };
  'modems.canaryStatus': { arg: Record<string, never>; result: { canary: CanaryView | null } };
  'forwarders.register': { arg: RegisterForwarderInput; result: RegisteredForwarder };
  'forwarders.list': { arg: Record<string, never>; result: { forwarders: ForwarderView[] } };
  'forwarders.remove': { arg: { device_id: string }; result: { removed: boolean } };
  /** The brand's webhook URLs (live, test) and the delivery backlog. */
  'webhooks.get': { arg: Record<string, never>; result: WebhookSettingsView };
  /** Set a mode's URL; null or '' removes it. Refuses private addresses unless the core allows them. */
  'webhooks.set': { arg: { url: string | null; test?: boolean }; result: WebhookSettingsView };
  'webhooks.deliveries': { arg: { limit?: number; status?: WebhookDeliveryStatus }; result: { deliveries: WebhookDeliveryView[] } };
  /** Send one delivery again now (same event id, fresh signature and retry schedule). */
  'webhooks.resend': { arg: { id: number }; result: { delivery: WebhookDeliveryView } };
  /** Cloud sync: where to, the acknowledged cursor, the backlog and how the last batch went. */
  'sync.status': { arg: Record<string, never>; result: SyncStatusView };
  /** Set the cloud's URL and this shop's token (from the cloud's `shop add`); null url stops syncing. */
  'sync.set': { arg: { url: string | null; token?: string }; result: SyncStatusView };
  /** A shop day's totals per wallet and gateway, unclaimed credits, reversals and balance gaps; no date: today. */
  'reports.day': { arg: { date?: string; test?: boolean }; result: DayReport };
  /** One row per successful payment, or per credit SMS, of a shop day, as CSV. */
  'reports.csv': { arg: { date: string; kind: ReportCsvKind; test?: boolean }; result: ReportCsv };
  /** Counter sales per cashier from the last close-out (or the day's start) until now; audit-logged. */
  'reports.closeShift': { arg: { from?: string; to?: string; cashier?: string }; result: ShiftCloseOut };
  /** Sessions and counter sales, newest first: search by TxnID, order id or phone; filter by status, wallet, date, mode. */
  'payments.search': { arg: PaymentSearchArg; result: PaymentSearchResult };
  /** One payment: its attempts, the SMS they matched, the timeline (who did what) and its audit entries. */
  'payments.detail': { arg: { session_id: string } | { transaction_id: number }; result: PaymentDetail };
  /** Every SMS with its text, parse, sources and claim; tabs for unclaimed credits, spoofs, unparsed. */
  'sms.list': { arg: { filter?: SmsFilter; limit?: number; before?: number }; result: SmsListResult };
}

export interface DecisionResult {
  ok: true;
  verification_id: number;
  status: 'success' | 'failed';
  session_id: string | null;
  transaction: { id: number; status: 'success' | 'failed'; result_source: string | null };
}

/** The seed's manual-verify answer (`/api/merchant/verify`), plus `reason` when not matched. */
export interface ManualVerifyResult {
  matched: boolean;
  already_existed: boolean;
  transaction: {
    id: number;
    txnid_submitted: string;
    amount: number | null;
    status: string;
    result_source: string | null;
    provider: string;
    variant: string | null;
    account_number: string | null;
  } | null;
  sms: { id: number; sender: string; body: string; received_at: string } | null;
  reason?: string;
}

/**
 * The counter's quick check of a TxnID a customer shows: read-only. `received` is PAID (the
 * credit would settle by itself; `can_accept`), `held` is CHECK FIRST (see `reasons`).
 */
export interface TxnidLookupResult {
  verdict: 'received' | 'held' | 'wrong_amount' | 'already_used' | 'not_found' | 'spoof' | 'reversed';
  txnid: string;
  /** One sentence for the cashier. */
  message: string;
  /** Why the credit needs a check (CHECK FIRST) or cannot pay; empty for a clean PAID. */
  reasons: ReviewReason[];
  /** True when "Accept payment" may claim this credit for a counter sale now. */
  can_accept: boolean;
  /**
   * Additive, for NOT FOUND only: unclaimed credits staff may mean — a TxnID one character off
   * (or with O/0, I/1, S/5… confused), or the same amount in the last minutes. Never matched by
   * themselves: staff pick one, and it is checked as its own TxnID.
   */
  near_matches?: NearMatchView[];
  /** For ALREADY USED: what the credit paid. */
  used_by: {
    transaction_id: number;
    session_id: string | null;
    order_id: string | null;
    source: ResultSource | null;
    amount: string | null;
    at: string | null;
  } | null;
  sms: {
    id: number;
    provider: string | null;
    amount: string | null;
    currency: string | null;
    counterparty: string | null;
    received_at: string;
  } | null;
}

/** A credit claimed for an in-person sale at the counter. */
/** An unclaimed credit near a TxnID that was not found. */
export interface NearMatchView {
  sms_id: number;
  txnid: string;
  provider: string | null;
  amount: string | null;
  currency: string | null;
  counterparty: string | null;
  received_at: string;
  /** `similar_txnid`: the TxnID differs by one character or a look-alike; `same_amount`: the amount typed, received lately. */
  why: 'similar_txnid' | 'same_amount';
}

export interface CounterSaleResult {
  ok: true;
  transaction_id: number;
  txnid: string;
  provider: string;
  amount: string;
  currency: string | null;
  accepted_at: string;
  /** The SMS the sale claimed: who paid and when the wallet's SMS arrived. */
  sms_id: number;
  counterparty: string | null;
  received_at: string;
}

/** A gap in a wallet's balance chain: an SMS that never came (or has not come yet). */
export interface MissingSmsView {
  provider: string;
  account_key: string;
  bank: string | null;
  gateway_id: number | null;
  /** Money in (a credit) or out (a debit) that would close the gap. */
  direction: 'credit' | 'debit';
  amount: string;
  currency: string | null;
  /** Between these two times (ISO 8601). */
  from: string;
  to: string;
  from_balance: string;
  before_sms_id: number;
  /** True when the gap could be more than one SMS, or the chain is not certain. */
  ambiguous: boolean;
}

export interface StaffAlertView {
  id: number;
  kind: 'paid_late' | 'balance_mismatch' | 'spoof_attempt' | 'transaction_reversed';
  message: string;
  session_id: string | null;
  transaction_id: number | null;
  sms_id: number | null;
  created_at: string;
}

export type AdminCommandName = keyof AdminCommands;

export interface AdminEvents {
  status: StatusSnapshot;
  /** A newly stored SMS (duplicates of a stored one are not repeated). */
  sms: SmsView;
  /** A session changed state or got a new attempt. */
  session: SessionView;
  /** The queue of attempts waiting for a person changed. */
  verifications: { pending: number };
  devices: DevicesChangedEvent;
  /** A modem's state, signal or counters changed. */
  modem: ModemStatusView;
  /** Webhook deliveries finished or began waiting: the backlog now. */
  webhooks: WebhookBacklogView;
  /** A sync batch was acknowledged or failed. */
  sync: SyncStatusView;
}

export type AdminEventName = keyof AdminEvents;

/** The core's implementation of the contract: a command missing here fails the typecheck. A handler that needs the network answers later. */
export type AdminHandlerMap = {
  [K in AdminCommandName]: (arg: AdminCommands[K]['arg']) => AdminCommands[K]['result'] | Promise<AdminCommands[K]['result']>;
};

/** Every command name, once; a record keyed by the union cannot miss or invent one. */
const COMMAND_SET: Record<AdminCommandName, true> = {
  'status.get': true,
  'gateways.list': true,
  'gateways.update': true,
  'gateways.add': true,
  'shop.get': true,
  'shop.rename': true,
  'keys.reveal': true,
  'keys.rotate': true,
  'tunnel.get': true,
  'tunnel.set': true,
  'tunnel.check': true,
  'setup.status': true,
  'setup.dismiss': true,
  'sms.import': true,
  'sms.recent': true,
  'sessions.recent': true,
  'verifications.list': true,
  'verifications.decide': true,
  'txnid.verify': true,
  'txnid.lookup': true,
  'txnid.accept': true,
  'alerts.list': true,
  'alerts.resolve': true,
  'balance.anchor': true,
  'balance.missing': true,
  'devices.list': true,
  'devices.pairing': true,
  'modems.list': true,
  'modems.canary': true,
  'modems.canaryStatus': true,
  'forwarders.register': true,
  'forwarders.list': true,
  'forwarders.remove': true,
  'webhooks.get': true,
  'webhooks.set': true,
  'webhooks.deliveries': true,
  'webhooks.resend': true,
  'sync.status': true,
  'sync.set': true,
  'reports.day': true,
  'reports.csv': true,
  'reports.closeShift': true,
  'payments.search': true,
  'payments.detail': true,
  'sms.list': true,
};

export const ADMIN_COMMAND_NAMES = Object.keys(COMMAND_SET) as readonly AdminCommandName[];
export const ADMIN_EVENT_NAMES: readonly AdminEventName[] = [
  'status',
  'sms',
  'session',
  'verifications',
  'devices',
  'modem',
  'webhooks',
  'sync',
];
