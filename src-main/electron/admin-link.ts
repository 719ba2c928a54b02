/**
 * The shell's own line to the core: the same admin API the window uses (commands over HTTP,
 * events over server-sent events), from the main process. The tray and the notifications read
 * the core through it; the shell never opens the database. Plain Node (global fetch), no
 * electron: test/electron/admin-link.test.ts runs it against a stand-in server.
 */
import type { AdminCommandName, AdminCommands, AdminEventName, AdminEvents } from '../../src-shared/contract/admin';
import { ADMIN_EVENT_NAMES } from '../../src-shared/contract/admin';
import type { DesktopConnection } from '../../src-shared/contract/desktop';
import { AdminRpcError, invokeAdminRpc } from '../../src-shared/client/admin-rpc';

export interface SseMessage {
  event: string;
  data: string;
}

/** Server-sent events, fed in chunks as they arrive (a message may span chunks). */
export class SseParser {
  private buffer = '';

  feed(chunk: string): SseMessage[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const out: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) out.push({ event, data: data.join('\n') });
    }
    return out;
  }
}

export class AdminLinkError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The shared typed client (src-shared/client), with the shell's timeout and its error type. */
export async function invokeAdmin<N extends AdminCommandName>(
  connection: DesktopConnection,
  name: N,
  arg: AdminCommands[N]['arg'],
  signal?: AbortSignal,
): Promise<AdminCommands[N]['result']> {
  try {
    return await invokeAdminRpc(
      { baseUrl: connection.adminUrl, token: connection.token },
      name,
      arg,
      signal ?? AbortSignal.timeout(10_000),
    );
  } catch (err) {
    if (err instanceof AdminRpcError) throw new AdminLinkError(err.status, err.code, err.message);
    throw err;
  }
}

export type AdminEventHandler = <E extends AdminEventName>(event: E, payload: AdminEvents[E]) => void;

function isEventName(name: string): name is AdminEventName {
  return (ADMIN_EVENT_NAMES as readonly string[]).includes(name);
}

/**
 * Reads the event stream until it ends (the core stopped, the token was rotated) or `signal`
 * aborts. Resolves when it ends; rejects when it could not open.
 */
export async function readAdminEvents(
  connection: DesktopConnection,
  onEvent: AdminEventHandler,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const response = await fetch(`${connection.adminUrl}/api/admin/events`, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${connection.token}` },
    signal,
  });
  if (!response.ok || !response.body) {
    throw new AdminLinkError(response.status, 'stream_refused', `the event stream answered ${response.status}`);
  }
  onOpen?.();
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
        if (!isEventName(message.event)) continue;
        let payload: unknown;
        try {
          payload = JSON.parse(message.data);
        } catch {
          continue;
        }
        onEvent(message.event, payload as AdminEvents[typeof message.event]);
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  } finally {
    reader.releaseLock();
  }
}

/**
 * Keeps the event stream open: reconnects after 1 s, doubling to 30 s while the core does not
 * answer. `onState(false)` when the stream is lost, `(true)` when it is back (the caller then
 * re-reads whatever it shows, since events may have passed meanwhile). Stop with the returned
 * function.
 */
export function followAdminEvents(
  connection: DesktopConnection,
  onEvent: AdminEventHandler,
  onState: (connected: boolean) => void,
  maxDelayMs = 30_000,
): () => void {
  const controller = new AbortController();
  let delay = 1_000;
  const loop = async () => {
    while (!controller.signal.aborted) {
      try {
        await readAdminEvents(connection, onEvent, controller.signal, () => {
          delay = 1_000;
          onState(true);
        });
      } catch {
        // Refused or dropped: counted as lost below, tried again after the delay.
      }
      if (controller.signal.aborted) return;
      onState(false);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          controller.signal.removeEventListener('abort', wake);
          resolve();
        }, delay);
        controller.signal.addEventListener('abort', wake, { once: true });
      });
      delay = Math.min(delay * 2, maxDelayMs);
    }
  };
  void loop();
  return () => controller.abort();
}
