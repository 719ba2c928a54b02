/**
 * Builds PDUs: SMS-DELIVER as a modem would list them (for the modem simulator in the tests), split
 * into concatenated parts when the text is long, and a single-part SMS-SUBMIT for AT+CMGS in PDU
 * mode (the canary). Layouts: 3GPP TS 23.040 §9.2.2.1 (DELIVER), §9.2.2.2 (SUBMIT), §9.2.3.24
 * (concatenation), TS 27.005 §3.1 (the SMSC address in front).
 */
import { PduError } from './decode-deliver';
import { GSM7_ESCAPE, encodeGsm7, isGsm7Encodable, packSeptets } from './gsm7';
import type { DeliverSpec } from './types';

const DEFAULT_SMSC = '+8801700000000';

/** Septets (GSM 7-bit) or UTF-16 code units (UCS2) per part. */
const SINGLE_GSM7 = 160;
const SINGLE_UCS2 = 70;
const PART_GSM7 = { 8: 153, 16: 152 } as const;
const PART_UCS2 = { 8: 67, 16: 66 } as const;

const FIRST_OCTET_DELIVER = 0x04; // TP-MTI 00 (SMS-DELIVER), TP-MMS: no more messages waiting
const FIRST_OCTET_SUBMIT = 0x01; // TP-MTI 01 (SMS-SUBMIT), no validity period, no status report
const UDHI = 0x40;
const DCS_GSM7 = 0x00;
const DCS_UCS2 = 0x08;

function invalid(message: string): PduError {
  return new PduError('invalid-argument', message);
}

function toHex(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += ((bytes[i] as number) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return out;
}

/** Digits (and * # a b c) as semi-octets, low nibble first, 0xF filling an odd count. */
function semiOctets(digits: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < digits.length; i += 2) {
    const lo = '0123456789*#abc'.indexOf(digits[i] as string);
    const hi = i + 1 < digits.length ? '0123456789*#abc'.indexOf(digits[i + 1] as string) : 0x0f;
    out.push((hi << 4) | lo);
  }
  return out;
}

/** "+8801712345678" → international (0x91); "16247" → unknown, ISDN plan (0x81). */
function numberAddress(address: string, what: string, maxDigits: number): { toa: number; digits: string } {
  const m = /^(\+?)([0-9]+)$/.exec(address);
  if (!m) throw invalid(`${what} ${JSON.stringify(address)} is not a number`);
  const digits = m[2] as string;
  if (digits.length > maxDigits) throw invalid(`${what} has ${digits.length} digits, more than ${maxDigits}`);
  return { toa: m[1] ? 0x91 : 0x81, digits };
}

function smscField(smsc: string | null): number[] {
  if (smsc === null) return [0x00];
  const { toa, digits } = numberAddress(smsc, 'SMSC address', 20);
  const body = semiOctets(digits);
  return [1 + body.length, toa, ...body];
}

/** An originating or destination address field: length in useful semi-octets, type, value. */
function addressField(address: string, allowAlphanumeric: boolean): number[] {
  if (/^\+?[0-9]+$/.test(address)) {
    const { toa, digits } = numberAddress(address, 'address', 20);
    return [digits.length, toa, ...semiOctets(digits)];
  }
  if (!allowAlphanumeric) throw invalid(`destination ${JSON.stringify(address)} is not a number`);
  const septets = address.length > 0 ? encodeGsm7(address) : null;
  if (!septets) throw invalid(`sender ${JSON.stringify(address)} is neither a number nor GSM 7-bit text`);
  if (septets.length > 11) throw invalid(`alphanumeric sender ${JSON.stringify(address)} takes ${septets.length} septets, more than 11`);
  // TS 23.040 §9.1.2.5: the length counts the semi-octets that carry the packed septets.
  return [Math.ceil((septets.length * 7) / 4), 0xd0, ...packSeptets(septets)];
}

function bcd(n: number): number {
  return ((n % 10) << 4) | Math.floor(n / 10);
}

/** The SCTS: the local date and time at `tzMinutes` east of UTC, and the zone in quarters of an hour. */
function timestampField(at: Date, tzMinutes: number): number[] {
  if (!Number.isFinite(at.getTime())) throw invalid('timestamp is not a date');
  if (!Number.isInteger(tzMinutes) || tzMinutes % 15 !== 0) throw invalid(`time zone ${tzMinutes} min is not whole quarters of an hour`);
  const quarters = Math.abs(tzMinutes / 15);
  if (quarters > 79) throw invalid(`time zone ${tzMinutes} min is out of range`);
  const local = new Date(at.getTime() + tzMinutes * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1990 || year > 2089) throw invalid(`year ${year} cannot be written as the two digits a time stamp holds`);
  const tz = ((quarters % 10) << 4) | Math.floor(quarters / 10) | (tzMinutes < 0 ? 0x08 : 0);
  return [
    bcd(year % 100),
    bcd(local.getUTCMonth() + 1),
    bcd(local.getUTCDate()),
    bcd(local.getUTCHours()),
    bcd(local.getUTCMinutes()),
    bcd(local.getUTCSeconds()),
    tz,
  ];
}

function concatHeader(refBits: 8 | 16, ref: number, total: number, seq: number): number[] {
  return refBits === 16 ? [0x06, 0x08, 0x04, ref >> 8, ref & 0xff, total, seq] : [0x05, 0x00, 0x03, ref, total, seq];
}

/** A 32-bit FNV-1a hash: a stable default reference for the parts of one message. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Splits `units` (septets or UTF-16 code units) into runs of at most `size`, never between the
 * two septets of an escape sequence nor the two halves of a surrogate pair.
 */
function split(units: readonly number[], size: number, keepWithNext: (unit: number, next: number) => boolean): Array<readonly number[]> {
  const parts: Array<readonly number[]> = [];
  let start = 0;
  while (start < units.length) {
    let end = Math.min(start + size, units.length);
    if (end < units.length && keepWithNext(units[end - 1] as number, units[end] as number)) end -= 1;
    parts.push(units.slice(start, end));
    start = end;
  }
  return parts;
}

/** Septets of a GSM 7-bit text; an escape always opens a two-septet character. */
function gsm7Septets(text: string): number[] {
  const septets = encodeGsm7(text);
  if (!septets) throw invalid('text has characters outside the GSM 7-bit alphabet and its extension table');
  return septets;
}

function ucs2Units(text: string): number[] {
  const units = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

const isHighSurrogate = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLowSurrogate = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** User data (UDL and UD) of one part, with its concatenation header when `header` is given. */
function userData(encoding: 'gsm7' | 'ucs2', units: readonly number[], header: number[] | null): number[] {
  const h = header ?? [];
  if (encoding === 'ucs2') {
    const body: number[] = [];
    for (const u of units) body.push(u >> 8, u & 0xff);
    return [h.length + body.length, ...h, ...body];
  }
  const headerSeptets = Math.ceil((h.length * 8) / 7);
  const fillBits = headerSeptets * 7 - h.length * 8;
  return [headerSeptets + units.length, ...h, ...packSeptets(units, fillBits)];
}

function chooseEncoding(text: string, asked: 'gsm7' | 'ucs2' | undefined): 'gsm7' | 'ucs2' {
  if (asked === 'ucs2') return 'ucs2';
  if (asked === 'gsm7') {
    if (!isGsm7Encodable(text)) throw invalid('GSM 7-bit asked for a text with characters outside the alphabet');
    return 'gsm7';
  }
  return isGsm7Encodable(text) ? 'gsm7' : 'ucs2';
}

/**
 * SMS-DELIVER PDUs for `spec`, SMSC part first, as a modem lists them: one PDU when the text fits
 * (160 septets / 70 UCS2 code units), else concatenated parts of 153 septets / 67 code units each
 * (152 / 66 with a 16-bit reference).
 */
export function encodeDeliverPdus(spec: DeliverSpec): string[] {
  const text = spec.text;
  const encoding = chooseEncoding(text, spec.encoding);
  const smsc = smscField(spec.smsc === undefined ? DEFAULT_SMSC : spec.smsc);
  const originator = addressField(spec.sender, true);
  const at = spec.timestamp ?? new Date();
  const scts = timestampField(at, spec.tzMinutes ?? 0);
  const dcs = encoding === 'gsm7' ? DCS_GSM7 : DCS_UCS2;

  const units = encoding === 'gsm7' ? gsm7Septets(text) : ucs2Units(text);
  const single = encoding === 'gsm7' ? SINGLE_GSM7 : SINGLE_UCS2;
  const start = (firstOctet: number) => [...smsc, firstOctet, ...originator, 0x00, dcs, ...scts];
  if (units.length <= single) return [toHex([...start(FIRST_OCTET_DELIVER), ...userData(encoding, units, null)])];

  const refBits = spec.concatRefBits ?? 8;
  if (refBits !== 8 && refBits !== 16) throw invalid(`concatenation reference width ${String(refBits)} is neither 8 nor 16`);
  const refMax = refBits === 16 ? 0xffff : 0xff;
  const ref = spec.concatRef ?? fnv1a(`${spec.sender}\u0000${text}\u0000${at.getTime()}`) & refMax;
  if (!Number.isInteger(ref) || ref < 0 || ref > refMax) throw invalid(`concatenation reference ${ref} does not fit ${refBits} bits`);

  const parts =
    encoding === 'gsm7'
      ? split(units, PART_GSM7[refBits], (unit) => unit === GSM7_ESCAPE)
      : split(units, PART_UCS2[refBits], (unit, next) => isHighSurrogate(unit) && isLowSurrogate(next));
  if (parts.length > 255) throw invalid(`text needs ${parts.length} parts, more than 255`);
  return parts.map((part, i) =>
    toHex([...start(FIRST_OCTET_DELIVER | UDHI), ...userData(encoding, part, concatHeader(refBits, ref, parts.length, i + 1))]),
  );
}

/**
 * A single-part SMS-SUBMIT for AT+CMGS in PDU mode: "00" (the modem's own SMSC) first, then the
 * TPDU, whose length in octets is what AT+CMGS=<length> takes. Message reference 00 (the modem
 * sets its own), no validity period, GSM 7-bit when the text allows, else UCS2.
 */
export function encodeSubmitPdu(to: string, text: string): { pdu: string; tpduLength: number } {
  const encoding = chooseEncoding(text, undefined);
  const units = encoding === 'gsm7' ? gsm7Septets(text) : ucs2Units(text);
  const single = encoding === 'gsm7' ? SINGLE_GSM7 : SINGLE_UCS2;
  if (units.length > single) {
    throw invalid(`text takes ${units.length} ${encoding === 'gsm7' ? 'septets' : 'UCS2 code units'}, more than one SMS holds (${single})`);
  }
  const tpdu = [
    FIRST_OCTET_SUBMIT,
    0x00,
    ...addressField(to, false),
    0x00,
    encoding === 'gsm7' ? DCS_GSM7 : DCS_UCS2,
    ...userData(encoding, units, null),
  ];
  return { pdu: `00${toHex(tpdu)}`, tpduLength: tpdu.length };
}
