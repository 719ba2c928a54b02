import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { sleep, startCore, stopCores } from './modem-review-support';

/**
 * ModemReader.unlockSim() loops `AT+CPIN?` → "SIM PIN" → `AT+CPIN="<pin>"` with no bound on how
 * often it sends the PIN: pinRejected is set only when the PIN command itself fails. A modem that
 * answers OK to AT+CPIN and checks the PIN afterwards (the SIM still says SIM PIN), or one whose
 * answer to the PIN comes after the 10 s timeout (the reader reconnects and asks again), gets the
 * same PIN again: a wrong PIN sent three times locks the SIM with its PUK.
 */
afterEach(async () => {
  await stopCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem review: the SIM PIN', () => {
  it('sends the configured PIN at most once when the SIM still asks for it afterwards', async () => {
    const modem = await ModemSimulator.start({
      profile: 'pin',
      pin: '1234',
      // The modem takes the PIN (OK), the SIM checks it afterwards and is still PIN-locked.
      override: (line) => (line === 'AT+CPIN="0000"' ? { final: 'OK' } : undefined),
    });
    await startCore(modem, { pin: '0000' });
    await sleep(2_500);
    const sent = modem.commandLog().filter((c) => c.line === 'AT+CPIN="0000"').length;
    expect(sent, 'times the wrong PIN was sent').toBeLessThanOrEqual(1);
  });
});
