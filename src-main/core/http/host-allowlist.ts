import net from 'node:net';
import { AppError } from '../errors';

/** A Host header is a name or a bracketed IPv6 literal, then at most a port; nothing else. */
const HOST_SHAPE = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::\d{1,5})?$/;

/**
 * `example.com:8787` → `example.com`; `[::1]:8788` → `::1`; null for anything that is not a
 * well-formed Host (`[::1]@evil.com`, `a b`, `host:80:80`), which no listener answers.
 */
export function hostnameOf(hostHeader: string): string | null {
  const match = HOST_SHAPE.exec(hostHeader.trim().toLowerCase());
  if (!match) return null;
  return match[1] ?? match[2] ?? null;
}

/**
 * DNS rebinding defence: a page on a hostile domain that resolves to this machine still
 * sends its own domain as Host. IP literals and localhost cannot be rebound, so they pass;
 * any other name must be configured for this listener (a tunnel's public hostname, say).
 */
export function isHostAllowed(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (name === null) return false;
  if (name === 'localhost' || name.endsWith('.localhost') || net.isIP(name) !== 0) return true;
  return allowed.some((entry) => entry.toLowerCase() === name);
}

/** How many allowed Host values a listener remembers; past it, the rest are parsed every time. */
const REMEMBERED_HOSTS = 64;

/**
 * isHostAllowed for one listener, remembering the Host values it allowed (a shop sees one or two:
 * its address and the tunnel's name), so the usual request costs one Set lookup. Only allowed
 * values are remembered, and no more than REMEMBERED_HOSTS of them: a client sending endless
 * distinct Hosts grows nothing.
 */
export function hostChecker(allowed: readonly string[]): (hostHeader: string | undefined) => boolean {
  const remembered = new Set<string>();
  return (hostHeader) => {
    if (hostHeader === undefined) return false;
    if (remembered.has(hostHeader)) return true;
    if (!isHostAllowed(hostHeader, allowed)) return false;
    if (remembered.size < REMEMBERED_HOSTS) remembered.add(hostHeader);
    return true;
  };
}

/** The answer to a Host no listener serves, in the error shape. */
export function forbiddenHost(hostHeader: string | undefined): AppError {
  return new AppError('forbidden_host', `Host "${String(hostHeader ?? '')}" is not allowed on this listener`);
}
