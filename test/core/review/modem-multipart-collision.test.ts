import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { BKASH, deletedButNotStored, partTexts, rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * modem_parts is keyed (merchant, modem, sender, ref_bits, concat_ref, total, seq) and inserted
 * with ON CONFLICT DO NOTHING; ModemReader.store() returns true either way and the part is then
 * deleted from the SIM. A part that already waits under the same key (a stale part of an earlier
 * message whose 8-bit reference came round again, or a forged part sent ahead) silently wins: the
 * genuine part is deleted unstored, and the message is "completed" with the other message's
 * part and ingested as whole (not incomplete), so it is matched. The group key also ignores the
 * SMSC and the originator's TOA, so parts relayed by different SMSCs are joined.
 */
const TAIL =
  ' Thank you for using bKash. Dial *247# for more services, offers and your statement. Never share your PIN or OTP with anyone.';

afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem review: multipart parts from two messages under one key', () => {
  it('does not lose the part of a later message that reuses a waiting 8-bit reference, nor join it to the stale part', async () => {
    const modem = await ModemSimulator.start();
    const { dir } = await startCore(modem);
    await until('the reader is ready', () => modem.state().cnmi[1] === 1, 5_000);
    const old = `${BKASH('BKOLD00001', '9,000.00', '9,500.00')}${TAIL}`;
    const fresh = `${BKASH('BKNEW00002', '50.00', '9,550.00')}${TAIL}`;
    expect(modem.encode({ sender: 'bKash', text: fresh }).length).toBe(2);
    // An earlier message lost its part 2 in the network; its part 1 waits in modem_parts.
    modem.deliver({ sender: 'bKash', text: old, concatRef: 7, concatRefBits: 8, partsOrder: [1] });
    await until('the stale part is kept', () => partTexts(dir).length === 1);
    // 256 messages later (or by chance) bKash's SMSC reuses reference 7.
    modem.deliver({ sender: 'bKash', text: fresh, concatRef: 7, concatRefBits: 8 });
    await until('the SIM is empty', () => modem.stored().length === 0);
    await sleep(300);
    expect(deletedButNotStored(modem, dir), 'deleted from the SIM, stored nowhere').toEqual([]);
    const credits = rows(dir).filter((r) => r.kind === 'credit');
    expect(
      credits.map((r) => r.txnid),
      'no credit made of two messages',
    ).not.toContain('BKOLD00001');
    // Two texts for one part at the same moment cannot be told apart: both are kept, flagged
    // incomplete, for staff to read; neither becomes a payment by itself (modem-reader.ts).
    const [p1, p2] = modem.encode({ sender: 'bKash', text: fresh });
    expect(p1 && p2).toBeTruthy();
    const bodies = rows(dir).map((r) => r.body);
    expect(
      bodies.some((b) => b.includes(fresh.slice(0, 60))),
      'the new message part 1 is stored',
    ).toBe(true);
    expect(
      bodies.some((b) => b.includes(fresh.slice(-20))),
      'the new message part 2 is stored',
    ).toBe(true);
    expect(credits).toEqual([]);
  });

  it('does not complete a genuine message with a part relayed by another SMSC', async () => {
    const modem = await ModemSimulator.start();
    const { dir } = await startCore(modem);
    await until('the reader is ready', () => modem.state().cnmi[1] === 1, 5_000);
    // A forger, through his own SMSC, sends a part 1 under bKash's name with reference 42.
    const forged = `${BKASH('BKFAKE0001', '9,000.00', '9,500.00')}${TAIL}`;
    modem.deliver({ sender: 'bKash', text: forged, smsc: '+447700900123', concatRef: 42, concatRefBits: 8, partsOrder: [1] });
    await until('the forged part is kept', () => partTexts(dir).length === 1);
    // Then a genuine two-part bKash message with the same reference (only its part 2 gets there first).
    const genuine = `Dear customer, your bKash account statement for May is ready. Visit the app to see it. ${TAIL}`;
    expect(modem.encode({ sender: 'bKash', text: genuine }).length).toBe(2);
    modem.deliver({ sender: 'bKash', text: genuine, concatRef: 42, concatRefBits: 8, partsOrder: [2] });
    await sleep(1_500);
    const fake = rows(dir).find((r) => r.txnid === 'BKFAKE0001');
    expect(fake?.kind ?? 'not stored as a whole message', 'parts from two SMSCs joined into a credit').not.toBe('credit');
  });
});
