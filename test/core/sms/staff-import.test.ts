import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/logging';
import { parseCsv } from '../../../src-main/core/sms/import-formats';

const BODY =
  'You have received Tk 500.00 from 01712345678. Ref 123. Fee Tk 0.00. Balance Tk 1,500.50. TrxID BKX92H1ABC at 12/05/2026 11:25';
const NAGAD_LIKE =
  'Money Received.\nAmount: Tk 1,200.00\nSender: 01811111111\nRef: N/A\nTxnID: 71A2B3C4\nBalance: Tk 5,000.00\n12/05/2026 13:10';

describe('staff paste and import through the admin listener', () => {
  let dir: string;
  let core: Core;
  let admin: string;
  const rpc = async (name: string, arg: unknown, token = core.shop.keys.admin_token) => {
    const response = await fetch(`${admin}/api/admin/rpc/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(arg),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-import-'));
    core = createCore(loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0 }, {}), {
      logger: silentLogger(),
      rendererDir: null,
    });
    admin = (await core.listen()).admin;
  });
  afterAll(async () => {
    await core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores a pasted SMS as manual, and the same SMS pasted again as a duplicate', async () => {
    const first = await rpc('sms.import', { sender: 'bKash', body: BODY });
    expect(first.status).toBe(200);
    const result = first.body.result as {
      stored: number;
      results: { ok: boolean; sms: { manual: boolean; kind: string; deliveries: { source: string }[] } }[];
    };
    expect(result.stored).toBe(1);
    expect(result.results[0]?.sms).toMatchObject({ manual: true, kind: 'credit' });
    expect(result.results[0]?.sms.deliveries[0]?.source).toBe('manual');
    const again = await rpc('sms.import', { sender: 'bKash', body: BODY });
    expect((again.body.result as { duplicates: number }).duplicates).toBe(1);
  });

  it('imports a CSV export with quoted multi-line bodies, refusing bad rows alone', async () => {
    const csv = `address,body,date\r\nNAGAD,"${NAGAD_LIKE.replace(/"/g, '""')}",1747055400000\r\n,"no sender",1747055400000\r\n`;
    const { status, body } = await rpc('sms.import', { format: 'csv', content: csv });
    expect(status).toBe(200);
    const result = body.result as {
      stored: number;
      rejected: number;
      results: { ok: boolean; sms?: { body: string; received_at: string } }[];
    };
    expect(result.rejected).toBe(1);
    expect(result.results[0]?.sms?.body).toBe(NAGAD_LIKE);
    expect(result.results[0]?.sms?.received_at).toBe(new Date(1747055400000).toISOString());
  });

  it('imports a JSON export and lists recent SMS', async () => {
    const content = JSON.stringify([{ from: 'bKash', message: BODY.replace('500.00', '501.00'), timestamp: '2026-05-12T11:40:00Z' }]);
    const { body } = await rpc('sms.import', { format: 'json', content });
    expect((body.result as { stored: number }).stored).toBe(1);
    const recent = await rpc('sms.recent', { limit: 10 });
    const list = (recent.body.result as { sms: { amount: string | null }[] }).sms;
    expect(list[0]?.amount).toBe('501.00');
  });

  it('answers bad imports in the error shape and changes nothing', async () => {
    const before = core.status().counts.sms;
    const bad = await rpc('sms.import', { format: 'xml', content: '<x/>' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed' });
    const badJson = await rpc('sms.import', { format: 'json', content: '{nope' });
    expect(badJson.body.code).toBe('validation_failed');
    const noAuth = await rpc('sms.import', { sender: 'bKash', body: BODY }, 'cpa_wrong');
    expect(noAuth.status).toBe(401);
    expect(core.status().counts.sms).toBe(before);
  });

  it('parses RFC 4180 CSV: quotes, escaped quotes, CRLF inside fields', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","line1\r\nline2"\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line1\r\nline2'],
    ]);
  });
});

describe('cli sms parse', () => {
  it('prints one parse per JSON line and flags bad lines', () => {
    const input = [
      JSON.stringify({ sender: 'bKash', body: BODY }),
      JSON.stringify({ sender: '+8801712345678', body: BODY }),
      'not json',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/headless/main.ts', 'sms', 'parse'], {
      input,
      encoding: 'utf8',
    });
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      provider: 'bkash',
      kind: 'credit',
      amount: '500.00',
      currency: 'BDT',
      txnid: 'BKX92H1ABC',
      counterparty: '01712345678',
      balance: '1500.50',
      account_hint: null,
    });
    expect(lines[1]).toMatchObject({ kind: 'spoof' });
    expect(lines[2]).toMatchObject({ line: 3, code: 'malformed_json' });
    expect(run.status).toBe(1);
  });
});
