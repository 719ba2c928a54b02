/** Hands the window the admin URL and staff token, and nothing else. */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('counterpay', {
  getConnection: (): Promise<{ adminUrl: string; token: string } | null> =>
    ipcRenderer.invoke('counterpay:get-connection'),
});
