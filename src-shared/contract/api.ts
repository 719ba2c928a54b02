import type { ProviderInfo } from '../providers';

/** `GET /api/health` on every listener. */
export interface HealthResponse {
  ok: true;
  listener: ListenerName;
  version: string;
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
  created_at: string;
}
