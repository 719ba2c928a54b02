/**
 * Amounts and dates in the counter's language. Money stays a decimal string end to end: the
 * digits are regrouped and re-drawn for the locale (Bengali digits for বাংলা), never parsed
 * into a float, so "1234567.05" is exactly ১২,৩৪,৫৬৭.০৫ and never 1234567.0499999.
 */

interface NumberShape {
  digits: string[];
  decimal: string;
  minus: string;
  grouping: Intl.NumberFormat;
}

const shapes = new Map<string, NumberShape>();

function shapeOf(locale: string): NumberShape {
  const known = shapes.get(locale);
  if (known) return known;
  const plain = new Intl.NumberFormat(locale, { useGrouping: false });
  const digits = Array.from({ length: 10 }, (_, d) => plain.format(d));
  const parts = new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(-1.5);
  const shape: NumberShape = {
    digits,
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    minus: parts.find((p) => p.type === 'minusSign')?.value ?? '-',
    grouping: new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 0 }),
  };
  shapes.set(locale, shape);
  return shape;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * "1250.50" → "1,250.50" (en-US), "১,২৫০.৫০" (bn-BD). A string that is not a plain decimal
 * (null, "?", already formatted) comes back as it was: never a wrong number.
 */
export function formatDecimal(amount: string, locale: string): string {
  const m = DECIMAL.exec(amount.trim());
  if (!m) return amount;
  const [, sign, whole = '0', fraction] = m;
  const shape = shapeOf(locale);
  // BigInt keeps every digit of the whole part; Intl groups it the locale's way (1,23,456 in bn).
  const grouped = shape.grouping.format(BigInt(whole));
  const frac = fraction ? shape.decimal + [...fraction].map((d) => shape.digits[Number(d)] ?? d).join('') : '';
  return `${sign ? shape.minus : ''}${grouped}${frac}`;
}

/** Digits of a count or a small number in the locale ("3" → "৩"). */
export function formatInteger(n: number, locale: string): string {
  return Number.isFinite(n) ? new Intl.NumberFormat(locale).format(n) : String(n);
}

function validDate(iso: string): Date | null {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Date and time, medium style ("12 May 2026, 11:25"). */
export function formatDateTime(iso: string, locale: string): string {
  const at = validDate(iso);
  return at ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at) : iso;
}

/** The clock: "11:25". */
export function formatClock(iso: string, locale: string, seconds = false): string {
  const at = validDate(iso);
  if (!at) return iso;
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(at);
}

/** The date alone, medium style. */
export function formatDate(iso: string, locale: string): string {
  const at = validDate(iso);
  return at ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(at) : iso;
}

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar day ("2026-05-12", no clock and no zone: the shop's day as the core counts it) in
 * words: "Tuesday, May 12, 2026", or with `short` "May 12". Drawn in UTC so no zone moves it.
 */
export function formatCalendarDay(date: string, locale: string, style: 'long' | 'short' = 'long'): string {
  const m = CALENDAR_DAY.exec(date);
  if (!m) return date;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
      : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(at);
}

const WALL_CLOCK = /^(\d{2}):(\d{2})$/;

/** A time read off a clock elsewhere ("10:04", the shop's): 24-hour, in the locale's digits ("১০:০৪"). */
export function formatWallClock(hhmm: string, locale: string): string {
  const m = WALL_CLOCK.exec(hhmm);
  if (!m) return hhmm;
  const at = Date.UTC(2000, 0, 1, Number(m[1]), Number(m[2]));
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(at);
}
