import http from 'node:http';
import { expect } from 'vitest';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is JSON-encoded with application/json. */
  body?: unknown;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
  /** Do not send a Host header at all. */
  noHost?: boolean;
  timeoutMs?: number;
}

/**
 * A plain node:http request (no keep-alive, so no socket outlives a test). Resolves once the
 * whole response is read; a write error after the response arrived (the server refused a
 * large body early) is ignored.
 */
export function httpRequest(baseUrl: string, pathName: string, options: HttpRequest = {}): Promise<HttpResult> {
  const url = new URL(pathName, baseUrl);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let payload: Buffer | null = null;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') payload = Buffer.from(options.body, 'utf8');
    else if (Buffer.isBuffer(options.body)) payload = options.body;
    else {
      payload = Buffer.from(JSON.stringify(options.body), 'utf8');
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
    }
    if (options.chunked) headers['Transfer-Encoding'] = 'chunked';
    else headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        headers,
        agent: false,
        setHost: !options.noHost,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => {
          if (!settled) {
            settled = true;
            reject(err);
          }
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout on ${url.href}`)));
    req.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    if (payload) {
      if (options.chunked) {
        // Several chunks, so the server sees a streamed body of unknown length.
        const size = 4096;
        for (let i = 0; i < payload.length; i += size) req.write(payload.subarray(i, i + size));
        req.end();
      } else {
        req.end(payload);
      }
    } else {
      req.end();
    }
  });
}

/** A stack frame or a source path in a body would leak the inside to a client. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/\bat [^\s]+ \(/);
  expect(text).not.toMatch(/\.(ts|js|mjs|cjs):\d+/);
  expect(text).not.toMatch(/node_modules|src-main|\/work\//);
}

/** Programmatic hints the contract allows beside the three fields (seed: "programmatic hints"). */
const ERROR_HINTS = ['field', 'existing_session_id', 'retry_after_seconds', 'failure_reason', 'status'];

/** The documented error shape: error, merchant_message and code, all strings, plus only known hints. */
export function expectErrorShape(result: HttpResult, status: number, code: string): void {
  expect(result.status, `status for ${result.text}`).toBe(status);
  expect(String(result.headers['content-type'])).toMatch(/^application\/json/);
  const body = result.json as Record<string, unknown>;
  expect(body).toBeTypeOf('object');
  expect(
    Object.keys(body)
      .filter((k) => !ERROR_HINTS.includes(k))
      .sort(),
  ).toEqual(['code', 'error', 'merchant_message']);
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  expect(typeof body.merchant_message).toBe('string');
  expect((body.error as string).length).toBeGreaterThan(0);
  expect((body.merchant_message as string).length).toBeGreaterThan(0);
  expectNoStackTrace(result.text);
}
