/**
 * The tray's one question: can an SMS reach CounterPay right now? Green when a source is live
 * (a phone or forwarder app heard from recently, or a modem ready to read SMS), amber when none
 * is, grey until the core has answered. Pure: the data is the core's `devices.list`,
 * `modems.list` and `devices` / `modem` events.
 */
import type { DeviceHealthView } from '../../src-shared/contract/devices';
import type { ModemStatusView } from '../../src-shared/contract/modem';

export type TrayColor = 'green' | 'amber' | 'grey';

export interface SourceStatus {
  color: TrayColor;
  /** One line for the tray's tooltip and the first line of its menu. */
  summary: string;
  /** One line per source, for the menu. */
  details: string[];
}

export interface SourceData {
  devices: readonly DeviceHealthView[];
  modems: readonly ModemStatusView[];
}

function deviceName(d: DeviceHealthView): string {
  const what = d.kind === 'apk' ? 'Phone' : d.kind === 'forwarder' ? 'Forwarder app' : 'Modem';
  const name = d.label ?? ([d.manufacturer, d.model].filter(Boolean).join(' ') || d.device_id);
  return `${what} ${name}`;
}

const MODEM_WORDS: Record<ModemStatusView['state'], string> = {
  connecting: 'connecting',
  initialising: 'starting',
  ready: 'ready',
  disconnected: 'unplugged',
  sim_locked: 'SIM needs its PIN',
  pin_rejected: 'SIM PIN rejected',
  sim_puk: 'SIM locked (PUK)',
  no_sim: 'no SIM',
  error: 'error',
};

/** null while the core has not answered yet (starting, or restarting). */
export function sourceStatus(data: SourceData | null): SourceStatus {
  if (!data) return { color: 'grey', summary: 'CounterPay: starting…', details: [] };
  // Modems are listed by modems.list with their state; a device row of kind modem says less.
  const phones = data.devices.filter((d) => d.kind !== 'modem');
  const livePhones = phones.filter((d) => d.online);
  const readyModems = data.modems.filter((m) => m.state === 'ready');
  const details = [
    ...phones.map((d) => `${deviceName(d)}: ${d.online ? 'online' : 'offline'}`),
    ...data.modems.map((m) => `Modem ${m.label}: ${MODEM_WORDS[m.state]}`),
  ];
  const live = livePhones.length + readyModems.length;
  if (live > 0) {
    return { color: 'green', summary: `CounterPay: receiving SMS (${live} ${live === 1 ? 'source' : 'sources'} live)`, details };
  }
  const summary =
    phones.length + data.modems.length === 0
      ? 'CounterPay: no phone or modem set up, SMS cannot arrive'
      : 'CounterPay: no phone or modem live, SMS cannot arrive';
  return { color: 'amber', summary, details };
}

/** Applies a `devices` event (the whole list) or a `modem` event (one modem) to the data. */
export function withDevices(data: SourceData | null, devices: readonly DeviceHealthView[]): SourceData {
  return { devices, modems: data?.modems ?? [] };
}

export function withModem(data: SourceData | null, modem: ModemStatusView): SourceData {
  const modems = data?.modems ?? [];
  const known = modems.some((m) => m.path === modem.path);
  return { devices: data?.devices ?? [], modems: known ? modems.map((m) => (m.path === modem.path ? modem : m)) : [...modems, modem] };
}
