import type { Request } from 'express';
import type { Config } from '../config';
import type { Db } from '../db';
import { hashKey } from '../secrets';
import { authenticateKey } from '../shop';
import { clientAddressWith, type ProxyMatcher } from './client-address';
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimiter, type RateLimitName } from './rate-limit';

export type Limiters = Record<RateLimitName, RateLimiter & { message: string }>;

/** One limiter per contract endpoint, with the shop's overrides applied. */
export function buildLimiters(config: Config, clock?: () => number): Limiters {
  const overrides = config.rateLimits as Partial<Record<RateLimitName, { limit: number; windowMs: number }>>;
  const out = {} as Limiters;
  for (const name of Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[]) {
    const rule = { ...DEFAULT_RATE_LIMITS[name], ...(overrides[name] ?? {}) };
    out[name] = Object.assign(createRateLimiter({ limit: rule.limit, windowMs: rule.windowMs, clock }), {
      message: DEFAULT_RATE_LIMITS[name].message,
    });
  }
  return out;
}

/**
 * The /api/device/sms bucket. A request carrying the shop's active device key counts against
 * that key (the documented 120 a minute per device key). Any other request (a wrong, rotated,
 * missing or malformed key) counts against the client's real address (forwarding headers
 * believed only from a trusted proxy), so a key guesser meets the limit instead of getting a
 * fresh bucket with every guess, and cannot spend the real phones' budget either.
 */
export function deviceSmsBucket(db: Db, trusted: ProxyMatcher): (req: Request) => string {
  return (req) => {
    const key = (req.body as { auth_key?: unknown } | undefined)?.auth_key;
    if (typeof key === 'string' && authenticateKey(db, key, ['device_auth_key'])) return `dev:${hashKey(key)}`;
    return `addr:${clientAddressWith(req, trusted)}`;
  };
}
