/**
 * AT command line syntax (ITU-T V.250 §5.3, 3GPP TS 27.007 §4): a line starts with "AT", then
 * basic commands (E0, Z, V1, &F, S0=0) and extended ones (+CMGL=4, ^CURC=0) separated by ";".
 * Error texts are those of TS 27.007 §9.2 (+CME ERROR) and TS 27.005 §3.2.5 (+CMS ERROR).
 */

export interface SubCommand {
  /** Upper-cased name: "E", "Z", "&F", "S0", "+CMGL", "^CURC". */
  name: string;
  /** exec: "AT+X", read: "AT+X?", test: "AT+X=?", set: "AT+X=args" (basic commands: set with their digits). */
  type: 'exec' | 'read' | 'test' | 'set';
  /** Raw argument text after "=" (or a basic command's digits), as typed. */
  raw: string;
}

/** Splits the text after "AT" into sub-commands; null when the syntax is broken. */
export function splitCommandLine(rest: string): SubCommand[] | null {
  const out: SubCommand[] = [];
  let i = 0;
  while (i < rest.length) {
    const ch = rest[i] as string;
    if (ch === ';' || ch === ' ') {
      i++;
      continue;
    }
    if ('+^$#%*'.includes(ch)) {
      const m = /^[+^$#%*][A-Za-z0-9_]+/.exec(rest.slice(i));
      if (!m) return null;
      const name = m[0].toUpperCase();
      i += m[0].length;
      // The rest up to a ";" outside quotes belongs to this command.
      let j = i;
      let quoted = false;
      while (j < rest.length && (quoted || rest[j] !== ';')) {
        if (rest[j] === '"') quoted = !quoted;
        j++;
      }
      const tail = rest.slice(i, j);
      i = j;
      if (tail === '') out.push({ name, type: 'exec', raw: '' });
      else if (tail === '?') out.push({ name, type: 'read', raw: '' });
      else if (tail === '=?') out.push({ name, type: 'test', raw: '' });
      else if (tail.startsWith('=')) out.push({ name, type: 'set', raw: tail.slice(1) });
      else return null;
      continue;
    }
    const basic = /^(&?[A-Za-z])(\d*)(\?|=\d*)?/.exec(rest.slice(i));
    if (!basic) return null;
    let name = (basic[1] as string).toUpperCase();
    let raw = basic[2] ?? '';
    let type: SubCommand['type'] = raw === '' ? 'exec' : 'set';
    if (name === 'S') {
      // S-registers: S0=0, S0?
      name = `S${raw}`;
      raw = '';
      type = basic[3] === '?' ? 'read' : basic[3] ? 'set' : 'exec';
      if (basic[3]?.startsWith('=')) raw = basic[3].slice(1);
    } else if (basic[3]) {
      return null;
    }
    out.push({ name, type, raw });
    i += basic[0].length;
  }
  return out;
}

/** Splits "a,\"b,c\",,d" into ['a', 'b,c', '', 'd'] (quotes removed; `quoted` tells which were). */
export function splitArgs(raw: string): { values: string[]; quoted: boolean[] } {
  const values: string[] = [];
  const quoted: boolean[] = [];
  if (raw.trim() === '') return { values, quoted };
  let cur = '';
  let inQuote = false;
  let wasQuoted = false;
  for (const ch of raw) {
    if (ch === '"') {
      inQuote = !inQuote;
      wasQuoted = true;
      continue;
    }
    if (ch === ',' && !inQuote) {
      values.push(wasQuoted ? cur : cur.trim());
      quoted.push(wasQuoted);
      cur = '';
      wasQuoted = false;
      continue;
    }
    cur += ch;
  }
  values.push(wasQuoted ? cur : cur.trim());
  quoted.push(wasQuoted);
  return { values, quoted };
}

/** +CME ERROR texts (TS 27.007 §9.2.1) used by the simulator, for AT+CMEE=2. */
export const CME_TEXT: Record<number, string> = {
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  30: 'no network service',
  50: 'Incorrect parameters',
  100: 'unknown',
};

/** +CMS ERROR texts (TS 27.005 §3.2.5) used by the simulator, for AT+CMEE=2. */
export const CMS_TEXT: Record<number, string> = {
  300: 'ME failure',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  316: 'SIM PUK required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};
