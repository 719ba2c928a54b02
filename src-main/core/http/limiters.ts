import type { Config } from '../config';
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
