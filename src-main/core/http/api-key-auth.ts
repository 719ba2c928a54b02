import type { RequestHandler, Response } from 'express';
import type { Db } from '../db';
import { AppError } from '../errors';
import { hashKey } from '../secrets';
import { authenticateKey } from '../shop';
import type { Caller } from '../payments';

export interface MerchantCaller extends Caller {
  /** A stable id for rate limits and idempotency scopes that is not the key itself. */
  keyId: string;
}

/** X-API-Key: a live key sees live data, a test key test data; nothing else passes. */
export function requireApiKey(db: Db, kinds: readonly ('api_key' | 'test_api_key')[] = ['api_key', 'test_api_key']): RequestHandler {
  return (req, res, next) => {
    const presented = req.headers['x-api-key'];
    const auth = authenticateKey(db, typeof presented === 'string' ? presented.trim() : undefined, kinds);
    if (!auth || auth.brandId === null) {
      return next(new AppError('unauthorized', 'Invalid or missing API key (X-API-Key).'));
    }
    const caller: MerchantCaller = {
      merchantId: auth.merchantId,
      brandId: auth.brandId,
      isTest: auth.kind === 'test_api_key',
      keyId: hashKey(String(presented).trim()).slice(0, 32),
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
