import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { addGateway, updateGatewaySettings } from '../../../src-main/core/shop';
import { startModemCore, stopModemCores } from '../../support/modem-core';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';

/**
 * Issue 11: a gateway may list the SMS centres its wallet's SMS come through. A credit a modem
 * read through another SMSC is held for a person (smsc_unexpected); through a listed one it pays.
 */
const credit = (txnid: string, balance: string) =>
  `You have received Tk 500.00 from 01712345678. Fee Tk 0.00. Balance Tk ${balance}. TrxID ${txnid} at 15/06/2026 10:30`;

afterEach(async () => {
  await stopModemCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('expected SMS centres', () => {
  it('holds a credit relayed by an SMSC the gateway does not list, and pays one relayed by a listed SMSC', async () => {
    const sim = await ModemSimulator.start();
    const { core } = await startModemCore(sim);
    const ctx = { merchantId: core.shop.merchantId, auditKey: core.shop.keys.audit_key, actor: 'test' };
    const gateway = addGateway(core.db, ctx, { provider: 'bkash', account: '01711111111' });
    updateGatewaySettings(core.db, ctx, { id: gateway.id, expected_smsc: ['+8801700000000'], balance_check: 'off' });
    const caller = { merchantId: core.shop.merchantId, brandId: core.shop.brandId, isTest: false };
    const sessionFor = (order: string) => core.payments.create(caller, { amount: '500.00', order_id: order }, (s) => s).body.session_id;
    const stored = (txnid: string) =>
      core.db.prepare('SELECT smsc FROM sms WHERE txnid_normalized = ?').get(txnid) as { smsc: string } | undefined;
    const until = async (f: () => unknown) => {
      for (let i = 0; i < 200 && !f(); i += 1) await new Promise((r) => setTimeout(r, 25));
    };

    sim.deliver({ sender: 'bKash', text: credit('BKS1S2S3S4', '1,500.00'), smsc: '+8801999999999' });
    await until(() => stored('BKS1S2S3S4'));
    expect(stored('BKS1S2S3S4')?.smsc).toBe('+8801999999999');
    const held = core.payments.submit(sessionFor('SMSC-1'), { txnid: 'BKS1S2S3S4', gateway_id: gateway.id });
    expect(held.status).toBe('pending');
    const reasons = core.db.prepare("SELECT review_reasons FROM transactions WHERE txnid_normalized = 'BKS1S2S3S4'").get() as {
      review_reasons: string;
    };
    expect(JSON.parse(reasons.review_reasons)).toContainEqual(expect.objectContaining({ code: 'smsc_unexpected' }));

    sim.deliver({ sender: 'bKash', text: credit('BKS1S2S3S5', '2,000.00'), smsc: '8801700000000' });
    await until(() => stored('BKS1S2S3S5'));
    expect(core.payments.submit(sessionFor('SMSC-2'), { txnid: 'BKS1S2S3S5', gateway_id: gateway.id }).status).toBe('success');
  });
});
