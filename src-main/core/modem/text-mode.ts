/**
 * Text mode (AT+CMGF=1, TS 27.005 §3.1 and §4), the fallback for a modem without PDU mode. The
 * reader sets the character set explicitly (AT+CSCS="UCS2" where offered, else "GSM") and asks for
 * the full headers (AT+CSDH=1). Each reader here takes the information lines of one answer and
 * never throws.
 */

export type TextCharset = 'UCS2' | 'GSM';

/** One message as a text-mode header and its data line(s) show it, decoded. */
export interface TextSms {
  sender: string;
  /** <tooa> when the header gives it, else guessed from the address (0x91 "+…", 0x81 digits, 0xD0 letters). */
  senderToa: number;
  /** The SC timestamp with its zone, "2026-06-15T10:30:05+06:00"; null when the header has none it can read. */
  timestamp: string | null;
  smsc: string | null;
  text: string;
  /** Why it cannot count as a whole message: part of a multipart SMS (<fo> has UDHI), or data that did not decode. */
  incomplete: string | null;
}

/** The fields of a header after its "+CMGL: " prefix, with quoted strings unquoted (commas inside quotes kept). */
export function splitFields(rest: string): { value: string; quoted: boolean }[] {
  const out: { value: string; quoted: boolean }[] = [];
  let i = 0;
  for (;;) {
    while (rest[i] === ' ') i += 1;
    if (rest[i] === '"') {
      const end = rest.indexOf('"', i + 1);
      const stop = end < 0 ? rest.length : end;
      out.push({ value: rest.slice(i + 1, stop), quoted: true });
      i = stop + 1;
      const comma = rest.indexOf(',', i);
      if (comma < 0) return out;
      i = comma + 1;
    } else {
      const comma = rest.indexOf(',', i);
      const value = (comma < 0 ? rest.slice(i) : rest.slice(i, comma)).trim();
      out.push({ value, quoted: false });
      if (comma < 0) return out;
      i = comma + 1;
    }
  }
}

/** UCS2 hex ("09AC09BE") → text; null when it is not UCS2 hex. */
export function fromUcs2Hex(hex: string): string | null {
  const clean = hex.trim();
  if (clean.length % 4 !== 0 || !/^[0-9A-Fa-f]*$/.test(clean)) return null;
  let out = '';
  for (let i = 0; i < clean.length; i += 4) out += String.fromCharCode(parseInt(clean.slice(i, i + 4), 16));
  return out;
}

/** Text → UCS2 hex, for string arguments sent while AT+CSCS="UCS2" is in force. */
export function toUcs2Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out;
}

/** A string the modem shows in the TE character set, as text. */
function teString(value: string, charset: TextCharset): string {
  if (charset !== 'UCS2' || value === '') return value;
  return fromUcs2Hex(value) ?? value;
}

/** "yy/MM/dd,hh:mm:ss±zz" (zz in quarters of an hour) → "20yy-MM-ddThh:mm:ss±HH:MM"; null when it is not one. */
export function parseScts(scts: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{1,2}))?$/.exec(scts.trim());
  if (!m) return null;
  const quarters = Number(m[8] ?? '0');
  const minutes = quarters * 15;
  const zone = `${m[7] === '-' && minutes > 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const iso = `20${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** The alphabet a data coding scheme names (TS 23.038 §4); null when it names none this reader knows. */
function alphabet(dcs: number): 'gsm7' | 'ucs2' | '8bit' | null {
  const group = dcs >> 4;
  if (group <= 0x7) {
    const bits = (dcs >> 2) & 0x3;
    return bits === 0 ? 'gsm7' : bits === 1 ? '8bit' : bits === 2 ? 'ucs2' : null;
  }
  if (group === 0xc || group === 0xd) return 'gsm7';
  if (group === 0xe) return 'ucs2';
  if (group === 0xf) return dcs & 0x04 ? '8bit' : 'gsm7';
  return null;
}

function num(field: { value: string } | undefined): number | null {
  return field && /^\d+$/.test(field.value) ? Number(field.value) : null;
}

/**
 * One text-mode message from its header fields (from <oa> on) and its data. `fields` are
 * <oa>,[<alpha>],<scts>[,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>] (+CMGR, +CMT) or
 * <oa>,[<alpha>],<scts>[,<tooa>,<length>] (+CMGL: `full` false).
 */
export function decodeTextSms(fields: { value: string; quoted: boolean }[], data: string, charset: TextCharset, full: boolean): TextSms {
  const sender = teString(fields[0]?.value ?? '', charset).trim();
  const scts = fields[2]?.value ?? '';
  const tooa = num(fields[3]);
  const fo = full ? num(fields[4]) : null;
  const dcs = full ? num(fields[6]) : null;
  const sca = full ? teString(fields[7]?.value ?? '', charset).trim() : '';
  const tosca = full ? num(fields[8]) : null;
  const problems: string[] = [];
  let text: string;
  const kind = dcs === null ? null : alphabet(dcs);
  if (kind === 'ucs2' || (kind !== '8bit' && charset === 'UCS2')) {
    // UCS2 data is hex whatever the character set (§3.1); under "UCS2" every text is.
    const decoded = fromUcs2Hex(data.replace(/\s+/g, ''));
    if (decoded === null) {
      problems.push('its text is not the UCS2 hex the modem was asked for');
      text = data;
    } else text = decoded;
  } else text = data;
  if (dcs !== null && kind === null) problems.push(`its data coding scheme (${dcs}) is not one this reader knows`);
  if (fo !== null && fo & 0x40) problems.push('part of a multipart SMS (text mode does not show which part)');
  const international = tooa === 145 || (tooa === null && sender.startsWith('+'));
  const normalised = international && /^\d+$/.test(sender) ? `+${sender}` : sender;
  const guessedToa = /^\+\d+$/.test(normalised) ? 0x91 : /^\d+$/.test(normalised) ? 0x81 : 0xd0;
  const smsc = sca === '' ? null : tosca === 145 && /^\d+$/.test(sca) ? `+${sca}` : sca;
  return {
    sender: normalised,
    senderToa: tooa ?? guessedToa,
    timestamp: parseScts(scts),
    smsc,
    text,
    incomplete: problems.length > 0 ? problems.join('; ') : null,
  };
}

/** One row of a text-mode listing: its index, the header fields from <oa> on, and its data. */
export interface TextListed {
  index: number;
  fields: { value: string; quoted: boolean }[];
  data: string;
}

/** AT+CMGL="ALL" (text mode): "+CMGL: <index>,"<stat>",<oa>,…" each followed by its data line(s). */
export function parseTextCmgl(lines: readonly string[]): TextListed[] {
  const out: TextListed[] = [];
  let current: { index: number; fields: { value: string; quoted: boolean }[]; data: string[] } | null = null;
  const flush = (): void => {
    if (current) out.push({ index: current.index, fields: current.fields, data: current.data.join('\n') });
    current = null;
  };
  for (const line of lines) {
    const m = /^\+CMGL:\s*(\d+)\s*,(.*)$/.exec(line);
    if (m) {
      flush();
      // Fields after <index>: <stat>, then <oa> on.
      current = { index: Number(m[1]), fields: splitFields(m[2] ?? '').slice(1), data: [] };
      continue;
    }
    if (current) current.data.push(line);
  }
  flush();
  return out;
}

/** AT+CMGR=<index> (text mode): the fields from <oa> on and the data; null for an empty index or a header it cannot read. */
export function parseTextCmgr(lines: readonly string[]): { fields: { value: string; quoted: boolean }[]; data: string } | null {
  const at = lines.findIndex((l) => /^\+CMGR:/.test(l));
  if (at < 0) return null;
  const fields = splitFields((lines[at] as string).replace(/^\+CMGR:\s*/, '')).slice(1);
  if (fields.length < 3) return null;
  return { fields, data: lines.slice(at + 1).join('\n') };
}

/** A text-mode +CMT header "+CMT: <oa>,[<alpha>],<scts>[,…]": its fields. */
export function parseTextCmt(header: string): { value: string; quoted: boolean }[] {
  return splitFields(header.replace(/^\+CMT:\s*/, ''));
}

/** AT+CSCS=? → "UCS2" when offered, else "GSM". */
export function chooseCharset(lines: readonly string[]): TextCharset {
  return /"UCS2"/i.test(lines.join(' ')) ? 'UCS2' : 'GSM';
}
