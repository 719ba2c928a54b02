import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BKASH, startModemCore, storedSms, stopModemCore, stopModemCores, until, watchDeletions } from '../../support/modem-core';
import { ModemSimulator, type ModemSimOptions } from '../../support/modem-sim';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

/**
 * Issue 11: a modem that does not stay as it was set up. It reboots in place (PIN-locked again,
 * +CNMI back to 0), its SIM is "not ready" or not yet seen at boot, it stores a message in
 * another memory than the one read, its port is renumbered, it announces a full memory, it
 * delivers directly (+CMT), or it shows up on two configured ports.
 */

const rows = storedSms;

const sim = (options: ModemSimOptions = {}) => ModemSimulator.start(options);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A sweep so long that only the path under test (re-initialisation, +CMTI, a drain) can read a message in time. */
const NO_SWEEP = { sweepSeconds: 3600 };
const LONG = (txn: string) => `${BKASH(txn)} Thank you for using bKash. Dial *247# for offers and your statement. Never share your PIN.`;

afterEach(async () => {
  await stopModemCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('a modem that reboots in place', () => {
  it('with a PIN SIM: sees the SIM locked again, says so, unlocks it with the accepted PIN and reads on', async () => {
    // The SIM is busy for a moment after power-on and after the unlock, as real ones are.
    const modem = await sim({ profile: ['pin', 'sim-busy'], pin: '4321', simBusyMs: 600 });
    const { core, dir } = await startModemCore(modem, { modem: { pin: '4321' }, settings: { sweepSeconds: 5, keepaliveSeconds: 60 } });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 10_000);
    const states: string[] = [];
    const timer = setInterval(() => states.push(core.modems.status()[0]?.state ?? '?'), 20);
    modem.reboot();
    modem.deliver({ sender: 'bKash', text: BKASH('BKB0000001') });
    await until('the message after the reboot', () => rows(dir).length === 1, 15_000);
    clearInterval(timer);
    expect(modem.commandLog().filter((c) => c.line === 'AT+CPIN="4321"').length, 'the accepted PIN sent again after the reboot').toBe(2);
    expect(
      states.some((s) => s !== 'ready'),
      'the status did not stay "ready" while the SIM was locked',
    ).toBe(true);
    expect(core.modems.status()[0]?.last_error ?? '').toMatch(/restart|reboot|PIN|lock/i);
    await until('ready again', () => core.modems.status()[0]?.state === 'ready', 5_000);
  });

  it('without a PIN: notices +CNMI went back to 0 (keepalive) and sets it again, so +CMTI reads on', async () => {
    const modem = await sim();
    const { core, dir } = await startModemCore(modem, { settings: { ...NO_SWEEP, keepaliveSeconds: 5 } });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 10_000);
    modem.reboot();
    expect(modem.state().cnmi[1]).toBe(0);
    await until('+CNMI set again', () => modem.state().cnmi[1] === 1, 9_000);
    modem.deliver({ sender: 'bKash', text: BKASH('BKB0000002') });
    await until('the announced message', () => rows(dir).length === 1, 3_000);
    expect(core.modems.status()[0]?.state).toBe('ready');
  });

  it('with boot lines (SIM800 "RDY" … "SMS Ready"): re-initialises at once and reads what waits', async () => {
    const modem = await sim({ bootLines: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'] });
    const { core, dir } = await startModemCore(modem, { settings: { ...NO_SWEEP, keepaliveSeconds: 600 } });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 10_000);
    // 'ready' is set before the start's backlog read ends (SM, then ME, then back to SM): a reboot
    // inside one of its commands is found by that command's timeout, not by the boot lines.
    await until(
      "the start's read done",
      () => {
        const lines = modem.commandLog().map((c) => c.line);
        const me = lines.lastIndexOf('AT+CPMS="ME"');
        return me >= 0 && lines.indexOf('AT+CPMS="SM"', me) > me;
      },
      10_000,
    );
    await sleep(200);
    modem.reboot();
    modem.preload({ sender: 'bKash', text: BKASH('BKB0000003') });
    await until('the stored message read after the reboot', () => rows(dir).length === 1, 12_000);
    await until('+CNMI set again', () => modem.state().cnmi[1] === 1, 2_000);
  });
});

describe('a SIM that is not ready at boot', () => {
  it('waits out "+CPIN: NOT READY" (SIM800), then reads the backlog', async () => {
    const modem = await sim({ simNotReadyMs: 2_500, initialMessages: [{ sender: 'bKash', text: BKASH('BKN0000001') }] });
    const { core, dir } = await startModemCore(modem);
    await until('the backlog', () => rows(dir).length === 1, 15_000);
    expect(core.modems.status()[0]?.state).toBe('ready');
  });

  it('waits out "+CME ERROR: 10" (SIM not seen yet) at boot, then reads the backlog', async () => {
    const modem = await sim({ simAbsentMs: 2_500, initialMessages: [{ sender: 'bKash', text: BKASH('BKN0000002') }] });
    const { core, dir } = await startModemCore(modem);
    await until('the backlog', () => rows(dir).length === 1, 15_000);
    expect(core.modems.status()[0]?.state).toBe('ready');
  });
});

describe('messages in another memory', () => {
  it('reads a +CMTI that names "ME" while the reader uses "SM", and what ME holds at start', async () => {
    const modem = await sim({ initialMessages: [{ sender: 'bKash', text: BKASH('BKM0000001'), storage: 'ME' }] });
    const violations = watchDeletions(modem, () => path.join(dir, 'counterpay.sqlite'));
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 10_000);
    await until('the ME backlog', () => rows(dir).length === 1, 5_000);
    modem.deliver({ sender: 'bKash', text: BKASH('BKM0000002'), storage: 'ME' });
    await until('the announced ME message', () => rows(dir).length === 2, 4_000);
    await until('ME empty', () => modem.stored().length === 0, 4_000);
    expect(modem.deletions().map((d) => d.storage)).toEqual(['ME', 'ME']);
    expect(violations).toEqual([]);
    // Back on SM afterwards: a +CMTI for SM is read there.
    expect(modem.state().cpms[0]).toBe('SM');
    modem.deliver({ sender: 'bKash', text: BKASH('BKM0000003') });
    await until('the SM message', () => rows(dir).length === 3, 4_000);
  });

  it('reads nothing (and deletes nothing on SM) when the modem refuses to switch to the memory a +CMTI names', async () => {
    const modem = await sim({
      initialMessages: [{ sender: 'bKash', text: BKASH('BKM0000010') }],
      override: (line) => (line === 'AT+CPMS="ME"' ? { final: '+CMS ERROR: 302' } : undefined),
    });
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    await until('the SM backlog', () => rows(dir).length === 1, 5_000);
    const [index] = modem.deliver({ sender: 'bKash', text: BKASH('BKM0000011'), storage: 'ME' });
    // The SIM holds a message at the same index: a read or delete there would be the wrong message.
    modem.preload({ sender: 'bKash', text: BKASH('BKM0000012') });
    expect(modem.stored().find((m) => m.storage === 'SM')?.index).toBe(index);
    await until('the refused switch said', () => /ME memory/.test(core.modems.status()[0]?.last_error ?? ''), 4_000);
    expect(modem.deletions().map((d) => d.storage)).toEqual(['SM']);
    expect(modem.commandLog().filter((c) => c.line === `AT+CMGD=${index}`).length).toBe(1);
  });

  it('says so when the modem refuses the storage it is asked to use (AT+CPMS=…)', async () => {
    const modem = await sim({ override: (line) => (line.startsWith('AT+CPMS="') ? { final: '+CMS ERROR: 302' } : undefined) });
    const { core } = await startModemCore(modem);
    await until('a status that names the refused storage', () => /CPMS|storage/i.test(core.modems.status()[0]?.last_error ?? ''), 10_000);
  });
});

describe('a renumbered port', () => {
  it('keeps waiting parts under the SIM, not the port: part 1 read on ttyUSB0 joins parts 2 and 3 read on ttyUSB1', async () => {
    const linkDir = makeTempDir('counterpay-modem-ports-');
    const first = await sim({ linkDir, deviceName: 'ttyUSB0' });
    const dir = makeTempDir('counterpay-modem-');
    const a = await startModemCore(first, { modem: { label: undefined }, dir });
    await until('ready', () => a.core.modems.status()[0]?.state === 'ready', 10_000);
    const pdus = first.encode({ sender: 'bKash', text: LONG('BKP0000001'), concatRef: 77 });
    expect(pdus.length).toBeGreaterThanOrEqual(2);
    first.deliverPdus(pdus.slice(0, 1));
    await until('part 1 kept', () => a.core.modems.status()[0]?.parts_waiting === 1, 5_000);
    await stopModemCore(a.core);
    await first.stop();
    const second = await sim({ linkDir, deviceName: 'ttyUSB1' });
    const b = await startModemCore(second, { modem: { label: undefined }, dir });
    await until('ready', () => b.core.modems.status()[0]?.state === 'ready', 10_000);
    second.deliverPdus(pdus.slice(1));
    await until('the whole message', () => rows(dir).length === 1, 5_000);
    expect(rows(dir)[0]?.body).toBe(LONG('BKP0000001'));
  });

  it('remembers a refused PIN under the SIM, not the port', async () => {
    const linkDir = makeTempDir('counterpay-modem-ports-');
    const first = await sim({ linkDir, deviceName: 'ttyUSB0', profile: 'pin', pin: '4321' });
    const dir = makeTempDir('counterpay-modem-');
    const a = await startModemCore(first, { modem: { label: undefined, pin: '1111' }, dir });
    await until('pin_rejected', () => a.core.modems.status()[0]?.state === 'pin_rejected', 10_000);
    await stopModemCore(a.core);
    await first.stop();
    const second = await sim({ linkDir, deviceName: 'ttyUSB1', profile: 'pin', pin: '4321' });
    const b = await startModemCore(second, { modem: { label: undefined, pin: '1111' }, dir });
    await until('pin_rejected', () => b.core.modems.status()[0]?.state === 'pin_rejected', 10_000);
    expect(second.commandLog().filter((c) => c.line.startsWith('AT+CPIN="')).length, 'the refused PIN sent again').toBe(0);
    expect(fs.existsSync(path.join(dir, 'modem-pins.json'))).toBe(true);
  });
});

describe('other ways a message arrives', () => {
  it('initialises a Huawei that answers unknown commands with "COMMAND NOT SUPPORT"', async () => {
    const modem = await sim({
      profile: 'huawei',
      unknownCommandReply: 'COMMAND NOT SUPPORT',
      initialMessages: [{ sender: 'bKash', text: BKASH('BKH0000001') }],
    });
    const { core, dir } = await startModemCore(modem);
    await until('the backlog', () => rows(dir).length === 1, 8_000);
    expect(core.modems.status()[0]?.state).toBe('ready');
  });

  it('^SMMEMFULL (Huawei) drains the storage at once', async () => {
    const modem = await sim({ profile: 'huawei', storages: { SM: 5, ME: 23 } });
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 10_000);
    // Five arrive unannounced (the modem lost the +CMTI) and fill the SIM; the sixth brings ^SMMEMFULL.
    for (let i = 0; i < 5; i += 1) modem.deliver({ sender: 'bKash', text: BKASH(`BKF000000${i}`), announce: false });
    modem.deliver({ sender: 'bKash', text: BKASH('BKF0000009') });
    await until('all six', () => rows(dir).length === 6, 6_000);
  });

  it('+CMT direct delivery: stored, then acknowledged (AT+CNMA), never delivered twice', async () => {
    // A modem left delivering directly (mt=2) whose +CNMI=? offers nothing that stores and announces.
    const modem = await sim({ defaultCnmi: [2, 2, 0, 0, 0], cnmiTest: '+CNMI: (0-2),(0,2),(0),(0),(0)' });
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 10_000);
    expect(modem.state().cnmi[1]).toBe(2);
    modem.deliver({ sender: 'bKash', text: BKASH('BKD0000001') });
    await until('the delivered message', () => rows(dir).length === 1, 3_000);
    await until('acknowledged', () => modem.commandLog().some((c) => c.line === 'AT+CNMA'), 3_000);
    await sleep(2_500);
    expect(modem.pendingInNetwork()).toEqual([]);
    expect(rows(dir).length).toBe(1);
    expect(modem.state().cnmi[1], 'the modem kept delivering: every +CMT was acknowledged in time').toBe(2);
  });

  it('two configured ports of one modem (same IMEI): only one reads and deletes, the other says why', async () => {
    const a = await sim({ initialMessages: [{ sender: 'bKash', text: BKASH('BKT0000001') }] });
    const b = await sim({ initialMessages: [{ sender: 'bKash', text: BKASH('BKT0000002') }] });
    // Two ports that answer with the same IMEI, as config.json lists them.
    const { core: two } = await startModemCore(
      [
        { path: a.devicePath, label: 'port-a' },
        { path: b.devicePath, label: 'port-b' },
      ],
      { settings: { sweepSeconds: 5, keepaliveSeconds: 5, commandTimeoutSeconds: 3 } },
    );
    try {
      await until(
        'one ready, one refused',
        () => {
          const s = two.modems
            .status()
            .map((m) => m.state)
            .sort();
          return s[0] === 'error' && s[1] === 'ready';
        },
        10_000,
      );
      const refused = two.modems.status().find((m) => m.state === 'error');
      expect(refused?.detail ?? '').toMatch(/same modem|IMEI/i);
      const refusedSim = refused?.label === 'port-a' ? a : b;
      expect(
        refusedSim.commandLog().some((c) => /^AT\+CMG[LD]/.test(c.line)),
        'the refused port neither lists nor deletes',
      ).toBe(false);
    } finally {
      await stopModemCore(two);
    }
  });
});

describe('a SIM swapped while the core runs', () => {
  it('keeps the old SIM’s waiting part under its own key: never handed to the new SIM', async () => {
    let swapped = false;
    const modem = await sim({
      bootLines: ['RDY'],
      identity: { imsi: '470011111111111', iccid: '8988001111111111111' },
      override: (line) => {
        if (!swapped) return undefined;
        if (line === 'AT+CCID') return { lines: ['8988002222222222222'] };
        if (line === 'AT+CIMI') return { lines: ['470012222222222'] };
        return undefined;
      },
    });
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    await until('ready', () => core.modems.status()[0]?.state === 'ready', 8_000);
    const pdus = modem.encode({ sender: 'bKash', text: LONG('BKW0000001'), concatRef: 93 });
    modem.deliverPdus(pdus.slice(0, 1));
    await until('part 1 kept', () => core.modems.status()[0]?.parts_waiting === 1, 5_000);

    // Another SIM goes in; the modem restarts in place and the reader sets it up again.
    swapped = true;
    modem.reboot();
    const keys = () => {
      const db = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT modem FROM modem_parts').all() as { modem: string }[]).map((r) => r.modem);
      } finally {
        db.close();
      }
    };
    await until('the new SIM read', () => modem.commandLog().filter((c) => c.line === 'AT+CIMI').length >= 2, 10_000);
    await until('ready again', () => core.modems.status()[0]?.state === 'ready', 8_000);
    expect(keys(), 'the old SIM’s part stays under its own key').toEqual(['iccid:8988001111111111111']);
    expect(core.modems.status()[0]?.parts_waiting, 'not counted as the new SIM’s part before the wait').toBe(0);
  });
});
