import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { BKASH, rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * ModemReader.connect(): `await this.readAll(); this.schedule();`. When the port closes while the
 * first listing (AT+CMGL=4) is in flight, lost() arms the reconnect timer, readAllNow() swallows
 * the "port closed" rejection and returns, and schedule() then calls clearTimers(), which cancels
 * that reconnect timer. The reader stays 'disconnected' forever: nothing more is ever read.
 */
afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem review: the port vanishes during the first backlog read', () => {
  it('reconnects after a port that vanished while AT+CMGL=4 was in flight, and reads what came meanwhile', async () => {
    const modem = await ModemSimulator.start({ initialMessages: [{ sender: 'bKash', text: BKASH('BKR0000001') }] });
    let pulled = false;
    modem.on('command', (entry: { line: string }) => {
      if (!pulled && entry.line === 'AT+CMGL=4') {
        pulled = true;
        // The listing was taken; the cable comes out before its answer is written.
        void modem
          .unplug()
          .then(() => sleep(300))
          .then(() => modem.replug());
      }
    });
    const { core, dir } = await startCore(modem);
    await until('the unplug', () => pulled);
    await until('the replug', () => modem.isPlugged, 5_000);
    modem.deliver({ sender: 'bKash', text: BKASH('BKR0000002', '250.00', '1,750.00') });
    // Backoff is 0.5 s, then 1 s: well inside 8 s.
    await until('both credits stored after the reconnect', () => rows(dir).length === 2, 8_000).catch(() => undefined);
    expect(core.modems.status()[0]?.state, 'the reader came back').toBe('ready');
    expect(
      rows(dir)
        .map((r) => r.txnid)
        .sort(),
    ).toEqual(['BKR0000001', 'BKR0000002']);
  });
});
