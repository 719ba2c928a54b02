import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCore, loadConfig, type Core } from '../../../src-main/core';
import { linkBalance } from '../../../src-main/core/balance';
import { silentLogger } from '../../../src-main/core/logging';
import { httpRequest } from '../../support/http-client';
import { removeTempDirs } from '../../support/temp-dir';
import { BKASH_ACCOUNT, attemptsOf, bkashCreditBody, bkashTxnid, startPayCore, usePayCore, type PayCore } from '../payments/helpers';
import { Chain, FORGER_PHONE, PAYER, bkashWalletTime, rpc, syncRows } from './one-verdict-attack-support';

/**
 * Adversarial review of the one-verdict payments domain. Every test asserts the CORRECT
 * behaviour, so each fails while the bug it names is in the code.
 */

describe('attack: late match / reclaim', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('a spoof cannot hand the real customer’s TxnID to another session (reclaim picks the latest failed attempt)', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    // The real customer pays and types the TxnID before the SMS is in.
    const victim = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(victim, { txnid })).status).toBe(202);
    // A thief who saw the TxnID sends a wallet-looking SMS with it from a phone number: the
    // waiting attempt fails as "spoofed sender"...
    const spoof = bkashCreditBody({ txnid, amountMinor: 50_000, from: PAYER, balanceMinor: 999_999 });
    expect((await pc.apkSms(FORGER_PHONE, spoof)).status).toBe(200);
    // ...and then submits the same TxnID to their own order: refused, but now the latest failed attempt.
    const thief = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(thief, { txnid })).status).toBe(422);
    // The wallet's real SMS arrives.
    await chain.credit(txnid);
    expect((await pc.view(thief)).status).toBe('pending');
    expect((await pc.view(victim)).status).toBe('success');
  });
});

describe('attack: the banner (credit_check) agrees with late match', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('a clean credit that settles a waiting checkout is celebrated, not shown as rejected/already used', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000); // seeds the balance chain
    const txnid = bkashTxnid();
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    const seen: { txnid: string | null; credit_check: unknown }[] = [];
    const off = pc.core.bus.on('sms', (e) => seen.push(e as unknown as { txnid: string | null; credit_check: unknown }));
    try {
      await chain.credit(txnid);
    } finally {
      off();
    }
    expect((await pc.view(id)).status).toBe('success');
    const event = seen.find((e) => e.txnid === txnid);
    expect(event?.credit_check).toMatchObject({ verdict: 'pays' });
  });
});

describe('attack: R7 — a device delivers the SMS staff pasted', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('an attempt held on the pasted copy settles when a device delivers its copy that reads slightly differently', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000);
    const txnid = bkashTxnid();
    const text = chain.body(txnid);
    await pc.importSms('bKash', text);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    // The phone's copy of the same wallet SMS (a forwarder spacing difference), stored apart.
    const r = await pc.apkSms('bKash', text.replace('. Ref 123.', '. Ref 123 .'));
    expect(r.status, r.text).toBe(200);
    expect(pc.sql('SELECT id FROM sms WHERE txnid_normalized = ?', txnid)).toHaveLength(2);
    expect((await pc.view(id)).status).toBe('success');
  });
});

describe('attack: R6 — a forged credit with no balance line, dated before the chain', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('is held on every path: the printed wallet time is the forger’s to choose', async () => {
    const chain = new Chain(pc);
    await chain.credit(bkashTxnid(), 10_000); // the wallet's first SMS: the chain starts now
    const txnid = bkashTxnid();
    // Sender ID spoofed to "bKash" through an SMS gateway, no balance line, wallet time one hour ago.
    const forged = `You have received Tk 500.00 from ${PAYER}. Ref 1. Fee Tk 0.00. TrxID ${txnid} at ${bkashWalletTime(pc.now() - 3_600_000)}`;
    expect((await pc.apkSms('bKash', forged)).status).toBe(200);
    const check = await rpc<{ verdict: string }>(pc, 'txnid.lookup', { txnid });
    expect(check.result.verdict).toBe('held');
    const id = await pc.newSession({ amount: '500.00' });
    const r = await pc.submit(id, { txnid });
    expect(r.status, r.text).toBe(202);
    expect((await pc.view(id)).status).toBe('pending');
  });
});

describe('attack: reversals', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  // Guard (passes today): a reversed counter sale gets reversed_at, an alert and a sync event.
  it('a reversed counter sale is marked, alerted and synced', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid);
    const accepted = await rpc<{ transaction_id: number }>(pc, 'txnid.accept', { txnid, amount: '500' });
    expect(accepted.status).toBe(200);
    await chain.reversal(txnid);
    const id = accepted.result.transaction_id;
    const row = pc.sql<{ reversed_at: number | null }>('SELECT reversed_at FROM transactions WHERE id = ?', id)[0];
    expect(row?.reversed_at).not.toBeNull();
    expect((await pc.alerts()).some((a) => a.kind === 'transaction_reversed' && a.transaction_id === id)).toBe(true);
    expect(syncRows(pc, `transaction:${id}`, 'transaction.reversed').map((e) => e.channel)).toEqual(['sync']);
    const check = await rpc<{ verdict: string }>(pc, 'txnid.lookup', { txnid });
    expect(check.result.verdict).toBe('reversed');
  });
});

describe('attack: the outbox sees every session change', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('holding an attempt for review and staff rejecting it each write a session.updated sync row', async () => {
    const chain = new Chain(pc);
    const txnid = bkashTxnid();
    await chain.credit(txnid, 45_000);
    const id = await pc.newSession({ amount: '500.00' });
    const created = syncRows(pc, id, 'session.updated').length;
    expect((await pc.submit(id, { txnid })).status).toBe(202);
    expect((await pc.view(id)).latest_transaction?.status).toBe('pending');
    const held = syncRows(pc, id, 'session.updated').length;
    expect(held).toBeGreaterThan(created);
    const attempt = attemptsOf(pc, id).at(-1);
    expect((await pc.decide(attempt?.id ?? 0, 'failed', 'wrong amount')).status).toBe(200);
    expect((await pc.view(id)).latest_transaction?.status).toBe('failed');
    expect(syncRows(pc, id, 'session.updated').length).toBeGreaterThan(held);
  });
});

describe('attack: hostile input on the verdict commands', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  // Guard (passes today): the documented "never a stack trace" bar on every command that can say PAID.
  it('never answers 5xx or without an error code', async () => {
    const txnid = bkashTxnid();
    await new Chain(pc).credit(txnid);
    const bad: [string, unknown][] = [];
    const args: unknown[] = [
      { txnid: 12345 },
      { txnid: ['X'] },
      { txnid: { toString: 'x' } },
      { txnid: 'A'.repeat(10_000) },
      { txnid: '٠١٢٣٤٥٦٧٨٩' },
      { txnid: '\u0000' },
      { txnid, amount: 500 },
      { txnid, amount: ['500'] },
      { txnid, amount: '1e3' },
      { txnid, amount: '-5' },
      { txnid, amount: '9999999999999.99' },
      { txnid, amount: '0.00' },
      { txnid, sms_id: 'abc' },
      { txnid, sms_id: 1e308 },
      { txnid, sms_id: -1 },
    ];
    for (const cmd of ['txnid.lookup', 'txnid.accept', 'txnid.verify']) {
      for (const arg of args) {
        const r = await pc.rpc(cmd, arg);
        const code = (r.json as { code?: string } | null)?.code;
        if (r.status >= 500 || (r.status >= 400 && !code)) bad.push([cmd, { arg, status: r.status, text: r.text.slice(0, 200) }]);
      }
    }
    const bodies: unknown[] = [[], 'txnid', null, 42, { txnid: null }, { txnid: { a: 1 } }, { txnid: 'x'.repeat(100) }];
    for (const b of bodies) {
      const m = await httpRequest(pc.urls.admin, '/api/merchant/verify', {
        method: 'POST',
        body: b,
        headers: { Authorization: `Bearer ${pc.keys.admin}` },
      });
      if (m.status >= 500 || (m.status >= 400 && !(m.json as { code?: string } | null)?.code))
        bad.push(['merchant/verify', { b, status: m.status, text: m.text.slice(0, 200) }]);
      const withKey =
        typeof b === 'object' && b !== null && !Array.isArray(b) ? { ...b, auth_key: pc.keys.device, device_id: 'counter-phone-1' } : b;
      const d = await httpRequest(pc.urls.device, '/api/device/verify', { method: 'POST', body: withKey });
      if (d.status >= 500 || (d.status >= 400 && !(d.json as { code?: string } | null)?.code))
        bad.push(['device/verify', { b, status: d.status, text: d.text.slice(0, 200) }]);
    }
    expect(bad).toEqual([]);
  });
});

describe('attack: catchUp after a crash between an SMS commit and its handling', () => {
  it('an attempt held only because staff pasted the SMS settles at start when the device delivery committed before the crash', async () => {
    const pc = await startPayCore({ gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });
    let restarted: Core | undefined;
    try {
      const chain = new Chain(pc);
      await chain.credit(bkashTxnid(), 10_000);
      const txnid = bkashTxnid();
      const text = chain.body(txnid);
      const pasted = await pc.importSms('bKash', text);
      const id = await pc.newSession({ amount: '500.00' });
      expect((await pc.submit(id, { txnid })).status).toBe(202);
      expect(JSON.parse(attemptsOf(pc, id)[0]?.review_reasons ?? '[]')).toEqual([expect.objectContaining({ code: 'pasted_by_staff' })]);
      const dir = pc.dir;
      await pc.stop();
      // What SmsIngestor commits for the phone's delivery of that same text (delivery row and
      // balance link, one transaction); the process dies before payments.onSmsStored runs.
      const raw = new Database(path.join(dir, 'counterpay.sqlite'));
      raw.transaction(() => {
        raw
          .prepare("INSERT INTO sms_deliveries (sms_id, source, origin, delivered_at) VALUES (?, 'apk', 'counter-phone-1', ?)")
          .run(pasted.id, Date.now());
        linkBalance(raw as never, pasted.id as number);
      })();
      raw.close();
      restarted = createCore(
        loadConfig({ dataDir: dir, publicPort: 0, devicePort: 0, adminPort: 0, deviceHost: '127.0.0.1', logLevel: 'silent' }, {}),
        {
          logger: silentLogger(),
          rendererDir: null,
        },
      );
      const row = restarted.db.prepare('SELECT status FROM sessions WHERE id = ?').get(id) as { status: string };
      expect(row.status).toBe('success');
    } finally {
      await restarted?.stop();
      removeTempDirs();
    }
  });
});

describe('attack: attempts left behind when a session is paid', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started), { gateways: [{ provider: 'bkash', account: BKASH_ACCOUNT }] });

  it('a held attempt of a session that another TxnID paid is closed, so it no longer holds its credit', async () => {
    const chain = new Chain(pc);
    const first = bkashTxnid();
    const second = bkashTxnid();
    await chain.credit(first, 45_000);
    await chain.credit(second, 50_000);
    const id = await pc.newSession({ amount: '500.00' });
    expect((await pc.submit(id, { txnid: first })).status).toBe(202); // wrong amount: held for staff
    expect((await pc.submit(id, { txnid: second })).status).toBe(200);
    expect((await pc.view(id)).status).toBe('success');
    // The 450.00 attempt is moot now: it must not stay in the queue nor keep its credit claimed.
    expect(attemptsOf(pc, id).find((a) => a.txnid_normalized === first)?.status).toBe('failed');
    expect((await pc.verifications()).some((v) => v.session_id === id)).toBe(false);
    const check = await rpc<{ verdict: string }>(pc, 'txnid.lookup', { txnid: first });
    expect(check.result.verdict).toBe('received');
  });
});
