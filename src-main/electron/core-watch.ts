/**
 * What the shell keeps an eye on while it runs: whether an SMS source is live (the tray's
 * colour) and what deserves a desktop notification (credits as they land, new staff alerts).
 * Plain Node, no electron: it reports through callbacks, and main.ts turns them into a tray
 * icon and Notifications. test/electron/core-watch.test.ts runs it against a stand-in core.
 */
import type { DesktopConnection } from '../../src-shared/contract/desktop';
import { followAdminEvents, invokeAdmin, type AdminEventHandler } from './admin-link';
import { AlertTracker, alertNotice, creditNotice, type DesktopNotice } from './notifications';
import { sourceStatus, withDevices, withModem, type SourceData, type SourceStatus } from './source-status';

export interface CoreWatchOptions {
  onStatus(status: SourceStatus): void;
  onNotice(notice: DesktopNotice): void;
  /**
   * Devices turn offline by silence, which no event announces at once, and the core has no
   * event for staff alerts: both are also re-read on this period.
   */
  pollMs?: number;
  /** Alerts are re-read this long after an SMS or session event (they are born of those). */
  alertDelayMs?: number;
}

export function watchCore(connection: DesktopConnection, options: CoreWatchOptions): () => void {
  let data: SourceData | null = null;
  let stopped = false;
  const alerts = new AlertTracker();
  let alertTimer: NodeJS.Timeout | null = null;

  const publish = () => {
    if (!stopped) options.onStatus(sourceStatus(data));
  };

  const refreshSources = async () => {
    try {
      const [devices, modems] = await Promise.all([
        invokeAdmin(connection, 'devices.list', {}),
        invokeAdmin(connection, 'modems.list', {}),
      ]);
      data = { devices: devices.devices, modems: modems.modems };
    } catch {
      // The core is not answering: say so rather than show a colour we cannot vouch for.
      data = null;
    }
    publish();
  };

  const checkAlerts = async () => {
    alertTimer = null;
    try {
      const { alerts: open } = await invokeAdmin(connection, 'alerts.list', {});
      for (const alert of alerts.fresh(open)) if (!stopped) options.onNotice(alertNotice(alert));
    } catch {
      // Tried again on the next event or period.
    }
  };
  const checkAlertsSoon = () => {
    if (!alertTimer) alertTimer = setTimeout(() => void checkAlerts(), options.alertDelayMs ?? 1_000);
  };

  const onEvent: AdminEventHandler = (event, payload) => {
    if (stopped) return;
    if (event === 'devices') {
      data = withDevices(data, (payload as { devices: SourceData['devices'] }).devices);
      publish();
    } else if (event === 'modem') {
      data = withModem(data, payload as SourceData['modems'][number]);
      publish();
    } else if (event === 'sms') {
      const notice = creditNotice(payload as Parameters<typeof creditNotice>[0]);
      if (notice) options.onNotice(notice);
      checkAlertsSoon();
    } else if (event === 'session') {
      checkAlertsSoon();
    }
  };

  const stopEvents = followAdminEvents(connection, onEvent, (connected) => {
    if (connected) {
      // Events may have passed while the stream was down: read the whole picture again.
      void refreshSources();
      void checkAlerts();
    } else {
      data = null;
      publish();
    }
  });
  const poll = setInterval(() => {
    void refreshSources();
    void checkAlerts();
  }, options.pollMs ?? 30_000);
  poll.unref();
  publish();

  return () => {
    stopped = true;
    stopEvents();
    clearInterval(poll);
    if (alertTimer) clearTimeout(alertTimer);
  };
}
