/**
 * The first-run setup and the Settings sections that keep it (issue 14): the shop's name, the
 * tunnel's public address with its reachability check, the keys a merchant site needs, and what
 * the setup flow still lacks.
 */

/** The name a new shop gets; a shop still called this has not been named. */
export const DEFAULT_SHOP_NAME = 'My shop';

export interface ShopView {
  /** Shown to customers at the top of the hosted checkout. */
  name: string;
}

/** Keys the counter may show (never the staff token, never the audit key). */
export const REVEALABLE_KEY_KINDS = ['api_key', 'secret_key', 'test_api_key', 'test_secret_key', 'device_auth_key'] as const;
export type RevealableKeyKind = (typeof REVEALABLE_KEY_KINDS)[number];

/** The keys as they work now, to give the merchant's site (and the phone). */
export type KeysView = Record<RevealableKeyKind, string>;

/**
 * The tunnel's public address: checkout links are built on it. `source` says where it is set:
 * `config` (`--public-url` or config.json's sessions.publicBaseUrl: it wins, and the counter
 * cannot change it), `counter` (set on this screen), or null (none: links follow the request).
 */
export interface TunnelView {
  url: string | null;
  source: 'config' | 'counter' | null;
  /** False when config sets the address: change it there. */
  editable: boolean;
  /** Where the public listener answers on this computer (the tunnel's target), e.g. http://127.0.0.1:8787. */
  local_url: string;
}

/**
 * What `tunnel.check` found at `<url>/api/health`: this very core (`reachable`), nothing or a
 * tunnel that cannot reach this computer (`unreachable`), or someone else (`another_server`).
 */
export interface TunnelCheckView {
  url: string;
  result: 'reachable' | 'unreachable' | 'another_server';
  /** One sentence for the shop. */
  message: string;
  http_status: number | null;
  elapsed_ms: number;
}

/** What the first-run flow still needs; `complete` when every step is done. */
export interface SetupStatusView {
  complete: boolean;
  /** The shop finished or skipped the flow: the counter does not open it by itself. */
  dismissed: boolean;
  steps: {
    shop_named: boolean;
    /** At least one enabled gateway (a wallet account the shop receives on). */
    wallet: boolean;
    /** A phone or forwarder bound, or a modem reading SMS. */
    phone_or_modem: boolean;
    public_address: boolean;
    keys_shown: boolean;
  };
}
