import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startModemCore } from '../../support/modem-core';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { BKASH, rows, sleep, startCore, stopCores, until } from './modem-review-support';

/**
 * Attack on the stable key of waiting multipart parts (ModemReader.adoptPartsKey): the key is
 * the first identity that answered this run — `imsi:` if AT+CIMI answered, else `iccid:`, else
 * `imei:`, else the label — and only parts under the label (or this run's previous key) are
 * adopted. So the key of one and the same SIM changes whenever AT+CIMI fails once (it is asked
 * right after the SIM turns READY, when many SIMs still answer "+CME ERROR: 14" SIM busy, and
 * askIdentity gives up after 3 s): part 1 kept under `imsi:…` and part 2 kept under `iccid:…`
 * never meet. And flushIncomplete() only flushes the current key, so the waiting part of a SIM
 * that was swapped out is never stored at all, not even flagged incomplete, and not counted in
 * parts_waiting: it was deleted from the SIM and is visible nowhere.
 */
const TAIL = ' Thank you for using bKash. Dial *247# for more services, offers and your statement. Never share your PIN.';
const LONG = (txn: string) => `${BKASH(txn)}${TAIL}`;

afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem attack: the key of waiting parts', () => {
  it('joins part 2 to part 1 of the same SIM when AT+CIMI failed once at the next start', async () => {
    // A correct reader finds part 1 under the SIM it came from whatever identity answered this
    // time (the ICCID and the IMEI are the same as when part 1 was kept) and stores the whole message.
    let simBusyForCimi = false;
    const modem = await ModemSimulator.start({
      override: (line) => (simBusyForCimi && line === 'AT+CIMI' ? { final: '+CME ERROR: 14' } : undefined),
    });
    const a = await startCore(modem, {}, { sweepSeconds: 3600 });
    await until('ready', () => a.core.modems.status()[0]?.state === 'ready', 8_000);
    const pdus = modem.encode({ sender: 'bKash', text: LONG('BKK0000001'), concatRef: 90 });
    expect(pdus.length).toBe(2);
    modem.deliverPdus(pdus.slice(0, 1));
    await until('part 1 kept', () => a.core.modems.status()[0]?.parts_waiting === 1, 5_000);
    await stopCores();

    simBusyForCimi = true;
    const b = await startCore(modem, {}, { sweepSeconds: 3600 }, a.dir);
    await until('ready again', () => b.core.modems.status()[0]?.state === 'ready', 8_000);
    modem.deliverPdus(pdus.slice(1));
    await until('the SIM empty', () => modem.stored().length === 0, 5_000);
    await sleep(500);
    // Today part 2 waits alone under "iccid:…" while part 1 waits under "imsi:…".
    expect(
      rows(a.dir).map((r) => r.body),
      'the whole message once its last part arrived',
    ).toContain(LONG('BKK0000001'));
  });

  it('stores (flagged incomplete) a waiting part of a SIM that was swapped out, once the wait is over', async () => {
    // A correct reader never leaves a part it deleted from a SIM invisible: after
    // incompleteWaitMinutes it is stored as it is, whatever SIM it came from (as the label-keyed
    // reader did before the identity key), or at least counted and shown.
    const first = await ModemSimulator.start({ identity: { imsi: '470011111111111', iccid: '8988001111111111111' } });
    const a = await startCore(first, {}, { sweepSeconds: 3600 });
    await until('ready', () => a.core.modems.status()[0]?.state === 'ready', 8_000);
    const pdus = first.encode({ sender: 'bKash', text: LONG('BKS0000001'), concatRef: 91 });
    first.deliverPdus(pdus.slice(0, 1));
    await until('part 1 kept', () => a.core.modems.status()[0]?.parts_waiting === 1, 5_000);
    await stopCores();
    await first.stop();

    // The shop puts another SIM in the same modem; the next start is two hours later.
    const second = await ModemSimulator.start({ identity: { imsi: '470012222222222', iccid: '8988002222222222222' } });
    const later = () => Date.now() + 2 * 3_600_000;
    const b = await startModemCore(second, {
      dir: a.dir,
      clock: later,
      settings: { sweepSeconds: 3600, keepaliveSeconds: 5, commandTimeoutSeconds: 2, incompleteWaitMinutes: 60 },
    });
    await until('ready', () => b.core.modems.status()[0]?.state === 'ready', 8_000);
    await b.core.modems.sweep();
    await sleep(300);
    const part1 = LONG('BKS0000001').slice(0, 100);
    expect(
      rows(a.dir).some((r) => r.body.includes(part1)),
      'the swapped-out SIM’s part 1 stored (flagged incomplete) after the wait',
    ).toBe(true);
  });
});
