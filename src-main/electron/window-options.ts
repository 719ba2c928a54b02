/**
 * The counter window, made in one function that takes the BrowserWindow class as a parameter:
 * main.ts passes Electron's, and test/electron/guards.test.ts passes a stand-in that records the
 * options (Electron's binary cannot run on these build machines). The options are written out
 * literally at the `new BrowserWindow(...)` so Electronegativity (`npm run lint:electron`) can
 * read every switch. Only types come from electron here.
 */
import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions, Rectangle } from 'electron';

/** Smallest size at which the counter stays usable (1366×768 screens, 10-inch tablets). */
export const MIN_WINDOW = { width: 800, height: 600 } as const;
export const DEFAULT_WINDOW = { width: 1280, height: 800 } as const;

export interface WindowOptionsInput {
  /** The built preload script (CommonJS, as sandboxed preloads must be). */
  preload: string;
  /** Remembered bounds, already checked against the displays (see window-state.ts). */
  bounds: Partial<Rectangle>;
  /** Show at once; false when started at login into the tray, and until the page is ready. */
  show: boolean;
  /** DevTools only where a developer runs from source, never in the packaged app. */
  devTools: boolean;
}

export type BrowserWindowClass<W = ElectronBrowserWindow> = new (options: BrowserWindowConstructorOptions) => W;

export function newCounterWindow<W>(BrowserWindow: BrowserWindowClass<W>, input: WindowOptionsInput): W {
  return new BrowserWindow({
    ...DEFAULT_WINDOW,
    ...input.bounds,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    title: 'CounterPay',
    show: input.show,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed (Electronegativity's PRELOAD_JS_CHECK asks for it): preload.ts exposes one
      // function, getConnection (the admin URL and staff token), through contextBridge, and
      // ipcMain answers it only to a frame of the counter's origin.
      preload: input.preload, // eng-disable PRELOAD_JS_CHECK -- reviewed, see above
      // The page gets only the preload's bridge (window.counterpay), never Node or ipcRenderer.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // A middle click must not open a link in a new window (the open handler denies it anyway).
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools,
      // A hidden counter must still play the chime and update its list the moment a credit lands.
      backgroundThrottling: false,
    },
  });
}
