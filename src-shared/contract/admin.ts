import type { GatewayView, ListenerName } from './api';
import type { IngestResultView, SmsView } from '../sms';

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
  'sms.import': { arg: SmsImportArg; result: SmsImportResult };
  'sms.recent': { arg: { limit?: number }; result: { sms: SmsView[] } };
}

export type AdminCommandName = keyof AdminCommands;

export interface AdminEvents {
  status: StatusSnapshot;
  /** A newly stored SMS (duplicates of a stored one are not repeated). */
  sms: SmsView;
}

export type AdminEventName = keyof AdminEvents;

export const ADMIN_COMMAND_NAMES: readonly AdminCommandName[] = ['status.get', 'gateways.list', 'sms.import', 'sms.recent'];
export const ADMIN_EVENT_NAMES: readonly AdminEventName[] = ['status', 'sms'];
