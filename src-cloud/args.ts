import { defaultCloudDataDir } from './data-dir';
import type { DatabaseTarget } from './open-database';

/**
 * The command line: `--flag value` or `--flag=value`, in any order, after the command words.
 * Flags win over environment variables; COUNTERPAY_CLOUD_DATABASE_URL keeps a password out of
 * the process list.
 */
export interface ParsedArgs {
  words: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['port', 'host', 'database-url', 'data-dir', 'name', 'id']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (VALUE_FLAGS.has(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value.`);
      flags.set(name, value);
      i++;
    } else flags.set(name, true);
  }
  return { words, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | null {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : null;
}

/** --database-url / --data-dir and their environment variables. */
export function databaseTarget(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const databaseUrl = stringFlag(args, 'database-url') ?? env.COUNTERPAY_CLOUD_DATABASE_URL ?? null;
  const dataDir = stringFlag(args, 'data-dir') ?? defaultCloudDataDir(env);
  return { databaseUrl: databaseUrl || null, dataDir };
}

/** --port (0 = any free port; default 8790) and --host (default 127.0.0.1). */
export function listenOptions(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): { port: number; host: string } {
  const raw = stringFlag(args, 'port') ?? env.COUNTERPAY_CLOUD_PORT ?? '8790';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new Error(`--port must be 0-65535, not ${raw}.`);
  return { port, host: stringFlag(args, 'host') ?? env.COUNTERPAY_CLOUD_HOST ?? '127.0.0.1' };
}
