import express, { Router, type RequestHandler } from 'express';
import { MAX_SYNC_BATCH_BYTES, SYNC_BATCHES_PATH } from '../../src-shared/contract/sync';
import { applyBatch } from '../apply-batch';
import type { SqlClient } from '../db/sql-client';
import { CloudError } from '../errors';
import { shopByToken } from '../shops';
import { parseBatch } from '../sync-schema';

/** `Authorization: Bearer <sync token>` → the shop, before the body is read (a stranger's megabytes are never parsed). */
function requireSyncToken(db: SqlClient): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(req.headers.authorization ?? '');
    const shop = match?.[1] ? await shopByToken(db, match[1]) : null;
    if (!shop) return next(new CloudError('unauthorized', 'Invalid or missing sync token (Authorization: Bearer).'));
    res.locals.shopId = shop.id;
    next();
  };
}

/** POST /api/sync/batches: the counters' one way in (docs/sync.md). */
export function syncRoutes(db: SqlClient): Router {
  const router = Router();
  const json = express.json({ limit: MAX_SYNC_BATCH_BYTES, type: ['application/json', 'application/*+json'] });
  router.post(SYNC_BATCHES_PATH, requireSyncToken(db), json, async (req, res) => {
    if (!req.is(['application/json', 'application/*+json'])) throw new CloudError('unsupported_media_type');
    const { batch, raw } = parseBatch(req.body);
    res.json(await applyBatch(db, String(res.locals.shopId), batch, raw.events));
  });
  return router;
}
