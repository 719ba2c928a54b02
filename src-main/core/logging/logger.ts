import path from 'node:path';
import { pino, type Logger, type DestinationStream, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { ensurePrivateDir, ensurePrivateFile, LOG_DIR_NAME, PRIVATE_FILE_MODE, tightenFilesIn } from '../files';

const LOG_FILE_NAME = 'counterpay.log';

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
  // Logs name customers' phones and the shop's business: the user's eyes only.
  ensurePrivateDir(options.dataDir);
  const logDir = path.join(options.dataDir, LOG_DIR_NAME);
  ensurePrivateDir(logDir);
  tightenFilesIn(logDir);
  // rotating-file-stream opens the log later and writes its history file without a mode:
  // created here first, both are 0600 from the start (rotation renames, keeping the mode).
  ensurePrivateFile(path.join(logDir, LOG_FILE_NAME));
  ensurePrivateFile(path.join(logDir, `${LOG_FILE_NAME}.txt`));
  const file: RotatingFileStream = createStream(LOG_FILE_NAME, {
    path: logDir,
    mode: PRIVATE_FILE_MODE,
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
    logFile: path.join(logDir, LOG_FILE_NAME),
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
