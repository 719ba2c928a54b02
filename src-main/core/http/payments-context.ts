import type { Request } from 'express';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Payments } from '../payments';
import type { SmsIngestor } from '../sms';
import { compileTrustedProxies, clientAddressWith, socketAddress, type ProxyMatcher } from './client-address';
import type { Limiters } from './limiters';
import { hostnameOf } from './host-allowlist';

/** What the payment routes need from the core. */
export interface PaymentsContext {
  config: Config;
  db: Db;
  payments: Payments;
  sms: SmsIngestor;
  limiters: Limiters;
  trusted: ProxyMatcher;
  /**
   * The tunnel's public address: `--public-url`/config.json, else the one set on the counter
   * (cached by the shop domain). Absent: config's alone.
   */
  publicUrl?: () => string | null;
}

export function trustedProxies(config: Config): ProxyMatcher {
  return compileTrustedProxies(config.http.trustedProxies, { cfConnectingIp: config.http.cfConnectingIp });
}

export function realClient(req: Request, ctx: Pick<PaymentsContext, 'trusted'>): string {
  return clientAddressWith(req, ctx.trusted);
}

/**
 * The origin customers reach us at: the public URL of the tunnel (config's, else the one set on
 * the counter), else what the request says (its scheme believed only from a trusted proxy).
 */
export function publicOrigin(req: Request, ctx: Pick<PaymentsContext, 'config' | 'trusted' | 'publicUrl'>): string {
  const configured = ctx.publicUrl ? ctx.publicUrl() : ctx.config.sessions.publicBaseUrl;
  if (configured) return configured.replace(/\/+$/, '');
  const forwardedProto = req.headers['x-forwarded-proto'];
  const viaProxy = !ctx.trusted.empty && ctx.trusted.has(socketAddress(req));
  const https = viaProxy && typeof forwardedProto === 'string' && forwardedProto.split(',')[0]?.trim() === 'https';
  // The Host passed the listener's allowlist; still rebuild it from its parsed parts, never echo it.
  const host = req.headers.host ?? '';
  const name = hostnameOf(host) ?? '127.0.0.1';
  const port = /:(\d{1,5})$/.exec(host)?.[1];
  const shown = name.includes(':') ? `[${name}]` : name;
  return `${https ? 'https' : 'http'}://${shown}${port ? `:${port}` : ''}`;
}

/** Where the customer goes back to: the merchant's redirect_url with session_id and status. */
export function returnUrl(redirectUrl: string, sessionId: string, status: string): string {
  const url = new URL(redirectUrl);
  url.searchParams.set('session_id', sessionId);
  url.searchParams.set('status', status);
  return url.toString();
}
