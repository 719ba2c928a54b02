import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { startModemCore, stopModemCores } from '../../support/modem-core';
import { ModemSimulator } from '../../support/modem-sim';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';
import { BKASH, sleep, until } from './modem-review-support';

/**
 * Attack on the second-port refusal and the IMEI claims (src-main/core/modem/index.ts,
 * ModemReader.initialise/onUrc).
 *
 * 1. A port refused as "the same modem … is already read on …" returns 'blocked' from
 *    initialise, but its channel stays open and onUrc still acts on +CMTI (readIndex: AT+CMGR,
 *    AT+CMGD), ^SMMEMFULL (readAll: AT+CMGL=4, AT+CMGD) and +CMT: the refused port reads and
 *    deletes after all. On a real two-port modem both ports share one storage, so this is the
 *    two-readers race the refusal exists to prevent: port A lists index 3 (message X), port B
 *    (on "+CMTI: 3") stores X and deletes 3, message Y lands at 3, port A then deletes 3 — Y is
 *    gone unread. A correct reader that refused a port never reads or deletes on it.
 *
 * 2. A claim is released only by stop(), never when the port is lost. Two modems whose ports
 *    come back swapped after a USB re-enumeration (ttyUSB2 ↔ ttyUSB5, paths pinned in config)
 *    each find their new modem "already read" by the other reader, return 'blocked' and never try
 *    again: neither SIM is read until the core restarts. A correct reader drops its claim when its
 *    port goes (or re-checks the holder), so both read again after the replug.
 */

afterEach(async () => {
  await stopModemCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

async function startTwo(paths: [string, string]): Promise<{ core: Core; dir: string }> {
  const { core, dir } = await startModemCore(
    [
      { path: paths[0], label: 'port-a' },
      { path: paths[1], label: 'port-b' },
    ],
    { settings: { sweepSeconds: 3600, keepaliveSeconds: 5, commandTimeoutSeconds: 2 } },
  );
  return { core, dir };
}

describe('modem attack: a port refused as the second port of one modem', () => {
  it('neither reads nor deletes on a +CMTI or ^SMMEMFULL it sees afterwards', async () => {
    // Two ports answering the same IMEI (the simulator's default identity).
    const a = await ModemSimulator.start();
    const b = await ModemSimulator.start();
    const { core } = await startTwo([a.devicePath, b.devicePath]);
    await until(
      'one ready, one refused',
      () => {
        const s = core.modems
          .status()
          .map((m) => m.state)
          .sort();
        return s[0] === 'error' && s[1] === 'ready';
      },
      10_000,
    );
    const refused = core.modems.status().find((m) => m.state === 'error');
    const port = refused?.label === 'port-a' ? a : b;
    // The modem announces a message on this port too (some announce on every port).
    const [index] = port.preload({ sender: 'bKash', text: BKASH('BKR0000001') });
    port.emitUrc(`+CMTI: "SM",${index}`);
    port.emitUrc('^SMMEMFULL: "SM"');
    await sleep(1_500);
    const reads = port
      .commandLog()
      .filter((c) => /^AT\+CMG[LRD]/.test(c.line))
      .map((c) => c.line);
    expect(reads, 'the refused port read or deleted').toEqual([]);
    expect(port.deletions().length, 'deleted on the refused port').toBe(0);
  });
});

describe('modem attack: two modems whose ports come back swapped', () => {
  it('reads both again after a replug that swapped their ports', async () => {
    const linkDir = makeTempDir('counterpay-modem-links-');
    const one = await ModemSimulator.start({
      linkDir,
      deviceName: 'modem-one',
      identity: { imei: '867322030000011', imsi: '470010000000011', iccid: '8988000000000000011' },
    });
    const two = await ModemSimulator.start({
      linkDir,
      deviceName: 'modem-two',
      identity: { imei: '867322030000022', imsi: '470010000000022', iccid: '8988000000000000022' },
    });
    // The paths config.json names (/dev/ttyUSB2, /dev/ttyUSB5): links the test repoints.
    const ports = makeTempDir('counterpay-modem-ttys-');
    const usb2 = path.join(ports, 'ttyUSB2');
    const usb5 = path.join(ports, 'ttyUSB5');
    fs.symlinkSync(one.devicePath, usb2);
    fs.symlinkSync(two.devicePath, usb5);
    const { core } = await startTwo([usb2, usb5]);
    await until('both ready', () => core.modems.status().every((m) => m.state === 'ready'), 10_000);

    await one.unplug();
    await two.unplug();
    // USB re-enumeration: each modem comes back on the other's node.
    const repoint = (link: string, target: string) => {
      const tmp = `${link}.new`;
      fs.symlinkSync(target, tmp);
      fs.renameSync(tmp, link);
    };
    repoint(usb2, two.devicePath);
    repoint(usb5, one.devicePath);
    await one.replug();
    await two.replug();

    await until('both read again', () => core.modems.status().every((m) => m.state === 'ready'), 12_000).catch(() => undefined);
    expect(
      core.modems.status().map((m) => `${m.label}: ${m.state} ${m.detail ?? ''}`.trim()),
      'each reader refused the other modem as "already read"',
    ).toEqual(['port-a: ready', 'port-b: ready']);
  });
});
