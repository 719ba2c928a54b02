import crypto from 'node:crypto';
import type { CanaryView } from '../../../src-shared/contract/modem';
import { AppError } from '../errors';

/** The text every canary SMS carries; its nonce ties the phone's upload to the modem's send. */
const CANARY_TEXT = (nonce: string) => `CounterPay path test ${nonce}: the modem and the phone both work. No action needed.`;
const CANARY_BODY = /\bCounterPay path test ([A-Z0-9]{8})\b/;

/** Whether an SMS is a canary (it never enters matching). */
export function canaryNonceOf(body: string): string | null {
  return CANARY_BODY.exec(body)?.[1] ?? null;
}

export interface CanarySender {
  label: string;
  ready: boolean;
  sendSms(to: string, text: string): Promise<number>;
}

/**
 * "Test both paths" (issue 11): the modem texts the shop phone, and the counter watches for that
 * SMS in the phone's upload. One test at a time; the latest result stays until the next.
 */
export class Canary {
  private current: CanaryView | null = null;

  constructor(private readonly clock: () => number) {}

  status(): CanaryView | null {
    return this.current ? { ...this.current } : null;
  }

  start(modems: readonly CanarySender[], rawTo: unknown): CanaryView {
    const to = typeof rawTo === 'string' ? rawTo.replace(/[\s-]/g, '') : '';
    if (!/^\+?\d{6,15}$/.test(to)) {
      throw new AppError('validation_failed', "to: the shop phone's number, digits with an optional +", { hints: { field: 'to' } });
    }
    const modem = modems.find((m) => m.ready);
    if (!modem) throw new AppError('validation_failed', 'No modem is ready to send: the Devices screen says why.');
    const nonce = crypto.randomBytes(4).toString('hex').toUpperCase();
    const view: CanaryView = {
      nonce,
      to,
      modem: modem.label,
      sent_at: new Date(this.clock()).toISOString(),
      arrived_at: null,
      delay_ms: null,
      arrived_via: null,
      state: 'sending',
      error: null,
    };
    this.current = view;
    modem.sendSms(to, CANARY_TEXT(nonce)).then(
      () => {
        if (this.current?.nonce === nonce && this.current.state === 'sending') this.current.state = 'awaiting';
      },
      (err: unknown) => {
        if (this.current?.nonce !== nonce) return;
        this.current.state = 'failed';
        this.current.error = `the modem could not send: ${err instanceof Error ? err.message : String(err)}`;
      },
    );
    return { ...view };
  }

  /** An SMS was stored: if it is the awaited canary, the path worked. True for any canary (never matched). */
  observe(body: string, via: string): boolean {
    const nonce = canaryNonceOf(body);
    if (nonce === null) return false;
    const c = this.current;
    if (c && c.nonce === nonce && c.arrived_at === null) {
      const now = this.clock();
      c.arrived_at = new Date(now).toISOString();
      c.delay_ms = now - Date.parse(c.sent_at);
      c.arrived_via = via;
      c.state = 'arrived';
    }
    return true;
  }
}
