/**
 * When the phone says it received an SMS. Phones, forwarder apps and scripts print that time in
 * every format there is; a format CounterPay cannot read must never cost the payment SMS, so
 * anything unreadable becomes the arrival time instead of a refusal.
 */

/** A device clock may run ahead; an SMS cannot arrive from the future. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** Earlier than any SMS this product will see: a dead clock battery or a unit mix-up. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);

/** 1e11 seconds is the year 5138 and 1e11 milliseconds is 1973, so the magnitude tells the unit. */
const SECONDS_BELOW = 1e11;

/** Longer than any real time stamp; not worth a regex. */
const MAX_TEXT_LENGTH = 64;

export interface ReceivedAtOptions {
  /** The shop's offset from UTC, for times written without a zone; absent: the process's local zone. */
  utcOffsetMinutes?: number;
}

export interface ReceivedAt {
  /** Epoch milliseconds. */
  at: number;
  /** False when the arrival time stands in, or the value was clamped. */
  trusted: boolean;
}

export function readReceivedAt(raw: unknown, now: number, opts: ReceivedAtOptions = {}): ReceivedAt {
  const ms = toEpochMs(raw, opts.utcOffsetMinutes);
  if (ms === null || ms < EARLIEST_MS) return { at: now, trusted: false };
  if (ms > now + MAX_CLOCK_AHEAD_MS) return { at: now + MAX_CLOCK_AHEAD_MS, trusted: false };
  return { at: ms, trusted: true };
}

/**
 * For a caller that knows the shop offset but hands the message to the SmsIngestor, which does
 * not: a readable time becomes epoch ms; anything else goes on as sent, so the ingestor makes
 * the fallback (and logs it).
 */
export function pinReceivedAt(raw: unknown, now: number, opts: ReceivedAtOptions = {}): unknown {
  const read = readReceivedAt(raw, now, opts);
  return read.trusted ? read.at : raw;
}

function toEpochMs(raw: unknown, offsetMinutes: number | undefined): number | null {
  if (typeof raw === 'number') return fromNumber(raw);
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '' || text.length > MAX_TEXT_LENGTH) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text));
  return fromWallClock(text, offsetMinutes) ?? fromZonedText(text);
}

function fromNumber(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.trunc(n < SECONDS_BELOW ? n * 1000 : n);
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?`;
const ZONE = String.raw`(?:\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:T|\s+)${TIME}${ZONE}$`, 'i');
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?:T|,?\s+)${TIME}${ZONE}$`, 'i');

interface WallClock {
  year: number;
  month: number;
  day: number;
  /** hour, minute, second, fraction, a/p: the regex groups, unmatched ones undefined. */
  time: (string | undefined)[];
}

/**
 * ISO 8601 and the local forms phones print: yyyy-MM-dd / yyyy/MM/dd, dd/MM/yyyy / dd-MM-yyyy,
 * and MM/dd/yyyy only when the day (> 12) rules day-first out: a shop in Bangladesh writes
 * day-first, so 03/04 is 3 April.
 */
function fromWallClock(text: string, offsetMinutes: number | undefined): number | null {
  let wall: WallClock;
  let zone: string | undefined;
  const ymd = YEAR_FIRST.exec(text);
  const dmy = ymd ? null : YEAR_LAST.exec(text);
  if (ymd) {
    wall = { year: Number(ymd[1]), month: Number(ymd[3]), day: Number(ymd[4]), time: ymd.slice(5, 10) };
    zone = ymd[10];
  } else if (dmy) {
    const first = Number(dmy[1]);
    const second = Number(dmy[3]);
    const monthFirst = first <= 12 && second > 12;
    wall = { year: Number(dmy[4]), month: monthFirst ? first : second, day: monthFirst ? second : first, time: dmy.slice(5, 10) };
    zone = dmy[10];
  } else {
    return null;
  }
  const utcWall = wallToUtcMs(wall);
  if (utcWall === null) return null;
  if (zone !== undefined) {
    const offset = zoneOffsetMinutes(zone);
    return offset === null ? null : utcWall - offset * 60_000;
  }
  if (offsetMinutes !== undefined) return utcWall - offsetMinutes * 60_000;
  return processLocalMs(utcWall);
}

/** The wall clock read as if it were UTC, or null when a field is out of range. */
function wallToUtcMs({ year, month, day, time }: WallClock): number | null {
  const [h, m, s, fraction, meridiem] = time;
  let hour = Number(h);
  const minute = Number(m);
  const second = s === undefined ? 0 : Number(s);
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMinutes(zone: string): number | null {
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  if (minutes > 18 * 60) return null;
  return match[1] === '-' ? -minutes : minutes;
}

/** The wall clock in the process's zone, with that zone's rules (DST included) on that date. */
function processLocalMs(utcWall: number): number {
  const d = new Date(utcWall);
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ).getTime();
}

/** RFC 2822 and the like ("Sun, 29 Nov 2026 14:05:09 GMT"): only when they name their zone. */
function fromZonedText(text: string): number | null {
  if (!/[a-z]{3}/i.test(text) || !/\b(GMT|UTC)\b|[+-]\d{2}:?\d{2}\b/i.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
