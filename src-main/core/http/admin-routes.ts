import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import {
  ADMIN_COMMAND_NAMES,
  ADMIN_EVENT_NAMES,
  type AdminCommandName,
  type AdminHandlerMap,
  type StatusSnapshot,
} from '../../../src-shared/contract/admin';
import type { Db } from '../db';
import type { EventBus } from '../events';
import { AppError } from '../errors';
import { requireStaff, staffTokenStillValid } from './admin-auth';
import { manualVerifyResult } from '../admin';
import { realClient, type PaymentsContext } from './payments-context';
import { rateLimit } from './rate-limit';

/** The admin handler map, typed once in src-shared/contract/admin.ts. */
export type AdminHandlers = AdminHandlerMap;

export interface AdminRouteDeps {
  db: Db;
  bus: EventBus;
  handlers: AdminHandlers;
  currentStatus: () => StatusSnapshot;
  /** Built renderer (index.html + assets); absent when running from source without a build. */
  rendererDir: string | null;
  payments: PaymentsContext;
  /** Called with a teardown for each open event stream, so shutdown can end them. */
  trackStream: (end: () => void) => () => void;
  /** How often an open event stream re-checks its staff token (default AUTH_RECHECK_MS). */
  authRecheckMs?: number;
}

/** A stream opened with a token that is then rotated ends within this long, even when idle. */
export const AUTH_RECHECK_MS = 1_000;

function isCommand(name: string): name is AdminCommandName {
  return (ADMIN_COMMAND_NAMES as readonly string[]).includes(name);
}

function openEventStream(req: Request, res: Response, deps: AdminRouteDeps): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let open = true;
  // The token may be rotated while the stream is open, by this process or by the CLI (which
  // only writes the database): check it before every event and on a short timer.
  const authorized = () => staffTokenStillValid(deps.db, res);
  const send = (event: string, data: unknown) => {
    if (!open) return;
    if (!authorized()) return end();
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const offs = ADMIN_EVENT_NAMES.map((name) => deps.bus.on(name, (payload) => send(name, payload)));
  // Comments keep idle proxies and the browser from dropping a quiet stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const recheck = setInterval(() => {
    if (!authorized()) end();
  }, deps.authRecheckMs ?? AUTH_RECHECK_MS);
  recheck.unref();
  const stopTimers = () => {
    open = false;
    clearInterval(keepAlive);
    clearInterval(recheck);
    offs.forEach((off) => off());
  };
  function end(): void {
    if (!open) return;
    stopTimers();
    res.end();
  }
  const untrack = deps.trackStream(end);
  req.on('close', () => {
    stopTimers();
    untrack();
  });
  send('status', deps.currentStatus());
}

/** The counter UI and its API. */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  const staff = requireStaff(deps.db);
  router.use('/api/admin', staff);
  // The seed's manual verify, with the staff token where the seed has the dashboard's JWT.
  router.post(
    '/api/merchant/verify',
    staff,
    rateLimit({
      limiter: deps.payments.limiters.merchantVerify,
      key: (req) => `ip:${realClient(req, deps.payments)}`,
      message: deps.payments.limiters.merchantVerify.message,
    }),
    (req, res) => {
      const outcome = manualVerifyResult(deps.payments.payments.verify((req.body as { txnid?: unknown } | undefined)?.txnid, 'staff'));
      res.status(200).json(outcome);
    },
  );
  router.get('/api/admin/events', (req, res) => openEventStream(req, res, deps));
  router.post('/api/admin/rpc/:command', async (req, res) => {
    const name = String(req.params.command);
    if (!isCommand(name)) throw new AppError('not_found', `No admin command "${name}"`);
    const arg: unknown = req.body ?? {};
    if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
      throw new AppError('validation_failed', 'The command argument must be a JSON object.');
    }
    // Each handler validates its own argument; the map's types tie name to result.
    const handler = deps.handlers[name] as (a: unknown) => unknown;
    res.json({ result: await handler(arg) });
  });
  if (deps.rendererDir && fs.existsSync(path.join(deps.rendererDir, 'index.html'))) {
    const dir = deps.rendererDir;
    router.use(express.static(dir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
    router.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(dir, 'index.html')));
  } else {
    router.get('/', (_req, res) => {
      res.type('text/plain').send('CounterPay core is running. The counter UI is not built: run `npm run build:renderer`.\n');
    });
  }
  return router;
}

/** The renderer is local only: no inline script, nothing from another origin. */
export const ADMIN_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
