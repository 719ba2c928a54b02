/**
 * The cloud's entry (`npm run cloud -- …`), its own process with no electron and no SQLite:
 *
 *   cloud [--port N] [--host H] [--database-url postgres://…] [--data-dir DIR]
 *       serves; prints exactly `ready cloud=<url>` on stdout once listening
 *   cloud shop add --name NAME [--json]          → {"shop_id","sync_token"} (the token is shown once)
 *   cloud shop list [--json]
 *   cloud shop reset-stream --id ID              lets a restored or replaced counter sync again
 *
 * The shop commands take the same --database-url / --data-dir as the server, with or without it
 * running. Logs are JSON lines on stderr. docs/sync.md describes the protocol.
 */
import { databaseTarget, listenOptions, parseArgs, stringFlag, type ParsedArgs } from './args';
import { stderrLog, describeError } from './log';
import { startCloud } from './server';
import { runShopOp } from './shop-commands';
import type { ShopSummary } from './shops';

const USAGE = `usage:
  npm run cloud -- [--port N] [--host H] [--database-url postgres://…] [--data-dir DIR]
  npm run --silent cloud -- shop add --name NAME [--json] [--database-url …|--data-dir …]
  npm run --silent cloud -- shop list [--json] [--database-url …|--data-dir …]
  npm run --silent cloud -- shop reset-stream --id ID [--database-url …|--data-dir …]`;

class UsageError extends Error {}

async function serve(args: ParsedArgs): Promise<void> {
  const log = stderrLog();
  const { port, host } = listenOptions(args);
  const cloud = await startCloud({ target: databaseTarget(args), port, host, log });
  process.stdout.write(`ready cloud=${cloud.url}\n`);
  log('info', 'cloud listening', { url: cloud.url, database: cloud.kind });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    log('info', 'stopping', { signal });
    cloud.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log('error', 'stop failed', describeError(err));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function shop(args: ParsedArgs): Promise<void> {
  const json = args.flags.get('json') === true;
  const target = databaseTarget(args);
  const sub = args.words[1];
  if (sub === 'add') {
    const name = stringFlag(args, 'name')?.trim();
    if (!name) throw new UsageError('shop add needs --name NAME.');
    const made = (await runShopOp(target, { kind: 'add', name })) as { shop_id: string; sync_token: string };
    process.stdout.write(json ? `${JSON.stringify(made)}\n` : `shop ${made.shop_id}\nsync token (shown once): ${made.sync_token}\n`);
  } else if (sub === 'list') {
    const shops = (await runShopOp(target, { kind: 'list' })) as ShopSummary[];
    if (json) process.stdout.write(`${JSON.stringify(shops)}\n`);
    else
      for (const s of shops) {
        process.stdout.write(`${s.shop_id}  ${s.name}  cursor=${s.cursor}  last_batch_at=${s.last_batch_at ?? 'never'}\n`);
      }
  } else if (sub === 'reset-stream') {
    const id = stringFlag(args, 'id');
    if (!id) throw new UsageError('shop reset-stream needs --id ID.');
    await runShopOp(target, { kind: 'reset', id });
    process.stdout.write(
      json ? `${JSON.stringify({ ok: true, shop_id: id })}\n` : `stream reset for ${id}: its next batch starts a new stream\n`,
    );
  } else {
    throw new UsageError(`Unknown shop command ${sub ?? '(none)'}.`);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  const [command] = args.words;
  if (args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === undefined || command === 'serve') return serve(args);
  if (command === 'shop') return shop(args);
  throw new UsageError(`Unknown command ${command}.`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError;
  process.stderr.write(`cloud: ${err instanceof Error ? err.message : String(err)}${usage ? `\n${USAGE}` : ''}\n`);
  process.exit(usage ? 2 : 1);
});
