import type { Db } from '../db';
import { listBoundDevices } from '../db/repos/device-repo';
import type { Logger } from '../logging';
import { toDeviceView } from './apk-devices';
import type { DeviceHealthView, DevicesChangedEvent } from './types';

/** A phone heartbeats every 30 s or so; three missed beats make it offline. */
export const DEFAULT_OFFLINE_AFTER_MS = 90_000;

/**
 * Every bound device (APK phones, forwarder apps, modems) with its online state. Any
 * authenticated call counts as a sighting, not just /heartbeat.
 */
export function listDeviceHealth(
  db: Db,
  merchantId: number,
  now: number,
  offlineAfterMs: number = DEFAULT_OFFLINE_AFTER_MS,
): DeviceHealthView[] {
  return listBoundDevices(db, merchantId).map((row) => {
    const silent = row.last_seen_at === null ? null : Math.max(0, now - row.last_seen_at);
    return { ...toDeviceView(row), online: silent !== null && silent < offlineAfterMs, silent_for_ms: silent };
  });
}

export interface DeviceHealthMonitorOptions {
  db: Db;
  merchantId: number;
  /** Called when a device comes online, goes offline, is bound or is unbound. */
  onChange: (event: DevicesChangedEvent) => void;
  offlineAfterMs?: number;
  clock?: () => number;
  logger?: Logger;
}

/**
 * Turns the silent passage of time into events: nothing happens when a phone stops
 * heartbeating, so someone has to look. `tick()` compares the online state of every device
 * with the previous tick and reports the differences; `start()` ticks on a timer. The first
 * tick records the baseline and reports nothing (the UI reads the list at load).
 */
export class DeviceHealthMonitor {
  private previous: Map<string, boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly offlineAfterMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: DeviceHealthMonitorOptions) {
    this.offlineAfterMs = options.offlineAfterMs ?? DEFAULT_OFFLINE_AFTER_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** Returns the event it emitted, or null when nothing changed. */
  tick(): DevicesChangedEvent | null {
    if (!this.options.db.open) return null;
    const devices = listDeviceHealth(this.options.db, this.options.merchantId, this.clock(), this.offlineAfterMs);
    const current = new Map(devices.map((d) => [`${d.kind}:${d.device_id}`, d.online]));
    const before = this.previous;
    this.previous = current;
    if (before === null) return null;
    const changed: DevicesChangedEvent['changed'] = [];
    for (const d of devices) {
      const was = before.get(`${d.kind}:${d.device_id}`);
      if (was !== d.online) changed.push({ kind: d.kind, device_id: d.device_id, online: d.online });
    }
    for (const key of before.keys()) {
      if (!current.has(key)) {
        const [kind, ...rest] = key.split(':');
        changed.push({ kind: kind as DevicesChangedEvent['changed'][number]['kind'], device_id: rest.join(':'), online: false });
      }
    }
    if (changed.length === 0) return null;
    const event = { devices, changed };
    try {
      this.options.onChange(event);
    } catch (err) {
      this.options.logger?.error({ err }, 'device health subscriber failed');
    }
    return event;
  }

  start(intervalMs = 5_000): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        this.options.logger?.error({ err }, 'device health tick failed');
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
