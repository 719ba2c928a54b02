import express, { type Express } from 'express';
import { adminRoutes } from '../admin-channel';
import type { SqlClient } from '../db/sql-client';
import type { Log } from '../log';
import { errorHandler, notFound } from './error-handler';
import { readRoutes } from './read-routes';
import { syncRoutes } from './sync-routes';

/**
 * The cloud's one listener: health, the counters' sync endpoint, the merchant read API, and (with
 * PGlite) the local admin channel; everything else is 404 `not_found` in the error shape.
 */
export function createCloudApp(db: SqlClient, log: Log, options: { adminToken?: string } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(syncRoutes(db));
  app.use(readRoutes(db));
  if (options.adminToken) app.use(adminRoutes(db, options.adminToken));
  app.use(notFound());
  app.use(errorHandler(log));
  return app;
}
