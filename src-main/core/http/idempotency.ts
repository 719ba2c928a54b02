import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import { writeTransaction, type Db } from '../db';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  findIdempotencyRow,
  releaseIdempotencyKey,
  type IdempotencyRow,
} from '../db/repos/idempotency-repo';
import { AppError } from '../errors';

/**
 * `X-Idempotency-Key` on the merchant API, with PayMaya's semantics:
 *
 * - The key is optional; without it a request simply runs.
 * - A retransmission matches its first transmission when the requesting party (scope, e.g.
 *   the API key's id), the HTTP method, the request URL and the key all match. It gets the
 *   first transmission's response (status and JSON body, byte for byte) with
 *   `Idempotent-Replayed: true`, and the handler does not run again.
 * - The same key with a different body (canonical JSON, key order ignored) is a client bug:
 *   409 idempotency_key_reused.
 * - A retransmission that arrives while the first is still running waits for it (polling
 *   the row) and answers with the same response; after waitMs it gets 409 conflict.
 * - A 5xx first answer (or one that is not JSON) is not kept: the claim is dropped so a
 *   retry runs again. 2xx-4xx answers are kept and replayed.
 * - Keys are kept at least 24 h (ttlMs, never less); purgeExpired() removes older rows.
 *
 * A claim left `in_flight` by a process that died mid-request is noticed (this process
 * never claimed it) and taken over by the next transmission, instead of blocking the key
 * until it expires. CounterPay runs one core per data dir, so "not ours" means "orphaned".
 */

export const IDEMPOTENCY_HEADER = 'X-Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
export const MIN_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const MAX_BODY_DEPTH = 256;

export interface IdempotencyOptions {
  db: Db;
  /** The requesting party (e.g. the authenticated API key's id); null = no idempotency for this request. */
  scope: (req: Request, res: Response) => string | null;
  /** How long a key is remembered; at least (and by default) 24 h. */
  ttlMs?: number;
  /** How long a retransmission waits for an in-flight first transmission (default 10 s). */
  waitMs?: number;
  /** Poll interval while waiting (default 25 ms). */
  pollMs?: number;
  /** Milliseconds since the epoch for stored times; injectable for tests. */
  clock?: () => number;
  /** Methods the header applies to (default POST only; others pass through). */
  methods?: readonly string[];
  /** Told when the answer could not be stored (the response is still sent). */
  onStoreError?: (err: unknown) => void;
}

/** 1-255 printable ASCII characters (0x20-0x7E). */
export function isValidIdempotencyKey(value: string): boolean {
  return value.length >= 1 && value.length <= MAX_IDEMPOTENCY_KEY_LENGTH && /^[\x20-\x7e]+$/.test(value);
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` fingerprint alike. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_BODY_DEPTH) throw new AppError('bad_request', 'The request body is nested too deeply.');
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined || typeof record[key] === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key], depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The row's identity: requesting party, method, URL and the client's key, unambiguously joined. */
export function idempotencyKeyHash(scope: string, method: string, url: string, key: string): string {
  return sha256(JSON.stringify([scope, method.toUpperCase(), url, key]));
}

/** Fingerprint of the parsed JSON body (no body = null). */
export function requestFingerprint(body: unknown): string {
  return sha256(canonicalJson(body ?? null));
}

/** Removes keys whose retention ended; the core calls this on a timer. Returns how many. */
export function purgeExpired(db: Db, now: number = Date.now()): number {
  return writeTransaction(db, () => deleteExpiredIdempotencyKeys(db, now));
}

/** Keys this process has claimed and not yet settled, per database. */
const claimedByDb = new WeakMap<Db, Set<string>>();

function claimedSet(db: Db): Set<string> {
  let set = claimedByDb.get(db);
  if (!set) {
    set = new Set();
    claimedByDb.set(db, set);
  }
  return set;
}

type Decision = { kind: 'first' } | { kind: 'replay'; row: IdempotencyRow } | { kind: 'mismatch' } | { kind: 'wait' };

/**
 * Mount per merchant-API POST route (or router) AFTER express.json and AFTER
 * authentication (scope needs the API key) and after the rate limiter, right before the
 * handler. The body is read from req.body.
 */
export function idempotency(options: IdempotencyOptions): RequestHandler {
  const { db } = options;
  const ttlMs = options.ttlMs ?? MIN_IDEMPOTENCY_TTL_MS;
  const waitMs = options.waitMs ?? 10_000;
  const pollMs = options.pollMs ?? 25;
  const clock = options.clock ?? Date.now;
  const methods = (options.methods ?? ['POST']).map((m) => m.toUpperCase());
  if (!(ttlMs >= MIN_IDEMPOTENCY_TTL_MS)) throw new Error('idempotency: ttlMs must be at least 24 hours');
  if (!(waitMs >= 0) || !(pollMs > 0)) throw new Error('idempotency: waitMs must be >= 0 and pollMs > 0');
  const claimed = claimedSet(db);

  function decide(keyHash: string, fingerprint: string): Decision {
    return writeTransaction(db, () => {
      const now = clock();
      const row = findIdempotencyRow(db, keyHash);
      const orphaned = row?.state === 'in_flight' && !claimed.has(keyHash);
      if (row && row.expires_at > now && !(orphaned && row.fingerprint === fingerprint)) {
        if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
        return row.state === 'done' ? { kind: 'replay', row } : { kind: 'wait' };
      }
      claimIdempotencyKey(db, { keyHash, fingerprint, now, expiresAt: now + ttlMs });
      claimed.add(keyHash);
      return { kind: 'first' };
    });
  }

  /** Stores (or drops) the first transmission's answer; never throws. */
  function settle(keyHash: string, fingerprint: string, status: number | null, body: unknown): void {
    try {
      let text: string | undefined;
      if (status !== null && status >= 200 && status <= 499) text = JSON.stringify(body === undefined ? null : body);
      if (status !== null && text !== undefined) {
        const stored = text;
        writeTransaction(db, () => completeIdempotencyKey(db, { keyHash, fingerprint, status, body: stored, now: clock() }));
      } else {
        writeTransaction(db, () => releaseIdempotencyKey(db, keyHash, fingerprint));
      }
    } catch (err) {
      options.onStoreError?.(err);
      try {
        writeTransaction(db, () => releaseIdempotencyKey(db, keyHash, fingerprint));
      } catch (releaseErr) {
        options.onStoreError?.(releaseErr);
      }
    } finally {
      claimed.delete(keyHash);
    }
  }

  function runFirst(res: Response, keyHash: string, fingerprint: string): void {
    let settled = false;
    const originalJson = res.json;
    // express's res.send(object) also comes through res.json, and so does the error handler.
    res.json = function json(this: Response, body?: unknown) {
      if (!settled) {
        settled = true;
        res.json = originalJson;
        settle(keyHash, fingerprint, res.statusCode, body);
      }
      return originalJson.call(this, body);
    } as Response['json'];
    res.once('finish', () => {
      if (settled) return;
      settled = true;
      res.json = originalJson;
      settle(keyHash, fingerprint, null, undefined); // answered without JSON: not kept
    });
  }

  function replay(res: Response, row: IdempotencyRow): void {
    res.setHeader(REPLAYED_HEADER, 'true');
    res
      .status(row.response_status as number)
      .type('application/json')
      .send(row.response_body as string);
  }

  return async (req, res, next) => {
    if (!methods.includes(req.method.toUpperCase())) return next();
    const header = req.headers['x-idempotency-key'];
    if (header === undefined) return next();
    const scope = options.scope(req, res);
    if (scope === null) return next();
    const value = Array.isArray(header) ? header.join(', ') : header;
    if (!isValidIdempotencyKey(value)) return next(new AppError('idempotency_key_invalid'));

    let keyHash: string;
    let fingerprint: string;
    try {
      keyHash = idempotencyKeyHash(scope, req.method, req.originalUrl, value);
      fingerprint = requestFingerprint(req.body);
    } catch (err) {
      return next(err);
    }

    let clientGone = false;
    res.once('close', () => {
      clientGone = true;
    });
    const deadline = Date.now() + waitMs;
    for (;;) {
      const decision = decide(keyHash, fingerprint);
      if (decision.kind === 'mismatch') return next(new AppError('idempotency_key_reused'));
      if (decision.kind === 'replay') return replay(res, decision.row);
      if (decision.kind === 'first') {
        runFirst(res, keyHash, fingerprint);
        return next();
      }
      // In flight in this process: wait until its row changes, then decide again.
      for (;;) {
        if (clientGone) return;
        if (Date.now() >= deadline) {
          return next(
            new AppError('conflict', 'A request with this X-Idempotency-Key is still being processed; retry it later.', {
              publicMessage: 'This request is still being processed. Please retry shortly.',
            }),
          );
        }
        await sleep(pollMs);
        const row = findIdempotencyRow(db, keyHash);
        if (!row || row.state !== 'in_flight' || row.fingerprint !== fingerprint || !claimed.has(keyHash)) break;
      }
    }
  };
}
