import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger, type DestinationStream, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type { Logger } from 'pino';

export interface LoggerOptions {
  dataDir: string;
  level: string;
  fileMaxBytes: number;
  fileCount: number;
  /** Where console logs go: stdout for the server, stderr for CLI commands whose stdout is data. */
  console: 'stdout' | 'stderr' | 'none';
}

export interface LoggerHandle {
  logger: Logger;
  logFile: string;
  /** Flushes and closes the log file. */
  close(): Promise<void>;
}

/** Keys that never reach a log line in clear text. */
const REDACT_PATHS = [
  'api_key',
  'secret_key',
  'device_auth_key',
  'auth_key',
  'admin_token',
  'token',
  '*.api_key',
  '*.secret_key',
  '*.auth_key',
  '*.device_auth_key',
  '*.token',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
];

export function createLogger(options: LoggerOptions): LoggerHandle {
  const logDir = path.join(options.dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const file: RotatingFileStream = createStream('counterpay.log', {
    path: logDir,
    size: `${Math.max(1, Math.floor(options.fileMaxBytes / 1024))}K`,
    maxFiles: options.fileCount,
  });
  const streams: StreamEntry[] = [{ level: 'trace', stream: file as unknown as DestinationStream }];
  if (options.console !== 'none') {
    const target = options.console === 'stdout' ? process.stdout : process.stderr;
    const stream: DestinationStream = target.isTTY
      ? pretty({ destination: target.fd, colorize: true, sync: true })
      : (target as unknown as DestinationStream);
    streams.push({ level: 'trace', stream });
  }
  const logger = pino(
    { level: options.level, base: { app: 'counterpay' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.multistream(streams),
  );
  return {
    logger,
    logFile: path.join(logDir, 'counterpay.log'),
    close: () =>
      new Promise<void>((resolve) => {
        file.end(() => resolve());
      }),
  };
}

/** For tests and tools that need a logger but no output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
