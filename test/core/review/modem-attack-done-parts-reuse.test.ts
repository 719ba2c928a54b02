import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { partTexts, rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * Attack on the done-parts memory (migration 0170, ModemReader.storeDecoded): a part read again
 * after its message was stored is recognised only while the old message's done parts exist, and
 * the first part of ANY new message under the same group key (same sender, 8-bit reference,
 * total) wipes them (`forgetDone`). Parts arrive in index order of the listing, so a new
 * message's part 1 (which takes the lowest free index, freed by the old part 1) is handled before
 * the old part 2 still on the SIM (its delete failed, or the core stopped before it). The old
 * part 2 is then no longer recognised and completes the NEW message: a body made of two wallet
 * messages (the new amount with the old TrxID), ingested as whole, not flagged incomplete.
 *
 * A correct reader recognises the old part 2 as a repeat of a stored message (same part, text and
 * SC time) even after a new message reused the reference, deletes it, and keeps the new part 1
 * waiting for its own part 2; it never stores a whole message made of two messages' parts.
 */

/** Part 1 (153 septets) carries the amount, part 2 the TrxID, as a long wallet SMS splits. */
const FILL = ' Thank you for using bKash. Dial *247# for more services and offers.'.repeat(3);
const SMS = (amount: string, txnid: string) =>
  `You have received Tk ${amount} from 01712345678. Fee Tk 0.00.${FILL}`.slice(0, 153) +
  ` TrxID ${txnid} at 15/06/2026 10:30. Never share your PIN.`;

afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem attack: done parts forgotten when an 8-bit reference comes round', () => {
  it('never completes a new message with the old message’s part read again after the new part 1', async () => {
    let refuseDelete = 0;
    const modem = await ModemSimulator.start({
      // One delete the modem fails (a busy SIM); the reader keeps the part for the next sweep.
      override: (line) => (line === 'AT+CMGD=2' && refuseDelete-- > 0 ? { final: '+CMS ERROR: 500' } : undefined),
    });
    const { core, dir } = await startCore(modem, {}, { sweepSeconds: 3600 });
    await until('the reader is ready', () => modem.state().cnmi[1] === 1, 8_000);

    const old = SMS('9,000.00', 'BKA0000001');
    const fresh = SMS('50.00', 'BKB0000002');
    expect(modem.encode({ sender: 'bKash', text: fresh, concatRef: 42 }).length).toBe(2);

    // Refused until the new part 1 is in: under load the reader may try the delete again (a check
    // re-lists), and the old part 2 must still be on the SIM when the new message arrives.
    refuseDelete = 1_000;
    modem.deliver({ sender: 'bKash', text: old, concatRef: 42, concatRefBits: 8 });
    await until('the old message stored whole', () => rows(dir).some((r) => r.body === old), 5_000);
    expect(
      modem.stored().map((m) => m.index),
      'the old part 2 is still on the SIM',
    ).toEqual([2]);

    // Minutes later the wallet's SMSC hands out reference 42 again; part 1 takes index 1.
    modem.deliver({ sender: 'bKash', text: fresh, concatRef: 42, concatRefBits: 8, partsOrder: [1] });
    await until('the new part 1 kept', () => partTexts(dir).includes(fresh.slice(0, 153)), 5_000);

    // The next sweep lists the old part 2 (index 2), and this time the modem deletes it.
    refuseDelete = 0;
    await core.modems.readAll();
    await sleep(300);

    const mixed = rows(dir).filter((r) => r.body.includes('Tk 50.00') && r.body.includes('BKA0000001'));
    expect(mixed, 'a message made of the new part 1 and the old part 2').toEqual([]);
    expect(rows(dir).filter((r) => r.body.includes('BKA0000001')).length, 'the old message stored once').toBe(1);
  });
});
