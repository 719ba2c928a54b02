import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { addGateway } from '../../../src-main/core/shop';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

/**
 * One in-process CounterPay core for payment tests: a real SQLite file in a temp data dir,
 * the three listeners on 127.0.0.1 with OS-chosen ports, an injectable clock, a bKash and a
 * UPI gateway, and small HTTP helpers for the merchant API, the checkout and the admin RPC.
 */

export const BKASH_ACCOUNT = '01711111111';
export const UPI_ACCOUNT = 'XX6788';
export const CUSTOMER_PHONE = '01712345678';
const HOUR = 3_600_000;

export interface StartOptions {
  /** Extra config.json content (merged over the test defaults). */
  config?: Record<string, unknown>;
  /** Gateways to add; default bKash 01711111111 and UPI XX6788. */
  gateways?: { provider: string; account: string }[];
}

/** A create-session body; loosely typed so tests can send invalid fields. */
export type SessionBody = Record<string, unknown>;

export interface SessionView {
  id: string;
  order_id: string;
  amount: string;
  currency: string;
  status: string;
  expires_at: string;
  created_at: string;
  successful_transaction: { txnid_submitted: string; verified_at: string | null; result_source: string | null } | null;
  latest_transaction: {
    txnid_submitted: string;
    method: string;
    variant: string | null;
    account_number: string | null;
    sender_account: string | null;
    amount: string | null;
    status: string;
    result_source: string | null;
    failure_reason: string | null;
    verified_at: string | null;
  } | null;
  test: boolean;
}

export interface Verification {
  verification_id: number;
  txnid_submitted: string;
  amount: string | null;
  session_id: string | null;
  review_reasons: { code: string; message: string }[];
}

let orderCounter = 0;
let ipCounter = 0;

/** A unique order id per call. */
export function orderId(prefix = 'ORD'): string {
  orderCounter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${orderCounter}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const used = new Set<string>();

/** A fresh bKash TrxID: 10 uppercase alphanumerics, never repeated in this worker. */
export function bkashTxnid(): string {
  for (;;) {
    let id = 'B';
    for (let i = 0; i < 9; i += 1) id += ALNUM[Math.floor(Math.random() * ALNUM.length)];
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/** A fresh 12-digit UPI reference. */
export function upiRef(): string {
  for (;;) {
    let id = String(1 + Math.floor(Math.random() * 9));
    for (let i = 0; i < 11; i += 1) id += String(Math.floor(Math.random() * 10));
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/** A distinct customer IP per call (the core trusts 127.0.0.1 as the tunnel). */
export function customerIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** 150050 → "1,500.50" as bKash prints it. */
export function taka(minor: number): string {
  const whole = Math.floor(minor / 100);
  const cents = String(minor % 100).padStart(2, '0');
  return `${whole.toLocaleString('en-US')}.${cents}`;
}

export function bkashCreditBody(o: { txnid: string; amountMinor: number; from?: string; balanceMinor: number }): string {
  return (
    `You have received Tk ${taka(o.amountMinor)} from ${o.from ?? CUSTOMER_PHONE}. Ref 123. Fee Tk 0.00. ` +
    `Balance Tk ${taka(o.balanceMinor)}. TrxID ${o.txnid} at 12/05/2026 11:25`
  );
}

export function upiCreditBody(o: { ref: string; amount: string; account?: string }): string {
  return `Credit Alert!\nRs.${o.amount} credited to HDFC Bank A/c ${o.account ?? 'XX9400'} on 09-06-26 from VPA payer.one@okicici (UPI ${o.ref})`;
}

export interface PayCore {
  core: Core;
  dir: string;
  urls: { public: string; device: string; admin: string };
  keys: { live: string; test: string; admin: string; device: string };
  gateways: Record<string, number>;
  /** The core's clock: real time plus an offset the test moves forward. */
  now(): number;
  advance(ms: number): void;
  advanceHours(h: number): void;
  createSession(body: SessionBody, opts?: { key?: string | null; headers?: Record<string, string> }): Promise<HttpResult>;
  /** Creates a session (201 asserted) and returns its id. */
  newSession(body?: Partial<SessionBody>, opts?: { key?: string }): Promise<string>;
  getSession(id: string, key?: string): Promise<HttpResult>;
  view(id: string, key?: string): Promise<SessionView>;
  cancel(id: string, opts?: { key?: string; headers?: Record<string, string> }): Promise<HttpResult>;
  submit(id: string, body: Record<string, unknown>, opts?: { ip?: string; form?: boolean }): Promise<HttpResult>;
  rpc(name: string, arg?: unknown, token?: string): Promise<HttpResult>;
  /** Staff paste of a live SMS through the admin listener; returns the stored SMS view. */
  importSms(sender: string, body: string, receivedAt?: string): Promise<Record<string, unknown>>;
  /** A live SMS forwarded by the bound APK over the device listener. */
  apkSms(sender: string, body: string, receivedAt?: string): Promise<HttpResult>;
  /** Test mode: POST /api/test/sms with the test key. */
  testSms(sender: string, body: string, key?: string): Promise<HttpResult>;
  /**
   * A live bKash credit whose balance follows the previous one (so the balance rule holds),
   * pasted by staff. Returns the body.
   */
  bkashCredit(o: {
    txnid: string;
    amount?: string;
    from?: string;
    balanceMinor?: number;
    via?: 'staff' | 'apk';
    receivedAt?: string;
  }): Promise<string>;
  verifications(): Promise<Verification[]>;
  decide(verificationId: number, result: 'success' | 'failed', failureReason?: string): Promise<HttpResult>;
  alerts(): Promise<
    { id: number; kind: string; message: string; session_id: string | null; transaction_id: number | null; sms_id: number | null }[]
  >;
  /** A read-only second connection to the real database file. */
  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
}

function minorOf(amount: string): number {
  const [w, f = ''] = amount.split('.');
  return Number(w) * 100 + Number((f + '00').slice(0, 2));
}

export async function startPayCore(options: StartOptions = {}): Promise<PayCore> {
  const dir = makeTempDir('counterpay-payments-');
  const config = {
    http: { trustedProxies: ['127.0.0.1'] },
    // Many sessions per test file: the create limit is exercised elsewhere.
    rateLimits: { sessionCreate: { limit: 100_000, windowMs: 60_000 } },
    // The sweep runs when a test says so, never behind its back.
    matching: { sweepIntervalSeconds: 3600 },
    ...(options.config ?? {}),
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  let offset = 0;
  const clock = () => Date.now() + offset;
  const core = createCore(
    loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1', logLevel: 'silent' }, {}),
    { logger: silentLogger(), rendererDir: null, clock },
  );
  const urls = await core.listen();
  const keys = {
    live: core.shop.keys.api_key,
    test: core.shop.keys.test_api_key,
    admin: core.shop.keys.admin_token,
    device: core.shop.keys.device_auth_key,
  };
  const gateways: Record<string, number> = {};
  for (const g of options.gateways ?? [
    { provider: 'bkash', account: BKASH_ACCOUNT },
    { provider: 'upi', account: UPI_ACCOUNT },
  ]) {
    const view = addGateway(core.db, { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' }, g);
    gateways[g.provider] = view.id;
  }
  const dbPath = core.status().database_path;
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  let ledger: number | null = null;
  let deviceBound = false;

  const api = (pathName: string, init: { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.key !== null) headers['X-API-Key'] = init.key ?? keys.live;
    return httpRequest(urls.public, pathName, { method: init.method, body: init.body, headers });
  };

  const pc: PayCore = {
    core,
    dir,
    urls,
    keys,
    gateways,
    now: clock,
    advance(ms) {
      offset += ms;
    },
    advanceHours(h) {
      offset += h * HOUR;
    },
    createSession(body, opts = {}) {
      return api('/api/payment/sessions', { method: 'POST', body, key: opts.key, headers: opts.headers });
    },
    async newSession(body = {}, opts = {}) {
      const r = await pc.createSession({ amount: '500.00', order_id: orderId(), ...body }, { key: opts.key });
      expect(r.status, r.text).toBe(201);
      return (r.json as { session_id: string }).session_id;
    },
    getSession(id, key) {
      return api(`/api/payment/sessions/${encodeURIComponent(id)}`, { key });
    },
    async view(id, key) {
      const r = await pc.getSession(id, key);
      expect(r.status, r.text).toBe(200);
      return (r.json as { session: SessionView }).session;
    },
    cancel(id, opts = {}) {
      return api(`/api/payment/sessions/${encodeURIComponent(id)}/cancel`, {
        method: 'POST',
        body: {},
        key: opts.key,
        headers: opts.headers,
      });
    },
    submit(id, body, opts = {}) {
      const headers: Record<string, string> = { 'X-Forwarded-For': opts.ip ?? customerIp() };
      let payload: unknown = body;
      if (opts.form) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        payload = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
      }
      return httpRequest(urls.public, `/api/checkout/${encodeURIComponent(id)}/submit`, { method: 'POST', body: payload, headers });
    },
    rpc(name, arg = {}, token = keys.admin) {
      return httpRequest(urls.admin, `/api/admin/rpc/${name}`, {
        method: 'POST',
        body: arg,
        headers: { Authorization: `Bearer ${token}` },
      });
    },
    async importSms(sender, body, receivedAt) {
      const arg: Record<string, string> = { sender, body };
      if (receivedAt) arg.received_at = receivedAt;
      const r = await pc.rpc('sms.import', arg);
      expect(r.status, r.text).toBe(200);
      const result = (r.json as { result: { stored: number; results: { ok: boolean; sms: Record<string, unknown> }[] } }).result;
      expect(result.results[0]?.ok, r.text).toBe(true);
      return result.results[0]?.sms as Record<string, unknown>;
    },
    async apkSms(sender, body, receivedAt) {
      if (!deviceBound) {
        const bind = await httpRequest(urls.device, '/api/device/bind', {
          method: 'POST',
          body: { auth_key: keys.device, device_id: 'counter-phone-1', model: 'CPH1937', manufacturer: 'OPPO', os_version: '11' },
        });
        expect(bind.status, bind.text).toBe(200);
        deviceBound = true;
      }
      return httpRequest(urls.device, '/api/device/sms', {
        method: 'POST',
        body: {
          auth_key: keys.device,
          device_id: 'counter-phone-1',
          messages: [{ sender, body, received_at: receivedAt ?? new Date(clock()).toISOString() }],
        },
      });
    },
    testSms(sender, body, key = keys.test) {
      return api('/api/test/sms', { method: 'POST', body: { sender, body }, key });
    },
    async bkashCredit(o) {
      const amountMinor = minorOf(o.amount ?? '500.00');
      const balanceMinor = o.balanceMinor ?? (ledger ?? 100_000) + amountMinor;
      const body = bkashCreditBody({ txnid: o.txnid, amountMinor, from: o.from, balanceMinor });
      if (o.via !== 'staff') {
        const r = await pc.apkSms('bKash', body, o.receivedAt);
        expect(r.status, r.text).toBe(200);
      } else {
        const sms = await pc.importSms('bKash', body, o.receivedAt);
        expect(sms.kind).toBe('credit');
      }
      // Only an SMS newer than the chain's head moves it.
      if (!o.receivedAt || Date.parse(o.receivedAt) >= clock() - 1000) ledger = balanceMinor;
      return body;
    },
    async verifications() {
      const r = await pc.rpc('verifications.list');
      expect(r.status, r.text).toBe(200);
      return (r.json as { result: { verifications: Verification[] } }).result.verifications;
    },
    decide(verificationId, result, failureReason) {
      const arg: Record<string, unknown> = { verification_id: verificationId, result };
      if (failureReason) arg.failure_reason = failureReason;
      return pc.rpc('verifications.decide', arg);
    },
    async alerts() {
      const r = await pc.rpc('alerts.list');
      expect(r.status, r.text).toBe(200);
      return (r.json as { result: { alerts: Awaited<ReturnType<PayCore['alerts']>> } }).result.alerts;
    },
    sql<T>(query: string, ...params: unknown[]) {
      return reader.prepare(query).all(...params) as T[];
    },
    async stop() {
      reader.close();
      await core.stop();
    },
  };
  return pc;
}

/** The attempt rows of one session, oldest first. */
export function attemptsOf(pc: PayCore, sessionId: string) {
  return pc.sql<{
    id: number;
    status: string;
    result_source: string | null;
    failure_reason: string | null;
    sms_id: number | null;
    review_reasons: string | null;
    txnid_normalized: string;
  }>(
    'SELECT id, status, result_source, failure_reason, sms_id, review_reasons, txnid_normalized FROM transactions WHERE session_id = ? ORDER BY id',
    sessionId,
  );
}

export function body(r: HttpResult): Record<string, unknown> {
  return r.json as Record<string, unknown>;
}

/**
 * One core for a describe block: started before its tests, stopped (and its temp dirs removed)
 * after. `bind` receives it, so test bodies keep using a plain `pc` variable.
 */
export function usePayCore(bind: (core: PayCore) => void, options: StartOptions = {}): void {
  let started: PayCore | undefined;
  beforeAll(async () => {
    started = await startPayCore(options);
    bind(started);
  });
  afterAll(async () => {
    await started?.stop();
    removeTempDirs();
  });
}
