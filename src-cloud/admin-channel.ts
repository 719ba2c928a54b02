import express, { Router } from 'express';
import { z } from 'zod';
import type { SqlClient } from './db/sql-client';
import { CloudError } from './errors';
import { addShop, listShops, resetStream, type ShopSummary } from './shops';
import { sameSecret } from './tokens';

/**
 * How the `shop` commands reach the data dir while a PGlite cloud holds it (PGlite is one
 * process's database): the server writes its URL and a random admin token into the lock file
 * (mode 0600, in the 0700 data dir), and the command sends the same operation over HTTP instead
 * of opening the files. Only a user who can read the data dir can do this. On PostgreSQL the
 * commands open the database themselves, and these routes are not mounted.
 */
export const ADMIN_PREFIX = '/api/cloud-admin';

export function adminRoutes(db: SqlClient, adminToken: string): Router {
  const router = Router();
  router.use(ADMIN_PREFIX, (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    next(match?.[1] && sameSecret(match[1], adminToken) ? undefined : new CloudError('unauthorized'));
  });
  router.use(ADMIN_PREFIX, express.json({ limit: 16 * 1024 }));
  router.post(`${ADMIN_PREFIX}/shops`, async (req, res) => {
    // PostgreSQL text holds no U+0000: refused here, not as a database error.
    const parsed = z
      .object({
        name: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .refine((name) => !name.includes('\u0000')),
      })
      .safeParse(req.body);
    if (!parsed.success) throw new CloudError('validation_failed', 'name: give the shop a name', { field: 'name' });
    res.status(201).json(await addShop(db, parsed.data.name));
  });
  router.get(`${ADMIN_PREFIX}/shops`, async (_req, res) => {
    res.json({ shops: await listShops(db) });
  });
  router.post(`${ADMIN_PREFIX}/shops/:id/reset-stream`, async (req, res) => {
    if (!(await resetStream(db, String(req.params.id)))) throw new CloudError('not_found', `No shop ${String(req.params.id)}.`);
    res.json({ ok: true });
  });
  return router;
}

/** The client side: one operation against a running server, answered as the direct call would. */
export async function callAdmin(
  url: string,
  token: string,
  op: { kind: 'add'; name: string } | { kind: 'list' } | { kind: 'reset'; id: string },
): Promise<unknown> {
  const target =
    op.kind === 'reset' ? `${url}${ADMIN_PREFIX}/shops/${encodeURIComponent(op.id)}/reset-stream` : `${url}${ADMIN_PREFIX}/shops`;
  const response = await fetch(target, {
    method: op.kind === 'list' ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: op.kind === 'add' ? JSON.stringify({ name: op.name }) : op.kind === 'reset' ? '{}' : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { merchant_message?: string; shops?: ShopSummary[] };
  if (!response.ok) throw new Error(body.merchant_message ?? `The running cloud answered HTTP ${response.status}.`);
  return op.kind === 'list' ? body.shops : body;
}
