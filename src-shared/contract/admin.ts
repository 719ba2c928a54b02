import type { GatewayView, ListenerName } from './api';
import type { IngestResultView, SmsView } from '../sms';
import type { SessionView, VerificationView } from './payments';
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
export type SmsImportArg =
  | { sender: string; body: string; received_at?: string }
  | { format: 'csv' | 'json'; content: string };

export interface SmsImportResult {
  results: ({ index: number; ok: true } & IngestResultView | { index: number; ok: false; code: string; message: string })[];
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
      balance_check?: 'off' | 'warn' | 'review';
      enabled?: boolean;
      label?: string | null;
      account?: string;
    };
    result: GatewayView;
  };
  'sms.import': { arg: SmsImportArg; result: SmsImportResult };
  'sms.recent': { arg: { limit?: number }; result: { sms: SmsView[] } };
  'sessions.recent': { arg: { limit?: number }; result: { sessions: SessionView[] } };
  'verifications.list': { arg: Record<string, never>; result: { verifications: VerificationView[] } };
  'verifications.decide': {
    arg: { verification_id: number; result: 'success' | 'failed'; failure_reason?: string };
    result: DecisionResult;
  };
  'txnid.verify': { arg: { txnid: string }; result: ManualVerifyResult };
  'txnid.lookup': { arg: { txnid: string; amount?: string }; result: TxnidLookupResult };
  'alerts.list': { arg: Record<string, never>; result: { alerts: StaffAlertView[] } };
  'alerts.resolve': { arg: { id: number }; result: { resolved: boolean } };
  'balance.anchor': {
    arg: { provider: string; account?: string; balance: string };
    result: { anchored: true; provider: string; account: string; balance: string };
  };
  'devices.list': { arg: Record<string, never>; result: { devices: DeviceHealthView[] } };
  'devices.pairing': { arg: Record<string, never>; result: PairingPayload };
  'forwarders.register': { arg: RegisterForwarderInput; result: RegisteredForwarder };
  'forwarders.list': { arg: Record<string, never>; result: { forwarders: ForwarderView[] } };
  'forwarders.remove': { arg: { device_id: string }; result: { removed: boolean } };
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

/** The counter's quick check of a TxnID a customer shows: read-only. */
export interface TxnidLookupResult {
  verdict: 'received' | 'held' | 'wrong_amount' | 'already_used' | 'not_found' | 'spoof';
  txnid: string;
  /** One sentence for the cashier. */
  message: string;
  sms: {
    id: number;
    provider: string | null;
    amount: string | null;
    currency: string | null;
    counterparty: string | null;
    received_at: string;
  } | null;
}

export interface StaffAlertView {
  id: number;
  kind: 'paid_late' | 'balance_mismatch' | 'spoof_attempt';
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
}

export type AdminEventName = keyof AdminEvents;

export const ADMIN_COMMAND_NAMES: readonly AdminCommandName[] = [
  'status.get',
  'gateways.list',
  'gateways.update',
  'sms.import',
  'sms.recent',
  'sessions.recent',
  'verifications.list',
  'verifications.decide',
  'txnid.verify',
  'txnid.lookup',
  'alerts.list',
  'alerts.resolve',
  'balance.anchor',
  'devices.list',
  'devices.pairing',
  'forwarders.register',
  'forwarders.list',
  'forwarders.remove',
];
export const ADMIN_EVENT_NAMES: readonly AdminEventName[] = ['status', 'sms', 'session', 'verifications', 'devices'];
