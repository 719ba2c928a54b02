import type { RequestHandler, Response } from 'express';
import type { Db } from '../db';
import { AppError } from '../errors';
import { hashKey } from '../secrets';
import { authenticateKeyHash } from '../shop';
import type { Caller } from '../payments';

export interface MerchantCaller extends Caller {
  /** A stable id for rate limits and idempotency scopes that is not the key itself. */
  keyId: string;
}

/**
 * X-API-Key: a live key sees live data, a test key test data; nothing else passes.
 *
 * The key is hashed once and looked up by its digest on every request (one indexed read of a
 * prepared statement), never cached: a rotated key fails on the very next request, whichever
 * process rotated it. The digest is a SHA-256 of the key, so the lookup's timing tells a
 * guesser nothing about the key.
 */
export function requireApiKey(db: Db, kinds: readonly ('api_key' | 'test_api_key')[] = ['api_key', 'test_api_key']): RequestHandler {
  return (req, res, next) => {
    const presented = req.headers['x-api-key'];
    const key = typeof presented === 'string' ? presented.trim() : '';
    const keyHash = key.length >= 8 && key.length <= 200 ? hashKey(key) : null;
    const auth = keyHash === null ? null : authenticateKeyHash(db, keyHash, kinds);
    if (!auth || auth.brandId === null || keyHash === null) {
      return next(new AppError('unauthorized', 'Invalid or missing API key (X-API-Key).'));
    }
    const caller: MerchantCaller = {
      merchantId: auth.merchantId,
      brandId: auth.brandId,
      isTest: auth.kind === 'test_api_key',
      keyId: keyHash.slice(0, 32),
    };
    res.locals.caller = caller;
    next();
  };
}

export function callerOf(res: Response): MerchantCaller {
  const caller = res.locals.caller as MerchantCaller | undefined;
  if (!caller) throw new AppError('unauthorized');
  return caller;
}
