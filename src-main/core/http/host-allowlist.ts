import net from 'node:net';
import type { RequestHandler } from 'express';
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

export function hostAllowlist(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (isHostAllowed(req.headers.host, allowed)) return next();
    next(new AppError('forbidden_host', `Host "${String(req.headers.host ?? '')}" is not allowed on this listener`));
  };
}
