import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { decodeDeliverPdu } from '../../../src-main/core/modem/pdu';
import { BKASH, rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * decode-deliver.ts readHeader() accepts a concatenation element with total 1 (`total >= 1`), so
 * ModemReader.store() takes the multipart path and modem_parts' CHECK (total BETWEEN 2 AND 255)
 * throws a SqliteError. Nothing catches it per message: readAllNow() aborts its loop, so every
 * message listed after the poison one is never read; at connect the throw goes to lost(), so the
 * reader reconnects in a loop forever. One SMS from anyone (a UDH 05 00 03 xx 01 01) stops the
 * modem from reading; the SIM then fills and the network holds every later wallet SMS.
 */
afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem review: a concatenation header that says "part 1 of 1"', () => {
  it('keeps reading the SIM after a PDU whose UDH says total 1', async () => {
    const modem = await ModemSimulator.start();
    const long = `Hello from a stranger. ${'x'.repeat(170)}`;
    const [part1] = modem.encode({ sender: '+8801812345678', text: long, concatRef: 0x33, concatRefBits: 8 });
    const poison = (part1 as string).replace('0500033302', '0500033301');
    expect(poison).not.toBe(part1);
    expect(decodeDeliverPdu(poison).concat).toMatchObject({ total: 1, seq: 1 });
    modem.deliverPdus([poison], { announce: false }); // index 1
    modem.deliver({ sender: 'bKash', text: BKASH('BKT0TAL001'), announce: false }); // index 2
    const { core, dir } = await startCore(modem);
    await until('the credit behind it is stored', () => rows(dir).some((r) => r.txnid === 'BKT0TAL001'), 6_000).catch(() => undefined);
    await sleep(200);
    expect(rows(dir).map((r) => r.txnid)).toContain('BKT0TAL001');
    expect(core.modems.status()[0]?.state).toBe('ready');
  });
});
