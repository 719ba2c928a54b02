/**
 * The desktop shell's pure parts, in plain Node (Electron's binary cannot run on these build
 * machines; these modules import only electron's types): the tray's status, the tray icon and
 * menu, the notifications, the remembered window state, start-at-login, stopping the core.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffAlertView } from '../../src-shared/contract/admin';
import type { DeviceHealthView } from '../../src-shared/contract/devices';
import type { ModemStatusView } from '../../src-shared/contract/modem';
import type { SmsView } from '../../src-shared/sms';
import { stopCore, whenCoreReady, windowAdminUrl } from '../../src-main/electron/core-host';
import { autostartEntry, autostartPath, loginCommand, loginItem, startedHidden, type LaunchInfo } from '../../src-main/electron/login-item';
import { AlertTracker, alertNotice, creditNotice } from '../../src-main/electron/notifications';
import { sourceStatus, withDevices, withModem } from '../../src-main/electron/source-status';
import { statusDotBitmap } from '../../src-main/electron/tray-icon';
import { trayMenuTemplate } from '../../src-main/electron/tray-menu';
import { parseWindowState, readWindowState, restoreBounds, trackWindowState, writeWindowState } from '../../src-main/electron/window-state';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';

afterEach(() => removeTempDirs());

function device(over: Partial<DeviceHealthView>): DeviceHealthView {
  return {
    device_id: 'dev_1',
    kind: 'apk',
    label: 'Counter phone',
    model: null,
    manufacturer: null,
    os_version: null,
    bound_at: '2026-01-01T00:00:00Z',
    last_seen_at: null,
    last_sms_at: null,
    online: false,
    silent_for_ms: null,
    ...over,
  };
}

function modem(over: Partial<ModemStatusView>): ModemStatusView {
  return {
    label: 'bKash SIM',
    path: '/dev/ttyUSB2',
    state: 'ready',
    detail: null,
    manufacturer: null,
    model: null,
    signal: null,
    registration: null,
    operator: null,
    storage: null,
    messages_read: 0,
    parts_waiting: 0,
    last_message_at: null,
    last_error: null,
    connected_since: null,
    ...over,
  };
}

describe('the tray status', () => {
  it('is grey until the core answers, amber with no live source, green with one', () => {
    expect(sourceStatus(null).color).toBe('grey');
    const none = sourceStatus({ devices: [], modems: [] });
    expect(none.color).toBe('amber');
    expect(none.summary).toContain('no phone or modem set up');
    const offline = sourceStatus({ devices: [device({ online: false })], modems: [modem({ state: 'sim_locked' })] });
    expect(offline.color).toBe('amber');
    expect(offline.details).toEqual(['Phone Counter phone: offline', 'Modem bKash SIM: SIM needs its PIN']);
    expect(sourceStatus({ devices: [device({ online: true })], modems: [] }).color).toBe('green');
    expect(sourceStatus({ devices: [device({ kind: 'forwarder', online: true })], modems: [] }).color).toBe('green');
    expect(sourceStatus({ devices: [], modems: [modem({ state: 'ready' })] }).color).toBe('green');
    // A modem's device row says less than modems.list: it never makes the tray green by itself.
    expect(sourceStatus({ devices: [device({ kind: 'modem', online: true })], modems: [modem({ state: 'disconnected' })] }).color).toBe(
      'amber',
    );
  });

  it('follows devices and modem events', () => {
    let data = withDevices(null, [device({ online: true })]);
    expect(sourceStatus(data).color).toBe('green');
    data = withDevices(data, [device({ online: false })]);
    data = withModem(data, modem({ state: 'connecting' }));
    expect(sourceStatus(data).color).toBe('amber');
    data = withModem(data, modem({ state: 'ready' }));
    expect(data.modems).toHaveLength(1);
    expect(sourceStatus(data).color).toBe('green');
  });
});

describe('the tray icon and menu', () => {
  it('draws a dot of the status colour on a transparent square', () => {
    const size = 32;
    const green = statusDotBitmap('green', size);
    const amber = statusDotBitmap('amber', size);
    expect(green).toHaveLength(size * size * 4);
    const px = (b: Buffer, x: number, y: number) => [...b.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    expect(px(green, 0, 0)[3]).toBe(0);
    // B, G, R, A: green's green channel leads, amber's red does.
    const [gb, gg, gr, ga] = px(green, 16, 16);
    expect(ga).toBe(255);
    expect(gg).toBeGreaterThan(gr as number);
    expect(gg).toBeGreaterThan(gb as number);
    const [, ag, ar] = px(amber, 16, 16);
    expect(ar).toBeGreaterThan(ag as number);
  });

  it('says the status, lists sources, offers open, start-at-login and quit', () => {
    const actions = { open: vi.fn(), setStartAtLogin: vi.fn(), quit: vi.fn() };
    const status = sourceStatus({ devices: [device({ online: true })], modems: [] });
    const menu = trayMenuTemplate(status, true, actions);
    expect(menu[0]).toMatchObject({ label: status.summary, enabled: false });
    expect(menu[1]?.label).toContain('Counter phone: online');
    const login = menu.find((m) => m.type === 'checkbox');
    expect(login).toMatchObject({ checked: true });
    login?.click?.({ checked: false } as never, undefined, {} as never);
    expect(actions.setStartAtLogin).toHaveBeenCalledWith(false);
    menu.find((m) => m.label === 'Open the counter')?.click?.({} as never, undefined, {} as never);
    menu.find((m) => String(m.label).startsWith('Quit'))?.click?.({} as never, undefined, {} as never);
    expect(actions.open).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
  });
});

function sms(over: Partial<SmsView>): SmsView {
  return {
    id: 1,
    sender: 'bKash',
    body: 'You have received Tk 500.00 from 01711111111. TrxID 9ABC123XYZ',
    received_at: '2026-01-01T10:00:00Z',
    is_test: false,
    provider: 'bkash',
    kind: 'credit',
    amount: '500.00',
    currency: 'BDT',
    txnid: '9ABC123XYZ',
    txnid_normalized: '9ABC123XYZ',
    counterparty: '01711111111',
    balance: null,
    account_hint: null,
    wallet_time: null,
    deliveries: [],
    corroborated: false,
    manual: false,
    credit_check: { verdict: 'pays', reasons: [] },
    ...over,
  };
}

describe('desktop notifications', () => {
  it('cheer a credit that settles by itself, quietly flag one to check, and skip the rest', () => {
    expect(creditNotice(sms({}))).toEqual({
      title: 'Payment received',
      body: '500.00 BDT by bKash from 01711111111\nTxnID 9ABC123XYZ',
      silent: false,
    });
    expect(creditNotice(sms({ credit_check: { verdict: 'check_first', reasons: [] } }))).toMatchObject({
      title: 'Credit to check',
      silent: true,
    });
    expect(creditNotice(sms({ credit_check: { verdict: 'rejected', reasons: [] } }))).toBeNull();
    expect(creditNotice(sms({ is_test: true }))).toBeNull();
    expect(creditNotice(sms({ kind: 'debit' }))).toBeNull();
    expect(creditNotice(sms({ kind: 'spoof' }))).toBeNull();
  });

  it('announce staff alerts once: none of those already open at start, each new one after', () => {
    const alert = (id: number, kind: StaffAlertView['kind'] = 'spoof_attempt'): StaffAlertView => ({
      id,
      kind,
      message: `alert ${id}`,
      session_id: null,
      transaction_id: null,
      sms_id: null,
      created_at: '2026-01-01T10:00:00Z',
    });
    const tracker = new AlertTracker();
    expect(tracker.fresh([alert(1), alert(2)])).toEqual([]);
    expect(tracker.fresh([alert(1), alert(2)])).toEqual([]);
    expect(tracker.fresh([alert(4), alert(3), alert(1)]).map((a) => a.id)).toEqual([3, 4]);
    expect(tracker.fresh([alert(4)])).toEqual([]);
    expect(alertNotice(alert(5, 'transaction_reversed'))).toEqual({ title: 'Payment reversed', body: 'alert 5', silent: false });
    expect(alertNotice(alert(6, 'balance_mismatch')).title).toBe('An SMS may be missing');
  });
});

describe('the remembered window state', () => {
  const screen = { x: 0, y: 0, width: 1366, height: 728 };

  it('reads back what it wrote (mode 0600), and ignores a missing or corrupt file', () => {
    const dir = makeTempDir();
    expect(readWindowState(dir)).toBeNull();
    writeWindowState(dir, { bounds: { x: 40, y: 30, width: 1000, height: 700 }, maximized: true });
    expect(readWindowState(dir)).toEqual({ bounds: { x: 40, y: 30, width: 1000, height: 700 }, maximized: true });
    expect(fs.statSync(path.join(dir, 'window-state.json')).mode & 0o777).toBe(0o600);
    expect(parseWindowState('{oops')).toBeNull();
    expect(parseWindowState('{"bounds":{"x":0,"y":0,"width":-5,"height":10}}')).toBeNull();
    expect(parseWindowState('{"bounds":{"x":"0","y":0,"width":5,"height":10}}')).toBeNull();
  });

  it('reopens where it was, shrinks to a smaller screen, and recentres when its display is gone', () => {
    expect(restoreBounds({ bounds: { x: 40, y: 20, width: 1000, height: 700 }, maximized: false }, [screen])).toEqual({
      x: 40,
      y: 20,
      width: 1000,
      height: 700,
    });
    expect(restoreBounds({ bounds: { x: 100, y: 50, width: 1920, height: 1080 }, maximized: false }, [screen])).toEqual({
      x: 0,
      y: 0,
      width: 1366,
      height: 728,
    });
    // It was on a second monitor, unplugged since.
    expect(restoreBounds({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false }, [screen])).toEqual({
      width: 1280,
      height: 800,
    });
    // Its title bar is above the screen: it could not be dragged back.
    expect(restoreBounds({ bounds: { x: 10, y: -600, width: 1000, height: 700 }, maximized: false }, [screen])).toEqual({
      width: 1280,
      height: 800,
    });
    expect(restoreBounds(null, [screen])).toEqual({ width: 1280, height: 800 });
    // Partly below the taskbar: pulled up so all of it shows.
    expect(restoreBounds({ bounds: { x: 40, y: 100, width: 1000, height: 700 }, maximized: false }, [screen])).toEqual({
      x: 40,
      y: 28,
      width: 1000,
      height: 700,
    });
  });

  it('saves after moves settle and at close, never a minimized window', () => {
    vi.useFakeTimers();
    try {
      const win = Object.assign(new EventEmitter(), {
        bounds: { x: 1, y: 2, width: 900, height: 650 },
        minimized: false,
        getNormalBounds() {
          return this.bounds;
        },
        isMaximized: () => false,
        isMinimized() {
          return this.minimized;
        },
      });
      const save = vi.fn();
      trackWindowState(win, save, 500);
      win.emit('move');
      win.emit('resize');
      expect(save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(save).toHaveBeenCalledTimes(1);
      win.minimized = true;
      win.emit('close');
      expect(save).toHaveBeenCalledTimes(1);
      win.minimized = false;
      win.emit('close');
      expect(save).toHaveBeenLastCalledWith({ bounds: { x: 1, y: 2, width: 900, height: 650 }, maximized: false });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('start at login', () => {
  const base: LaunchInfo = { platform: 'linux', execPath: '/opt/CounterPay/counterpay', appPath: null, appImage: null, configHome: '/tmp' };

  it('starts the app hidden in the tray: the AppImage itself, or electron with the app folder from source', () => {
    expect(loginCommand(base)).toEqual({ path: '/opt/CounterPay/counterpay', args: ['--hidden'] });
    expect(loginCommand({ ...base, appImage: '/home/shop/CounterPay.AppImage', execPath: '/tmp/.mount_Cou/counterpay' })).toEqual({
      path: '/home/shop/CounterPay.AppImage',
      args: ['--hidden'],
    });
    expect(loginCommand({ ...base, execPath: '/w/node_modules/electron/dist/electron', appPath: '/w' })).toEqual({
      path: '/w/node_modules/electron/dist/electron',
      args: ['/w', '--hidden'],
    });
    expect(startedHidden(['counterpay', '--hidden'], false)).toBe(true);
    expect(startedHidden(['counterpay'], true)).toBe(true);
    expect(startedHidden(['counterpay'], false)).toBe(false);
  });

  it('on Linux, writes and removes an XDG autostart entry with a quoted Exec line', () => {
    const configHome = makeTempDir();
    const info = { ...base, appImage: '/home/shop/My Apps/CounterPay "1".AppImage', configHome };
    expect(autostartEntry(info)).toContain('Exec="/home/shop/My Apps/CounterPay \\\\"1\\\\".AppImage" --hidden\n');
    const item = loginItem({ getLoginItemSettings: vi.fn(), setLoginItemSettings: vi.fn() } as never, info);
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    expect(fs.readFileSync(autostartPath(configHome), 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    item.set(false);
    expect(item.get()).toBe(false);
  });

  it("on Windows and macOS, uses the OS's login items with the same command", () => {
    const app = { getLoginItemSettings: vi.fn(() => ({ openAtLogin: true })), setLoginItemSettings: vi.fn() };
    const item = loginItem(app as never, { ...base, platform: 'win32', execPath: 'C:\\CounterPay\\CounterPay.exe' });
    expect(item.get()).toBe(true);
    expect(app.getLoginItemSettings).toHaveBeenCalledWith({ path: 'C:\\CounterPay\\CounterPay.exe', args: ['--hidden'] });
    item.set(false);
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({
      openAtLogin: false,
      path: 'C:\\CounterPay\\CounterPay.exe',
      args: ['--hidden'],
    });
  });
});

describe('the core utility process', () => {
  function fakeChild() {
    return Object.assign(new EventEmitter(), { postMessage: vi.fn(), kill: vi.fn(() => true) });
  }

  it('is ready on its ready message, and failed on a failure or an early exit', async () => {
    const ok = fakeChild();
    const ready = whenCoreReady(ok);
    ok.emit('message', { type: 'ready', urls: { public: 'a', device: 'b', admin: 'http://0.0.0.0:8788' }, adminToken: 'cpa_x' });
    await expect(ready).resolves.toMatchObject({ adminToken: 'cpa_x' });
    const failed = fakeChild();
    const f = whenCoreReady(failed);
    failed.emit('message', { type: 'failed', message: 'database is locked' });
    await expect(f).rejects.toThrow('database is locked');
    const died = fakeChild();
    const d = whenCoreReady(died);
    died.emit('exit', 3);
    await expect(d).rejects.toThrow('exited with code 3');
    expect(windowAdminUrl('http://0.0.0.0:8788')).toBe('http://127.0.0.1:8788');
  });

  it('is asked to stop by message (a clean drain), and killed only when it overstays its grace', async () => {
    vi.useFakeTimers();
    try {
      const polite = fakeChild();
      const stopped = stopCore(polite, 15_000);
      expect(polite.postMessage).toHaveBeenCalledWith({ type: 'stop' });
      vi.advanceTimersByTime(2_000);
      polite.emit('exit', 0);
      await stopped;
      vi.advanceTimersByTime(20_000);
      expect(polite.kill).not.toHaveBeenCalled();

      const stuck = fakeChild();
      const killed = stopCore(stuck, 15_000);
      vi.advanceTimersByTime(15_000);
      expect(stuck.kill).toHaveBeenCalledOnce();
      stuck.emit('exit', 1);
      await killed;
    } finally {
      vi.useRealTimers();
    }
  });
});
