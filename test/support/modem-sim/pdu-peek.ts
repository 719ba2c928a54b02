/**
 * The simulator's own small reader of the PDUs it stores and receives (3GPP TS 23.040 §9.2.2.1
 * SMS-DELIVER, §9.2.2.2 SMS-SUBMIT; TS 23.038 for the alphabets). It is written independently of
 * the codec under test (src-main/core/modem/pdu) on purpose: the simulator needs it for text mode
 * (AT+CMGF=1 shows the originator, the time stamp and the text instead of the PDU), for the
 * `stored()` record, and to read back what the code under test sent with AT+CMGS. It is tolerant:
 * what it cannot read comes back as null, never as an exception.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';
const GSM7_CHARS = Array.from(GSM7_BASIC);
const GSM7_EXT: Record<number, string> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

export interface PeekedConcat {
  ref: number;
  refBits: 8 | 16;
  total: number;
  seq: number;
}

export interface PeekedDeliver {
  smsc: string | null;
  sender: string;
  senderToa: number;
  /** Text-mode time stamp as modems print it: "yy/MM/dd,hh:mm:ss±zz" (zz in quarters of an hour). */
  scts: string;
  dcs: number;
  encoding: 'gsm7' | 'ucs2' | '8bit';
  /** This part's text (8-bit data as hex). */
  text: string;
  concat: PeekedConcat | null;
}

export interface PeekedSubmit {
  smsc: string | null;
  to: string;
  toToa: number;
  dcs: number;
  encoding: 'gsm7' | 'ucs2' | '8bit';
  text: string;
  concat: PeekedConcat | null;
}

export function hexToBytes(hex: string): Uint8Array | null {
  const clean = hex.trim();
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** TPDU length in octets (what +CMGL/+CMGR/+CMT report and AT+CMGS=<length> expects): the PDU without its SMSC part. */
export function tpduLength(pdu: string): number | null {
  const bytes = hexToBytes(pdu);
  if (!bytes || bytes.length < 1) return null;
  const smscLen = bytes[0] as number;
  const len = bytes.length - 1 - smscLen;
  return len > 0 ? len : null;
}

export function gsm7Unpack(bytes: Uint8Array, startBit: number, septets: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < septets; i++) {
    const bit = startBit + i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    const lo = bytes[byte] ?? 0;
    const hi = bytes[byte + 1] ?? 0;
    out.push(((lo >> shift) | (hi << (8 - shift))) & 0x7f);
  }
  return out;
}

export function gsm7ToText(septets: number[]): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const code = septets[i] as number;
    if (code === 0x1b) {
      const next = septets[++i];
      if (next === undefined) break;
      out += GSM7_EXT[next] ?? GSM7_CHARS[next] ?? '?';
    } else {
      out += GSM7_CHARS[code] ?? '?';
    }
  }
  return out;
}

/** True when every character of `text` is in the GSM default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  const ext = new Set(Object.values(GSM7_EXT));
  return Array.from(text).every((ch) => (GSM7_CHARS.includes(ch) && ch !== '\u001b') || ext.has(ch));
}

function semiOctets(bytes: Uint8Array, from: number, count: number): string {
  let digits = '';
  for (let i = 0; i < count; i++) {
    const b = bytes[from + i] ?? 0xff;
    digits += (b & 0x0f).toString(16) + (b >> 4).toString(16);
  }
  return digits.replace(/f+$/i, '');
}

function readAddress(bytes: Uint8Array, at: number): { value: string; toa: number; next: number } | null {
  const digits = bytes[at];
  const toa = bytes[at + 1];
  if (digits === undefined || toa === undefined) return null;
  const octets = Math.ceil(digits / 2);
  if (at + 2 + octets > bytes.length) return null;
  let value: string;
  if ((toa & 0x70) === 0x50) {
    const septets = Math.floor((digits * 4) / 7);
    value = gsm7ToText(gsm7Unpack(bytes.subarray(at + 2, at + 2 + octets), 0, septets));
  } else {
    value = semiOctets(bytes, at + 2, octets).slice(0, digits);
    if ((toa & 0x70) === 0x10) value = '+' + value;
  }
  return { value, toa, next: at + 2 + octets };
}

function readSmsc(bytes: Uint8Array): { smsc: string | null; next: number } {
  const len = bytes[0] ?? 0;
  if (len === 0) return { smsc: null, next: 1 };
  const toa = bytes[1] ?? 0x81;
  const digits = semiOctets(bytes, 2, len - 1);
  return { smsc: ((toa & 0x70) === 0x10 ? '+' : '') + digits, next: 1 + len };
}

function encodingOf(dcs: number): 'gsm7' | 'ucs2' | '8bit' {
  const group = dcs & 0xf0;
  if ((dcs & 0xc0) === 0x00 || (dcs & 0xc0) === 0x40) {
    const alphabet = (dcs >> 2) & 0x03;
    return alphabet === 2 ? 'ucs2' : alphabet === 1 ? '8bit' : 'gsm7';
  }
  if (group === 0xe0) return 'ucs2';
  if (group === 0xf0) return dcs & 0x04 ? '8bit' : 'gsm7';
  return 'gsm7';
}

function readUserData(
  bytes: Uint8Array,
  at: number,
  hasUdh: boolean,
  encoding: 'gsm7' | 'ucs2' | '8bit',
): { text: string; concat: PeekedConcat | null } {
  const udl = bytes[at] ?? 0;
  const ud = bytes.subarray(at + 1);
  let concat: PeekedConcat | null = null;
  let udhOctets = 0;
  if (hasUdh && ud.length > 0) {
    const udhl = ud[0] as number;
    udhOctets = udhl + 1;
    let i = 1;
    while (i < udhOctets) {
      const iei = ud[i] as number;
      const iedl = ud[i + 1] ?? 0;
      const data = ud.subarray(i + 2, i + 2 + iedl);
      if (iei === 0x00 && iedl === 3) concat = { ref: data[0] as number, refBits: 8, total: data[1] as number, seq: data[2] as number };
      if (iei === 0x08 && iedl === 4)
        concat = { ref: ((data[0] as number) << 8) | (data[1] as number), refBits: 16, total: data[2] as number, seq: data[3] as number };
      i += 2 + iedl;
    }
  }
  if (encoding === 'gsm7') {
    const headerSeptets = Math.ceil((udhOctets * 8) / 7);
    return { text: gsm7ToText(gsm7Unpack(ud, headerSeptets * 7, Math.max(0, udl - headerSeptets))), concat };
  }
  const body = ud.subarray(udhOctets, udl);
  if (encoding === 'ucs2') {
    let text = '';
    for (let i = 0; i + 1 < body.length; i += 2) text += String.fromCharCode(((body[i] as number) << 8) | (body[i + 1] as number));
    return { text, concat };
  }
  return { text: Buffer.from(body).toString('hex').toUpperCase(), concat };
}

/** Reads an SMS-DELIVER PDU (with its SMSC part, as modems list it); null when it is not one. */
export function peekDeliver(pdu: string): PeekedDeliver | null {
  const bytes = hexToBytes(pdu);
  if (!bytes || bytes.length < 2) return null;
  try {
    const { smsc, next } = readSmsc(bytes);
    const fo = bytes[next];
    if (fo === undefined || (fo & 0x03) !== 0x00) return null;
    const oa = readAddress(bytes, next + 1);
    if (!oa) return null;
    let at = oa.next + 1; // PID
    const dcs = bytes[at++];
    if (dcs === undefined) return null;
    const ts = semiOctets(bytes, at, 6);
    const tzByte = bytes[at + 6] ?? 0;
    const tzQuarters = (tzByte & 0x07) * 10 + (tzByte >> 4);
    const sign = tzByte & 0x08 ? '-' : '+';
    const scts = `${ts.slice(0, 2)}/${ts.slice(2, 4)}/${ts.slice(4, 6)},${ts.slice(6, 8)}:${ts.slice(8, 10)}:${ts.slice(10, 12)}${sign}${String(tzQuarters).padStart(2, '0')}`;
    at += 7;
    const encoding = encodingOf(dcs);
    const ud = readUserData(bytes, at, (fo & 0x40) !== 0, encoding);
    return { smsc, sender: oa.value, senderToa: oa.toa, scts, dcs, encoding, text: ud.text, concat: ud.concat };
  } catch {
    return null;
  }
}

/** Reads an SMS-SUBMIT PDU as AT+CMGS receives it (with its SMSC part); null when it is not one. */
export function peekSubmit(pdu: string): PeekedSubmit | null {
  const bytes = hexToBytes(pdu);
  if (!bytes || bytes.length < 2) return null;
  try {
    const { smsc, next } = readSmsc(bytes);
    const fo = bytes[next];
    if (fo === undefined || (fo & 0x03) !== 0x01) return null;
    const da = readAddress(bytes, next + 2); // after first octet and TP-MR
    if (!da) return null;
    let at = da.next + 1; // PID
    const dcs = bytes[at++];
    if (dcs === undefined) return null;
    const vpf = (fo >> 3) & 0x03;
    at += vpf === 2 ? 1 : vpf === 0 ? 0 : 7;
    const encoding = encodingOf(dcs);
    const ud = readUserData(bytes, at, (fo & 0x40) !== 0, encoding);
    return { smsc, to: da.value, toToa: da.toa, dcs, encoding, text: ud.text, concat: ud.concat };
  } catch {
    return null;
  }
}

/** Text → UCS2 hex, as AT+CSCS="UCS2" shows strings. */
export function toUcs2Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out;
}

/** UCS2 hex → text, or null when `hex` is not UCS2 hex. */
export function fromUcs2Hex(hex: string): string | null {
  if (hex.length % 4 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  let out = '';
  for (let i = 0; i < hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}
