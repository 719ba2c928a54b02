import { z } from 'zod';
import { isValidProxyEntry } from '../http';

const port = z.number().int().min(0).max(65535);
const hostName = z.string().min(1).max(253);

const listenerShape = (host: string, portNumber: number) => ({
  host: hostName.default(host),
  port: port.default(portNumber),
  /** Extra Host header names this listener answers to (IP literals and localhost always pass). */
  allowedHosts: z.array(hostName).default([]),
});

const listener = (host: string, portNumber: number) => z.object(listenerShape(host, portNumber)).strict().prefault({});

/**
 * The largest batch the device API documents, at its worst: 100 messages of MAX_SMS_BODY (5,000)
 * UTF-16 units, each written by a client that \u-escapes non-ASCII (6 bytes a unit, as Apache
 * commons-text's escapeJson in SMS to URL Forwarder does), plus sender, received_at, smsc and
 * punctuation: 100 × ~31 KB ≈ 3.0 MiB. Raw UTF-8 Bangla (3 bytes a unit) needs half of that.
 */
export const DEVICE_SMS_JSON_LIMIT_BYTES = 4 * 1024 * 1024;

export const configSchema = z
  .object({
    dataDir: z.string().min(1),
    public: listener('127.0.0.1', 8787),
    device: z
      .object({
        ...listenerShape('0.0.0.0', 8789),
        /** JSON limit of the SMS routes (/api/device/sms, /api/forwarders/…); every other route keeps http.jsonLimitBytes. */
        smsJsonLimitBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .max(32 * 1024 * 1024)
          .default(DEVICE_SMS_JSON_LIMIT_BYTES),
      })
      .strict()
      .prefault({}),
    admin: listener('127.0.0.1', 8788),
    http: z
      .object({
        jsonLimitBytes: z
          .number()
          .int()
          .min(1024)
          .max(10 * 1024 * 1024)
          .default(64 * 1024),
        /** How long a shutdown waits for in-flight requests before cutting them. */
        shutdownGraceMs: z.number().int().min(0).max(120_000).default(10_000),
        /** Socket addresses of reverse proxies (the tunnel) whose forwarding headers are believed. */
        trustedProxies: z
          .array(z.string().min(1).refine(isValidProxyEntry, 'must be an IP address or CIDR block, e.g. 127.0.0.1 or 10.0.0.0/8'))
          .default([]),
        /**
         * Believe `CF-Connecting-IP` from a trusted proxy: set it when the tunnel is cloudflared (Cloudflare writes
         * it). Off, X-Forwarded-For is walked instead (cloudflared appends the visitor there too); any other proxy
         * passes a customer's own CF-Connecting-IP through, so believing it would let them pick their bucket.
         */
        cfConnectingIp: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
        fileMaxBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .default(10 * 1024 * 1024),
        fileCount: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .prefault({}),
    sessions: z
      .object({
        ttlHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
        /** The tunnel's public address (https://pay.example.com); checkout_url is built on it. */
        publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
      })
      .strict()
      .prefault({}),
    devices: z
      .object({
        /** A phone or forwarder silent this long shows offline (heartbeats come every 10-30 s). */
        offlineAfterSeconds: z.number().int().min(15).max(86_400).default(90),
        /**
         * The phones' offset from UTC in minutes (Bangladesh: 360), for SMS times they send without
         * a zone (SmsForwarder's [receive_time]). Absent: the zone of the PC running CounterPay.
         */
        utcOffsetMinutes: z.number().int().min(-720).max(840).optional(),
      })
      .strict()
      .prefault({}),
    /** Overrides of the contract's per-endpoint limits, by name (see DEFAULT_RATE_LIMITS). */
    rateLimits: z
      .object(
        Object.fromEntries(
          ['sessionCreate', 'checkoutSubmit', 'merchantLogin', 'merchantVerify', 'deviceSms'].map((name) => [
            name,
            z
              .object({ limit: z.number().int().min(1).max(1_000_000), windowMs: z.number().int().min(1000).max(86_400_000) })
              .strict()
              .optional(),
          ]),
        ),
      )
      .strict()
      .prefault({}),
    matching: z
      .object({
        /** Clocks of phone and PC disagree; an SMS this much older than its session still counts. */
        skewSeconds: z.number().int().min(0).max(3600).default(120),
        /** An SMS older than this never settles a session by itself. */
        maxSmsAgeHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(48),
        /** A submitted TxnID whose SMS has not arrived after this long fails ("no such TxnID"). */
        notFoundAfterMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(30),
        /** Wrong TxnIDs a session accepts before it refuses more (brute-forcing TxnIDs must not pay). */
        maxGuessesPerSession: z.number().int().min(1).max(100).default(8),
        sweepIntervalSeconds: z.number().int().min(1).max(3600).default(30),
      })
      .strict()
      .prefault({}),
    /**
     * What old rows are deleted and when the database file is tended (maintenance/). SMS,
     * sessions, transactions, the audit log and balance records are evidence: never deleted.
     */
    maintenance: z
      .object({
        /** Outbox rows (webhooks, sync) delivered longer ago than this are deleted; pending and dead rows stay. */
        outboxDeliveredDays: z.number().int().min(1).max(3650).default(30),
        /** Webhook deliveries (and their attempts) that ended this long ago are deleted; pending ones stay. */
        webhookDeliveryDays: z.number().int().min(1).max(3650).default(90),
        /** Staff alerts resolved longer ago than this are deleted; open alerts stay. */
        resolvedAlertDays: z.number().int().min(1).max(36_500).default(365),
        /** How often the purge runs (the sweep offers it every matching.sweepIntervalSeconds). */
        purgeEveryMinutes: z.number().int().min(1).max(1440).default(60),
        /** No merchant API, checkout or counter request and no SMS for this long: the shop is idle (at night, say). */
        idleAfterMinutes: z.number().int().min(1).max(1440).default(30),
        /** PRAGMA optimize runs at start, each time the shop falls idle, and at least this often even when it never does. */
        optimizeEveryHours: z.number().int().min(1).max(720).default(24),
        /** VACUUM, only while idle, once free pages are at least this share of the file… */
        vacuumFreeRatio: z.number().min(0.05).max(0.95).default(0.25),
        /** …and at least this many MiB (a small file is not worth rewriting). */
        vacuumMinFreeMiB: z.number().int().min(1).max(1_000_000).default(64),
      })
      .strict()
      .prefault({}),
    /** Merchant webhooks (issue 12; docs/webhooks.md). The URLs themselves are set with `webhook set` or on the counter. */
    webhooks: z
      .object({
        /** Let webhook URLs reach loopback and LAN addresses (`--allow-private-webhooks`). Off: a URL never leads into the shop's network. */
        allowPrivate: z.boolean().default(false),
        /** One attempt may take this long, connection to answer. */
        timeoutSeconds: z.number().int().min(1).max(120).default(15),
        /** After `keys rotate secret_key`, deliveries carry the old key's signature too for this long. */
        secretOverlapHours: z
          .number()
          .min(0)
          .max(24 * 30)
          .default(24),
        /** Deliveries in flight at once, over all receivers… */
        maxInFlight: z.number().int().min(1).max(256).default(32),
        /** …and to one receiver (URL origin): a slow receiver holds only its own share. */
        maxInFlightPerReceiver: z.number().int().min(1).max(64).default(4),
      })
      .strict()
      .prefault({}),
    /** Cloud sync (issue 13; docs/sync.md). The cloud's URL and token are set with `sync set` (kept in sync.json). */
    sync: z
      .object({
        /** Events per batch (the protocol allows up to 500). */
        batchSize: z.number().int().min(1).max(500).default(200),
        /** One batch may take this long, connection to answer. */
        timeoutSeconds: z.number().int().min(1).max(300).default(15),
        /** With nothing to send, the counter still reports in this often (the cloud's Synced-At shows it is alive). */
        heartbeatSeconds: z.number().int().min(5).max(86_400).default(60),
        /** After failures the wait doubles from 2 s up to this. */
        maxBackoffSeconds: z.number().int().min(1).max(86_400).default(300),
      })
      .strict()
      .prefault({}),
    /**
     * GSM modems with the shop's wallet SIMs (issue 11). `npm run serve -- --modem PATH` adds one
     * (the flag may repeat); none configured: the ports that look like modems are probed.
     */
    modems: z
      .array(
        z
          .object({
            path: z.string().min(1).max(200),
            baudRate: z.number().int().min(1200).max(4_000_000).default(115_200),
            /** The SIM's PIN, sent once: a PIN the SIM refuses is never sent again (a third wrong one locks the SIM). */
            pin: z
              .string()
              .regex(/^\d{4,8}$/, 'a SIM PIN is 4 to 8 digits')
              .nullish()
              .transform((v) => v ?? null),
            /** Names the modem on the Devices screen and in each SMS's delivery ("modem:<label>"); default: the path. */
            label: z.string().trim().min(1).max(40).optional(),
          })
          .strict(),
      )
      .max(8)
      .default([]),
    modem: z
      .object({
        /** With no modem configured, probe serial ports for one at start. */
        probe: z.boolean().default(true),
        /** Storage is listed and read this often (a +CMTI can be lost). */
        sweepSeconds: z.number().int().min(5).max(3600).default(60),
        /** An `AT` this often; no answer: the modem is reconnected. */
        keepaliveSeconds: z.number().int().min(5).max(600).default(30),
        /** A multipart SMS whose other parts never came is stored as it is (flagged incomplete) after this long. */
        incompleteWaitMinutes: z.number().int().min(1).max(10_080).default(60),
        /** How long one AT command may take. */
        commandTimeoutSeconds: z.number().int().min(1).max(120).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;

/** A partial layer: what one source (file, env, flags) contributes. */
export type ConfigLayer = Record<string, unknown>;
