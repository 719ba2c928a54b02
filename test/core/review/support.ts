import Database from 'better-sqlite3';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { httpRequest, type HttpResult } from '../../support/http-client';
import { CUSTOMER_PHONE, taka, type PayCore } from '../payments/helpers';

/** A bKash credit body with full control over what it prints (balance may be omitted). */
export function bkashBody(o: {
  txnid: string;
  amountMinor: number;
  balanceMinor?: number | null;
  from?: string;
  amountText?: string;
}): string {
  const amount = o.amountText ?? taka(o.amountMinor);
  const balance = o.balanceMinor === null || o.balanceMinor === undefined ? '' : `Balance Tk ${taka(o.balanceMinor)}. `;
  return `You have received Tk ${amount} from ${o.from ?? CUSTOMER_PHONE}. Ref 123. Fee Tk 0.00. ${balance}TrxID ${o.txnid} at 12/05/2026 11:25`;
}

export function nagadBody(o: { txnid: string; amountMinor: number; balanceMinor: number }): string {
  return `Money Received.\nAmount: Tk ${taka(o.amountMinor)}\nSender: ${CUSTOMER_PHONE}\nRef: N/A\nTxnID: ${o.txnid}\nBalance: Tk ${taka(o.balanceMinor)}\n20/12/2025 19:22`;
}

/** Re-opens a core on the same data dir (a restart after a crash or a stop). */
export async function restartCore(
  dir: string,
): Promise<{ core: Core; sql: <T>(q: string, ...p: unknown[]) => T[]; stop: () => Promise<void> }> {
  const core = createCore(
    loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1', logLevel: 'silent' }, {}),
    { logger: silentLogger(), rendererDir: null },
  );
  await core.listen();
  const reader = new Database(core.status().database_path, { readonly: true, fileMustExist: true });
  return {
    core,
    sql: <T>(q: string, ...p: unknown[]) => reader.prepare(q).all(...p) as T[],
    async stop() {
      reader.close();
      await core.stop();
    },
  };
}

/** The session's status and how it was settled, straight from the database. */
export function sessionRow(pc: Pick<PayCore, 'sql'>, id: string): { status: string } {
  const [row] = pc.sql<{ status: string }>('SELECT status FROM sessions WHERE id = ?', id);
  if (!row) throw new Error(`no session ${id}`);
  return row;
}

/** APK /report on the device listener, as the bound phone (pc.apkSms binds it first). */
export function apkReport(pc: PayCore, verificationId: number, result: 'success' | 'failed'): Promise<HttpResult> {
  return httpRequest(pc.urls.device, '/api/device/report', {
    method: 'POST',
    body: { auth_key: pc.keys.device, device_id: 'counter-phone-1', verification_id: verificationId, result },
  });
}
