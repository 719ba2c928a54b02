/**
 * The counter window's security switches and guards, checked in plain Node. Electron's binary
 * cannot be downloaded on these build machines, so nothing here starts Electron: the options
 * are a pure function, and the guards are hung on stand-in webContents / session / app objects
 * that record the handlers, which the tests then call as Electron would.
 */
import { EventEmitter } from 'node:events';
import type { App, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_CSP } from '../../src-main/core/http/admin-routes';
import {
  externalUrlToOpen,
  installAppGuards,
  installSessionGuards,
  installWindowGuards,
  isCounterUrl,
  permissionAllowed,
  requestAllowed,
  withCsp,
} from '../../src-main/electron/guards';
import { newCounterWindow, type WindowOptionsInput } from '../../src-main/electron/window-options';

/** A stand-in for Electron's BrowserWindow class: it only keeps the options it was made with. */
class RecordingWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}
function counterWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return newCounterWindow(RecordingWindow, input).options;
}
const WINDOW_CSP = withCsp({}, 'http://127.0.0.1:8788/', 'http://127.0.0.1:8788')['Content-Security-Policy'];

const ORIGIN = 'http://127.0.0.1:8788';

describe('the counter window options', () => {
  const options = counterWindowOptions({
    preload: '/app/out/preload/index.cjs',
    bounds: { x: 10, y: 20, width: 1000, height: 700 },
    show: false,
    devTools: false,
  });
  const web = options.webPreferences ?? {};

  it('isolate the page: context isolation, the sandbox, no Node anywhere, web security on', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    // A middle click would otherwise open a link in a new window.
    expect(web.disableBlinkFeatures).toBe('Auxclick');
    expect(web.preload).toBe('/app/out/preload/index.cjs');
  });

  it('keep DevTools out of the packaged app, and show the window only when asked', () => {
    expect(web.devTools).toBe(false);
    expect(options.show).toBe(false);
    const dev = counterWindowOptions({ preload: '/p.cjs', bounds: {}, show: true, devTools: true });
    expect(dev.webPreferences?.devTools).toBe(true);
    expect(dev.show).toBe(true);
  });

  it('open at the remembered bounds, never smaller than the counter can use', () => {
    expect(options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, minWidth: 800, minHeight: 600 });
  });

  it("enforce the core's CSP: no inline or evaluated script, nothing from another origin", () => {
    expect(WINDOW_CSP).toBe(ADMIN_CSP);
    expect(WINDOW_CSP).toContain("script-src 'self'");
    expect(WINDOW_CSP).toContain("object-src 'none'");
    expect(WINDOW_CSP).not.toMatch(/unsafe-(inline|eval)|\*/);
    expect(WINDOW_CSP).not.toContain('http:');
  });
});

describe('the pure guard decisions', () => {
  it('let the window show the counter origin only', () => {
    expect(isCounterUrl(`${ORIGIN}/`, ORIGIN)).toBe(true);
    expect(isCounterUrl(`${ORIGIN}/payments?x=1#y`, ORIGIN)).toBe(true);
    expect(isCounterUrl('http://127.0.0.1:8787/', ORIGIN)).toBe(false);
    expect(isCounterUrl('http://localhost:8788/', ORIGIN)).toBe(false);
    expect(isCounterUrl('https://127.0.0.1:8788/', ORIGIN)).toBe(false);
    expect(isCounterUrl('http://127.0.0.1:8788@evil.example/', ORIGIN)).toBe(false);
    expect(isCounterUrl('file:///etc/passwd', ORIGIN)).toBe(false);
    expect(isCounterUrl('javascript:alert(1)', ORIGIN)).toBe(false);
    expect(isCounterUrl('not a url', ORIGIN)).toBe(false);
  });

  it('send only plain https links to the system browser', () => {
    expect(externalUrlToOpen('https://shop.example/order/1')).toBe('https://shop.example/order/1');
    expect(externalUrlToOpen('http://shop.example/')).toBeNull();
    expect(externalUrlToOpen('file:///C:/Windows/system32/calc.exe')).toBeNull();
    expect(externalUrlToOpen('javascript:alert(1)')).toBeNull();
    expect(externalUrlToOpen('ms-msdt:/id PCWDiagnostic')).toBeNull();
    expect(externalUrlToOpen('smb://10.0.0.1/share')).toBeNull();
    expect(externalUrlToOpen('https://user:pass@shop.example/')).toBeNull();
  });

  it('grant the clipboard to the counter origin and refuse every other permission', () => {
    expect(permissionAllowed('clipboard-sanitized-write', `${ORIGIN}/settings`, ORIGIN)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', ORIGIN)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined, ORIGIN)).toBe(false);
    for (const p of ['notifications', 'media', 'geolocation', 'openExternal', 'serial', 'usb', 'hid', 'clipboard-read', 'fullscreen']) {
      expect(permissionAllowed(p, `${ORIGIN}/`, ORIGIN), p).toBe(false);
    }
  });

  it('let the window request the counter origin and inline data, nothing else', () => {
    expect(requestAllowed(`${ORIGIN}/api/admin/rpc/status.get`, ORIGIN)).toBe(true);
    expect(requestAllowed(`${ORIGIN}/api/admin/events`, ORIGIN)).toBe(true);
    expect(requestAllowed('ws://127.0.0.1:8788/socket', ORIGIN)).toBe(true);
    expect(requestAllowed('data:audio/wav;base64,AAAA', ORIGIN)).toBe(true);
    expect(requestAllowed('http://127.0.0.1:8787/api/payment/sessions', ORIGIN)).toBe(false);
    expect(requestAllowed('https://fonts.googleapis.com/css', ORIGIN)).toBe(false);
    expect(requestAllowed('ws://192.168.1.5:8788/', ORIGIN)).toBe(false);
    expect(requestAllowed('file:///etc/passwd', ORIGIN)).toBe(false);
  });

  it("add the CSP to a counter response that lacks one, and leave the core's own alone", () => {
    expect(withCsp({}, `${ORIGIN}/`, ORIGIN)['Content-Security-Policy']).toBe(ADMIN_CSP);
    const own = { 'content-security-policy': ["default-src 'self'"] };
    expect(withCsp(own, `${ORIGIN}/`, ORIGIN)).toEqual(own);
    expect(withCsp({ a: ['b'] }, 'https://elsewhere.example/', ORIGIN)).toEqual({ a: ['b'] });
  });
});

/** A webContents stand-in: records every handler the guards hang on it. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  });
  const fire = (event: string, ...args: unknown[]) => {
    const e = { preventDefault: vi.fn(), url: typeof args[0] === 'string' ? args[0] : undefined };
    emitter.emit(event, e, ...args);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('the guards as installed on a window', () => {
  it('block navigation, redirects and frame navigation away from the counter, and every webview', () => {
    const w = fakeContents();
    installWindowGuards(w.contents, ORIGIN, vi.fn());
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(w.fire('will-navigate', `${ORIGIN}/payments`)).toBe(false);
    expect(w.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-redirect', `${ORIGIN}/`)).toBe(false);
    expect(w.fire('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-frame-navigate', `${ORIGIN}/`)).toBe(false);
    expect(w.fire('will-attach-webview', {}, {})).toBe(true);
  });

  it('deny every new window, handing only https links to the system browser', () => {
    const openExternal = vi.fn();
    const w = fakeContents();
    installWindowGuards(w.contents, ORIGIN, openExternal);
    expect(w.open('https://shop.example/order/1')).toEqual({ action: 'deny' });
    expect(w.open(`${ORIGIN}/popup`)).toEqual({ action: 'deny' });
    expect(w.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://shop.example/order/1']]);
  });

  it('reach every webContents the app makes, not only the counter window', () => {
    const app = new EventEmitter();
    installAppGuards(app as unknown as App, () => ORIGIN, vi.fn());
    const w = fakeContents();
    app.emit('web-contents-created', {}, w.contents);
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(w.open('https://shop.example/')).toEqual({ action: 'deny' });
    // Before the core is up there is no counter origin: nothing may be navigated to at all.
    const early = new EventEmitter();
    installAppGuards(early as unknown as App, () => null, vi.fn());
    const e = fakeContents();
    early.emit('web-contents-created', {}, e.contents);
    expect(e.fire('will-navigate', `${ORIGIN}/`)).toBe(true);
  });
});

describe('the guards as installed on the session', () => {
  function fakeSession() {
    const emitter = new EventEmitter();
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = Object.assign(emitter, {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
      webRequest: {
        onBeforeRequest: (h: never) => (handlers.before = h),
        onHeadersReceived: (h: never) => (handlers.headers = h),
      },
    });
    installSessionGuards(session as unknown as Session, ORIGIN);
    return { emitter, handlers: handlers as Record<string, (...args: unknown[]) => unknown> };
  }

  it('answer permission requests and checks with the pure decision', () => {
    const { handlers } = fakeSession();
    const answers: boolean[] = [];
    handlers.request?.({}, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: `${ORIGIN}/` });
    handlers.request?.({}, 'notifications', (ok: boolean) => answers.push(ok), { requestingUrl: `${ORIGIN}/` });
    handlers.request?.({}, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), { requestingUrl: `${ORIGIN}/` });
    handlers.request?.({}, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), { requestingUrl: 'https://evil.example/' });
    expect(answers).toEqual([false, false, true, false]);
    expect(handlers.check?.({}, 'geolocation', ORIGIN, {})).toBe(false);
    expect(handlers.check?.({}, 'clipboard-sanitized-write', ORIGIN, {})).toBe(true);
    expect(handlers.device?.({ deviceType: 'serial', origin: ORIGIN })).toBe(false);
  });

  it('refuse the serial, HID and USB pickers: the modem belongs to the core', () => {
    const { emitter } = fakeSession();
    const serial = { preventDefault: vi.fn() };
    const chosen = vi.fn();
    emitter.emit('select-serial-port', serial, [{ portId: '1' }], {}, chosen);
    expect(serial.preventDefault).toHaveBeenCalled();
    expect(chosen).toHaveBeenCalledWith('');
    const hid = { preventDefault: vi.fn() };
    const none = vi.fn();
    emitter.emit('select-hid-device', hid, {}, none);
    emitter.emit('select-usb-device', hid, {}, none);
    expect(hid.preventDefault).toHaveBeenCalledTimes(2);
    expect(none).toHaveBeenCalledWith();
  });

  it('cancel requests that leave the counter origin and set the CSP on its responses', () => {
    const { handlers } = fakeSession();
    const cancel: unknown[] = [];
    handlers.before?.({ url: 'https://tracker.example/p.gif' }, (r: unknown) => cancel.push(r));
    handlers.before?.({ url: `${ORIGIN}/api/admin/events` }, (r: unknown) => cancel.push(r));
    expect(cancel).toEqual([{ cancel: true }, { cancel: false }]);
    let headers: unknown;
    handlers.headers?.({ url: `${ORIGIN}/`, responseHeaders: {} }, (r: { responseHeaders: unknown }) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': ADMIN_CSP });
  });
});
