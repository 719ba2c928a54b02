/**
 * SMS-DELIVER as a modem prints it in PDU mode (+CMGL, +CMGR, +CMT): the SMSC address first
 * (3GPP TS 27.005 §3.1, <pdu>), then the TPDU (3GPP TS 23.040 §9.2.2.1). Every length is checked
 * against what is there: a PDU either decodes whole or throws a PduError, never half.
 */
import { decodeGsm7, packedLength, unpackSeptets } from './gsm7';
import type { DecodedDeliver } from './types';

/**
 * Why a PDU was refused. `malformed`: the bytes are not a well-formed PDU (odd length, not hex,
 * truncated, a length that overruns, a bad date). `not-deliver`: a well-formed TPDU of another
 * type (SUBMIT, STATUS-REPORT, …). `unsupported`: well-formed, but it needs what this codec does
 * not do (compressed text, national language shift tables), so decoding it would give wrong text.
 * `invalid-argument`: an encoder was asked for something no PDU can say.
 */
export type PduErrorCode = 'malformed' | 'not-deliver' | 'unsupported' | 'invalid-argument';

export class PduError extends Error {
  readonly code: PduErrorCode;
  constructor(code: PduErrorCode, message: string) {
    super(message);
    this.name = 'PduError';
    this.code = code;
  }
}

/** SMSC (12) + first octet (1) + OA (12) + PID, DCS (2) + SCTS (7) + UDL (1) + UD (140). */
const MAX_DELIVER_OCTETS = 175;

const SEMI_OCTET_DIGITS = '0123456789*#abc';

const TYPE_OF_NUMBER: readonly DecodedDeliver['senderType'][] = [
  'unknown',
  'international',
  'national',
  'network',
  'subscriber',
  'alphanumeric',
  'abbreviated',
  'reserved',
];

const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;

const IEI_CONCAT_8 = 0x00;
const IEI_CONCAT_16 = 0x08;
const IEI_NATIONAL_SINGLE_SHIFT = 0x24;
const IEI_NATIONAL_LOCKING_SHIFT = 0x25;

function malformed(message: string): PduError {
  return new PduError('malformed', `malformed PDU: ${message}`);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

function hexToBytes(input: string): Uint8Array {
  if (typeof input !== 'string') throw malformed('not a string');
  const hex = input.trim();
  if (hex.length === 0) throw malformed('empty');
  if (hex.length % 2 !== 0) throw malformed(`odd number of hex digits (${hex.length})`);
  if (hex.length > MAX_DELIVER_OCTETS * 2) {
    throw malformed(`${hex.length / 2} octets, longer than any SMS-DELIVER (${MAX_DELIVER_OCTETS})`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i));
    const lo = hexValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw malformed(`not a hex digit at position ${hi < 0 ? 2 * i : 2 * i + 1}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** A cursor over the PDU's octets that refuses to read past the end. */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get left(): number {
    return this.bytes.length - this.pos;
  }

  need(n: number, what: string): void {
    if (n > this.left) throw malformed(`${what} needs ${n} octet(s) at offset ${this.pos}, only ${this.left} left`);
  }

  byte(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  /** Skips `n` octets and returns where they start. */
  take(n: number, what: string): number {
    this.need(n, what);
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/**
 * Semi-octet digits, low nibble first. `count` digits are read; a filler (0xF) may only stand in
 * the unused high nibble of the last octet, never among the digits.
 */
function semiOctetDigits(bytes: Uint8Array, start: number, count: number, what: string): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const b = bytes[start + (i >> 1)] as number;
    const nibble = i & 1 ? b >> 4 : b & 0x0f;
    if (nibble === 0x0f) throw malformed(`${what}: filler 0xF inside the digits`);
    out += SEMI_OCTET_DIGITS[nibble] as string;
  }
  return out;
}

function readSmsc(r: Reader): string | null {
  const len = r.byte('SMSC length');
  if (len === 0) return null;
  if (len > 11) throw malformed(`SMSC length ${len} is over 11 octets`);
  const at = r.take(len, 'SMSC address');
  if (len === 1) return null; // a type of address and no digits
  const toa = r.bytes[at] as number;
  const octets = len - 1;
  const last = r.bytes[at + octets] as number;
  const count = octets * 2 - (last >> 4 === 0x0f ? 1 : 0);
  const digits = semiOctetDigits(r.bytes, at + 1, count, 'SMSC address');
  return ((toa >> 4) & 7) === TON_INTERNATIONAL && digits.length > 0 ? `+${digits}` : digits;
}

function readOriginator(r: Reader): { sender: string; toa: number } {
  const semiOctets = r.byte('originating address length');
  if (semiOctets > 20) throw malformed(`originating address length ${semiOctets} is over 20 semi-octets`);
  const toa = r.byte('originating address type');
  const octets = Math.ceil(semiOctets / 2);
  const at = r.take(octets, 'originating address');
  const ton = (toa >> 4) & 7;
  if (ton === TON_ALPHANUMERIC) {
    // TS 23.040 §9.1.2.5: the length counts the useful semi-octets of the GSM 7-bit packed name.
    let septets = unpackSeptets(r.bytes, at, Math.floor((semiOctets * 4) / 7));
    // 14 semi-octets hold 8 septets, or 7 and seven padding bits from an SMSC that counted whole
    // octets (13 is right for 7 characters): a trailing 0x00 there is padding, not an '@'.
    if (semiOctets === 14 && septets[7] === 0) septets = septets.subarray(0, 7);
    return { sender: decodeGsm7(septets), toa };
  }
  const digits = semiOctetDigits(r.bytes, at, semiOctets, 'originating address');
  return { sender: ton === TON_INTERNATIONAL && digits.length > 0 ? `+${digits}` : digits, toa };
}

/** TS 23.038 §4: what alphabet the user data is in. */
function encodingOf(dcs: number): DecodedDeliver['encoding'] {
  const group = dcs >> 4;
  if (group <= 0x7) {
    // General data coding (00xx) and the automatic-deletion group (01xx): bit 5 = compressed.
    if (dcs & 0x20) throw new PduError('unsupported', `DCS 0x${hex2(dcs)}: compressed user data is not supported`);
    const alphabet = (dcs >> 2) & 3;
    return alphabet === 1 ? '8bit' : alphabet === 2 ? 'ucs2' : 'gsm7'; // 3 is reserved: read as GSM 7-bit
  }
  if (group === 0xe) return 'ucs2'; // message waiting indication, store, UCS2
  if (group === 0xf) return dcs & 0x04 ? '8bit' : 'gsm7'; // data coding / message class
  // 0xC, 0xD: message waiting indication (discard / store), GSM 7-bit. 0x8-0xB: reserved, which a
  // receiving entity shall read as the GSM 7-bit default alphabet.
  return 'gsm7';
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Two semi-octet digits, swapped: 0x21 is "12". */
function swappedBcd(b: number, what: string): number {
  const lo = b & 0x0f;
  const hi = b >> 4;
  if (lo > 9 || hi > 9) throw malformed(`${what}: 0x${hex2(b)} is not two decimal digits`);
  return lo * 10 + hi;
}

/** TS 23.040 §9.2.3.11: local date and time of the SMSC, and its offset in quarters of an hour. */
function readTimestamp(r: Reader): { iso: string; ms: number } {
  const at = r.take(7, 'service centre time stamp');
  const b = r.bytes;
  const yy = swappedBcd(b[at] as number, 'time stamp year');
  const month = swappedBcd(b[at + 1] as number, 'time stamp month');
  const day = swappedBcd(b[at + 2] as number, 'time stamp day');
  const hour = swappedBcd(b[at + 3] as number, 'time stamp hour');
  const minute = swappedBcd(b[at + 4] as number, 'time stamp minute');
  const second = swappedBcd(b[at + 5] as number, 'time stamp second');
  const tz = b[at + 6] as number;
  // The zone: low nibble = sign (bit 3) and tens of quarters, high nibble = units.
  const units = tz >> 4;
  if (units > 9) throw malformed(`time zone 0x${hex2(tz)} is not decimal`);
  const quarters = (tz & 0x07) * 10 + units;
  const offset = (tz & 0x08 ? -quarters : quarters) * 15;

  // Two-digit years: 90-99 are 1990-1999, 00-89 are 2000-2089.
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (
    month < 1 ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    throw malformed(`time stamp ${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)} is not a date`);
  }
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  const iso = `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}${zone}`;
  return { iso, ms: local - offset * 60_000 };
}

interface HeaderInfo {
  concat: DecodedDeliver['concat'];
  nationalShift: boolean;
}

/**
 * The user data header: information elements one after the other (TS 23.040 §9.2.3.24). A
 * concatenation element with a zero total or a sequence number outside 1 … total is ignored, as
 * the spec says; a repeated one counts by its last occurrence. Other elements are skipped.
 */
function readHeader(bytes: Uint8Array, start: number, length: number): HeaderInfo {
  const end = start + length;
  let at = start;
  let concat: DecodedDeliver['concat'] = null;
  let nationalShift = false;
  while (at < end) {
    if (end - at < 2) throw malformed(`user data header: information element at offset ${at} is cut short`);
    const iei = bytes[at] as number;
    const iedl = bytes[at + 1] as number;
    const data = at + 2;
    if (data + iedl > end) throw malformed(`user data header: element 0x${hex2(iei)} of ${iedl} octet(s) overruns the header`);
    if (iei === IEI_CONCAT_8 || iei === IEI_CONCAT_16) {
      const wide = iei === IEI_CONCAT_16;
      if (iedl !== (wide ? 4 : 3)) throw malformed(`user data header: concatenation element 0x${hex2(iei)} has length ${iedl}`);
      const ref = wide ? ((bytes[data] as number) << 8) | (bytes[data + 1] as number) : (bytes[data] as number);
      const total = bytes[data + (wide ? 2 : 1)] as number;
      const seq = bytes[data + (wide ? 3 : 2)] as number;
      concat = total >= 1 && seq >= 1 && seq <= total ? { ref, refBits: wide ? 16 : 8, total, seq } : null;
    } else if ((iei === IEI_NATIONAL_SINGLE_SHIFT || iei === IEI_NATIONAL_LOCKING_SHIFT) && iedl >= 1 && bytes[data] !== 0) {
      nationalShift = true;
    }
    at = data + iedl;
  }
  return { concat, nationalShift };
}

/** Big-endian UTF-16 code units; a surrogate pair becomes one character, as JavaScript strings hold it. */
function decodeUcs2(bytes: Uint8Array, start: number, octets: number): string {
  let out = '';
  for (let i = start; i < start + octets; i += 2) out += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return out;
}

function toHex(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += hex2(bytes[i] as number);
  return out;
}

/**
 * Decodes one SMS-DELIVER PDU in the form a modem lists it: SMSC address first (its length may
 * be 00), then the TPDU. Throws a PduError for anything else, or anything that does not add up.
 */
export function decodeDeliverPdu(hex: string): DecodedDeliver {
  const r = new Reader(hexToBytes(hex));
  const smsc = readSmsc(r);

  const firstOctet = r.byte('first octet');
  const mti = firstOctet & 0x03;
  if (mti !== 0x00) {
    const kind = mti === 0x01 ? 'SMS-SUBMIT' : mti === 0x02 ? 'SMS-STATUS-REPORT' : 'a reserved message type';
    throw new PduError('not-deliver', `not an SMS-DELIVER: TP-MTI ${mti} (${kind}), first octet 0x${hex2(firstOctet)}`);
  }
  const udhi = (firstOctet & 0x40) !== 0;

  const { sender, toa } = readOriginator(r);
  const pid = r.byte('protocol identifier');
  const dcs = r.byte('data coding scheme');
  const encoding = encodingOf(dcs);
  const timestamp = readTimestamp(r);
  const udl = r.byte('user data length');

  const maxUdl = encoding === 'gsm7' ? 160 : 140;
  if (udl > maxUdl) throw malformed(`user data length ${udl} is over ${maxUdl}`);
  const udOctets = encoding === 'gsm7' ? packedLength(udl) : udl;
  const ud = r.take(udOctets, `user data (length ${udl})`);
  if (r.left !== 0) throw malformed(`${r.left} octet(s) after the user data`);

  let headerOctets = 0;
  let header: HeaderInfo = { concat: null, nationalShift: false };
  if (udhi) {
    if (udOctets === 0) throw malformed('user data header indicated, but the user data is empty');
    const udhl = r.bytes[ud] as number;
    headerOctets = 1 + udhl;
    if (headerOctets > udOctets) throw malformed(`user data header length ${udhl} overruns the user data (${udOctets} octets)`);
    header = readHeader(r.bytes, ud + 1, udhl);
  }

  let text: string;
  if (encoding === 'gsm7') {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    const septets = udl - headerSeptets;
    if (septets < 0) throw malformed(`user data header (${headerOctets} octets) is longer than the user data (${udl} septets)`);
    if (header.nationalShift) {
      throw new PduError('unsupported', 'national language shift tables (IEI 0x24/0x25) are not supported');
    }
    const fillBits = headerSeptets * 7 - headerOctets * 8;
    text = decodeGsm7(unpackSeptets(r.bytes, ud + headerOctets, septets, fillBits));
  } else if (encoding === 'ucs2') {
    const octets = udOctets - headerOctets;
    if (octets % 2 !== 0) throw malformed(`UCS2 user data of ${octets} octets, an odd number`);
    text = decodeUcs2(r.bytes, ud + headerOctets, octets);
  } else {
    text = toHex(r.bytes, ud + headerOctets, ud + udOctets);
  }

  return {
    smsc,
    sender,
    senderToa: toa,
    senderType: TYPE_OF_NUMBER[(toa >> 4) & 7] as DecodedDeliver['senderType'],
    timestamp: timestamp.iso,
    timestampMs: timestamp.ms,
    pid,
    dcs,
    encoding,
    text,
    concat: header.concat,
  };
}
