import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got, as it arrived on the wire. */
export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, byte for byte (signatures are over these bytes). */
  raw: string;
  /** The body parsed (null when it was not JSON). */
  json: Record<string, unknown> | null;
  at: number;
}

/** How the receiver answers the next request: a status and body, or `hang` (never answers). */
export type Reply = { status: number; body?: string } | 'hang';

/**
 * A real merchant endpoint on 127.0.0.1: it records every POST and answers from a script
 * (then `fallback`). `hang` keeps the socket open without answering, as a stuck server does.
 */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Replies used in order, one per request; when empty, `fallback` answers. */
  script: Reply[];
  fallback: Reply;
  /** Resolves when at least `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(fallback: Reply = { status: 200, body: 'SUCCESS' }): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    script: [],
    fallback,
    async waitFor(n, timeoutMs = 10_000) {
      if (received.length >= n) return received;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${n} requests in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        json = null;
      }
      received.push({ path: req.url ?? '/', headers: req.headers, raw, json, at: Date.now() });
      for (const w of [...waiters]) {
        if (received.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const reply = receiver.script.shift() ?? receiver.fallback;
      if (reply === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(reply.status, { 'Content-Type': 'text/plain' }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
