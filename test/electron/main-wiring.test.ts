/**
 * src-main/electron/main.ts as Electron would run it, with `electron` mocked: Electron's own
 * binary cannot be downloaded on these build machines, so this plain-Node test stands in for
 * it. The mock records what main.ts asks of Electron (the window's options, the guards, the
 * tray, the core's utility process) and lets the test fire Electron's events at it.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';

interface FakeWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents: EventEmitter;
  loadURL: ReturnType<typeof vi.fn>;
  show: ReturnType<typeof vi.fn>;
  hide: ReturnType<typeof vi.fn>;
}

const h = vi.hoisted(() => ({
  state: {} as {
    app: EventEmitter & Record<string, unknown>;
    windows: FakeWindow[];
    cores: (EventEmitter & { postMessage: ReturnType<typeof vi.fn>; kill: ReturnType<typeof vi.fn>; args: unknown[] })[];
    trays: { setImage: ReturnType<typeof vi.fn>; setContextMenu: ReturnType<typeof vi.fn>; setToolTip: ReturnType<typeof vi.fn> }[];
    ipc: Map<string, (event: unknown) => unknown>;
    lock: boolean;
    userData: string;
    sessionCalls: string[];
  },
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const { vi: v } = await import('vitest');
  const s = h.state;
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: v.fn(() => s.lock),
    quit: v.fn(() => app.emit('before-quit', { preventDefault: v.fn() })),
    exit: v.fn(),
    whenReady: v.fn(() => Promise.resolve()),
    getPath: v.fn(() => s.userData),
    getAppPath: v.fn(() => '/app'),
    isPackaged: true,
    getLoginItemSettings: v.fn(() => ({ openAtLogin: false, wasOpenedAtLogin: false })),
    setLoginItemSettings: v.fn(),
  });
  s.app = app as never;
  class BrowserWindow extends Emitter {
    webContents = new Emitter();
    loadURL = v.fn(() => Promise.resolve());
    show = v.fn();
    hide = v.fn();
    focus = v.fn();
    restore = v.fn();
    maximize = v.fn();
    isMinimized = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 });
    constructor(readonly options: Record<string, unknown>) {
      super();
      s.windows.push(this as never);
      app.emit('web-contents-created', {}, Object.assign(this.webContents, { setWindowOpenHandler: v.fn() }));
    }
  }
  const fakeSession = {
    setPermissionRequestHandler: v.fn(() => s.sessionCalls.push('permission-request')),
    setPermissionCheckHandler: v.fn(() => s.sessionCalls.push('permission-check')),
    setDevicePermissionHandler: v.fn(() => s.sessionCalls.push('device')),
    on: v.fn(),
    webRequest: {
      onBeforeRequest: v.fn(() => s.sessionCalls.push('before-request')),
      onHeadersReceived: v.fn(() => s.sessionCalls.push('headers')),
    },
  };
  class Tray {
    setImage = v.fn();
    setContextMenu = v.fn();
    setToolTip = v.fn();
    on = v.fn();
    destroy = v.fn();
    constructor() {
      s.trays.push(this);
    }
  }
  class Notification extends Emitter {
    static isSupported = () => true;
    show = v.fn();
  }
  return {
    app,
    BrowserWindow,
    Tray,
    Notification,
    ipcMain: { handle: v.fn((channel: string, fn: (event: unknown) => unknown) => s.ipc.set(channel, fn)) },
    Menu: { buildFromTemplate: v.fn((t: unknown) => t) },
    nativeImage: { createFromBitmap: v.fn(() => ({})) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1366, height: 728 } }] },
    session: { defaultSession: fakeSession },
    shell: { openExternal: v.fn(() => Promise.resolve()) },
    utilityProcess: {
      fork: v.fn((...args: unknown[]) => {
        const core = Object.assign(new Emitter(), { postMessage: v.fn(), kill: v.fn(() => true), args });
        s.cores.push(core);
        return core;
      }),
    },
  };
});

async function loadMain(): Promise<void> {
  vi.resetModules();
  await import('../../src-main/electron/main');
  // Let whenReady() resolve and main.ts fork the core.
  await vi.waitFor(() => expect(h.state.cores.length + (h.state.lock ? 0 : 1)).toBeGreaterThan(0));
}

/** The core reports ready on an address nothing listens on: the shell's own link just keeps retrying. */
async function coreReady(): Promise<FakeWindow> {
  h.state.cores[0]?.emit('message', {
    type: 'ready',
    urls: { public: 'http://127.0.0.1:1', device: 'http://0.0.0.0:2', admin: 'http://0.0.0.0:9' },
    adminToken: 'cpa_test',
  });
  await vi.waitFor(() => expect(h.state.windows).toHaveLength(1));
  return h.state.windows[0] as FakeWindow;
}

describe('the desktop shell, with electron mocked', () => {
  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  beforeEach(() => {
    // One mocked app for every import of main.ts: forget the previous import's handlers.
    (h.state.app as EventEmitter | undefined)?.removeAllListeners();
    Object.assign(h.state, { windows: [], cores: [], trays: [], ipc: new Map(), lock: true, userData: makeTempDir(), sessionCalls: [] });
  });
  afterEach(async () => {
    // Quit as the tray's menu does, so the shell's own timers and link stop.
    if (h.state.cores[0] && h.state.lock) {
      (h.state.app.quit as () => void)();
      h.state.cores[0].emit('exit', 0);
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(signal)) if (!signalListeners[signal].includes(l)) process.off(signal, l);
    }
    removeTempDirs();
  });

  it('a second start quits at once and starts no core (single instance)', async () => {
    h.state.lock = false;
    await loadMain();
    expect(h.state.app.quit).toHaveBeenCalled();
    expect(h.state.cores).toHaveLength(0);
  });

  it('forks the core on the data dir and opens one locked-down window on its admin URL', async () => {
    await loadMain();
    expect(h.state.cores[0]?.args[1]).toEqual(['--data-dir', h.state.userData]);
    const win = await coreReady();
    const web = win.options.webPreferences as Record<string, unknown>;
    expect(web).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
    expect(String(web.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(win.loadURL).toHaveBeenCalledWith('http://127.0.0.1:9/');
    expect(h.state.sessionCalls).toEqual(
      expect.arrayContaining(['permission-request', 'permission-check', 'device', 'before-request', 'headers']),
    );
    // The guards are on the window's webContents (hung on by web-contents-created).
    const nav = { preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const ok = { preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', ok, 'http://127.0.0.1:9/payments');
    expect(ok.preventDefault).not.toHaveBeenCalled();
  });

  it('hands the connection only to a frame of the counter origin', async () => {
    await loadMain();
    await coreReady();
    const handler = h.state.ipc.get('counterpay:get-connection');
    expect(handler?.({ senderFrame: { origin: 'http://127.0.0.1:9' } })).toEqual({ adminUrl: 'http://127.0.0.1:9', token: 'cpa_test' });
    expect(handler?.({ senderFrame: { origin: 'https://evil.example' } })).toBeNull();
    expect(handler?.({ senderFrame: null })).toBeNull();
  });

  it('closing the window hides it to the tray; a second start shows it again', async () => {
    await loadMain();
    const win = await coreReady();
    expect(h.state.trays).toHaveLength(1);
    const close = { preventDefault: vi.fn() };
    win.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(win.hide).toHaveBeenCalled();
    h.state.app.emit('second-instance');
    expect(win.show).toHaveBeenCalled();
  });

  it('quitting asks the core to stop and quits only once it has exited', async () => {
    await loadMain();
    const win = await coreReady();
    const quit = h.state.app.quit as ReturnType<typeof vi.fn>;
    quit.mockClear();
    const beforeQuit = { preventDefault: vi.fn() };
    h.state.app.emit('before-quit', beforeQuit);
    expect(beforeQuit.preventDefault).toHaveBeenCalled();
    expect(h.state.cores[0]?.postMessage).toHaveBeenCalledWith({ type: 'stop' });
    expect(quit).not.toHaveBeenCalled();
    // A window closed while quitting really closes.
    const close = { preventDefault: vi.fn() };
    win.emit('close', close);
    expect(close.preventDefault).not.toHaveBeenCalled();
    h.state.cores[0]?.emit('exit', 0);
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(h.state.cores[0]?.kill).not.toHaveBeenCalled();
  });

  it('SIGTERM (forwarded by npm start) quits the same way', async () => {
    await loadMain();
    await coreReady();
    process.emit('SIGTERM', 'SIGTERM');
    expect(h.state.cores[0]?.postMessage).toHaveBeenCalledWith({ type: 'stop' });
  });
});
