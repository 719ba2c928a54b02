import type { ProviderInfo } from '../providers';

/** `GET /api/health` on every listener. */
export interface HealthResponse {
  ok: true;
  listener: ListenerName;
  version: string;
  /** Public listener, asked with `?probe=…`: whether this core issued that probe (its own tunnel check). */
  probe?: boolean;
}

export type ListenerName = 'public' | 'device' | 'admin';

/** `GET /api/providers` (public, no auth). */
export interface ProvidersResponse {
  providers: ProviderInfo[];
}

export interface GatewayView {
  id: number;
  provider: string;
  variant: string;
  account_identifiers: string[];
  label: string | null;
  enabled: boolean;
  /** Sender IDs the shop added for this wallet (on top of the built-in list). */
  extra_sender_ids: string[];
  /** SMS centres the wallet's SMS come through (read by a modem); a credit via another SMSC is held for review. Empty: no check. */
  expected_smsc: string[];
  /** Balance-continuity check: review (default), warn or off. */
  balance_check: 'off' | 'warn' | 'review';
  created_at: string;
}
