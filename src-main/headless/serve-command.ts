import { createCore, loadConfig, createLogger, type ConfigFlags } from '../core';
import { findRendererDir } from './renderer-dir';

/**
 * Runs the core until SIGINT/SIGTERM. The first signal drains and closes cleanly; a second
 * one exits at once (an operator who presses Ctrl-C twice means it).
 */
export async function serveCommand(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  const logs = createLogger({ dataDir: config.dataDir, ...config.log, console: 'stdout' });
  const logger = logs.logger;
  const core = createCore(config, { logger, rendererDir: findRendererDir() });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`counterpay: second ${signal}, exiting now\n`);
      process.exit(130);
    }
    stopping = true;
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

  let urls;
  try {
    urls = await core.listen();
  } catch (err) {
    await core.stop();
    throw err;
  }
  process.stdout.write(`ready public=${urls.public} device=${urls.device} admin=${urls.admin}\n`);
}
