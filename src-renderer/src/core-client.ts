import type { AdminCommandName, AdminCommands, AdminEventName, AdminEvents } from '../../src-shared/contract/admin';
import { AdminRpcError, invokeAdminRpc } from '../../src-shared/client/admin-rpc';

/** A failure from the core, carrying its stable code for the UI to switch on (the shared client's error). */
export const CoreError = AdminRpcError;
export type CoreError = AdminRpcError;

export interface Connection {
  /** Origin of the admin listener; '' means this page's own origin. */
  baseUrl: string;
  token: string;
}

/**
 * The one way the counter UI reaches the core, the same in Electron and in a browser:
 * commands over HTTP, events over server-sent events.
 */
export class CoreClient {
  constructor(private readonly connection: Connection) {}

  /** Every command goes through the one typed client in src-shared. */
  invoke<N extends AdminCommandName>(name: N, arg: AdminCommands[N]['arg']): Promise<AdminCommands[N]['result']> {
    return invokeAdminRpc(this.connection, name, arg);
  }

  /**
   * One event stream per client, shared by every subscription: a browser opens at most six
   * HTTP/1.1 connections to a host, and a stream per event name (seven of them with the modems)
   * left no connection for the commands themselves.
   */
  private source: EventSource | null = null;
  private subscribers = 0;
  private readonly stateListeners = new Set<(connected: boolean) => void>();

  /** Subscribes to an event; returns an unsubscribe. `onState` reports the stream's health. */
  on<E extends AdminEventName>(event: E, callback: (payload: AdminEvents[E]) => void, onState?: (connected: boolean) => void): () => void {
    const source = this.stream();
    const listener = (message: MessageEvent<string>) => callback(JSON.parse(message.data) as AdminEvents[E]);
    source.addEventListener(event, listener as EventListener);
    if (onState) {
      this.stateListeners.add(onState);
      if (source.readyState === EventSource.OPEN) onState(true);
    }
    this.subscribers += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      source.removeEventListener(event, listener as EventListener);
      if (onState) this.stateListeners.delete(onState);
      this.subscribers -= 1;
      if (this.subscribers === 0) {
        source.close();
        this.source = null;
      }
    };
  }

  private stream(): EventSource {
    if (this.source) return this.source;
    const source = new EventSource(`${this.connection.baseUrl}/api/admin/events?token=${encodeURIComponent(this.connection.token)}`);
    source.onopen = () => this.stateListeners.forEach((l) => l(true));
    source.onerror = () => this.stateListeners.forEach((l) => l(false));
    this.source = source;
    return source;
  }
}
