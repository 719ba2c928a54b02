import type { GatewayView, ListenerName } from './api';

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

export interface AdminCommands {
  'status.get': { arg: Record<string, never>; result: StatusSnapshot };
  'gateways.list': { arg: Record<string, never>; result: { gateways: GatewayView[] } };
}

export type AdminCommandName = keyof AdminCommands;

export interface AdminEvents {
  status: StatusSnapshot;
}

export type AdminEventName = keyof AdminEvents;

export const ADMIN_COMMAND_NAMES: readonly AdminCommandName[] = ['status.get', 'gateways.list'];
export const ADMIN_EVENT_NAMES: readonly AdminEventName[] = ['status'];
