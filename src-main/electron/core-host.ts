/**
 * Starting and stopping the core utility process. The child is described by the little the
 * shell uses of Electron's UtilityProcess, so the stop rules are tested without Electron.
 */
import type { CoreProcessMessage, ShellToCoreMessage } from '../../src-shared/contract/desktop';

export type CoreReady = Extract<CoreProcessMessage, { type: 'ready' }>;

export interface CoreChild {
  postMessage(message: ShellToCoreMessage): void;
  kill(): boolean;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/**
 * Waits for the child's first message: `ready` resolves, `failed` or an exit before ready rejects.
 */
export function whenCoreReady(child: {
  on(event: 'message', listener: (message: CoreProcessMessage) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
}): Promise<CoreReady> {
  return new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(message.message));
    });
    child.once('exit', (code) => reject(new Error(`the CounterPay core exited with code ${code} while starting`)));
  });
}

/**
 * Asks the core to stop (it drains requests and folds the WAL back into the database, as on
 * SIGTERM), waits up to `graceMs`, then kills it. Resolves once it has exited.
 */
export function stopCore(child: CoreChild, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
      resolve();
    });
    try {
      child.postMessage({ type: 'stop' });
    } catch {
      child.kill();
    }
    timer = setTimeout(() => child.kill(), graceMs);
  });
}

/** The admin URL the window and the shell use: the listener's address, on loopback. */
export function windowAdminUrl(adminListenerUrl: string): string {
  return adminListenerUrl.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:').replace(/\/$/, '');
}
