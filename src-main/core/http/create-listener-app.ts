import express, { type Express, type RequestHandler, type Router } from 'express';
import type { ListenerName } from '../../../src-shared/contract/api';
import type { Logger } from '../logging';
import { AppError } from '../errors';
import { forbiddenHost, hostChecker, hostnameOf } from './host-allowlist';
import { errorHandler, notFoundHandler } from './error-handler';
import { captureRawBody } from '../devices';

/** A route that takes bodies larger than its listener's limit: the phones' SMS batches. */
export interface LargeJsonRoute {
  /** Tested against the request path (express routes ignore case and a trailing slash; so should this). */
  path: RegExp;
  limitBytes: number;
}

const largeJsonRoutes = new WeakMap<Router, readonly LargeJsonRoute[]>();

/**
 * Declared by the routes themselves, so every listener built on them (createCore's, the tests')
 * parses those paths with the larger limit; the listener's own limit stays on every other path.
 */
export function allowLargeJson(routes: Router, large: readonly LargeJsonRoute[]): Router {
  largeJsonRoutes.set(routes, large);
  return routes;
}

function jsonParser(defaultLimit: number, large: readonly LargeJsonRoute[]): RequestHandler {
  const parser = (limit: number) =>
    express.json({
      limit,
      strict: true,
      type: ['application/json', 'application/*+json'],
      // Forwarder apps sign the exact bytes they send; keep them for the signature check.
      verify: captureRawBody,
    });
  const byDefault = parser(defaultLimit);
  const special = large.map((route) => ({ path: route.path, parse: parser(route.limitBytes) }));
  return (req, res, next) => {
    // No body (body-parser's own test): what the parser would do, without its per-request work.
    // Most requests are GETs: the merchant's poll, the checkout's.
    if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) {
      if (!('body' in (req as object))) req.body = undefined;
      return next();
    }
    const parse = special.length === 0 ? byDefault : (special.find((s) => s.path.test(req.path))?.parse ?? byDefault);
    parse(req, res, next);
  };
}

export interface ListenerAppOptions {
  name: ListenerName;
  allowedHosts: readonly string[];
  jsonLimitBytes: number;
  logger: Logger;
  version: string;
  /** True while the core drains; new requests get 503 in the error shape. */
  isDraining: () => boolean;
  routes: Router;
  /** Headers every response carries (the admin listener adds its CSP here). */
  extraHeaders?: Record<string, string>;
  /** Told of every request, before any check (maintenance's idle clock); must be cheap. */
  onRequest?: () => void;
  /**
   * One more host name this listener answers to, read per request (cheap): the public address
   * staff set on the counter, so its tunnel's Host passes without editing `allowedHosts`.
   */
  extraAllowedHost?: () => string | null;
  /** `GET /api/health?probe=…` answers whether this core issued that probe (the tunnel check; public listener only). */
  healthProbe?: (probe: string) => boolean;
}

/**
 * One express app per listener. Each serves only its own routes: a path that belongs to
 * another listener is a plain 404 here.
 */
export function createListenerApp(options: ListenerAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', false);
  const headers = Object.entries({
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    ...options.extraHeaders,
  });
  const hostAllowed = hostChecker(options.allowedHosts);
  const onRequest = options.onRequest ?? (() => {});
  const extraHost = options.extraAllowedHost;
  const extraHostAllowed = (hostHeader: string | undefined): boolean => {
    if (!extraHost || hostHeader === undefined) return false;
    const allowed = extraHost();
    return allowed !== null && hostnameOf(hostHeader) === allowed;
  };
  // One middleware, not three: every request pays for each layer the router walks.
  app.use((req, res, next) => {
    onRequest();
    for (const [name, value] of headers) res.setHeader(name, value);
    if (!hostAllowed(req.headers.host) && !extraHostAllowed(req.headers.host)) return next(forbiddenHost(req.headers.host));
    if (!options.isDraining()) return next();
    res.setHeader('Connection', 'close');
    next(new AppError('shutting_down'));
  });
  app.use(jsonParser(options.jsonLimitBytes, largeJsonRoutes.get(options.routes) ?? []));
  const healthProbe = options.healthProbe;
  app.get('/api/health', (req, res) => {
    const probe = req.query.probe;
    if (healthProbe && typeof probe === 'string' && probe.length > 0 && probe.length <= 64) {
      return res.json({ ok: true, listener: options.name, version: options.version, probe: healthProbe(probe) });
    }
    res.json({ ok: true, listener: options.name, version: options.version });
  });
  app.use(options.routes);
  app.use(notFoundHandler());
  app.use(errorHandler(options.logger.child({ listener: options.name })));
  return app;
}
