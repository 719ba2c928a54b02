import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import {
  ADMIN_COMMAND_NAMES,
  ADMIN_EVENT_NAMES,
  type AdminCommandName,
  type AdminCommands,
  type StatusSnapshot,
} from '../../../src-shared/contract/admin';
import type { Db } from '../db';
import type { EventBus } from '../events';
import { AppError } from '../errors';
import { requireStaff } from './admin-auth';
import { manualVerifyResult } from '../admin/verify-view';
import { realClient, type PaymentsContext } from './payments-context';
import { rateLimit } from './rate-limit';

export type AdminHandlers = {
  [K in AdminCommandName]: (arg: AdminCommands[K]['arg']) => AdminCommands[K]['result'];
};

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
}

function isCommand(name: string): name is AdminCommandName {
  return (ADMIN_COMMAND_NAMES as readonly string[]).includes(name);
}

function openEventStream(req: Request, res: Response, deps: AdminRouteDeps): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('status', deps.currentStatus());
  const offs = ADMIN_EVENT_NAMES.map((name) => deps.bus.on(name, (payload) => send(name, payload)));
  const offAll = () => offs.forEach((off) => off());
  // Comments keep idle proxies and the browser from dropping a quiet stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const end = () => {
    clearInterval(keepAlive);
    offAll();
    res.end();
  };
  const untrack = deps.trackStream(end);
  req.on('close', () => {
    clearInterval(keepAlive);
    offAll();
    untrack();
  });
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
      const outcome = manualVerifyResult(deps.payments.decisions.verify((req.body as { txnid?: unknown } | undefined)?.txnid, 'staff'));
      res.status(200).json(outcome);
    },
  );
  router.get('/api/admin/events', (req, res) => openEventStream(req, res, deps));
  router.post('/api/admin/rpc/:command', (req, res) => {
    const name = String(req.params.command);
    if (!isCommand(name)) throw new AppError('not_found', `No admin command "${name}"`);
    const arg: unknown = req.body ?? {};
    if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
      throw new AppError('validation_failed', 'The command argument must be a JSON object.');
    }
    // Each handler validates its own argument; the map's types tie name to result.
    const handler = deps.handlers[name] as (a: unknown) => unknown;
    res.json({ result: handler(arg) });
  });
  if (deps.rendererDir && fs.existsSync(path.join(deps.rendererDir, 'index.html'))) {
    const dir = deps.rendererDir;
    router.use(express.static(dir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
    router.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(dir, 'index.html')));
  } else {
    router.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('CounterPay core is running. The counter UI is not built: run `npm run build:renderer`.\n');
    });
  }
  return router;
}

/** The renderer is local only: no inline script, nothing from another origin. */
export const ADMIN_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
