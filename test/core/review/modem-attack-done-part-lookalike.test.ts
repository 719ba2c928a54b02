import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * Attack on the done-parts check (ModemReader.storeDecoded): a part is taken for "this very part,
 * read again" when a done part of the same group (sender, TOA, SMSC, reference, total) has the
 * same sequence number, the same text and the same SC time — to the second. A wallet that sends
 * two long SMS in the same second with the same 8-bit reference (a gateway with a fixed or
 * per-recipient reference) whose last part is the same boilerplate, the second arriving out of
 * order (part 2 first), has that part 2 deleted from the SIM as a repeat and stored nowhere: the
 * second message is only ever stored as "[part 2 of 2 missing]".
 *
 * Low likelihood (same second, same reference, same last part, out of order), but the cost is a
 * lost part. A correct reader only skips a part as a repeat when it can tell it is the same
 * stored message (e.g. the SIM copy it has not yet deleted: same index and PDU seen before the
 * crash), or keeps the look-alike as a waiting part rather than deleting it unstored.
 */
const HEAD = (amount: string, txnid: string) =>
  `You have received Tk ${amount} from 01712345678. Fee Tk 0.00. TrxID ${txnid} at 15/06/2026 10:30. Thank you for using bKash and stay safe always.`.padEnd(
    153,
    '.',
  );
const TAIL = ' Dial *247# for more services, offers and your statement. Never share your PIN or OTP with anyone.';

afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem attack: a new part that looks like a done part', () => {
  it('does not delete unstored the part 2 of a second message sent in the same second with the same reference', async () => {
    const modem = await ModemSimulator.start();
    const { dir } = await startCore(modem, {}, { sweepSeconds: 3600 });
    await until('the reader is ready', () => modem.state().cnmi[1] === 1, 8_000);
    const at = new Date(Date.UTC(2026, 5, 15, 4, 30, 0));
    const first = HEAD('700.00', 'BKL0000001') + TAIL;
    const second = HEAD('800.00', 'BKL0000002') + TAIL;
    expect(modem.encode({ sender: 'bKash', text: first, concatRef: 5 }).length).toBe(2);
    modem.deliver({ sender: 'bKash', text: first, concatRef: 5, timestamp: at });
    await until('the first stored whole', () => rows(dir).some((r) => r.body === first), 5_000);
    modem.deliver({ sender: 'bKash', text: second, concatRef: 5, timestamp: at, partsOrder: [2, 1] });
    await until('the SIM empty', () => modem.stored().length === 0, 5_000);
    await sleep(300);
    // Part 2 was deleted as a "repeat" of the first message's part 2: the second waits with part 1 only.
    expect(modem.deletions().length, 'all four parts left the SIM').toBe(4);
    expect(
      rows(dir).map((r) => r.body),
      'the second message stored whole',
    ).toContain(second);
  });
});
