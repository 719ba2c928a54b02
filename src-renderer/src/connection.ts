import type { DesktopBridge } from '../../src-shared/contract/desktop';
import type { Connection } from './core-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    counterpay?: DesktopBridge;
  }
}

const STORAGE_KEY = 'counterpay.admin_token';

/**
 * Finds the staff token: from the desktop shell, from a `#token=` link printed by the
 * headless shell (then scrubbed from the address bar), or from this tab's earlier login.
 */
export async function discoverConnection(): Promise<Connection | null> {
  if (window.counterpay) {
    const c = await window.counterpay.getConnection();
    // The shell answers null to a frame that is not the counter's own origin.
    if (c) return { baseUrl: c.adminUrl.replace(/\/$/, ''), token: c.token };
  }
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(STORAGE_KEY, token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return { baseUrl: '', token };
  }
  const saved = sessionStorage.getItem(STORAGE_KEY);
  return saved ? { baseUrl: '', token: saved } : null;
}

export function rememberToken(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
