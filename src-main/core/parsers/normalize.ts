/**
 * Text helpers shared by every wallet module. Money never passes through a float:
 * amounts are rebuilt digit by digit as strings.
 */

/**
 * Only the first MAX_SCAN characters of a body are read. Real wallet SMS are under
 * ~700 characters (a few concatenated parts); capping bounds the regex work per message
 * so a 100k-character input costs the same as a 2k one. Anything past the cap is ignored,
 * which can only turn a message into `unknown`, never into a credit.
 */
export const MAX_SCAN = 2000;

const NON_ASCII_OR_CONTROL = /[^\x20-\x7e]/;
// Bangla, Arabic-Indic, Extended Arabic-Indic (Urdu) and Devanagari digits.
const FOREIGN_DIGITS = /[\u09e6-\u09ef\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]/g;
const INVISIBLES = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
// Control characters are exactly what this pattern exists to strip.
// eslint-disable-next-line no-control-regex
const SPACES_AND_CONTROLS = /[\s\u0000-\u001f\u007f-\u009f]+/g;
const DOUBLE_SPACE = / {2,}/g;

function digitValue(ch: string): string {
  const code = ch.charCodeAt(0);
  const base = code >= 0x09e6 ? 0x09e6 : code >= 0x0966 ? 0x0966 : code >= 0x06f0 ? 0x06f0 : 0x0660;
  return String.fromCharCode(48 + code - base);
}

export function toAsciiDigits(text: string): string {
  return text.replace(FOREIGN_DIGITS, digitValue);
}

let lastRaw: string | undefined;
let lastPrepared = '';

/**
 * Caps, maps native digits to ASCII, and collapses every run of whitespace or control
 * characters to one space, so patterns can assume single spaces and ASCII digits.
 * The registry runs up to ten wallet modules over the same body; the one-entry cache
 * makes that cost one preparation instead of ten.
 */
export function prepareBody(raw: string): string {
  if (raw === lastRaw) return lastPrepared;
  let text = raw.length > MAX_SCAN ? raw.slice(0, MAX_SCAN) : raw;
  if (NON_ASCII_OR_CONTROL.test(text)) {
    text = toAsciiDigits(text).replace(INVISIBLES, '').replace(SPACES_AND_CONTROLS, ' ');
  } else if (text.includes('  ')) {
    text = text.replace(DOUBLE_SPACE, ' ');
  }
  lastRaw = raw;
  lastPrepared = text.trim();
  return lastPrepared;
}

// Plain digits, Western grouping (1,234,567) or Indian grouping (12,34,567). A last group
// of two digits ("12,34") is refused: it may be a European decimal comma.
const INTEGER_PART = /^(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})$/;
const MAX_INTEGER_DIGITS = 13;

/**
 * "1,500.5" → "1500.50". Returns null for anything ambiguous (three decimals, odd
 * grouping, absurd length) so a misread can never become a confirmed amount.
 */
export function toAmount(raw: string | undefined | null): string | null {
  if (raw === undefined || raw === null) return null;
  let text = raw.trim();
  while (text.endsWith(',')) text = text.slice(0, -1);
  const dot = text.indexOf('.');
  const intPart = dot === -1 ? text : text.slice(0, dot);
  const decPart = dot === -1 ? '' : text.slice(dot + 1);
  if (!INTEGER_PART.test(intPart)) return null;
  if (decPart.length > 2 || (dot !== -1 && !/^\d{1,2}$/.test(decPart))) return null;
  let digits = intPart.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_INTEGER_DIGITS) return null;
  if (digits === '') digits = '0';
  const decimals = decPart.length === 2 ? decPart : decPart.length === 1 ? `${decPart}0` : '00';
  return `${digits}.${decimals}`;
}

export function isPositiveAmount(amount: string): boolean {
  return /[1-9]/.test(amount);
}

/** Upper case, no spaces or punctuation: the form TxnIDs are matched in. */
export function normalizeTxnid(raw: string): string {
  if (typeof raw !== 'string') return '';
  return toAsciiDigits(raw)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** Trims a captured field and drops trailing sentence punctuation; null when empty. */
export function cleanField(raw: string | undefined | null, maxLength = 80): string | null {
  if (raw === undefined || raw === null) return null;
  const text = raw.replace(/^[\s:,-]+/, '').replace(/[\s.,;:-]+$/, '');
  if (text === '' || text.length > maxLength) return null;
  return text;
}

/** Sender headers are compared trimmed and upper-cased. */
export function normalizeSender(sender: string): string {
  return typeof sender === 'string' ? sender.trim().toUpperCase() : '';
}
