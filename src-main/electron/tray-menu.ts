/**
 * The tray's menu, as a template: the status in words, one line per source, open the counter,
 * the start-at-login option, quit. Pure (types only from electron).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { SourceStatus } from './source-status';

export interface TrayActions {
  open(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

export function trayMenuTemplate(status: SourceStatus, startAtLogin: boolean, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: status.summary, enabled: false },
    ...status.details.map((line): MenuItemConstructorOptions => ({ label: `    ${line}`, enabled: false })),
    { type: 'separator' },
    { label: 'Open the counter', click: () => actions.open() },
    {
      label: 'Start CounterPay when this computer starts',
      type: 'checkbox',
      checked: startAtLogin,
      click: (item) => actions.setStartAtLogin(item.checked),
    },
    { type: 'separator' },
    // Closing the window only hides it: the core keeps receiving SMS. This really stops it.
    { label: 'Quit CounterPay (stops receiving payments)', click: () => actions.quit() },
  ];
}
