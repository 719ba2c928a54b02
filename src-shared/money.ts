/**
 * Money crosses every boundary as a decimal string with two decimals ("1250.00") and is
 * stored as integer minor units (125000). Never a float: 0.1 + 0.2 is not a price.
 */
const DECIMAL = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** "1250", "1250.5", "1250.50" → 125000 / 125050; null for anything else (signs, exponents, 3 decimals). */
export function decimalToMinor(value: string): number | null {
  const match = DECIMAL.exec(value.trim());
  if (!match) return null;
  const whole = match[1] as string;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(fraction);
}

/** 125050 → "1250.50". */
export function minorToDecimal(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount in minor units: ${minor}`);
  const whole = Math.floor(minor / 100);
  const cents = minor % 100;
  return `${whole}.${cents.toString().padStart(2, '0')}`;
}
