import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { BKASH, rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * ModemReader.ingest() returns false when SmsIngestor refuses a message (incomingSmsSchema:
 * body min 1, sender min 1), and handle() then keeps it on the SIM "and the status says why".
 * An empty SMS (UDL 0) is perfectly sendable, so a stranger who sends as many blank SMS as the
 * SIM has slots fills the storage for good: every sweep refuses them again, nothing deletes
 * them, and the network holds (then drops) every wallet SMS after them.
 */
afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem review: messages the ingestion refuses', () => {
  it('does not let blank SMS fill the SIM and block the wallet SMS behind them', async () => {
    const modem = await ModemSimulator.start({ storages: { SM: 3, ME: 3 } });
    for (let i = 0; i < 3; i += 1) modem.deliver({ sender: '+8801899999999', text: '', announce: false });
    expect(modem.stored().length).toBe(3);
    const { dir } = await startCore(modem);
    await until('the reader is ready', () => modem.state().cnmi[1] === 1, 5_000);
    modem.deliver({ sender: 'bKash', text: BKASH('BKBLANK001') });
    await until('the credit', () => rows(dir).some((r) => r.txnid === 'BKBLANK001'), 7_000).catch(() => undefined);
    await sleep(100);
    expect(modem.pendingInNetwork().length, 'wallet SMS held by the network: the SIM is full of refused blanks').toBe(0);
    expect(rows(dir).map((r) => r.txnid)).toContain('BKBLANK001');
  });
});
