import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { BlockedAddressError, guardedLookup, isNonPublicAddress, urlHost } from './url-guard';

/** What one POST came to. */
export interface PostOutcome {
  httpStatus: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
}

/** A receiver's answer is read up to this much (enough for an error page's first lines), then dropped. */
const MAX_RESPONSE_BYTES = 4096;
const EXCERPT_CHARS = 300;

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Keep-alive agents shared by every delivery (one pool per scheme). */
  agents: { http: http.Agent; https: https.Agent };
  /** A monotonic clock for the latency (performance.now in the core). */
  monotonic: () => number;
}

export function createAgents(perReceiver: number): { http: http.Agent; https: https.Agent } {
  // As many sockets per host as the dispatcher lets one receiver have in flight, so no request
  // waits in the agent's queue (where its timeout would run before it is even sent).
  const common = { keepAlive: true, maxSockets: Math.max(1, perReceiver), maxFreeSockets: Math.max(1, perReceiver), timeout: 60_000 };
  return { http: new http.Agent(common), https: new https.Agent(common) };
}

function describe(err: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  if (err instanceof BlockedAddressError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `the name does not resolve (${e.code})`;
  if (e.code === 'ECONNRESET') return 'connection reset by the receiver';
  return `${e.code ?? 'error'}: ${e.message}`.slice(0, 200);
}

/**
 * POSTs one webhook. Never throws and never follows a redirect (a 3xx is a failed attempt):
 * any 2xx acknowledges. The whole exchange, connection to last byte read, has `timeoutMs`.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostOutcome> {
  const started = options.monotonic();
  const target = new URL(url);
  const elapsed = () => Math.max(0, Math.round(options.monotonic() - started));
  const host = urlHost(target);
  if (!options.allowPrivate && net.isIP(host) !== 0 && isNonPublicAddress(host)) {
    return Promise.resolve({ httpStatus: null, ok: false, latencyMs: 0, error: `address ${host} is private`, excerpt: null });
  }
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const finish = (outcome: Omit<PostOutcome, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, latencyMs: elapsed() });
    };
    const isHttps = target.protocol === 'https:';
    const request = (isHttps ? https : http).request(target, {
      method: 'POST',
      agent: isHttps ? options.agents.https : options.agents.http,
      lookup: guardedLookup(options.allowPrivate) as unknown as net.LookupFunction,
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error('timeout'));
    }, options.timeoutMs);
    request.on('error', (err) => finish({ httpStatus: null, ok: false, error: describe(err, options.timeoutMs, timedOut), excerpt: null }));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
        const ok = status >= 200 && status < 300;
        finish({ httpStatus: status, ok, error: ok ? null : `HTTP ${status}`, excerpt: text === '' ? null : text });
      };
      response.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_RESPONSE_BYTES) {
          done();
          response.destroy();
        }
      });
      // The status line came: the receiver answered; a body cut short (or slow) does not change the verdict.
      response.on('end', done);
      response.on('error', done);
      response.on('close', done);
    });
    request.end(body);
  });
}
