import { loadConfig } from '../core/config';
import { closeDatabase, openDatabase } from '../core/db';
import { AppError } from '../core/errors';
import { createLogger } from '../core/logging';
import { verifyAudit } from '../core/audit';
import { KEY_KINDS, isKeyKind, type KeyKind } from '../core/secrets';
import { addGateway, ensureShop, gatewayViews, hasShop, renameShop, rotateKeys, updateGatewaySettings, type Shop } from '../core/shop';
import type { CliArgs } from './parse-cli-args';
import { anchorBalance } from '../core/balance';
import { listForwarders, registerForwarder, removeForwarder } from '../core/devices';
import type { RegisterForwarderInput } from '../../src-shared/contract/devices';
import { SyncWorker, removeSyncSettings, writeSyncSettings } from '../core/sync';
import { Payments } from '../core/payments';
import { SmsIngestor } from '../core/sms';
import { APP_VERSION } from '../../src-shared/version';
import { listDeliveries, resendDelivery, setWebhookUrl, webhookSettings } from '../core/webhooks';
import type { WebhookDeliveryView } from '../../src-shared/contract/webhooks';

function gatewaySettings(args: CliArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { senders, balanceCheck, enabled, smsc } = args.options;
  if (smsc !== undefined)
    out.expected_smsc = smsc
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  if (senders !== undefined)
    out.extra_sender_ids = senders
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  if (balanceCheck !== undefined) out.balance_check = balanceCheck;
  if (enabled !== undefined) {
    if (enabled !== 'true' && enabled !== 'false') throw new AppError('validation_failed', '--enabled takes true or false');
    out.enabled = enabled === 'true';
  }
  return out;
}

/** A fresh data dir gets its shop first; an existing one is rotated without reading keys.json. */
function ensureShopExists(db: Parameters<typeof ensureShop>[0], dataDir: string): void {
  if (!hasShop(db)) ensureShop(db, dataDir);
}

function printDeliveries(deliveries: WebhookDeliveryView[]): void {
  if (deliveries.length === 0) process.stdout.write('no webhook deliveries yet\n');
  for (const d of deliveries) {
    const last = d.recent_attempts[0];
    const lastText = last ? `${last.http_status ?? '-'} ${last.latency_ms} ms${last.error ? ` (${last.error})` : ''}` : 'not tried yet';
    process.stdout.write(
      `#${d.id} ${d.status.padEnd(9)} ${d.event.padEnd(20)} ${d.order_id ?? '-'} → ${d.url}  attempts ${d.attempts}, last ${lastText}\n`,
    );
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function keysOutput(shop: Shop): Record<KeyKind, string> {
  const out = {} as Record<KeyKind, string>;
  for (const kind of KEY_KINDS) out[kind] = shop.keys[kind];
  return out;
}

function printKeys(shop: Shop, json: boolean): void {
  const keys = keysOutput(shop);
  if (json) return printJson(keys);
  for (const kind of KEY_KINDS) process.stdout.write(`${kind.padEnd(16)} ${keys[kind]}\n`);
}

/** Commands that open the data dir, do one thing and exit. Safe while a server runs on the same dir. */
export async function runToolCommand(args: CliArgs): Promise<number> {
  const config = loadConfig(args.flags);
  const logs = createLogger({ dataDir: config.dataDir, ...config.log, level: 'warn', console: 'stderr' });
  const db = openDatabase(config.dataDir);
  try {
    const [group, verb, target] = args.command;
    const actor = 'cli';
    // Rotation is how a lost keys.json is recovered, so it must not need a readable one.
    if (group === 'keys' && verb === 'rotate') {
      const kinds: KeyKind[] = target === 'all' ? [...KEY_KINDS] : isKeyKind(target) ? [target] : [];
      if (kinds.length === 0) {
        throw new AppError('validation_failed', `keys rotate needs one of: ${KEY_KINDS.join(', ')}, all`);
      }
      ensureShopExists(db, config.dataDir);
      printKeys(rotateKeys(db, config.dataDir, kinds, actor), args.json);
      return 0;
    }
    const shop = ensureShop(db, config.dataDir);
    if (group === 'keys' && verb === undefined) {
      printKeys(shop, args.json);
      return 0;
    }
    if (group === 'gateway' && verb === 'add') {
      const { provider, account, variant, label } = args.options;
      const input = Object.fromEntries(Object.entries({ provider, account, variant, label }).filter(([, v]) => v !== undefined));
      const ctx = { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor };
      const settings = gatewaySettings(args);
      const added = addGateway(db, ctx, input);
      printJson(Object.keys(settings).length > 0 ? updateGatewaySettings(db, ctx, { id: added.id, ...settings }) : added);
      return 0;
    }
    if (group === 'gateway' && verb === 'update') {
      const id = Number(args.options.id);
      if (!Number.isInteger(id) || id <= 0) throw new AppError('validation_failed', 'gateway update needs --id N (see gateway list)');
      const { label, account } = args.options;
      const extra = Object.fromEntries(Object.entries({ label, account }).filter(([, v]) => v !== undefined));
      printJson(
        updateGatewaySettings(
          db,
          { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor },
          { id, ...gatewaySettings(args), ...extra },
        ),
      );
      return 0;
    }
    if (group === 'gateway' && verb === 'list') {
      printJson(gatewayViews(db, shop.merchantId));
      return 0;
    }
    if (group === 'forwarder' && verb === 'add') {
      const { kind, label, auth } = args.options;
      const input = Object.fromEntries(Object.entries({ kind, label, auth }).filter(([, v]) => v !== undefined));
      printJson(registerForwarder(db, config.dataDir, input as unknown as RegisterForwarderInput, actor));
      return 0;
    }
    if (group === 'forwarder' && verb === 'list') {
      printJson(listForwarders(db, config.dataDir));
      return 0;
    }
    if (group === 'forwarder' && verb === 'remove' && target) {
      const removed = removeForwarder(db, config.dataDir, target, actor);
      if (!removed) throw new AppError('not_found', `no forwarder ${target}`);
      printJson({ removed });
      return 0;
    }
    if (group === 'balance' && verb === 'anchor') {
      const { provider, balance, account } = args.options;
      const input = Object.fromEntries(Object.entries({ provider, balance, account }).filter(([, v]) => v !== undefined));
      printJson(anchorBalance(db, { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor, now: Date.now() }, input));
      return 0;
    }
    if (group === 'shop' && verb === 'rename') {
      printJson(renameShop(db, { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor }, args.options.name));
      return 0;
    }
    if (group === 'sync') {
      // Not started: only its status and settings are used here; the running server sends.
      const worker = new SyncWorker({
        db,
        dataDir: config.dataDir,
        merchantId: shop.merchantId,
        logger: logs.logger,
        clock: Date.now,
        version: APP_VERSION,
        config: config.sync,
      });
      if (verb === 'set') {
        writeSyncSettings(config.dataDir, { url: args.options.url, token: args.options.token });
        worker.resetBackoff();
        printJson(worker.status());
        return 0;
      }
      if (verb === 'remove') {
        printJson({ removed: removeSyncSettings(config.dataDir) });
        return 0;
      }
      if (verb === 'status') {
        printJson(worker.status());
        return 0;
      }
      if (verb === 'reseed') {
        const payments = new Payments({
          db,
          logger: logs.logger,
          merchantId: shop.merchantId,
          auditKey: shop.keys.audit_key,
          config,
          clock: Date.now,
          sms: new SmsIngestor(db, shop.merchantId, logs.logger, Date.now).smsRepo,
          defaultCurrency: 'BDT',
          onSessionChange: () => undefined,
          onVerificationsChange: () => undefined,
        });
        printJson({ ...worker.reseed(() => payments.queueAllForSync()), status: worker.status() });
        return 0;
      }
    }
    if (group === 'webhook') {
      const who = { brandId: shop.brandId, merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor };
      const allowPrivate = config.webhooks.allowPrivate;
      if (verb === 'set') {
        if (!args.options.url) throw new AppError('validation_failed', 'webhook set needs --url URL (and --test for test sessions)');
        printJson(await setWebhookUrl(db, who, { url: args.options.url, test: args.options.test === true }, allowPrivate, Date.now()));
        return 0;
      }
      if (verb === 'remove') {
        printJson(await setWebhookUrl(db, who, { url: null, test: args.options.test === true }, allowPrivate, Date.now()));
        return 0;
      }
      if (verb === 'list') {
        printJson(webhookSettings(db, shop.brandId, allowPrivate));
        return 0;
      }
      if (verb === 'deliveries') {
        const deliveries = listDeliveries(db, shop.merchantId, { limit: 50 });
        if (args.json) printJson({ deliveries });
        else printDeliveries(deliveries);
        return 0;
      }
      if (verb === 'resend') {
        const id = Number(args.options.id);
        // The running server picks it up within a second (it polls for due deliveries).
        printJson({ delivery: resendDelivery(db, who, id, Date.now()) });
        return 0;
      }
    }
    if (group === 'audit' && verb === 'verify') {
      const verdict = verifyAudit(db, shop.keys.audit_key);
      if (args.json) printJson(verdict);
      else if (verdict.ok) process.stdout.write(`audit log OK: ${verdict.rows} rows verified\n`);
      else process.stdout.write(`audit log BROKEN at row ${verdict.firstBadSeq}: ${verdict.problem}\n`);
      return verdict.ok ? 0 : 3;
    }
    throw new AppError('validation_failed', `unknown command "${args.command.join(' ')}"; try "help"`);
  } finally {
    closeDatabase(db);
    await logs.close();
  }
}
