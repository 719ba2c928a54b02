import type { AdminCommandName, AdminCommands, AdminEventName, AdminEvents } from '../../src-shared/contract/admin';
import type { ErrorBody } from '../../src-shared/contract/errors';

/** A failure from the core, carrying its stable code for the UI to switch on. */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The core's operator-facing text (`merchant_message`), more specific than `message`. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

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

  async invoke<N extends AdminCommandName>(name: N, arg: AdminCommands[N]['arg']): Promise<AdminCommands[N]['result']> {
    const response = await fetch(`${this.connection.baseUrl}/api/admin/rpc/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.connection.token}` },
      body: JSON.stringify(arg),
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const err = body as Partial<ErrorBody> | null;
      throw new CoreError(
        String(err?.code ?? 'internal'),
        String(err?.error ?? response.statusText),
        response.status,
        typeof err?.merchant_message === 'string' ? err.merchant_message : null,
      );
    }
    return (body as { result: AdminCommands[N]['result'] }).result;
  }

  /** Subscribes to an event; returns an unsubscribe. `onState` reports the stream's health. */
  on<E extends AdminEventName>(event: E, callback: (payload: AdminEvents[E]) => void, onState?: (connected: boolean) => void): () => void {
    const url = `${this.connection.baseUrl}/api/admin/events?token=${encodeURIComponent(this.connection.token)}`;
    const source = new EventSource(url);
    const listener = (message: MessageEvent<string>) => callback(JSON.parse(message.data) as AdminEvents[E]);
    source.addEventListener(event, listener as EventListener);
    source.onopen = () => onState?.(true);
    source.onerror = () => onState?.(false);
    return () => source.close();
  }
}
