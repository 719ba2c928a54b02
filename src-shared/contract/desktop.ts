import type { ListenerName } from './api';

/**
 * The desktop shell's messages, typed once: the core process reports to the main process,
 * and the window asks the main process for its connection through the preload bridge.
 */

/** What the core utility process posts to the Electron main process. */
export type CoreProcessMessage =
  { type: 'ready'; urls: Record<ListenerName, string>; adminToken: string } | { type: 'failed'; message: string };

/** The admin URL and staff token the window needs, and nothing else. */
export interface DesktopConnection {
  adminUrl: string;
  token: string;
}

/** The IPC channels between the window's preload and the main process. */
export const DESKTOP_CHANNELS = {
  getConnection: 'counterpay:get-connection',
} as const;

/** What the preload exposes on `window.counterpay`. */
export interface DesktopBridge {
  getConnection(): Promise<DesktopConnection | null>;
}

/**
 * What the Electron main process posts to the core utility process. `stop` drains and closes
 * the core as SIGTERM does (utilityProcess.kill() is no signal on Windows).
 */
export type ShellToCoreMessage = { type: 'stop' };
