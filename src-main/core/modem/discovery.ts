import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { AtChannel } from './at-channel';
import type { OpenSerial } from './serial-link';

/** Where candidatePorts looks (tests point it at a directory of their own). */
export interface PortSearch {
  /** The /dev directory (its serial/by-id links and ttyUSB/ttyACM nodes). */
  devDir?: string;
  /** serialport's list; it fails on machines without udevadm. */
  list?: () => Promise<readonly { path: string }[]>;
}

/**
 * Serial ports that may be a GSM modem: serialport's list, and where that fails (it needs
 * udevadm, which many machines lack) the /dev/serial/by-id links and the ttyUSB/ttyACM nodes.
 * A by-id link comes first and stands for the node it points to: it names the modem (vendor,
 * model, serial, interface), so the port a probe finds is still the same modem after a replug
 * renumbers ttyUSB0 as ttyUSB1.
 */
export async function candidatePorts(search: PortSearch = {}): Promise<string[]> {
  const devDir = search.devDir ?? '/dev';
  const byIdDir = path.join(devDir, 'serial', 'by-id');
  const stable = new Map<string, string>();
  try {
    for (const name of fs.readdirSync(byIdDir).sort()) {
      const link = path.join(byIdDir, name);
      try {
        const target = fs.realpathSync(link);
        if (!stable.has(target)) stable.set(target, link);
      } catch {
        // A dangling link: the device is gone.
      }
    }
  } catch {
    // No such directory: no USB serial devices, or not Linux.
  }
  const others = new Set<string>();
  try {
    for (const p of await (search.list ?? (() => SerialPort.list()))())
      if (/ttyUSB|ttyACM|usbmodem|COM\d+/i.test(p.path)) others.add(p.path);
  } catch {
    // No udevadm: /dev is read below.
  }
  try {
    for (const name of fs.readdirSync(devDir)) if (/^tty(?:USB|ACM)\d+$/.test(name)) others.add(path.join(devDir, name));
  } catch {
    // Not a Unix /dev.
  }
  const covered = (node: string): boolean => {
    try {
      return stable.has(fs.realpathSync(node));
    } catch {
      return false;
    }
  };
  return [...stable.values(), ...[...others].filter((node) => !covered(node)).sort()];
}

/** The first candidate that answers `AT` with OK within the timeout (each port is closed after). */
export async function probeForModem(open: OpenSerial, candidates: readonly string[], timeoutMs = 1_500): Promise<string | null> {
  for (const candidate of candidates) {
    let link;
    try {
      link = await open(candidate, 115_200);
    } catch {
      continue;
    }
    try {
      const channel = new AtChannel(link.transport);
      await channel.send('AT', { timeoutMs });
      channel.close();
      return candidate;
    } catch {
      // Not a modem (or not answering): next.
    } finally {
      await link.close();
    }
  }
  return null;
}
