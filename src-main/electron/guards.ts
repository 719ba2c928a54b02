/**
 * What the counter window may do: show the core's admin origin and nothing else. The
 * decisions are pure functions; the install* functions only hang them on Electron's hooks,
 * so test/electron/guards.test.ts checks both with stand-in objects (Electron's binary
 * cannot run on these build machines). Only types come from electron here.
 */
import type { App, Session, WebContents } from 'electron';

/** The scheme, host and port of `url`, or null when it is not a URL with an origin. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

/** True for a page of the counter itself (the core's admin listener): the window may go there. */
export function isCounterUrl(url: string, counterOrigin: string): boolean {
  return originOf(url) === counterOrigin;
}

/**
 * A link the counter asked to open in a new window: an https page (a merchant's site, the
 * tunnel's address) goes to the system browser; anything else (file:, javascript:, a custom
 * protocol handler, plain http on the LAN) is dropped. Returns the URL to hand to the browser.
 */
export function externalUrlToOpen(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
    return parsed.href;
  } catch {
    return null;
  }
}

/**
 * Permissions the counter's pages may have: writing to the clipboard ("copy key" in Settings),
 * from the counter's own origin. Everything else is refused: notably `notifications`, which the
 * shell shows natively (a page's own would double them), `media`, `geolocation`, `openExternal`,
 * and the device APIs (`serial`, `usb`, `hid`): the modem belongs to the core, not to a page.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function permissionAllowed(permission: string, requestingUrl: string | undefined, counterOrigin: string): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission)) return false;
  return requestingUrl !== undefined && originOf(requestingUrl) === counterOrigin;
}

/**
 * Requests the window's session may make: the counter's origin (pages, API, event stream)
 * and inline data (images, the chime). Nothing reaches the internet or the LAN from a page.
 */
export function requestAllowed(url: string, counterOrigin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('devtools:')) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const asHttp =
    parsed.protocol === 'ws:' ? `http://${parsed.host}` : parsed.protocol === 'wss:' ? `https://${parsed.host}` : parsed.origin;
  return asHttp === counterOrigin;
}

type Headers = Record<string, string | string[]>;

/**
 * The response headers for `url` with a Content-Security-Policy: the core sends its own on
 * every counter page (ADMIN_CSP); one that lacks it (an error page, a future route) gets the
 * same policy from here (test/electron/guards.test.ts keeps the two equal): no inline script,
 * nothing from another origin. Written literally so Electronegativity can evaluate it.
 */
export function withCsp(headers: Headers | undefined, url: string, counterOrigin: string): Headers {
  const out: Headers = { ...(headers ?? {}) };
  if (!isCounterUrl(url, counterOrigin)) return out;
  if (Object.keys(out).some((name) => name.toLowerCase() === 'content-security-policy')) return out;
  // Electronegativity's CSP_GLOBAL_CHECK (via Google's csp-evaluator) notes that script-src 'self'
  // "can be problematic if you host JSONP, Angular or user uploaded files". Accepted: this origin
  // serves only the counter's own built bundle and the admin API's JSON; no JSONP, no Angular,
  // nothing uploaded is ever served back.
  out['Content-Security-Policy'] = // eng-disable CSP_GLOBAL_CHECK -- script-src 'self' reviewed, see above
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  return out;
}

/** Navigation, redirects, new windows and webviews of one webContents. */
export function installWindowGuards(contents: WebContents, counterOrigin: string, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isCounterUrl(url, counterOrigin)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isCounterUrl(event.url, counterOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isCounterUrl(url, counterOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Permissions, device pickers, requests and CSP of the window's session. */
export function installSessionGuards(session: Session, counterOrigin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl, counterOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin, counterOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !requestAllowed(details.url, counterOrigin) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, details.url, counterOrigin) });
  });
}

/**
 * Every webContents the app ever makes (a devtools window, a page's attempt at a popup) gets
 * the same rules, not only the counter window: no webviews, no new windows, no navigation away.
 */
export function installAppGuards(app: App, counterOrigin: () => string | null, openExternal: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    const origin = counterOrigin();
    // Before the core is up there is no counter origin: nothing may navigate anywhere.
    installWindowGuards(contents, origin ?? 'null', openExternal);
  });
}
