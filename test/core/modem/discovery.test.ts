import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { candidatePorts, probeForModem } from '../../../src-main/core/modem';
import { openSerial } from '../../../src-main/core/modem/serial-link';
import { ModemSimulator } from '../../support/modem-sim';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

/**
 * Finding the modem when none is configured (`npm start` probes): a /dev of the test's own, with
 * a by-id link and a ttyUSB node that both point at a simulated modem's pty, a ttyACM node that
 * is no serial port at all, and a by-id link whose device was unplugged. serialport's own list
 * is replaced by an empty one (the machine's ports are not the test's); everything else is real:
 * the links, the pty, the serialport bindings and the AT exchange.
 */
afterAll(async () => {
  await ModemSimulator.stopAll();
  removeTempDirs();
});

async function fakeDev(): Promise<{ dev: string; byId: string; sim: ModemSimulator }> {
  const sim = await ModemSimulator.start();
  const dev = makeTempDir('counterpay-dev-');
  fs.mkdirSync(path.join(dev, 'serial', 'by-id'), { recursive: true });
  const target = fs.realpathSync(sim.devicePath);
  const byId = path.join(dev, 'serial', 'by-id', 'usb-HUAWEI_Technology_HUAWEI_Mobile-if00-port0');
  fs.symlinkSync(target, byId);
  fs.symlinkSync(target, path.join(dev, 'ttyUSB0'));
  fs.writeFileSync(path.join(dev, 'ttyACM3'), 'not a serial port');
  fs.symlinkSync(path.join(dev, 'gone'), path.join(dev, 'serial', 'by-id', 'usb-ZTE_unplugged-if02-port0'));
  return { dev, byId, sim };
}

describe('modem discovery', () => {
  it('lists the modem by its by-id name, not the ttyUSB number a replug changes, and keeps other nodes after it', async () => {
    const { dev, byId } = await fakeDev();
    const ports = await candidatePorts({ devDir: dev, list: async () => [] });
    expect(ports).toEqual([byId, path.join(dev, 'ttyACM3')]);
  });

  it('still reads /dev when serialport cannot list (no udevadm)', async () => {
    const { dev, byId } = await fakeDev();
    const ports = await candidatePorts({
      devDir: dev,
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    });
    expect(ports[0]).toBe(byId);
  });

  it('probes each candidate with AT and picks the one that answers OK, skipping what cannot be opened', async () => {
    const { dev, byId, sim } = await fakeDev();
    const ports = await candidatePorts({ devDir: dev, list: async () => [] });
    const found = await probeForModem(openSerial, [path.join(dev, 'ttyACM3'), path.join(dev, 'missing'), ...ports], 1_500);
    expect(found).toBe(byId);
    expect(sim.commandLog().some((c) => /^AT\s*$/i.test(c.line))).toBe(true);
  });

  it('answers null when nothing answers', async () => {
    const dev = makeTempDir('counterpay-dev-');
    fs.writeFileSync(path.join(dev, 'ttyUSB9'), '');
    expect(await probeForModem(openSerial, await candidatePorts({ devDir: dev, list: async () => [] }), 500)).toBeNull();
  });
});
