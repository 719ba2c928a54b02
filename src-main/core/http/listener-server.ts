import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningListener {
  url: string;
  server: http.Server;
  /** Stops accepting, lets in-flight requests finish for up to graceMs, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

export function formatUrl(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export function listen(app: Express, host: string, port: number): Promise<RunningListener> {
  return new Promise((resolve, reject) => {
    // Without a Host header the allowlist answers in the error shape, not Node's bare 400.
    const server = http.createServer({ requireHostHeader: false }, app);
    // Slowloris guard: a client must send its headers promptly.
    server.headersTimeout = 15_000;
    server.requestTimeout = 60_000;
    server.keepAliveTimeout = 5_000;
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        url: formatUrl(host, address.port),
        server,
        close: (graceMs) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
