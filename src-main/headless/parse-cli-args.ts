import { parseArgs } from 'node:util';
import type { ConfigFlags } from '../core/config';
import { AppError } from '../core/errors';

export interface CliArgs {
  command: string[];
  flags: ConfigFlags;
  json: boolean;
  options: {
    provider?: string;
    account?: string;
    variant?: string;
    label?: string;
    kind?: string;
    auth?: string;
    id?: string;
    senders?: string;
    smsc?: string;
    balanceCheck?: string;
    enabled?: string;
    name?: string;
    balance?: string;
    url?: string;
    token?: string;
    test?: boolean;
  };
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  'public-port': { type: 'string' },
  'device-port': { type: 'string' },
  'admin-port': { type: 'string' },
  'device-host': { type: 'string' },
  'admin-host': { type: 'string' },
  'log-level': { type: 'string' },
  modem: { type: 'string', multiple: true },
  'public-url': { type: 'string' },
  'allow-private-webhooks': { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
  test: { type: 'boolean' },
  json: { type: 'boolean' },
  provider: { type: 'string' },
  account: { type: 'string' },
  variant: { type: 'string' },
  label: { type: 'string' },
  kind: { type: 'string' },
  auth: { type: 'string' },
  id: { type: 'string' },
  senders: { type: 'string' },
  smsc: { type: 'string' },
  'balance-check': { type: 'string' },
  enabled: { type: 'string' },
  name: { type: 'string' },
  balance: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new AppError('validation_failed', `--${flag} must be a port number 0-65535 (0 = any free port), got "${value}"`);
  }
  return Number(value);
}

/** Flags may come in any order, before or after the command words. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new AppError('validation_failed', (err as Error).message);
  }
  const v = parsed.values;
  const command = v.help ? ['help'] : parsed.positionals;
  return {
    command: command.length > 0 ? command : ['help'],
    json: v.json === true,
    flags: {
      dataDir: v['data-dir'],
      publicPort: port(v['public-port'], 'public-port'),
      devicePort: port(v['device-port'], 'device-port'),
      adminPort: port(v['admin-port'], 'admin-port'),
      deviceHost: v['device-host'],
      adminHost: v['admin-host'],
      logLevel: v['log-level'],
      modems: v.modem,
      publicUrl: v['public-url'],
      allowPrivateWebhooks: v['allow-private-webhooks'],
    },
    options: {
      provider: v.provider,
      account: v.account,
      variant: v.variant,
      label: v.label,
      kind: v.kind,
      auth: v.auth,
      id: v.id,
      senders: v.senders,
      smsc: v.smsc,
      balanceCheck: v['balance-check'],
      enabled: v.enabled,
      name: v.name,
      balance: v.balance,
      url: v.url,
      token: v.token,
      test: v.test,
    },
  };
}

export const USAGE = `CounterPay — confirms wallet payments from the shop's own SMS.

Usage:
  counterpay serve [--data-dir DIR] [--public-port N] [--device-port N] [--admin-port N] [--modem PATH]...
                   [--device-host HOST] [--admin-host HOST] [--log-level LEVEL]
                   [--public-url https://pay.example.com] [--allow-private-webhooks]
      Start the core; prints "ready public=<url> device=<url> admin=<url>" when listening.
      --public-url: the tunnel's address, used in checkout links (docs/tunnel.md).
      --allow-private-webhooks: webhook URLs may reach loopback and LAN addresses.
  counterpay keys [--json]                     Show this shop's keys (created on first use).
  counterpay keys rotate <kind|all> [--json]   Replace a key: api_key, secret_key, device_auth_key,
                                               test_api_key, test_secret_key, admin_token, or all.
  counterpay gateway add --provider P --account "ID[,ID...]" [--variant V] [--label TEXT]
      [--senders "ID,ID"] [--balance-check review|warn|off]
  counterpay gateway update --id N [--senders "ID,ID"] [--balance-check review|warn|off]
                    [--enabled true|false] [--label TEXT] [--account "ID[,ID...]"]
  counterpay gateway list
  counterpay balance anchor --provider P --balance 1500.50 [--account XX6788]
                                               State a wallet's real balance; the balance check continues from it.
  counterpay shop rename --name "Rahim Store"    The name customers see on the checkout page.
  counterpay audit verify                      Check the staff decision log's hash chain.
  counterpay forwarder add --kind capcom6|generic --label TEXT [--auth hmac|token|timestamp_sign]
                                               Register a forwarder app; prints its webhook path and secret once.
  counterpay forwarder list | forwarder remove <device_id>
  counterpay webhook set --url URL [--test]     Where session events are POSTed (live, or test sessions with --test).
  counterpay webhook remove [--test]           Stop sending the mode's events to the brand URL.
  counterpay webhook list                      The URLs and the delivery backlog (JSON).
  counterpay webhook deliveries [--json]       Recent deliveries with their attempts.
  counterpay webhook resend --id N             Send a delivery again now (same event id, fresh signature).
  counterpay sync set --url URL --token TOKEN     Send this shop's sessions to the merchant's cloud (docs/sync.md).
  counterpay sync status                       Cursor, backlog, last success and last error (JSON).
  counterpay sync remove                       Stop syncing (events keep waiting).
  counterpay sync reseed                       A new stream from 1 with every session's current state (a cloud that lost events).
  counterpay sms parse < messages.jsonl        Parse JSON lines {"sender","body"}; one JSON parse per line.

Every command takes --data-dir DIR (default: the OS's per-user app data folder, or COUNTERPAY_DATA_DIR).
Ports: 0 means any free port. Environment: COUNTERPAY_DATA_DIR, COUNTERPAY_PUBLIC_PORT,
COUNTERPAY_DEVICE_PORT, COUNTERPAY_ADMIN_PORT, COUNTERPAY_DEVICE_HOST, COUNTERPAY_ADMIN_HOST,
COUNTERPAY_LOG_LEVEL.
`;
