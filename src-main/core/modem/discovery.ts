import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { AtChannel } from './at-channel';
import type { OpenSerial } from './serial-link';

/**
 * Serial ports that may be a GSM modem: serialport's list, and where that fails (it needs
 * udevadm, which many machines lack) the /dev/serial/by-id links and the ttyUSB/ttyACM nodes.
 */
export async function candidatePorts(): Promise<string[]> {
  const found = new Set<string>();
  try {
    for (const p of await SerialPort.list()) if (/ttyUSB|ttyACM|usbmodem|COM\d+/i.test(p.path)) found.add(p.path);
  } catch {
    // No udevadm: read /dev ourselves below.
  }
  const byId = '/dev/serial/by-id';
  try {
    for (const name of fs.readdirSync(byId)) found.add(fs.realpathSync(path.join(byId, name)));
  } catch {
    // No such directory: no USB serial devices, or not Linux.
  }
  try {
    for (const name of fs.readdirSync('/dev')) if (/^tty(?:USB|ACM)\d+$/.test(name)) found.add(`/dev/${name}`);
  } catch {
    // Not a Unix /dev.
  }
  return [...found].sort();
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
