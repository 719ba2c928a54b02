/**
 * The desktop shell: a window on the counter UI, a tray icon that says whether SMS can
 * arrive, and desktop notifications. Everything it shows comes from the core, which runs in a
 * utility process and is reached over the admin listener. This file only wires Electron to
 * the small modules beside it, whose decisions are tested in plain Node (test/electron/).
 */
import path from 'node:path';
import os from 'node:os';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
  type UtilityProcess,
} from 'electron';
import { DESKTOP_CHANNELS, type DesktopConnection } from '../../src-shared/contract/desktop';
import { stopCore, whenCoreReady, windowAdminUrl } from './core-host';
import { watchCore } from './core-watch';
import { externalUrlToOpen, installAppGuards, installSessionGuards } from './guards';
import { loginItem, startedHidden, type LoginItem } from './login-item';
import type { DesktopNotice } from './notifications';
import { sourceStatus, type SourceStatus } from './source-status';
import { statusDotBitmap } from './tray-icon';
import { trayMenuTemplate } from './tray-menu';
import { newCounterWindow } from './window-options';
import { readWindowState, restoreBounds, trackWindowState, writeWindowState } from './window-state';

/** The core's own drain (http.shutdownGraceMs, 10 s by default) plus time to close the database. */
const CORE_STOP_GRACE_MS = 15_000;
const TRAY_ICON_SIZE = 32;

let core: UtilityProcess | null = null;
let connection: DesktopConnection | null = null;
let window: BrowserWindow | null = null;
let tray: Tray | null = null;
let startAtLogin: LoginItem | null = null;
let status: SourceStatus = sourceStatus(null);
let stopWatching: (() => void) | null = null;
let quitting = false;
let toldAboutTray = false;

function counterOrigin(): string | null {
  return connection ? new URL(connection.adminUrl).origin : null;
}

/** Only what guards.ts's externalUrlToOpen let through: a plain https URL, for the system browser. */
function openExternal(url: string): void {
  const safe = externalUrlToOpen(url);
  if (safe) void shell.openExternal(safe); // eng-disable OPEN_EXTERNAL_JS_CHECK -- the URL is checked by externalUrlToOpen (https only, no credentials)
}

function showWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function notify(notice: DesktopNotice): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: notice.title, body: notice.body, silent: notice.silent });
  n.on('click', showWindow);
  n.show();
}

function refreshTray(): void {
  if (!tray) return;
  const icon = nativeImage.createFromBitmap(statusDotBitmap(status.color, TRAY_ICON_SIZE), {
    width: TRAY_ICON_SIZE,
    height: TRAY_ICON_SIZE,
    scaleFactor: 2,
  });
  tray.setImage(icon);
  tray.setToolTip(status.summary);
  const menu = Menu.buildFromTemplate(
    trayMenuTemplate(status, startAtLogin?.get() ?? false, {
      open: showWindow,
      setStartAtLogin: (enabled) => {
        try {
          startAtLogin?.set(enabled);
        } catch (err) {
          notify({ title: 'Could not change the start-up setting', body: String(err), silent: true });
        }
        refreshTray();
      },
      quit: () => app.quit(),
    }),
  );
  tray.setContextMenu(menu);
}

function createTray(): void {
  tray = new Tray(nativeImage.createFromBitmap(statusDotBitmap('grey', TRAY_ICON_SIZE), { width: TRAY_ICON_SIZE, height: TRAY_ICON_SIZE }));
  // A left click opens the counter where the desktop reports clicks (Windows, most of Linux).
  tray.on('click', showWindow);
  refreshTray();
}

async function startCore(): Promise<DesktopConnection> {
  const child = utilityProcess.fork(path.join(__dirname, 'core-process.cjs'), ['--data-dir', app.getPath('userData')], {
    serviceName: 'CounterPay core',
    stdio: 'inherit',
  });
  core = child;
  child.once('exit', (code) => {
    core = null;
    if (!quitting) {
      stopWatching?.();
      status = { color: 'grey', summary: 'CounterPay: the payment engine stopped; restart CounterPay', details: [] };
      refreshTray();
      notify({
        title: 'CounterPay stopped receiving payments',
        body: `The payment engine exited (code ${code}). Restart CounterPay.`,
        silent: false,
      });
    }
  });
  const ready = await whenCoreReady(child);
  return { adminUrl: windowAdminUrl(ready.urls.admin), token: ready.adminToken };
}

function createWindow(adminUrl: string, hidden: boolean): BrowserWindow {
  const dataDir = app.getPath('userData');
  const saved = readWindowState(dataDir);
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const win = newCounterWindow(BrowserWindow, {
    preload: path.join(__dirname, '../preload/index.cjs'),
    bounds: restoreBounds(saved, workAreas),
    show: false,
    devTools: !app.isPackaged,
  });
  if (saved?.maximized) win.maximize();
  trackWindowState(win, (state) => writeWindowState(dataDir, state));
  win.once('ready-to-show', () => {
    if (!hidden) win.show();
  });
  // Closing the window hides it: the core keeps receiving SMS and notifications still come.
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
    if (!toldAboutTray) {
      toldAboutTray = true;
      notify({ title: 'CounterPay is still running', body: 'Payments keep arriving. Open the counter from the tray icon.', silent: true });
    }
  });
  void win.loadURL(`${adminUrl}/`);
  return win;
}

async function quitCleanly(): Promise<void> {
  stopWatching?.();
  tray?.destroy();
  tray = null;
  if (core) await stopCore(core, CORE_STOP_GRACE_MS);
}

if (!app.requestSingleInstanceLock()) {
  // A second start (a double click on the icon) shows the running counter instead.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  // macOS: a click on the dock icon.
  app.on('activate', showWindow);
  installAppGuards(app, counterOrigin, openExternal);
  ipcMain.handle(DESKTOP_CHANNELS.getConnection, (event): DesktopConnection | null => {
    if (!connection || event.senderFrame?.origin !== counterOrigin()) return null;
    return connection;
  });
  app
    .whenReady()
    .then(async () => {
      // Started at login: the core runs, the window waits in the tray.
      const hidden = startedHidden(process.argv, app.getLoginItemSettings().wasOpenedAtLogin);
      startAtLogin = loginItem(app, {
        platform: process.platform,
        execPath: process.execPath,
        appPath: app.isPackaged ? null : app.getAppPath(),
        appImage: process.env.APPIMAGE ?? null,
        configHome: process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'),
      });
      createTray();
      connection = await startCore();
      installSessionGuards(session.defaultSession, new URL(connection.adminUrl).origin);
      window = createWindow(connection.adminUrl, hidden);
      stopWatching = watchCore(connection, {
        onStatus: (next) => {
          status = next;
          refreshTray();
        },
        onNotice: notify,
      });
    })
    .catch((err: unknown) => {
      process.stderr.write(`CounterPay could not start: ${err instanceof Error ? err.message : String(err)}\n`);
      quitting = true;
      if (core) core.kill();
      app.exit(1);
    });
  // With close-to-tray the window is never really closed; only Quit ends the app.
  app.on('window-all-closed', () => {
    if (quitting) app.quit();
  });
  let stopping: Promise<void> | null = null;
  let stopped = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (stopped) return;
    // Hold the quit until the core has drained and closed its database (once, however often asked).
    event.preventDefault();
    stopping ??= quitCleanly().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  // `npm start` forwards SIGINT/SIGTERM here: quit as from the menu, core stopped first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
