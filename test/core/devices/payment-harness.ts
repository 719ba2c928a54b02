import { expect } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { addGateway } from '../../../src-main/core/shop';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { makeTempDir } from '../../support/temp-dir';

export const DEVICE = 'android-stable-id';
export const GATEWAY_ACCOUNT = '01799999999';
export const CUSTOMER_PHONE = '01712345678';

/**
 * The real bKash "send money received" SMS, with the TxnID varied per test and received now
 * (the matcher refuses SMS older than 48 h or older than the session).
 */
export function bkashCredit(txnid: string, amount = '500.00', balance = '1,500.50'): { sender: string; body: string; received_at: string } {
  return {
    sender: 'bKash',
    body: `You have received Tk ${amount} from ${CUSTOMER_PHONE}. Ref 123. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 12/05/2026 11:25`,
    received_at: new Date().toISOString(),
  };
}

export interface SessionOptions {
  amount?: number | string;
  order_id: string;
  customer_phone?: string;
  customer_name?: string;
  /** Create the session with the test-mode key instead of the live one. */
  test?: boolean;
}

/** A full core (createCore + listen) in a temp dir, every listener on 127.0.0.1 with an OS port. */
export class PaymentCore {
  private constructor(
    readonly core: Core,
    readonly dataDir: string,
    readonly publicUrl: string,
    readonly deviceUrl: string,
  ) {
    this.key = core.shop.keys.device_auth_key;
  }

  static async start(options: { bkashGateway?: boolean } = {}): Promise<PaymentCore> {
    const dataDir = makeTempDir('counterpay-device-payments-');
    const config = loadConfig({ dataDir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1', adminHost: '127.0.0.1' }, {});
    const core = createCore(config, { logger: silentLogger(), rendererDir: null });
    const urls = await core.listen();
    expect(new URL(urls.device).hostname).toBe('127.0.0.1');
    if (options.bkashGateway !== false) {
      addGateway(
        core.db,
        { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' },
        { provider: 'bkash', account: GATEWAY_ACCOUNT },
      );
    }
    return new PaymentCore(core, dataDir, urls.public, urls.device);
  }

  /** The device_auth_key the phone sends (a test that rotates it sets the new one here). */
  key: string;

  device(route: string, body: unknown): Promise<HttpResult> {
    return httpRequest(this.deviceUrl, route, { method: 'POST', body });
  }

  /** A device-API call with this shop's auth_key and DEVICE filled in. */
  call(route: string, fields: Record<string, unknown> = {}): Promise<HttpResult> {
    return this.device(route, { auth_key: this.key, device_id: DEVICE, ...fields });
  }

  async bind(deviceId = DEVICE): Promise<void> {
    const res = await this.device('/api/device/bind', {
      auth_key: this.key,
      device_id: deviceId,
      model: 'CPH1937',
      manufacturer: 'OPPO',
      os_version: '11',
    });
    expect(res.status, res.text).toBe(200);
  }

  async pushSms(messages: unknown[]): Promise<HttpResult> {
    const res = await this.call('/api/device/sms', { messages });
    expect(res.status, res.text).toBe(200);
    return res;
  }

  async createSession(options: SessionOptions): Promise<string> {
    const { test, ...fields } = options;
    const res = await httpRequest(this.publicUrl, '/api/payment/sessions', {
      method: 'POST',
      headers: { 'X-API-Key': test ? this.core.shop.keys.test_api_key : this.core.shop.keys.api_key },
      body: { amount: 500, customer_phone: CUSTOMER_PHONE, customer_name: 'Customer Name', ...fields },
    });
    expect(res.status, res.text).toBe(201);
    return (res.json as { session_id: string }).session_id;
  }

  /** The customer submits a TxnID on the checkout page (fetch flavour: JSON back). */
  submit(sessionId: string, txnid: string): Promise<HttpResult> {
    return httpRequest(this.publicUrl, `/api/checkout/${sessionId}/submit`, { method: 'POST', body: { txnid } });
  }

  /** A session with a submitted TxnID whose SMS has not come: one pending verification. */
  async pendingSession(options: SessionOptions & { txnid: string }): Promise<string> {
    const { txnid, ...session } = options;
    const id = await this.createSession(session);
    const res = await this.submit(id, txnid);
    expect(res.status, res.text).toBe(202);
    expect((res.json as { status: string }).status).toBe('pending');
    return id;
  }

  async session(id: string, test = false): Promise<SessionBody> {
    const res = await httpRequest(this.publicUrl, `/api/payment/sessions/${id}`, {
      headers: { 'X-API-Key': test ? this.core.shop.keys.test_api_key : this.core.shop.keys.api_key },
    });
    expect(res.status, res.text).toBe(200);
    return (res.json as { session: SessionBody }).session;
  }

  async poll(): Promise<Verification[]> {
    const res = await this.call('/api/device/poll');
    expect(res.status, res.text).toBe(200);
    return (res.json as { verifications: Verification[] }).verifications;
  }

  /** The pending verification for a session (by its order), as /poll shows it. */
  async verificationFor(orderId: string): Promise<Verification> {
    const found = (await this.poll()).find((v) => v.order_id === orderId);
    expect(found, `no pending verification for ${orderId}`).toBeDefined();
    return found as Verification;
  }

  async transactions(filter: Record<string, unknown> = {}): Promise<TransactionItem[]> {
    const res = await this.call('/api/device/transactions', filter);
    expect(res.status, res.text).toBe(200);
    return (res.json as { transactions: TransactionItem[] }).transactions;
  }

  async close(): Promise<void> {
    await this.core.stop();
  }
}

export interface Verification {
  verification_id: number;
  txnid_submitted: string;
  amount: number | null;
  currency: string;
  customer_phone: string | null;
  customer_name: string | null;
  order_id: string | null;
  provider: string;
  variant: string | null;
  account_number: string | null;
  created_at: string;
  [extra: string]: unknown;
}

export interface TransactionItem {
  id: number;
  txnid_submitted: string;
  amount: number | null;
  status: string;
  result_source: string | null;
  verified_at: string | null;
  failure_reason: string | null;
  provider: string;
  account_number: string | null;
  order_id: string | null;
  customer_name: string | null;
  created_at: string;
  [extra: string]: unknown;
}

export interface SessionBody {
  id: string;
  status: string;
  successful_transaction: { txnid_submitted: string; verified_at: string | null; result_source: string | null } | null;
  latest_transaction: { txnid_submitted: string; status: string; result_source: string | null; failure_reason: string | null } | null;
}

/** The device API's error shape: error, merchant_message and code, with programmatic hints allowed beside them. */
export function expectDeviceError(result: HttpResult, status: number, code: string): Record<string, unknown> {
  expect(result.status, `status for ${result.text}`).toBe(status);
  expect(String(result.headers['content-type'])).toMatch(/^application\/json/);
  const body = result.json as Record<string, unknown>;
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  expect(typeof body.merchant_message).toBe('string');
  expect((body.error as string).length).toBeGreaterThan(0);
  expect((body.merchant_message as string).length).toBeGreaterThan(0);
  expect(result.text).not.toMatch(/\n\s+at |\.(ts|js):\d+|src-main/);
  return body;
}
