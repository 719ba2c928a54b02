import { Router, type Response } from 'express';
import { SYNCED_AT_HEADER } from '../../src-shared/contract/sync';
import type { SqlClient } from '../db/sql-client';
import { CloudError } from '../errors';
import { orderSessionTexts, readerOf, sessionText, type MerchantReader } from '../session-reads';

/** Sends stored JSON text as it is: the counter's bytes, not a re-serialisation. */
function sendText(res: Response, text: string): void {
  res.status(200).type('application/json; charset=utf-8').send(text);
}

/** Says how fresh the answer is: when the shop last reported in (absent before its first batch). */
function markSynced(res: Response, reader: MerchantReader): void {
  if (reader.syncedAt) res.setHeader(SYNCED_AT_HEADER, reader.syncedAt);
}

/**
 * The merchant's read API for synced shops, read-only, with the shop's own X-API-Key: the same
 * paths and JSON as the counter's, so a merchant site can fall back here when the tunnel is down.
 */
export function readRoutes(db: SqlClient): Router {
  const router = Router();
  router.get('/api/payment/sessions', async (req, res) => {
    const reader = await readerOf(db, req.headers['x-api-key']);
    markSynced(res, reader);
    const orderId = req.query.order_id;
    if (typeof orderId !== 'string' || orderId.trim() === '') {
      throw new CloudError('validation_failed', 'order_id: give the order_id to look up', { field: 'order_id' });
    }
    const texts = await orderSessionTexts(db, reader, orderId.trim());
    sendText(res, `{"session":${texts[0]},"sessions":[${texts.join(',')}]}`);
  });
  router.get('/api/payment/sessions/:id', async (req, res) => {
    const reader = await readerOf(db, req.headers['x-api-key']);
    markSynced(res, reader);
    sendText(res, `{"session":${await sessionText(db, reader, String(req.params.id))}}`);
  });
  return router;
}
