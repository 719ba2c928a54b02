import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createCore, createLogger, loadConfig, type Core } from '../../../src-main/core';
import type { LoggerHandle } from '../../../src-main/core/logging';
import { silentLogger } from '../../../src-main/core/logging';
import { addGateway, dismissSetup } from '../../../src-main/core/shop';

export interface RawResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown> | undefined;
}

export interface RawRequest {
  method?: string;
  /** Values may be arrays: each element is sent as its own header line. */
  headers?: Record<string, string | string[]>;
  /** Object = JSON; string/Buffer sent as is. */
  body?: unknown;
  /** Host header to send instead of the real one (null = none at all). */
  host?: string | null;
}

/** node:http with full control of Host and repeated headers; no keep-alive. */
export function raw(baseUrl: string, pathName: string, options: RawRequest = {}): Promise<RawResult> {
  const url = new URL(baseUrl);
  const headers: Record<string, string | string[]> = { ...(options.headers ?? {}) };
  let payload: Buffer | null = null;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') payload = Buffer.from(options.body, 'utf8');
    else if (Buffer.isBuffer(options.body)) payload = options.body;
    else {
      payload = Buffer.from(JSON.stringify(options.body), 'utf8');
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
  }
  if (options.host !== undefined && options.host !== null) headers.Host = options.host;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: pathName,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        headers,
        agent: false,
        setHost: options.host === undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    if (payload) req.write(payload);
    req.end();
  });
}

export interface SecCore {
  core: Core;
  dir: string;
  urls: { public: string; device: string; admin: string };
  logs: LoggerHandle | null;
  stop(): Promise<void>;
}

export async function startSecCore(
  options: { realLogger?: boolean; rendererDir?: string | null; config?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<SecCore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-sec-'));
  if (options.config) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(options.config));
  const config = loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0 }, options.env ?? {});
  const logs = options.realLogger
    ? createLogger({ dataDir: dir, level: 'trace', fileMaxBytes: 10 * 1024 * 1024, fileCount: 2, console: 'none' })
    : null;
  const core = createCore(config, { logger: logs ? logs.logger : silentLogger(), rendererDir: options.rendererDir ?? null });
  // The counter UI opens on its tabs, not on the first-run setup flow (test/e2e/counter-setup.test.ts covers that).
  dismissSetup(core.db, core.shop.merchantId, { dismissed: true }, Date.now());
  const urls = await core.listen();
  let stopped = false;
  return {
    core,
    dir,
    urls,
    logs,
    async stop() {
      if (stopped) return;
      stopped = true;
      await core.stop();
      await logs?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function addBkash(core: Core, label = 'Shop bKash', account = '01711111111'): void {
  addGateway(
    core.db,
    { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
    { provider: 'bkash', account, label },
  );
}

export function bkashBody(txnid: string, amount = '500.00', extra = ''): string {
  return `You have received Tk ${amount} from 01712345678. Ref 42. Fee Tk 0.00. Balance Tk 1,500.00. TrxID ${txnid} at 12/05/2026 11:25${extra}`;
}

/** A merchant session on the public listener with the given key. */
export async function createSession(s: SecCore, body: Record<string, unknown>, key = s.core.shop.keys.api_key): Promise<RawResult> {
  return raw(s.urls.public, '/api/payment/sessions', {
    body: { amount: '500.00', currency: 'BDT', ...body },
    headers: { 'X-API-Key': key },
  });
}

export async function adminRpc(s: SecCore, name: string, arg: unknown): Promise<RawResult> {
  return raw(s.urls.admin, `/api/admin/rpc/${name}`, { body: arg, headers: { Authorization: `Bearer ${s.core.shop.keys.admin_token}` } });
}

/** No stack frames, no source paths, no Node internals in a client-visible body. */
export function leaksInternals(text: string): string | null {
  const patterns = [
    /\bat [\w.<>]+ \(/,
    /node:internal/,
    /\/work\//,
    /\.ts:\d+/,
    /\.js:\d+/,
    /node_modules/,
    /SyntaxError/,
    /RangeError/,
    /TypeError/,
    /sqlite/i,
  ];
  for (const p of patterns) if (p.test(text)) return p.source;
  return null;
}
