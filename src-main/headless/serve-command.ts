import { createCore, loadConfig, createLogger, type ConfigFlags } from '../core';
import type { ListenerName } from '../../src-shared/contract/api';
import { findRendererDir } from './renderer-dir';

const PARENT_POLL_MS = 1_000;
const DUPLICATE_SIGNAL_MS = 300;

/**
 * `npm run serve` puts npm and a shell above us; killing npm does not reach this process.
 * When the process that started us dies we are re-parented, and we stop as if told to,
 * rather than keep the shop's ports and database as an orphan.
 */
function watchParent(onOrphaned: () => void): void {
  const original = process.ppid;
  if (original <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid !== original) {
      clearInterval(timer);
      onOrphaned();
    }
  }, PARENT_POLL_MS);
  timer.unref();
}

/**
 * Runs the core until SIGINT/SIGTERM. The first signal drains and closes cleanly; a second
 * one exits at once (an operator who presses Ctrl-C twice means it).
 */
export interface ServeReady {
  urls: Record<ListenerName, string>;
  adminToken: string;
}

export async function serveCommand(flags: ConfigFlags, onReady?: (ready: ServeReady) => void): Promise<void> {
  const config = loadConfig(flags);
  const logs = createLogger({ dataDir: config.dataDir, ...config.log, console: 'stdout' });
  const logger = logs.logger;
  const core = createCore(config, { logger, rendererDir: findRendererDir() });

  let stoppingSince = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One kill of a process group (npm, a shell, `timeout`) delivers the signal to us more
    // than once within milliseconds; only a later one is a person insisting.
    if (stoppingSince > 0 && Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
    if (stoppingSince > 0) {
      process.stderr.write(`counterpay: second ${signal}, exiting now\n`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    core
      .stop()
      .then(() => logs.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  watchParent(() => onSignal('SIGTERM'));

  let urls;
  try {
    urls = await core.listen();
  } catch (err) {
    await core.stop();
    throw err;
  }
  process.stdout.write(`ready public=${urls.public} device=${urls.device} admin=${urls.admin}\n`);
  if (process.env.COUNTERPAY_PRINT_LOGIN_URL === '1') {
    // Only `npm start` asks for this: the person at the shop computer opens the counter with it.
    const local = urls.admin.replace('://0.0.0.0:', '://127.0.0.1:');
    process.stderr.write(`Open the counter: ${local}/#token=${core.shop.keys.admin_token}\n`);
  }
  onReady?.({ urls, adminToken: core.shop.keys.admin_token });
}
