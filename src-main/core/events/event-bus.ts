import { EventEmitter } from 'node:events';
import type { AdminEventName, AdminEvents } from '../../../src-shared/contract/admin';

/** The core's typed event stream; the admin listener relays it to the UI over SSE. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open counter window is one listener; a shop may have a few plus tests.
    this.emitter.setMaxListeners(100);
  }

  emit<E extends AdminEventName>(event: E, payload: AdminEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  /** Whether anyone listens: a payload that costs queries to build is built only then. */
  wanted(event: AdminEventName): boolean {
    return this.emitter.listenerCount(event) > 0;
  }

  on<E extends AdminEventName>(event: E, listener: (payload: AdminEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
