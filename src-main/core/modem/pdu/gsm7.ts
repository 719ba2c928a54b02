/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1 and §6.2.1.1), and
 * the packing of septets into octets (TS 23.038 §6.1.2.1.1): septet n occupies bits 7n … 7n+6 of the
 * octet stream, least significant bit first. After a user data header the septets start at the next
 * septet boundary of the user data, so `fillBits` zero bits come first (TS 23.040 §9.2.3.24).
 */

/** The escape to the extension table (and, doubled, to a table not yet defined). */
export const GSM7_ESCAPE = 0x1b;

/**
 * The default alphabet, code 0x00 … 0x7F, one row of 16 per line. 0x1B is the escape, never a
 * character of its own; it is listed here only to keep the positions.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

/** The extension table: ESC followed by one of these codes. 0x0A is the page break (form feed). */
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

/** Code → character of the default alphabet (index 0x1B unused). */
const BASIC_CHARS: readonly string[] = Array.from(BASIC);
/** Code → character of the extension table, or undefined where the table has none. */
const EXTENSION_CHARS: ReadonlyArray<string | undefined> = (() => {
  const table: Array<string | undefined> = new Array<string | undefined>(128).fill(undefined);
  for (const [code, ch] of EXTENSION) table[code] = ch;
  return table;
})();

const BASIC_CODES = new Map<string, number>();
BASIC_CHARS.forEach((ch, code) => {
  if (code !== GSM7_ESCAPE) BASIC_CODES.set(ch, code);
});
const EXTENSION_CODES = new Map<string, number>(EXTENSION.map(([code, ch]) => [ch, code]));

if (BASIC_CHARS.length !== 128) throw new Error(`GSM 7-bit default alphabet has ${BASIC_CHARS.length} entries, not 128`);

/** Every character the default alphabet and its extension table can carry (for tests and generators). */
export const GSM7_BASIC_CHARACTERS: readonly string[] = BASIC_CHARS.filter((_, code) => code !== GSM7_ESCAPE);
export const GSM7_EXTENSION_CHARACTERS: readonly string[] = EXTENSION.map(([, ch]) => ch);

/**
 * Septets → text. An escape followed by a code the extension table lacks shows the default
 * alphabet's character for that code, and an escape followed by another escape shows a space
 * (TS 23.038 §6.2.1.1: what a receiving entity shall display). A lone escape at the very end
 * carries nothing and is dropped.
 */
export function decodeGsm7(septets: ArrayLike<number>): string {
  const out: string[] = [];
  const n = septets.length;
  for (let i = 0; i < n; i++) {
    const code = (septets[i] as number) & 0x7f;
    if (code !== GSM7_ESCAPE) {
      out.push(BASIC_CHARS[code] as string);
      continue;
    }
    if (i + 1 >= n) break;
    const next = (septets[++i] as number) & 0x7f;
    if (next === GSM7_ESCAPE) out.push(' ');
    else out.push(EXTENSION_CHARS[next] ?? (BASIC_CHARS[next] as string));
  }
  return out.join('');
}

/** The septets of one character: one code, or the escape and an extension code; null if it has none. */
export function gsm7CodesOf(ch: string): readonly number[] | null {
  const basic = BASIC_CODES.get(ch);
  if (basic !== undefined) return [basic];
  const ext = EXTENSION_CODES.get(ch);
  if (ext !== undefined) return [GSM7_ESCAPE, ext];
  return null;
}

/** Text → septets, or null when a character is in neither table. */
export function encodeGsm7(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    const basic = BASIC_CODES.get(ch);
    if (basic !== undefined) {
      out.push(basic);
      continue;
    }
    const ext = EXTENSION_CODES.get(ch);
    if (ext === undefined) return null;
    out.push(GSM7_ESCAPE, ext);
  }
  return out;
}

/** Whether every character of `text` is in the default alphabet or its extension table. */
export function isGsm7Encodable(text: string): boolean {
  for (const ch of text) if (!BASIC_CODES.has(ch) && !EXTENSION_CODES.has(ch)) return false;
  return true;
}

/** Octets that `septetCount` septets take after `fillBits` leading fill bits. */
export function packedLength(septetCount: number, fillBits = 0): number {
  return Math.ceil((fillBits + septetCount * 7) / 8);
}

/** Packs septets into octets, after `fillBits` (0 … 6) zero bits. */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): Uint8Array {
  const out = new Uint8Array(packedLength(septets.length, fillBits));
  let acc = 0;
  let bits = fillBits;
  let o = 0;
  for (let i = 0; i < septets.length; i++) {
    acc |= ((septets[i] as number) & 0x7f) << bits;
    bits += 7;
    while (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out[o] = acc & 0xff;
  return out;
}

/**
 * Reads `count` septets from `bytes`, starting `fillBits` bits into the octet at `start`. The
 * caller has checked that the octets are there (`packedLength(count, fillBits)` of them); a
 * missing octet reads as zero rather than throwing.
 */
export function unpackSeptets(bytes: Uint8Array, start: number, count: number, fillBits = 0): Uint8Array {
  const out = new Uint8Array(count);
  let bit = start * 8 + fillBits;
  for (let i = 0; i < count; i++) {
    const at = bit >> 3;
    const shift = bit & 7;
    let v = (bytes[at] ?? 0) >> shift;
    if (shift > 1) v |= (bytes[at + 1] ?? 0) << (8 - shift);
    out[i] = v & 0x7f;
    bit += 7;
  }
  return out;
}
