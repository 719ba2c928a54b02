import { z } from 'zod';
import type { AdminHandlers } from '../http/admin-routes';
import type { Db } from '../db';
import { prepareSessionRepo } from '../db/repos/session-repo';
import { buildPairingPayload, listDeviceHealth, listForwarders, registerForwarder, removeForwarder } from '../devices';
import { parseOrThrow } from '../errors';
import { lookupTxnid, pendingVerifications, type Decisions, type Matcher } from '../matching';
import type { SessionService } from '../sessions';
import { gatewayViews, updateGatewaySettings, type Shop } from '../shop';
import { importStaffSms, toSmsView, type SmsIngestor } from '../sms';
import type { StatusSnapshot } from '../../../src-shared/contract/admin';
import { writeTransaction } from '../db';
import { decisionResult, manualVerifyResult } from './verify-view';
import { anchorBalance } from '../balance';

export interface AdminHandlerDeps {
  db: Db;
  dataDir: string;
  shop: Shop;
  sms: SmsIngestor;
  sessions: SessionService;
  matcher: Matcher;
  decisions: Decisions;
  status: () => StatusSnapshot;
  devicePort: () => number;
  deviceHost: string;
  offlineAfterMs: number;
  clock: () => number;
}



const limitSchema = z.object({ limit: z.number().int().min(1).max(500).optional() }).passthrough();
const decideSchema = z.object({
  verification_id: z.number().int().positive(),
  result: z.enum(['success', 'failed']),
  failure_reason: z.string().max(500).optional(),
});

/** The counter UI's commands. Staff decisions are recorded with source `manual`. */
export function buildAdminHandlers(deps: AdminHandlerDeps): AdminHandlers {
  const { db, shop } = deps;
  const sessionRows = prepareSessionRepo(db);
  return {
    'status.get': () => deps.status(),
    'gateways.list': () => ({ gateways: gatewayViews(db, shop.merchantId) }),
    'gateways.update': (arg) =>
      updateGatewaySettings(db, { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff' }, arg),
    'sms.import': (arg) => importStaffSms(deps.sms, arg, 'staff'),
    'sms.recent': (arg) => {
      const { limit = 50 } = parseOrThrow(limitSchema, arg);
      return { sms: deps.sms.smsRepo.recent(shop.merchantId, limit).map((row) => toSmsView(row, deps.sms.smsRepo)) };
    },
    'sessions.recent': (arg) => {
      const { limit = 50 } = parseOrThrow(limitSchema, arg);
      const ids = db.prepare('SELECT id FROM sessions WHERE merchant_id = ? ORDER BY created_at DESC, id LIMIT ?').all(shop.merchantId, limit) as { id: string }[];
      return { sessions: ids.map(({ id }) => deps.sessions.view(sessionRows.byId(id) as NonNullable<ReturnType<typeof sessionRows.byId>>)) };
    },
    'verifications.list': () => ({ verifications: pendingVerifications(db, shop.merchantId) }),
    'verifications.decide': (arg) => {
      const input = parseOrThrow(decideSchema, arg);
      return decisionResult(
        deps.decisions.decide(input.verification_id, {
          result: input.result,
          source: 'manual',
          actor: 'staff',
          failureReason: input.failure_reason ?? null,
        }),
      );
    },
    'txnid.lookup': (arg) =>
      lookupTxnid({ merchantId: shop.merchantId, smsRepo: deps.sms.smsRepo, transactions: deps.sessions.transactions }, arg),
    'txnid.verify': (arg) => manualVerifyResult(deps.decisions.verify((arg as { txnid?: unknown }).txnid, 'staff')),
    'alerts.list': () => ({
      alerts: deps.matcher.alerts.open(shop.merchantId, 200).map((a) => ({
        id: a.id,
        kind: a.kind,
        message: a.message,
        session_id: a.session_id,
        transaction_id: a.transaction_id,
        sms_id: a.sms_id,
        created_at: new Date(a.created_at).toISOString(),
      })),
    }),
    'alerts.resolve': (arg) => {
      const { id } = parseOrThrow(z.object({ id: z.number().int().positive() }), arg);
      return { resolved: writeTransaction(db, () => deps.matcher.alerts.resolve(id, deps.clock())) };
    },
    'balance.anchor': (arg) =>
      anchorBalance(db, { merchantId: shop.merchantId, auditKey: shop.keys.audit_key, actor: 'staff', now: deps.clock() }, arg),
    'devices.list': () => ({ devices: listDeviceHealth(db, shop.merchantId, deps.clock(), deps.offlineAfterMs) }),
    'devices.pairing': () =>
      buildPairingPayload({ dataDir: deps.dataDir, devicePort: deps.devicePort(), deviceHost: deps.deviceHost }),
    'forwarders.register': (arg) => registerForwarder(db, deps.dataDir, arg, 'staff'),
    'forwarders.list': () => ({ forwarders: listForwarders(db, deps.dataDir) }),
    'forwarders.remove': (arg) => {
      const { device_id } = parseOrThrow(z.object({ device_id: z.string().min(1).max(128) }), arg);
      return { removed: removeForwarder(db, deps.dataDir, device_id, 'staff') };
    },
  };
}
