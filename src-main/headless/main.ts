import { AppError } from '../core/errors';
import { parseCliArgs, USAGE } from './parse-cli-args';
import { ensureRendererBuilt } from './ensure-renderer';
import { serveCommand } from './serve-command';
import { smsParseCommand } from './sms-parse-command';
import { runToolCommand } from './tool-commands';

/** The headless shell: `serve` runs the core; the other commands act on a data dir and exit. */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  const [command] = args.command;
  if (command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'serve') {
    await ensureRendererBuilt();
    await serveCommand(args.flags);
    return -1;
  }
  // Pure: needs no data dir, so it works on a machine that has never run CounterPay.
  if (command === 'sms' && args.command[1] === 'parse') return smsParseCommand();
  return runToolCommand(args);
}

function describe(err: unknown): string {
  if (err instanceof AppError) return err.message;
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return `${err.code}: ${err.message}`;
  return 'unexpected failure';
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`counterpay: ${describe(err)}\n`);
    if (process.env.COUNTERPAY_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(err instanceof AppError && err.code === 'validation_failed' ? 2 : 1);
  },
);
