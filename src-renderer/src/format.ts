import { REVIEW_REASON_CODES, type ResultSource, type SessionView } from '../../src-shared/contract/payments';
import type { SmsView } from '../../src-shared/sms';
import { CoreError } from './core-client';
import { currentLocale, t } from './i18n';
import { formatClock, formatDate, formatDateTime, formatDecimal, formatInteger } from './i18n/locale-format';

/**
 * Everything the counter shows that comes from a code (a wallet id, a result source, a review
 * reason, a status) goes through the translation table here: never the code itself.
 */

const WALLETS = ['bkash', 'nagad', 'rocket', 'upay', 'easypaisa', 'jazzcash', 'gcash', 'maya', 'upi', 'mpesa'] as const;
type WalletKey = (typeof WALLETS)[number];

/** "bKash" (বিকাশ) for `bkash`; "another wallet" for one this build does not know; "the wallet" when none. */
export function walletName(provider: string | null | undefined): string {
  if (!provider) return t('wallet.none');
  return (WALLETS as readonly string[]).includes(provider) ? t(`wallet.${provider as WalletKey}`) : t('wallet.other');
}

const VARIANTS = ['personal', 'agent', 'merchant', 'bank', 'till', 'paybill'] as const;

/** A gateway's account kind in words ("personal", "agent"…). */
export function variantName(variant: string | null | undefined): string {
  if (!variant) return '';
  return (VARIANTS as readonly string[]).includes(variant) ? t(`variant.${variant as (typeof VARIANTS)[number]}`) : t('variant.other');
}

const CURRENCIES = ['BDT', 'PKR', 'PHP', 'INR', 'KES'] as const;

/** A currency's code in the table's words ("BDT"; its own word in Bangla); an unknown code as it is. */
export function currencyName(currency: string): string {
  return (CURRENCIES as readonly string[]).includes(currency) ? t(`currency.${currency as (typeof CURRENCIES)[number]}`) : currency;
}

/** An amount (a decimal string, never a float) with its currency, in the counter's language: "1,250.50 BDT", "১,২৫০.৫০ টাকা". */
export function money(amount: string | null | undefined, currency?: string | null): string {
  const digits = amount ? formatDecimal(amount, currentLocale()) : '?';
  return currency ? `${digits} ${currencyName(currency)}` : digits;
}

/** A count in the language's digits. */
export function count(n: number): string {
  return formatInteger(n, currentLocale());
}

/** A moment as date and time. */
export function dateTime(iso: string): string {
  return formatDateTime(iso, currentLocale());
}

/** "11:25:03" today, the date and time otherwise: retries are seconds apart. */
export function clockTime(iso: string | null): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = formatClock(iso, currentLocale(), true);
  return at.toDateString() === new Date().toDateString() ? time : `${formatDate(iso, currentLocale())} ${time}`;
}

/** A clock time alone ("11:25"). */
export function clock(iso: string): string {
  return formatClock(iso, currentLocale());
}

/** "11:25 today (3 min ago)", or the date and time for an older moment; a cashier reads it at a glance. */
export function when(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return t('time.unknown');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameDay = at.toDateString() === new Date(now).toDateString();
  const text = sameDay ? t('time.today', { clock: clock(iso) }) : dateTime(iso);
  const minutes = Math.round((now - at.getTime()) / 60_000);
  if (minutes < 0) return text;
  if (minutes === 0) return t('time.justNow', { text });
  if (minutes < 120) return t('time.minutesAgo', { text, minutes: count(minutes) });
  return text;
}

/** The codes the core sends; each has words in the table (reason.<code>). */
const REASONS = REVIEW_REASON_CODES;

/** Why a payment waits, in the table's words (the core's own sentence is its detail, see reasonDetail). */
export function reasonText(reason: { code: string }): string {
  return (REASONS as readonly string[]).includes(reason.code) ? t(`reason.${reason.code as (typeof REASONS)[number]}`) : t('reason.other');
}

/**
 * The core's sentence behind a reason, for English readers: it names amounts and accounts the
 * table's words leave out. Wallet ids in it become their names; other languages show only the table's words.
 */
export function reasonDetail(reason: { message: string }): string | null {
  if (currentLocale() !== 'en-US' || !reason.message) return null;
  return reason.message.replace(new RegExp(`\\b(${WALLETS.join('|')})\\b`, 'g'), (id) => walletName(id));
}

/** How a payment was decided ("SMS arrived later and matched", "Staff decision"), never `sms_late_match`. */
export function sourceText(source: ResultSource | string | null | undefined): string {
  if (!source) return '';
  const known = ['apk', 'sms_inbound', 'sms_late_match', 'manual', 'manual_verify', 'counter'] as const satisfies readonly ResultSource[];
  return (known as readonly string[]).includes(source) ? t(`source.${source as ResultSource}`) : '';
}

/**
 * A session's state as staff read it: a session staff rejected stays `pending` for the
 * contract, but its latest attempt failed: "Rejected: <reason>", never "Pending · manual".
 */
export function sessionStatusText(s: SessionView): string {
  const latest = s.latest_transaction;
  if (s.status === 'success' && s.successful_transaction?.reversed_at) return t('sessionStatus.reversed');
  if (s.status === 'pending' && latest?.status === 'failed') {
    return latest.failure_reason ? t('sessionStatus.rejectedBecause', { reason: latest.failure_reason }) : t('sessionStatus.rejected');
  }
  if (s.status === 'pending' && latest?.status === 'pending') return t('sessionStatus.waitingCheck');
  return t(`sessionStatus.${s.status}`);
}

/** An SMS's kind in words ("Money in", "Not understood"). */
export function smsKindText(kind: SmsView['kind']): string {
  return t(`smsKind.${kind}`);
}

/** Where an SMS came from, in words ("modem + phone"). */
export function smsSourcesText(sources: SmsView['deliveries']): string {
  return [...new Set(sources.map((d) => d.source))].map((s) => t(`smsSource.${s}`)).join(t('sms.sourceJoin'));
}

/** Cashier's words for a failed command: never a stack, never a bare code. */
export function errorWords(err: unknown, doing: 'check' | 'accept'): string {
  if (!(err instanceof CoreError)) return t('error.noAnswer');
  switch (err.code) {
    case 'txnid_already_used':
      return t('error.alreadyUsed');
    case 'txnid_not_found':
      return t('error.txnidNotFound');
    case 'txnid_invalid':
      return t('error.txnidInvalid');
    case 'validation_failed':
      return t('error.checkTyped', { detail: err.detail ?? err.message });
    case 'payment_rejected':
    case 'conflict':
      return t('error.cannotAccept', { detail: err.detail ?? err.message });
    case 'payment_needs_check':
      return t('error.needsCheck');
    case 'unauthorized':
      return t('error.signInAgain');
    case 'rate_limited':
      return t('error.rateLimited');
    case 'not_found':
      return doing === 'accept' ? t('error.acceptUnsupported') : t('error.couldNot');
    case 'shutting_down':
      return t('error.restarting');
    default:
      return doing === 'accept' ? t('error.acceptFailed') : t('error.checkFailed');
  }
}

/**
 * Why a webhook command failed, in words: the core's own text for a refused URL (its
 * `merchant_message`, without the field name it starts with), never a bare code.
 */
export function webhookErrorWords(err: unknown): string {
  if (!(err instanceof CoreError)) return t('error.noAnswer');
  const text = (err.detail ?? err.message).replace(/^url: /, '');
  switch (err.code) {
    case 'unauthorized':
      return t('error.signInAgain');
    case 'not_found':
      return err.detail?.startsWith('No admin command') ? t('error.webhooksUnsupported') : text;
    case 'shutting_down':
      return t('error.restarting');
    default:
      return text;
  }
}

/**
 * Why the cloud sync settings were refused, in words: the core's `merchant_message`, whose field
 * name (`url: …`, `token: …`) becomes the field's label on the form.
 */
export function syncErrorWords(err: unknown): string {
  if (!(err instanceof CoreError)) return t('error.noAnswer');
  const text = (err.detail ?? err.message).replace(/^url: /, t('error.cloudUrlField')).replace(/^token: /, t('error.syncTokenField'));
  switch (err.code) {
    case 'unauthorized':
      return t('error.signInAgain');
    case 'not_found':
      return err.detail?.startsWith('No admin command') ? t('error.syncUnsupported') : text;
    case 'shutting_down':
      return t('error.restarting');
    default:
      return text;
  }
}
