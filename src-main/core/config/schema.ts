import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const hostName = z.string().min(1).max(253);

const listener = (host: string, portNumber: number) =>
  z
    .object({
      host: hostName.default(host),
      port: port.default(portNumber),
      /** Extra Host header names this listener answers to (IP literals and localhost always pass). */
      allowedHosts: z.array(hostName).default([]),
    })
    .strict()
    .prefault({});

export const configSchema = z
  .object({
    dataDir: z.string().min(1),
    public: listener('127.0.0.1', 8787),
    device: listener('0.0.0.0', 8789),
    admin: listener('127.0.0.1', 8788),
    http: z
      .object({
        jsonLimitBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
        /** How long a shutdown waits for in-flight requests before cutting them. */
        shutdownGraceMs: z.number().int().min(0).max(120_000).default(10_000),
        /** Socket addresses of reverse proxies (the tunnel) whose forwarding headers are believed. */
        trustedProxies: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
        fileMaxBytes: z.number().int().min(64 * 1024).default(10 * 1024 * 1024),
        fileCount: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .prefault({}),
    sessions: z
      .object({
        ttlHours: z.number().int().min(1).max(24 * 30).default(24),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;

/** A partial layer: what one source (file, env, flags) contributes. */
export type ConfigLayer = Record<string, unknown>;
