/**
 * The desktop shell: a window on the counter UI, nothing more. Everything it shows comes
 * from the core, which runs in a utility process and is reached over the admin listener.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, shell, utilityProcess, type UtilityProcess } from 'electron';
import { DESKTOP_CHANNELS, type CoreProcessMessage, type DesktopConnection } from '../../src-shared/contract/desktop';

type CoreReady = Extract<CoreProcessMessage, { type: 'ready' }>;

let core: UtilityProcess | null = null;
let connection: DesktopConnection | null = null;
let window: BrowserWindow | null = null;

function startCore(): Promise<CoreReady> {
  return new Promise((resolve, reject) => {
    core = utilityProcess.fork(path.join(__dirname, 'core-process.cjs'), ['--data-dir', app.getPath('userData')], {
      serviceName: 'CounterPay core',
      stdio: 'inherit',
    });
    core.on('message', (message: CoreProcessMessage) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(message.message));
    });
    core.on('exit', (code) => {
      core = null;
      if (code !== 0) reject(new Error(`the CounterPay core exited with code ${code}`));
    });
  });
}

function createWindow(adminUrl: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'CounterPay',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const origin = new URL(adminUrl).origin;
  // The window shows the counter only; links elsewhere open in the system browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) event.preventDefault();
  });
  void win.loadURL(`${adminUrl}/`);
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  ipcMain.handle(DESKTOP_CHANNELS.getConnection, (event): DesktopConnection | null => {
    if (!connection || event.senderFrame?.origin !== new URL(connection.adminUrl).origin) return null;
    return connection;
  });
  app
    .whenReady()
    .then(async () => {
      const ready = await startCore();
      const adminUrl = ready.urls.admin.replace('://0.0.0.0:', '://127.0.0.1:');
      connection = { adminUrl, token: ready.adminToken };
      window = createWindow(adminUrl);
    })
    .catch((err: unknown) => {
      process.stderr.write(`CounterPay could not start: ${err instanceof Error ? err.message : String(err)}\n`);
      app.exit(1);
    });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    // SIGTERM on POSIX: the core drains and checkpoints its database before exiting.
    core?.kill();
  });
}
