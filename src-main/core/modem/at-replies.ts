/**
 * Readers of the answers the modem reader asks for. Each takes the information lines of one
 * answer (AtChannel strips the echo and the final result) and never throws: a line it does not
 * recognise is skipped, so a garbage line inside a listing costs that line, not the listing.
 */

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * Whether a hex line is the PDU a header announced: its TPDU length (the header's last number)
 * plus the SMSC part (its length octet and that many octets). A noise line that happens to be
 * hex is not taken for the message.
 */
function fitsLength(hex: string, tpduLength: number): boolean {
  if (!HEX.test(hex) || hex.length % 2 !== 0 || hex.length < 2) return false;
  const smscOctets = parseInt(hex.slice(0, 2), 16);
  return hex.length / 2 === 1 + smscOctets + tpduLength;
}

/** AT+CMGL=4 (PDU mode): "+CMGL: <index>,<stat>,[<alpha>],<length>" each followed by its PDU line. */
export function parseCmgl(lines: readonly string[]): { index: number; pdu: string }[] {
  const out: { index: number; pdu: string }[] = [];
  let header: { index: number; length: number } | null = null;
  for (const line of lines) {
    const m = /^\+CMGL:\s*(\d+)\s*,.*,\s*(\d+)\s*$/.exec(line);
    if (m) {
      header = { index: Number(m[1]), length: Number(m[2]) };
      continue;
    }
    if (header !== null && fitsLength(line, header.length)) {
      out.push({ index: header.index, pdu: line });
      header = null;
    }
  }
  return out;
}

/** AT+CMGR=<index> (PDU mode): "+CMGR: <stat>,[<alpha>],<length>" then the PDU; null for an empty index. */
export function parseCmgr(lines: readonly string[]): string | null {
  let length: number | null = null;
  for (const line of lines) {
    const m = /^\+CMGR:.*,\s*(\d+)\s*$/.exec(line);
    if (m) {
      length = Number(m[1]);
      continue;
    }
    if (length !== null && fitsLength(line, length)) return line;
  }
  return null;
}

/** "+CPMS: 3,20,3,20,3,20" (the answer to setting it) or "+CPMS: "SM",3,20,..." (the query): the first storage's use. */
export function parseCpmsUse(lines: readonly string[]): { used: number; total: number } | null {
  const m = /\+CPMS:\s*(?:"[A-Z]+"\s*,\s*)?(\d+)\s*,\s*(\d+)/.exec(lines.join(' '));
  return m ? { used: Number(m[1]), total: Number(m[2]) } : null;
}

/** +CMTI: "SM",3 → { memory: "SM", index: 3 }; the memory is null when the line names none. */
export function parseCmti(line: string): { memory: string | null; index: number } | null {
  const m = /^\+CMTI:\s*(?:"([A-Z0-9]*)"|([A-Z0-9]*))\s*,\s*(\d+)/i.exec(line);
  if (!m) return null;
  const memory = (m[1] ?? m[2] ?? '').toUpperCase();
  return { memory: memory === '' ? null : memory, index: Number(m[3]) };
}

/** "+CNMI: 2,1,0,0,0" → [2,1,0,0,0]; null when the answer has no +CNMI line. */
export function parseCnmi(lines: readonly string[]): number[] | null {
  for (const line of lines) {
    const m = /^\+CNMI:\s*([\d,\s]+)$/.exec(line);
    if (m) return (m[1] ?? '').split(',').map((v) => Number(v.trim() || '0'));
  }
  return null;
}

/** "+CPMS: "ME",3,23,..." (the query) → "ME", the memory read and deleted from (<mem1>). */
export function parseCpmsMem1(lines: readonly string[]): string | null {
  const m = /\+CPMS:\s*"([A-Z0-9]+)"/i.exec(lines.join(' '));
  return m ? (m[1] ?? '').toUpperCase() : null;
}

/** The first line of an identity answer that carries an IMEI, IMSI or ICCID: its digits ("89880…F" keeps its hex tail). */
export function parseIdentity(lines: readonly string[], min: number, max: number): string | null {
  for (const line of lines) {
    const m = /^(?:[+^][A-Z]+:\s*)?"?([0-9]+[0-9A-F]*)"?$/i.exec(line.trim());
    const value = m?.[1] ?? '';
    if (value.length >= min && value.length <= max) return value.toUpperCase();
  }
  return null;
}

/** +CPIN: READY | SIM PIN | SIM PUK | PH-SIM PIN ... */
export function parseCpin(lines: readonly string[]): string {
  for (const line of lines) {
    const m = /^\+CPIN:\s*(.+)$/.exec(line);
    if (m) return (m[1] ?? '').trim().toUpperCase();
  }
  return 'UNKNOWN';
}

/** +CSQ: <rssi>,<ber>: rssi 0..31 is -113 + 2·rssi dBm; 99 is unknown. */
export function parseCsq(lines: readonly string[]): { rssi: number; dbm: number | null } | null {
  for (const line of lines) {
    const m = /^\+CSQ:\s*(\d+)\s*,/.exec(line);
    if (m) {
      const rssi = Number(m[1]);
      return { rssi, dbm: rssi >= 0 && rssi <= 31 ? -113 + 2 * rssi : null };
    }
  }
  return null;
}

const CREG_STATES: Record<string, string> = {
  '0': 'not_registered',
  '1': 'home',
  '2': 'searching',
  '3': 'denied',
  '4': 'unknown',
  '5': 'roaming',
};

/** +CREG: <n>,<stat>[,...] → home, roaming, searching, denied, not_registered, unknown. */
export function parseCreg(lines: readonly string[]): string | null {
  for (const line of lines) {
    const m = /^\+CREG:\s*\d+\s*,\s*(\d)/.exec(line);
    if (m) return CREG_STATES[m[1] ?? ''] ?? 'unknown';
  }
  return null;
}

/** +COPS: <mode>,<format>,"<operator>" → the operator. */
export function parseCops(lines: readonly string[]): string | null {
  for (const line of lines) {
    const m = /^\+COPS:\s*\d+\s*,\s*\d+\s*,\s*"([^"]*)"/.exec(line);
    if (m) return m[1] ?? null;
  }
  return null;
}

/**
 * AT+CPMS=? → ("SM","ME","MT"),("SM","ME"),("SM","ME"): the SIM ("SM") where every role offers it
 * (so +CMTI, listing and deletion all name the same memory), else the first memory of the first role.
 */
export function chooseStorage(lines: readonly string[]): string {
  const groups = storageGroups(lines);
  if (groups.length > 0 && groups.every((g) => g.includes('SM'))) return 'SM';
  return groups[0]?.[0] ?? 'SM';
}

function storageGroups(lines: readonly string[]): string[][] {
  const text = lines.join(' ');
  return [...text.matchAll(/\(([^)]*)\)/g)].map((m) => [...(m[1] ?? '').matchAll(/"([A-Z]{2})"/g)].map((x) => x[1] as string));
}

/**
 * AT+CPMS=? → the memories a message can be stored in and read from besides `chosen`: the SIM
 * ("SM") and the modem's own memory ("ME") where <mem1> offers them. Not "MT" (both at once:
 * its indexes would list SM and ME twice), nor status reports or broadcasts ("SR", "BM").
 */
export function otherMemories(lines: readonly string[], chosen: string): string[] {
  const first = storageGroups(lines)[0] ?? [];
  return first.filter((m) => (m === 'SM' || m === 'ME') && m !== chosen);
}

/** "(0-2)" or "(0,1,2)" → [0,1,2]. */
function values(group: string): number[] {
  const out: number[] = [];
  for (const part of group.split(',')) {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) for (let v = Number(range[1]); v <= Number(range[2]) && out.length < 64; v += 1) out.push(v);
    else if (/^\s*\d+\s*$/.test(part)) out.push(Number(part));
  }
  return out;
}

/**
 * AT+CNMI=? → the setting that stores every message and announces it (+CMTI), never one that
 * delivers it only in flight (mt=2/3 would hand it to us unstored): mode 2 (buffer while the
 * port is busy) or 1, mt 1, bm 0, ds 0, bfr 0 where offered. Null: the modem offers no storing
 * indication; the sweep alone finds new messages.
 */
export function chooseCnmi(lines: readonly string[]): string | null {
  const text = lines.join(' ');
  const groups = [...text.matchAll(/\(([^)]*)\)/g)].map((m) => values(m[1] ?? ''));
  if (groups.length < 2) return '2,1,0,0,0';
  const [modes = [], mts = [], bms = [0], dss = [0], bfrs = [0]] = groups;
  if (!mts.includes(1)) return null;
  const mode = modes.includes(2) ? 2 : modes.includes(1) ? 1 : null;
  if (mode === null) return null;
  const pick = (offered: number[]) => (offered.includes(0) || offered.length === 0 ? 0 : (offered[0] as number));
  return [mode, 1, pick(bms), pick(dss), pick(bfrs)].slice(0, Math.max(2, groups.length)).join(',');
}
