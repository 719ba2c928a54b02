import net from 'node:net';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';

/** `example.com:8787` → `example.com`; `[::1]:8788` → `::1`. */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(1, end) : value;
  }
  const colon = value.lastIndexOf(':');
  return colon > 0 && value.indexOf(':') === colon ? value.slice(0, colon) : value;
}

/**
 * DNS rebinding defence: a page on a hostile domain that resolves to this machine still
 * sends its own domain as Host. IP literals and localhost cannot be rebound, so they pass;
 * any other name must be configured for this listener (a tunnel's public hostname, say).
 */
export function isHostAllowed(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (name === 'localhost' || name.endsWith('.localhost') || net.isIP(name) !== 0) return true;
  return allowed.some((entry) => entry.toLowerCase() === name);
}

export function hostAllowlist(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (isHostAllowed(req.headers.host, allowed)) return next();
    next(new AppError('forbidden_host', `Host "${String(req.headers.host ?? '')}" is not allowed on this listener`));
  };
}
