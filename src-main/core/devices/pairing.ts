import os from 'node:os';
import { AppError } from '../errors';
import { readKeyFile } from '../secrets';
import type { PairingPayload } from './types';

type Interfaces = ReturnType<typeof os.networkInterfaces>;

export interface PairingOptions {
  /** The data dir: the key is read from keys.json now, so a rotated key shows at once. */
  dataDir: string;
  /** The device listener's actual port. */
  devicePort: number;
  /** The device listener's bind address; a specific address is the only URL offered. */
  deviceHost?: string;
  /** For tests; defaults to os.networkInterfaces(). */
  networkInterfaces?: Interfaces;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Every non-internal IPv4 address of this machine, in interface order, without repeats. */
export function lanIpv4Addresses(interfaces: Interfaces = os.networkInterfaces()): string[] {
  const out: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      // Node 18.0–18.3 reported family as the number 4.
      const isV4 = info.family === 'IPv4' || (info.family as unknown) === 4;
      if (isV4 && !info.internal && !out.includes(info.address)) out.push(info.address);
    }
  }
  return out;
}

/**
 * What the counter UI shows as a QR code for the APK: where to reach the device listener
 * on the shop LAN, and the device_auth_key to bind with.
 */
export function buildPairingPayload(options: PairingOptions): PairingPayload {
  const keys = readKeyFile(options.dataDir);
  if (!keys) throw new AppError('not_found', `no keys.json in ${options.dataDir}; start CounterPay once first`);
  const host = options.deviceHost?.trim() ?? '';
  const addresses = WILDCARD.has(host) ? lanIpv4Addresses(options.networkInterfaces) : [host];
  const urlHost = (h: string) => (h.includes(':') ? `[${h}]` : h);
  return {
    version: 1,
    base_urls: addresses.map((a) => `http://${urlHost(a)}:${options.devicePort}`),
    device_auth_key: keys.device_auth_key,
  };
}
