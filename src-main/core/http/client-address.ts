import net from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Who is really asking. Every tunnelled request arrives from 127.0.0.1, so the socket
 * address alone would put every customer of a shop in one rate-limit bucket; but coming
 * from loopback is never a reason to believe a header either. The rule:
 *
 * 1. Start from the socket address (`::ffff:1.2.3.4` is written `1.2.3.4`).
 * 2. Only when that address is a configured trusted proxy (exact IPv4/IPv6 or CIDR) are
 *    forwarding headers believed:
 *    - `CF-Connecting-IP` if present and a valid IP, only when the shop says its tunnel is
 *      cloudflared (`http.cfConnectingIp`): Cloudflare sets it, but nginx, Caddy, ngrok and
 *      Tailscale Funnel pass a client's own copy through, so believing it by default let any
 *      customer pick their rate-limit bucket (found behind a real nginx, issue 12);
 *    - else `X-Forwarded-For`, walked right to left (each proxy appends the address it saw),
 *      skipping trusted proxies: the first untrusted valid address is the client. Anything
 *      left of it was written by the client and may be forged. If every entry is trusted
 *      the left-most one is the origin.
 * 3. A garbage header (or a garbage entry reached in the walk) is ignored: the answer is
 *    the socket address.
 *
 * Empty trustedProxies = headers are never believed.
 */

/** Parsed trusted-proxy list: test an address (already normalised) against it. */
export interface ProxyMatcher {
  readonly empty: boolean;
  /** Believe `CF-Connecting-IP` from a trusted proxy (cloudflared sets it; other proxies pass it through). */
  readonly cfConnectingIp: boolean;
  has(address: string): boolean;
}

/**
 * Accepts a bare IP or an `ip:port` / `[ipv6]:port` form (some proxies append ports),
 * rejects everything else. Returns the normalised address or null.
 */
export function parseIp(value: string | undefined | null): string | null {
  if (typeof value !== 'string') return null;
  let v = value.trim();
  if (v.length === 0 || v.length > 64) return null;
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end < 0) return null;
    const rest = v.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    v = v.slice(1, end);
    return net.isIPv6(v) && !v.includes('%') ? normaliseIp(v) : null;
  }
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  if (ipv4WithPort) v = ipv4WithPort[1] as string;
  if (v.includes('%')) return null; // zone ids only make sense on this machine
  return net.isIP(v) !== 0 ? normaliseIp(v) : null;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; IPv6 lower-cased. Assumes a valid IP. */
export function normaliseIp(address: string): string {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (mapped && net.isIPv4(mapped[1] as string)) return mapped[1] as string;
  return lower;
}

/** True if `entry` is an IPv4/IPv6 address or a CIDR block with a valid prefix length. */
export function isValidProxyEntry(entry: string): boolean {
  return parseEntry(entry) !== null;
}

type Entry =
  | { kind: 'address'; address: string; family: 'ipv4' | 'ipv6' }
  | {
      kind: 'subnet';
      network: string;
      prefix: number;
      family: 'ipv4' | 'ipv6';
    };

function parseEntry(raw: string): Entry | null {
  const entry = raw.trim();
  const slash = entry.indexOf('/');
  if (slash < 0) {
    const version = net.isIP(entry);
    if (version === 0 || entry.includes('%')) return null;
    const address = normaliseIp(entry);
    return { kind: 'address', address, family: net.isIPv4(address) ? 'ipv4' : 'ipv6' };
  }
  const network = entry.slice(0, slash);
  const prefixText = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const version = net.isIP(network);
  if (version === 4 && prefix <= 32) return { kind: 'subnet', network, prefix, family: 'ipv4' };
  if (version === 6 && prefix <= 128 && !network.includes('%')) {
    return { kind: 'subnet', network: network.toLowerCase(), prefix, family: 'ipv6' };
  }
  return null;
}

/**
 * Builds a matcher from config entries. Throws on an invalid entry: a typo in the
 * trusted-proxy list must fail loudly at startup (validate config with isValidProxyEntry).
 */
export function compileTrustedProxies(entries: readonly string[], options: { cfConnectingIp?: boolean } = {}): ProxyMatcher {
  const list = new net.BlockList();
  for (const raw of entries) {
    const entry = parseEntry(raw);
    if (!entry) throw new Error(`invalid trusted proxy entry "${raw}": expected an IP address or CIDR block`);
    if (entry.kind === 'address') list.addAddress(entry.address, entry.family);
    else list.addSubnet(entry.network, entry.prefix, entry.family);
  }
  return {
    empty: entries.length === 0,
    cfConnectingIp: options.cfConnectingIp === true,
    has(address: string): boolean {
      if (entries.length === 0) return false;
      const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
      if (!family) return false;
      try {
        return list.check(address, family);
      } catch {
        return false;
      }
    },
  };
}

/** Compiled lists by their text; config lists are few, so the cache stays tiny. */
const compiled = new Map<string, ProxyMatcher>();
const MAX_COMPILED = 32;

function matcherFor(entries: readonly string[], cfConnectingIp: boolean): ProxyMatcher {
  const cacheKey = `${cfConnectingIp}\n${entries.join('\n')}`;
  let matcher = compiled.get(cacheKey);
  if (!matcher) {
    matcher = compileTrustedProxies(entries, { cfConnectingIp });
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(cacheKey, matcher);
  }
  return matcher;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

/** The socket address, normalised; '' if the socket is gone (never a trusted proxy). */
export function socketAddress(req: IncomingMessage): string {
  const raw = req.socket?.remoteAddress;
  if (!raw) return '';
  const withoutZone = raw.includes('%') ? raw.slice(0, raw.indexOf('%')) : raw;
  return net.isIP(withoutZone) !== 0 ? normaliseIp(withoutZone) : raw;
}

/** As clientAddress, with a matcher compiled once (compileTrustedProxies). */
export function clientAddressWith(req: IncomingMessage, trusted: ProxyMatcher): string {
  const socket = socketAddress(req);
  if (trusted.empty || !trusted.has(socket)) return socket;

  if (trusted.cfConnectingIp) {
    const cf = parseIp(headerValue(req, 'cf-connecting-ip'));
    if (cf) return cf;
  }

  const xff = headerValue(req, 'x-forwarded-for');
  if (typeof xff !== 'string' || xff.trim() === '') return socket;
  const hops = xff.split(',');
  let leftMostTrusted: string | null = null;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = parseIp(hops[i]);
    if (!hop) return socket; // a broken chain: nothing left of here can be placed
    if (!trusted.has(hop)) return hop;
    leftMostTrusted = hop;
  }
  return leftMostTrusted ?? socket;
}

/** The address to rate-limit and log a request by. See the rule at the top of this file. */
export function clientAddress(req: IncomingMessage, trustedProxies: readonly string[], options: { cfConnectingIp?: boolean } = {}): string {
  return clientAddressWith(req, matcherFor(trustedProxies, options.cfConnectingIp === true));
}
