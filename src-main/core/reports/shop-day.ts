/**
 * The shop's day: from local midnight to the next. "Local" is config `devices.utcOffsetMinutes`
 * when set (the same offset the phones' zone-less SMS times are read in), otherwise this
 * computer's time zone (so a day across a daylight-saving change is 23 or 25 hours long).
 */
export interface ShopZone {
  /** Minutes east of UTC (Dhaka: 360); undefined: the computer's time zone. */
  utcOffsetMinutes?: number;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** "2026-05-12" → its parts, or null for anything that is not a calendar date between 2000 and 2199. */
export function parseShopDate(text: string): { year: number; month: number; day: number } | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2199) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** [from, to) of a shop day in epoch milliseconds. */
export function dayRange(date: string, zone: ShopZone): { from: number; to: number } {
  const parts = parseShopDate(date);
  if (!parts) throw new RangeError(`not a shop date: ${date}`);
  const { year, month, day } = parts;
  if (zone.utcOffsetMinutes !== undefined) {
    const from = Date.UTC(year, month - 1, day) - zone.utcOffsetMinutes * 60_000;
    return { from, to: from + DAY_MS };
  }
  return { from: new Date(year, month - 1, day).getTime(), to: new Date(year, month - 1, day + 1).getTime() };
}

/** The minutes east of UTC the shop's clock reads at this instant. */
function offsetAt(ms: number, zone: ShopZone): number {
  return zone.utcOffsetMinutes ?? -new Date(ms).getTimezoneOffset();
}

/** The wall-clock fields of an instant in the shop's zone. */
function wallClock(ms: number, zone: ShopZone): Date {
  return new Date(ms + offsetAt(ms, zone) * 60_000);
}

/** The shop day an instant falls in, YYYY-MM-DD. */
export function shopDateOf(ms: number, zone: ShopZone): string {
  const d = wallClock(ms, zone);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO 8601 with the shop's offset, to the second: "2026-05-12T11:25:09+06:00". */
export function shopIso(ms: number, zone: ShopZone): string {
  const d = wallClock(ms, zone);
  const offset = offsetAt(ms, zone);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** The calendar day before or after a shop date. */
export function addDays(date: string, days: number): string {
  const parts = parseShopDate(date);
  if (!parts) throw new RangeError(`not a shop date: ${date}`);
  const d = new Date(Date.UTC(parts.year, parts.month - 1, parts.day + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Where the day's boundaries come from, for the report to say. */
export function zoneWords(zone: ShopZone): { source: 'config' | 'computer'; name: string } {
  if (zone.utcOffsetMinutes !== undefined) {
    const m = zone.utcOffsetMinutes;
    return { source: 'config', name: `UTC${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60))}:${pad(Math.abs(m) % 60)}` };
  }
  return { source: 'computer', name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time' };
}
