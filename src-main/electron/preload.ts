/** Hands the window the admin URL and staff token, and nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_CHANNELS, type DesktopBridge, type DesktopConnection } from '../../src-shared/contract/desktop';

const bridge: DesktopBridge = {
  getConnection: (): Promise<DesktopConnection | null> =>
    ipcRenderer.invoke(DESKTOP_CHANNELS.getConnection) as Promise<DesktopConnection | null>,
};
contextBridge.exposeInMainWorld('counterpay', bridge);
