/**
 * "Start CounterPay when this computer starts", an option in the tray menu, off until the
 * shop turns it on. Windows and macOS keep it as a login item (app.setLoginItemSettings);
 * Linux has no such API, so it is an XDG autostart entry (~/.config/autostart). Started this
 * way, CounterPay opens in the tray (`--hidden`): the core runs, the window waits for a click.
 * The OS holds the setting, so there is nothing of ours to get out of step with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from 'electron';

export const HIDDEN_FLAG = '--hidden';

export interface LaunchInfo {
  platform: NodeJS.Platform;
  /** process.execPath: the app's own executable, or the electron binary when run from source. */
  execPath: string;
  /** Run from source: the app's folder must follow the electron binary. */
  appPath: string | null;
  /** The AppImage file itself when run as one ($APPIMAGE): execPath is a temporary mount. */
  appImage: string | null;
  /** $XDG_CONFIG_HOME or ~/.config. */
  configHome: string;
}

/** The program and arguments that start CounterPay hidden, as the OS should run it at login. */
export function loginCommand(info: LaunchInfo): { path: string; args: string[] } {
  const program = info.appImage ?? info.execPath;
  return { path: program, args: [...(info.appPath && !info.appImage ? [info.appPath] : []), HIDDEN_FLAG] };
}

/** One argument of an Exec line (freedesktop.org Desktop Entry spec: quoted, with \\ " ` $ escaped). */
function desktopQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-./=]+$/.test(arg)) return arg;
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

export function autostartPath(configHome: string): string {
  return path.join(configHome, 'autostart', 'counterpay.desktop');
}

export function autostartEntry(info: LaunchInfo): string {
  const { path: program, args } = loginCommand(info);
  // In a .desktop file's value, a backslash is itself escaped once more.
  const exec = [program, ...args].map(desktopQuote).join(' ').replace(/\\/g, '\\\\');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=CounterPay',
    'Comment=Confirms wallet payments at the counter',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export interface LoginItem {
  get(): boolean;
  set(enabled: boolean): void;
}

type LoginItemApp = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;

export function loginItem(app: LoginItemApp, info: LaunchInfo): LoginItem {
  if (info.platform === 'linux') {
    const file = autostartPath(info.configHome);
    return {
      get: () => fs.existsSync(file),
      set: (enabled) => {
        if (enabled) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, autostartEntry(info), { mode: 0o644 });
        } else {
          fs.rmSync(file, { force: true });
        }
      },
    };
  }
  const command = loginCommand(info);
  return {
    get: () => app.getLoginItemSettings(command).openAtLogin,
    set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, ...command }),
  };
}

/** Whether this start should stay in the tray: started at login, by our flag or by macOS. */
export function startedHidden(argv: readonly string[], openedAtLogin: boolean): boolean {
  return argv.includes(HIDDEN_FLAG) || openedAtLogin;
}
