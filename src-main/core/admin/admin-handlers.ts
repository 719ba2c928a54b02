import { z } from 'zod';
import type { AdminHandlers } from '../http';
import type { Db } from '../db';
import { buildPairingPayload, listDeviceHealth, listForwarders, registerForwarder, removeForwarder } from '../devices';
import { parseOrThrow } from '../errors';
import type { Payments } from '../payments';
import type { CanaryView, ModemStatusView } from '../../../src-shared/contract/modem';
import {
  addGatewayWithSettings,
  checkTunnel,
  dismissSetup,
  gatewayViews,
  normalisePublicUrl,
  renameShop,
  revealKeys,
  rotateShopKey,
  setupStatus,
  shopNameOf,
  updateGatewaySettings,
  type PublicAddress,
  type Shop,
  type TunnelProbes,
} from '../shop';
import { AppError } from '../errors';
import { importStaffSms, toSmsView, type SmsIngestor } from '../sms';
import type { StatusSnapshot } from '../../../src-shared/contract/admin';
import { decisionResult, manualVerifyResult } from './verify-view';
import { anchorChain, missingSms } from '../balance';
import { readSyncSettings, removeSyncSettings, writeSyncSettings } from '../sync';
import type { SyncStatusView } from '../../../src-shared/contract/sync';
import { listDeliveries, resendDelivery, setWebhookUrl, webhookSettings } from '../webhooks';
import { Reports } from '../reports';
import { cashierActor } from '../audit';
import { PaymentScreens } from './payment-screens';

export interface AdminHandlerDeps {
  db: Db;
  dataDir: string;
  shop: Shop;
  sms: SmsIngestor;
  payments: Payments;
  /** The GSM modems' readers (their status only). */
  modems: { status(): ModemStatusView[]; startCanary(to: unknown): CanaryView; canaryStatus(): CanaryView | null };
  status: () => StatusSnapshot;
  /** Brand webhooks: whether private receivers are allowed, and a nudge to the worker after a resend. */
  webhooks: { allowPrivate: boolean; kick(): void };
  /** Cloud sync: its status, and a fresh start after the settings change. */
  sync: { status(): SyncStatusView; resume(): void };
  /** The tunnel's public address (config's, else the counter's) and the probes its check sends. */
  tunnel: { address: PublicAddress; probes: TunnelProbes; localUrl: () => string };
  devicePort: () => number;
  deviceHost: string;
  offlineAfterMs: number;
  clock: () => number;
  /** The shop's day for reports: config devices.utcOffsetMinutes, else this computer's time zone. */
  utcOffsetMinutes?: number;
}

const limitSchema = z.object({ limit: z.number().int().min(1).max(500).optional() }).passthrough();
const decideSchema = z.object({
  verification_id: z.number().int().positive(),
  result: z.enum(['success', 'failed']),
  failure_reason: z.string().max(500).optional(),
});

/** A command's argument as an object of unknown fields (each operation validates its own). */
function objectArg(arg: unknown): Record<string, unknown> {
  return typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : {};
}

/** The counter UI's commands. Staff decisions are recorded with source `manual`. */
export function buildAdminHandlers(deps: AdminHandlerDeps): AdminHandlers {
  const { db, shop } = deps;
  const staffActor = () => ({ brandId: shop.brandId, merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff' });
  const shopView = () => ({ name: shopNameOf(db, shop.merchantId) ?? '' });
  const reports = new Reports({
    db,
    merchantId: shop.merchantId,
    auditKey: shop.keys.audit_key,
    utcOffsetMinutes: deps.utcOffsetMinutes,
    clock: deps.clock,
  });
  const screens = new PaymentScreens({
    payments: deps.payments,
    sms: deps.sms,
    merchantId: shop.merchantId,
    utcOffsetMinutes: deps.utcOffsetMinutes,
  });
  const setupView = () =>
    setupStatus(db, shop.merchantId, {
      phoneOrModem:
        listDeviceHealth(db, shop.merchantId, deps.clock(), deps.offlineAfterMs).some((d) => d.last_seen_at !== null) ||
        deps.modems.status().some((m) => m.state === 'ready'),
      publicAddress: deps.tunnel.address.url() !== null,
    });
  return {
    'status.get': () => deps.status(),
    'gateways.list': () => ({ gateways: gatewayViews(db, shop.merchantId) }),
    'gateways.update': (arg) =>
      updateGatewaySettings(db, { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff' }, arg),
    'gateways.add': (arg) => addGatewayWithSettings(db, staffActor(), arg),
    'shop.get': () => shopView(),
    'shop.rename': (arg) => {
      renameShop(db, staffActor(), objectArg(arg).name);
      return shopView();
    },
    'keys.reveal': () => ({ keys: revealKeys(db, deps.dataDir, shop.merchantId, deps.clock()) }),
    'keys.rotate': (arg) => rotateShopKey(db, deps.dataDir, shop, arg, 'staff'),
    'tunnel.get': () => deps.tunnel.address.view(deps.tunnel.localUrl()),
    'tunnel.set': (arg) => {
      deps.tunnel.address.set(staffActor(), objectArg(arg).url);
      return deps.tunnel.address.view(deps.tunnel.localUrl());
    },
    'tunnel.check': (arg) => {
      const given = objectArg(arg).url;
      const url = given === undefined || given === '' ? deps.tunnel.address.url() : normalisePublicUrl(given);
      if (!url)
        throw new AppError('validation_failed', "url: no public address is set yet; type the tunnel's address to check it", {
          hints: { field: 'url' },
        });
      return checkTunnel(url, deps.tunnel.probes, deps.clock);
    },
    'setup.status': () => setupView(),
    'setup.dismiss': (arg) => {
      dismissSetup(db, shop.merchantId, arg, deps.clock());
      return setupView();
    },
    'sms.import': (arg) => importStaffSms(deps.sms, arg, 'staff'),
    'sms.recent': (arg) => {
      const { limit = 50 } = parseOrThrow(limitSchema, arg);
      return {
        sms: deps.sms.smsRepo
          .recent(shop.merchantId, limit)
          .map((row) => ({ ...toSmsView(row, deps.sms.smsRepo), credit_check: deps.payments.creditCheck(row) })),
      };
    },
    'sessions.recent': (arg) => {
      const { limit = 50 } = parseOrThrow(limitSchema, arg);
      return { sessions: deps.payments.recentSessions(limit) };
    },
    'verifications.list': () => ({ verifications: deps.payments.pendingVerifications() }),
    'verifications.decide': (arg) => {
      const input = parseOrThrow(decideSchema, arg);
      const actor = cashierActor(objectArg(arg).cashier);
      return decisionResult(
        deps.payments.decide(input.verification_id, {
          result: input.result,
          source: 'manual',
          actor,
          failureReason: input.failure_reason ?? null,
        }),
      );
    },
    'txnid.lookup': (arg) => deps.payments.check(objectArg(arg)),
    'txnid.accept': (arg) => deps.payments.accept(objectArg(arg), cashierActor(objectArg(arg).cashier)),
    'txnid.verify': (arg) => manualVerifyResult(deps.payments.verify(objectArg(arg).txnid, 'staff')),
    'alerts.list': () => ({ alerts: deps.payments.openAlerts() }),
    'alerts.resolve': (arg) => {
      const { id } = parseOrThrow(z.object({ id: z.number().int().positive() }), arg);
      return { resolved: deps.payments.resolveAlert(id) };
    },
    'balance.anchor': (arg) => {
      const outcome = anchorChain(
        db,
        { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff', now: deps.clock() },
        arg,
      );
      // SMS the new anchor made trusted may now pay the attempts held on them.
      deps.payments.onBalanceRelinked(outcome.relinked);
      return { anchored: true, provider: outcome.provider, account: outcome.account, balance: outcome.balance };
    },
    'balance.missing': () => ({ missing: missingSms(db, shop.merchantId) }),
    'devices.list': () => ({ devices: listDeviceHealth(db, shop.merchantId, deps.clock(), deps.offlineAfterMs) }),
    'modems.list': () => ({ modems: deps.modems.status() }),
    'modems.canary': (arg) => ({ canary: deps.modems.startCanary((arg as { to?: unknown } | null)?.to) }),
    'modems.canaryStatus': () => ({ canary: deps.modems.canaryStatus() }),
    'devices.pairing': () => buildPairingPayload({ dataDir: deps.dataDir, devicePort: deps.devicePort(), deviceHost: deps.deviceHost }),
    'forwarders.register': (arg) => registerForwarder(db, deps.dataDir, arg, 'staff'),
    'forwarders.list': () => ({ forwarders: listForwarders(db, deps.dataDir) }),
    'forwarders.remove': (arg) => {
      const { device_id } = parseOrThrow(z.object({ device_id: z.string().min(1).max(128) }), arg);
      return { removed: removeForwarder(db, deps.dataDir, device_id, 'staff') };
    },
    'sync.status': () => deps.sync.status(),
    'sync.set': (arg) => {
      const { url, token } = objectArg(arg);
      if (url === null || url === '') removeSyncSettings(deps.dataDir);
      else writeSyncSettings(deps.dataDir, { url, token: token ?? readSyncSettings(deps.dataDir)?.token });
      deps.sync.resume();
      return deps.sync.status();
    },
    'webhooks.get': () => webhookSettings(db, shop.brandId, deps.webhooks.allowPrivate),
    'webhooks.set': (arg) =>
      setWebhookUrl(db, staffActor(), objectArg(arg) as { url: unknown; test?: unknown }, deps.webhooks.allowPrivate, deps.clock()),
    'webhooks.deliveries': (arg) => ({ deliveries: listDeliveries(db, shop.merchantId, objectArg(arg)) }),
    'webhooks.resend': (arg) => {
      const delivery = resendDelivery(db, staffActor(), objectArg(arg).id, deps.clock());
      deps.webhooks.kick();
      return { delivery };
    },
    'reports.day': (arg) => reports.day(arg),
    'reports.csv': (arg) => reports.csv(arg),
    'reports.closeShift': (arg) => reports.closeShift(arg),
    'payments.search': (arg) => screens.search(arg),
    'payments.detail': (arg) => screens.detail(arg),
    'sms.list': (arg) => screens.list(arg),
  };
}
