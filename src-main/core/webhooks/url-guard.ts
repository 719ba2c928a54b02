import dns from 'node:dns';
import net from 'node:net';
import { AppError } from '../errors';

/**
 * A webhook URL is chosen by whoever holds the shop's API key (notify_url) or by staff; the
 * counter then POSTs to it from inside the shop's network. Unless the shop allows it, no URL may
 * reach loopback, the LAN, link-local (cloud metadata), carrier-grade NAT or any address that
 * is not on the public internet: checked when the URL is set and again on every connection,
 * because a name can resolve elsewhere tomorrow (DNS rebinding).
 */
const NOT_PUBLIC = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net6, prefix, 'ipv6');
}

/** IPv4 inside IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) is judged by its IPv4. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1] as string;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower);
  const parts = hex ?? sixToFour;
  if (!parts) return null;
  const hi = parseInt(parts[1] as string, 16);
  const lo = parseInt(parts[2] as string, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for any address a webhook must not reach without `allowPrivate`. */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return NOT_PUBLIC.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return NOT_PUBLIC.check(v4, 'ipv4');
    return NOT_PUBLIC.check(address, 'ipv6');
  }
  return true;
}

/** Names that never mean a public site (RFC 6761, mDNS, common LAN suffixes). */
function isLocalName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || !h.includes('.') || /\.(localhost|local|lan|internal|intranet|home|corp|home\.arpa|localdomain)$/.test(h);
}

function refuse(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { hints: { field } });
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The URL's host without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Checks a webhook URL without the network: http or https, no user:password, a host that is
 * not a private address or a local name (unless allowed). Returns it normalised.
 */
export function checkWebhookUrl(raw: unknown, allowPrivate: boolean, field = 'url'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw refuse(field, 'must be an http:// or https:// URL');
  const text = raw.trim();
  if (text.length > MAX_WEBHOOK_URL_LENGTH) throw refuse(field, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse(field, 'must be an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(field, 'must be an http:// or https:// URL');
  if (url.username || url.password) throw refuse(field, 'must not carry a user name or password (the signature authenticates us)');
  // Parsing percent-encodes what is not ASCII (é becomes %C3%A9): the stored form is what must fit.
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) {
    throw refuse(field, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters once encoded (it is ${url.href.length})`);
  }
  if (!url.hostname) throw refuse(field, 'must name a host');
  if (!allowPrivate) {
    const host = urlHost(url);
    const literal = net.isIP(host) !== 0;
    if ((literal && isNonPublicAddress(host)) || (!literal && isLocalName(host))) {
      throw refuse(
        field,
        `${host} is a loopback or private address; webhooks go to public sites (start with --allow-private-webhooks to allow the LAN)`,
      );
    }
  }
  return url.href;
}

/**
 * The set-time check with the network: a name that resolves to a private address is refused.
 * A name that does not resolve now (the shop is offline) passes; delivery checks it again.
 */
export async function checkWebhookUrlResolved(raw: unknown, allowPrivate: boolean, field = 'url'): Promise<string> {
  const href = checkWebhookUrl(raw, allowPrivate, field);
  if (allowPrivate) return href;
  const host = urlHost(new URL(href));
  if (net.isIP(host) !== 0) return href;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    return href;
  }
  const inside = addresses.find((a) => isNonPublicAddress(a.address));
  if (inside) {
    throw refuse(field, `${host} resolves to ${inside.address}, a private address; webhooks go to public sites`);
  }
  return href;
}

/** What refuses a connection, in the words an attempt records. */
export class BlockedAddressError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses the connection when any
 * address is not public: the check happens at connect time, on the address actually used.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as dns.LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isNonPublicAddress(a.address));
      if (bad) return callback(new BlockedAddressError(`${hostname} resolves to ${bad.address}, a private address`), []);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
