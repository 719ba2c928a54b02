import { PROVIDERS } from '../../src-shared/providers';
import { CoreError } from './core-client';

/** "bKash" for `bkash`; the raw id for a wallet this build does not know; "the wallet" when none. */
export function walletName(provider: string | null | undefined): string {
  if (!provider) return 'the wallet';
  return PROVIDERS.find((p) => p.id === provider)?.name ?? provider;
}

/** "11:25 today (3 min ago)", or the date and time for an older moment; a cashier reads it at a glance. */
export function when(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'at an unknown time';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameDay = at.toDateString() === new Date(now).toDateString();
  const clock = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const text = sameDay ? `${clock} today` : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  const minutes = Math.round((now - at.getTime()) / 60_000);
  if (minutes < 0) return text;
  if (minutes === 0) return `${text} (just now)`;
  if (minutes < 120) return `${text} (${minutes} min ago)`;
  return text;
}

/** Cashier's words for a failed command: never a stack, never a bare code. */
export function errorWords(err: unknown, doing: 'check' | 'accept'): string {
  if (!(err instanceof CoreError)) return 'CounterPay did not answer. Check the connection and try again.';
  switch (err.code) {
    case 'txnid_already_used':
      return 'Someone used this payment a moment ago (another counter or an online order). It cannot pay this sale: do not hand over the goods for it.';
    case 'txnid_not_found':
      return 'No wallet SMS with this TxnID has arrived (any more). Check the number with the customer.';
    case 'txnid_invalid':
      return 'That does not look like a TxnID of this wallet. Check the number with the customer.';
    case 'validation_failed':
      return `Check what you typed: ${err.detail ?? err.message}`;
    case 'payment_rejected':
    case 'conflict':
      return `This payment cannot be accepted: ${err.detail ?? err.message}`;
    case 'unauthorized':
      return 'Your staff sign-in is no longer accepted. Sign out and sign in again.';
    case 'rate_limited':
      return 'Too many tries at once. Wait a few seconds and try again.';
    case 'not_found':
      return doing === 'accept'
        ? 'This CounterPay core cannot accept payments at the counter yet: update it.'
        : 'CounterPay could not do that.';
    case 'shutting_down':
      return 'CounterPay is restarting. Try again in a moment.';
    default:
      return doing === 'accept'
        ? 'CounterPay could not accept this payment. Check the TxnID again before handing over goods.'
        : 'CounterPay could not check this TxnID. Try again.';
  }
}

/**
 * Why a webhook command failed, in words: the core's own text for a refused URL (its
 * `merchant_message`, without the field name it starts with), never a bare code.
 */
export function webhookErrorWords(err: unknown): string {
  if (!(err instanceof CoreError)) return 'CounterPay did not answer. Check the connection and try again.';
  const text = (err.detail ?? err.message).replace(/^url: /, '');
  switch (err.code) {
    case 'unauthorized':
      return 'Your staff sign-in is no longer accepted. Sign out and sign in again.';
    case 'not_found':
      return err.detail?.startsWith('No admin command') ? 'This CounterPay core does not send webhooks yet: update it.' : text;
    case 'shutting_down':
      return 'CounterPay is restarting. Try again in a moment.';
    default:
      return text;
  }
}

/**
 * Why the cloud sync settings were refused, in words: the core's `merchant_message`, whose field
 * name (`url: …`, `token: …`) becomes the field's label on the form.
 */
export function syncErrorWords(err: unknown): string {
  if (!(err instanceof CoreError)) return 'CounterPay did not answer. Check the connection and try again.';
  const text = (err.detail ?? err.message).replace(/^url: /, 'Cloud URL: ').replace(/^token: /, 'Sync token: ');
  switch (err.code) {
    case 'unauthorized':
      return 'Your staff sign-in is no longer accepted. Sign out and sign in again.';
    case 'not_found':
      return err.detail?.startsWith('No admin command') ? 'This CounterPay core cannot sync to a cloud yet: update it.' : text;
    case 'shutting_down':
      return 'CounterPay is restarting. Try again in a moment.';
    default:
      return text;
  }
}
