/**
 * The wallet's own time of an SMS, as epoch ms. Chains are ordered by it where printed:
 * received_at is when a device passed the SMS on, and the phone and the modem pass the same
 * wallet's SMS on at different times (an operator may hold one for an hour).
 *
 * Wallets print local wall-clock time without a zone; each wallet's country has one fixed
 * offset and no daylight saving.
 */
const UTC_OFFSET_MINUTES: Record<string, number> = {
  bkash: 360,
  nagad: 360,
  rocket: 360,
  upay: 360,
  easypaisa: 300,
  jazzcash: 300,
  gcash: 480,
  maya: 480,
  upi: 330,
  mpesa: 180,
};

/** GCash writes dates month first ("05-12-2026" is 12 May); the others day first. */
const MONTH_FIRST = new Set(['gcash']);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A wallet time further from received_at than this is a misread (or a forger's): received_at is used. */
const MAX_EARLIER_MS = 7 * 24 * 3_600_000;
const MAX_LATER_MS = 10 * 60_000;

const TIME_OF_DAY = /\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s?([ap])?\.?m?\b/i;
const ISO_DATE = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/;
const NUMERIC_OR_NAMED_DATE = /\b(\d{1,2})[/-](\d{1,2}|[a-z]{3,9})[/-](\d{2}|\d{4})\b/i;
const NAME_DAY_YEAR = /\b([a-z]{3,9})\.?\s(\d{1,2}),?\s(\d{4})\b/i;
const DAY_NAME_YEAR = /\b(\d{1,2})\s([a-z]{3,9}),?\s(\d{4})\b/i;

function monthOf(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const index = MONTHS.indexOf(text.slice(0, 3).toLowerCase());
  return index === -1 ? null : index + 1;
}

function fullYear(text: string): number {
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

function dateOf(provider: string, text: string): { y: number; m: number; d: number } | null {
  let match = ISO_DATE.exec(text);
  if (match) return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  match = NUMERIC_OR_NAMED_DATE.exec(text);
  if (match) {
    const [, first, second, year] = match as unknown as [string, string, string, string];
    const named = !/^\d+$/.test(second);
    const monthText = named || !MONTH_FIRST.has(provider) ? second : first;
    const dayText = named || !MONTH_FIRST.has(provider) ? first : second;
    const m = monthOf(monthText);
    return m === null ? null : { y: fullYear(year), m, d: Number(dayText) };
  }
  match = NAME_DAY_YEAR.exec(text);
  if (match) {
    const m = monthOf(match[1] as string);
    return m === null ? null : { y: Number(match[3]), m, d: Number(match[2]) };
  }
  match = DAY_NAME_YEAR.exec(text);
  if (match) {
    const m = monthOf(match[2] as string);
    return m === null ? null : { y: Number(match[3]), m, d: Number(match[1]) };
  }
  return null;
}

/**
 * Reads a wallet_time as printed ("21/11/2026 10:02", "09-APR-26 10:55:36 am", "5/6/24 at
 * 3:04 PM", "May 12, 2026 11:25 AM"). Null for a date without a time of day (most bank SMS):
 * a whole day is too coarse to order SMS by.
 */
export function walletTimeMs(provider: string, text: string | null | undefined): number | null {
  const offset = UTC_OFFSET_MINUTES[provider];
  if (offset === undefined || typeof text !== 'string' || text.length > 60) return null;
  const clock = TIME_OF_DAY.exec(text);
  const date = dateOf(provider, text);
  if (!clock || !date) return null;
  let hour = Number(clock[1]);
  const minute = Number(clock[2]);
  const second = clock[3] === undefined ? 0 : Number(clock[3]);
  const half = clock[4]?.toLowerCase();
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59 || date.m < 1 || date.m > 12 || date.d < 1 || date.d > 31) return null;
  const ms = Date.UTC(date.y, date.m - 1, date.d, hour, minute, second);
  // Date.UTC rolls 31 April into May; a date that does not exist is a misread.
  if (new Date(ms).getUTCDate() !== date.d) return null;
  return ms - offset * 60_000;
}

/** Where an SMS sits in its chain: the wallet's time when printed and plausible, else received_at. */
export function orderTimeOf(sms: { provider: string | null; wallet_time: string | null; received_at: number }): number {
  const wallet = sms.provider ? walletTimeMs(sms.provider, sms.wallet_time) : null;
  if (wallet === null || wallet < sms.received_at - MAX_EARLIER_MS || wallet > sms.received_at + MAX_LATER_MS) return sms.received_at;
  return wallet;
}
