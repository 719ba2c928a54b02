import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors';

/**
 * In-memory rate limiting, one counter per key.
 *
 * Fixed windows: a key's window starts at its first hit and lasts windowMs; the count
 * resets when it ends. Chosen over a sliding log because it costs one small record per
 * key, gives an exact X-RateLimit-Reset, and is what the MASTER PAY contract describes
 * ("N per window, Retry-After until the counter resets"). The known trade-off: a client
 * can land up to 2×limit in a short span straddling a window boundary, which the
 * seed limits tolerate.
 *
 * Memory is bounded: records live in a Map in window-start order (a new window re-inserts
 * the key at the end), so expired keys are swept from the front in amortised O(1), and
 * past maxKeys the oldest record is dropped. Under a flood of distinct keys an evicted key
 * simply starts a fresh window: the bound protects the process, not the counter.
 */

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimiterOptions extends RateLimitRule {
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  /** Most keys tracked at once (default 100 000); oldest evicted first. */
  maxKeys?: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Calls left in the current window after this one. */
  remaining: number;
  /** When the current window ends, unix seconds (rounded up). */
  resetAtSeconds: number;
  /** 0 when allowed; otherwise whole seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one call for `key` and says whether it may proceed. */
  hit(key: string): RateLimitResult;
  /** Keys currently tracked (after sweeping expired ones). */
  size(): number;
  /**
   * Forgets every key whose window has ended; returns how many. hit() does this as it goes;
   * the maintenance timer calls it so a quiet limiter does not hold a burst's keys for hours.
   */
  prune(): number;
  /** Forgets one key (e.g. after a successful login). */
  reset(key: string): void;
  clear(): void;
}

interface WindowRecord {
  start: number;
  count: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`rate limiter: ${name} must be a positive integer, got ${value}`);
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  const clock = options.clock ?? Date.now;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  positiveInteger('limit', limit);
  positiveInteger('windowMs', windowMs);
  positiveInteger('maxKeys', maxKeys);

  const records = new Map<string, WindowRecord>();

  function sweep(now: number): number {
    let dropped = 0;
    for (const [key, record] of records) {
      if (record.start + windowMs > now) break; // the rest started later
      records.delete(key);
      dropped += 1;
    }
    return dropped;
  }

  return {
    limit,
    windowMs,
    hit(key: string): RateLimitResult {
      const now = clock();
      sweep(now);
      let record = records.get(key);
      if (record && record.start + windowMs <= now) {
        records.delete(key);
        record = undefined;
      }
      if (!record) {
        while (records.size >= maxKeys) {
          const oldest = records.keys().next();
          if (oldest.done) break;
          records.delete(oldest.value);
        }
        record = { start: now, count: 0 };
        records.set(key, record);
      }
      // Stop counting past limit+1: the answer is the same and the number stays small.
      if (record.count <= limit) record.count += 1;
      const allowed = record.count <= limit;
      const resetAtMs = record.start + windowMs;
      return {
        allowed,
        limit,
        remaining: Math.max(0, limit - record.count),
        resetAtSeconds: Math.ceil(resetAtMs / 1000),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAtMs - now) / 1000)),
      };
    },
    size(): number {
      sweep(clock());
      return records.size;
    },
    prune(): number {
      return sweep(clock());
    },
    reset(key: string): void {
      records.delete(key);
    },
    clear(): void {
      records.clear();
    },
  };
}

export interface RateLimitMiddlewareOptions {
  limiter: RateLimiter;
  /**
   * The bucket for this request; null = not limited. Use a credential id or digest rather
   * than a raw secret (the key is held in memory), and clientAddress() for "by IP".
   */
  key: (req: Request) => string | null;
  /** Customer-safe text for the 429 body's `error`. */
  message: string;
}

/**
 * Mount after the Host check and (for keys that need it) after authentication, before the
 * route handler. Every limited response carries X-RateLimit-Limit/-Remaining/-Reset; past
 * the limit the answer is 429 with Retry-After and
 * `{ error, retry_after_seconds, merchant_message, code: 'rate_limited' }`, and the handler
 * does not run (the error goes to the listener's error handler, which writes that body).
 */
export function rateLimit(options: RateLimitMiddlewareOptions): RequestHandler {
  const { limiter, message } = options;
  return (req, res, next) => {
    const key = options.key(req);
    if (key === null) return next();
    const result = limiter.hit(key);
    res.setHeader('X-RateLimit-Limit', String(result.limit));
    res.setHeader('X-RateLimit-Remaining', String(result.remaining));
    res.setHeader('X-RateLimit-Reset', String(result.resetAtSeconds));
    if (result.allowed) return next();
    res.setHeader('Retry-After', String(result.retryAfterSeconds));
    next(
      new AppError(
        'rate_limited',
        `Rate limit of ${result.limit} per ${describeWindow(limiter.windowMs)} exceeded on ${req.method} ${req.path}; ` +
          `retry after ${result.retryAfterSeconds} s.`,
        { publicMessage: message, hints: { retry_after_seconds: result.retryAfterSeconds } },
      ),
    );
  };
}

function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  if (ms % 1000 === 0) return ms === 1000 ? 'second' : `${ms / 1000} seconds`;
  return `${ms} ms`;
}

export interface RateLimitDefault extends RateLimitRule {
  /** The route the seed contract limits. */
  route: string;
  /** What the bucket is keyed by. */
  keyedBy: 'api_key' | 'ip+session' | 'ip' | 'device_auth_key';
  /** Customer-safe text for the 429 body. */
  message: string;
}

/**
 * The MASTER PAY contract's per-endpoint limits (seed "Rate Limits"). Plain data, so a
 * config layer can override limit/windowMs per name.
 */
export const DEFAULT_RATE_LIMITS = {
  sessionCreate: {
    route: 'POST /api/payment/sessions',
    limit: 60,
    windowMs: 60_000,
    keyedBy: 'api_key',
    message: 'API rate limit exceeded. Slow down session creation.',
  },
  checkoutSubmit: {
    route: 'POST /api/checkout/:id/submit',
    limit: 6,
    windowMs: 60_000,
    keyedBy: 'ip+session',
    message: 'Too many attempts. Please wait a minute and try again.',
  },
  merchantLogin: {
    route: 'POST /api/merchant/login',
    limit: 8,
    windowMs: 15 * 60_000,
    keyedBy: 'ip',
    message: 'Too many login attempts. Please wait and try again.',
  },
  merchantVerify: {
    route: 'POST /api/merchant/verify',
    limit: 20,
    windowMs: 60_000,
    keyedBy: 'ip',
    message: 'Too many verification requests. Please wait and try again.',
  },
  deviceSms: {
    route: 'POST /api/device/sms',
    limit: 120,
    windowMs: 60_000,
    keyedBy: 'device_auth_key',
    message: 'Too many SMS pushes. Please wait and try again.',
  },
} as const satisfies Record<string, RateLimitDefault>;

export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;
