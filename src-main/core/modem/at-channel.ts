/**
 * The AT command layer: one command in flight at a time, each with its own timeout, its final
 * result read (OK, ERROR, +CME ERROR, +CMS ERROR, NO CARRIER, the `>` prompt of AT+CMGS), and the
 * modem's unsolicited result codes (+CMTI, +CMT, +CDS, RING, +CREG, Huawei's ^RSSI/^BOOT/^MODE,
 * and any other) kept apart from the answer even when they arrive in the middle of it. Echo on
 * or off does not matter: a line that repeats the command in flight is dropped.
 *
 * Which lines belong to the answer: every line while a command is in flight, except lines whose
 * prefix is an unsolicited code the command does not itself ask for (`+CMTI:` inside the answer
 * to AT+CMGL is the modem announcing a new message, `+CREG:` is the answer to AT+CREG?).
 */

/** What the channel writes to and reads from (a serial port; a test double in unit tests). */
export interface AtTransport {
  write(data: string): void;
  onData(listener: (chunk: string) => void): void;
}

export type FinalResult = { ok: true } | { ok: false; error: 'ERROR' | 'NO CARRIER' | 'CME' | 'CMS'; code: string | null };

export interface AtResponse {
  command: string;
  /** The information lines of the answer, in order, without the echo and the final result. */
  lines: string[];
  final: FinalResult;
}

export interface Urc {
  /** "+CMTI", "+CMT", "RING", "^RSSI", or "" for a line with no prefix. */
  code: string;
  line: string;
  /** +CMT (direct delivery) carries its PDU on the next line. */
  pdu?: string;
}

/** The modem did not finish its answer in time. */
export class AtTimeoutError extends Error {
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`modem did not answer ${command} within ${timeoutMs} ms`);
    this.name = 'AtTimeoutError';
  }
}

/** A final result other than OK. */
export class AtCommandError extends Error {
  constructor(
    readonly command: string,
    readonly final: Extract<FinalResult, { ok: false }>,
  ) {
    super(`${command}: ${final.error}${final.code !== null ? ` ${final.code}` : ''}`);
    this.name = 'AtCommandError';
  }
}

const RESYNC_QUIET_MS = 300;
/** The longest line kept while it is still unfinished (a PDU line is at most about 350 characters). */
const MAX_LINE = 64 * 1024;
const URC_CODES = new Set([
  '+CMTI',
  '+CMT',
  '+CDS',
  '+CDSI',
  '+CBM',
  'RING',
  '+CRING',
  '+CREG',
  '+CGREG',
  '+CEREG',
  '+CLIP',
  '+CUSD',
  '+CIEV',
  '+QIND',
  // After a modem restarts: its SIM's state and its functionality (answers to AT+CPIN? and AT+CFUN? stay answers).
  '+CPIN',
  '+CFUN',
]);
const FINAL_OK = /^OK$/;
/** Huawei E1752 and kin answer an unknown command with "COMMAND NOT SUPPORT" instead of ERROR. */
const FINAL_ERROR = /^(?:ERROR|NO CARRIER|COMMAND NOT SUPPORT)$/;
const CME = /^\+(CME|CMS) ERROR:\s*(.*)$/;
/** Lines a modem prints on its own that carry no prefix: boot banners and the like. */
const BARE_URC = /^(?:RING|RDY|START|PB DONE|SMS Ready|SMS DONE|Call Ready|NORMAL POWER DOWN|\+CPIN: NOT READY)$/;

interface Pending {
  command: string;
  /** Prefixes this command asks for: its answer lines may start with them even if they look unsolicited. */
  owns: string;
  lines: string[];
  expectPrompt: boolean;
  /** Sent after the `>` prompt, then Ctrl-Z. */
  body: string | null;
  timer: NodeJS.Timeout;
  resolve: (r: AtResponse) => void;
  reject: (e: Error) => void;
}

interface Queued {
  command: string;
  timeoutMs: number;
  body: string | null;
  resolve: (r: AtResponse) => void;
  reject: (e: Error) => void;
}

function codeOf(line: string): string {
  if (line === 'RING') return 'RING';
  const m = /^([+^][A-Z0-9]+)(?::|$)/i.exec(line);
  return m?.[1]?.toUpperCase() ?? '';
}

/** "AT+CMGL=4" → "+CMGL", "AT^CURC=0" → "^CURC", "ATI" → "". */
function ownedPrefix(command: string): string {
  const m = /^AT([+^][A-Z0-9]+)/i.exec(command.trim());
  return m?.[1]?.toUpperCase() ?? '';
}

export class AtChannel {
  private buffer = '';
  private pending: Pending | null = null;
  private readonly queue: Queued[] = [];
  private readonly urcListeners: ((urc: Urc) => void)[] = [];
  /** +CMT: the next line is its PDU. */
  private awaitingCmtPdu: string | null = null;
  private closed = false;
  /**
   * After a timeout the modem may still answer: until the line has been quiet for RESYNC_QUIET_MS,
   * every answer line is dropped (unsolicited codes still pass), so a late answer is never taken
   * for the next command's.
   */
  private resyncTimer: NodeJS.Timeout | null = null;

  constructor(private readonly transport: AtTransport) {
    transport.onData((chunk) => this.receive(chunk));
  }

  onUrc(listener: (urc: Urc) => void): void {
    this.urcListeners.push(listener);
  }

  /**
   * Sends one command (queued behind the one in flight) and resolves with its answer. A final
   * result other than OK rejects with AtCommandError; no final result in time rejects with
   * AtTimeoutError. `body` (AT+CMGS): written after the `>` prompt, ended with Ctrl-Z.
   */
  send(command: string, options: { timeoutMs?: number; body?: string } = {}): Promise<AtResponse> {
    if (this.closed) return Promise.reject(new Error('AT channel closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ command, timeoutMs: options.timeoutMs ?? 5_000, body: options.body ?? null, resolve, reject });
      this.next();
    });
  }

  /** Fails the command in flight and every queued one (the port closed). */
  close(reason = 'AT channel closed'): void {
    this.closed = true;
    const error = new Error(reason);
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(error);
      this.pending = null;
    }
    for (const q of this.queue.splice(0)) q.reject(error);
  }

  get busy(): boolean {
    return this.pending !== null || this.queue.length > 0;
  }

  private next(): void {
    if (this.pending || this.closed || this.resyncTimer) return;
    const q = this.queue.shift();
    if (!q) return;
    const timer = setTimeout(() => {
      if (this.pending?.timer !== timer) return;
      this.pending = null;
      q.reject(new AtTimeoutError(q.command, q.timeoutMs));
      this.resync();
    }, q.timeoutMs);
    this.pending = {
      command: q.command,
      owns: ownedPrefix(q.command),
      lines: [],
      expectPrompt: q.body !== null,
      body: q.body,
      timer,
      resolve: q.resolve,
      reject: q.reject,
    };
    this.transport.write(`${q.command}\r`);
  }

  /** Waits for the line to fall quiet, then goes on with the queue. */
  private resync(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      this.next();
    }, RESYNC_QUIET_MS);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    if (this.resyncTimer) this.resync();
    for (;;) {
      // The AT+CMGS prompt "> " ends no line; an unsolicited line may follow it at once.
      const prompt = this.pending?.expectPrompt ? /^\s*> ?(?=$|[\r\n])/.exec(this.buffer) : null;
      if (this.pending && prompt) {
        this.buffer = this.buffer.slice(prompt[0].length);
        this.pending.expectPrompt = false;
        this.transport.write(`${this.pending.body ?? ''}\x1a`);
        continue;
      }
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) {
        // A runaway stream without line ends (garbage) must not grow without bound; complete
        // lines before it were taken already, so only the unfinished one is cut.
        if (this.buffer.length > MAX_LINE) this.buffer = this.buffer.slice(-4096);
        return;
      }
      const line = this.buffer.slice(0, end).trim();
      this.buffer = this.buffer.slice(end + 1);
      if (line !== '') this.line(line);
    }
  }

  private line(line: string): void {
    if (this.awaitingCmtPdu !== null) {
      const header = this.awaitingCmtPdu;
      this.awaitingCmtPdu = null;
      this.emit({ code: '+CMT', line: header, pdu: line });
      return;
    }
    const p = this.pending;
    const code = codeOf(line);
    if (this.resyncTimer && p === null && !(URC_CODES.has(code) || code.startsWith('^'))) return;
    const unsolicited = (URC_CODES.has(code) || code.startsWith('^')) && (p === null || p.owns !== code);
    // A bare line such as "+CPIN: NOT READY" is the answer when the command in flight asks for it.
    const bare = BARE_URC.test(line) && (p === null || p.owns !== code);
    if (unsolicited || bare || p === null) {
      if (code === '+CMT' && unsolicited) {
        this.awaitingCmtPdu = line;
        return;
      }
      this.emit({ code, line });
      return;
    }
    // Echo of the command in flight (echo on): not part of the answer.
    if (line === p.command.trim()) return;
    const cme = CME.exec(line);
    let final: FinalResult | null = null;
    if (FINAL_OK.test(line)) final = { ok: true };
    else if (FINAL_ERROR.test(line)) final = { ok: false, error: line === 'NO CARRIER' ? 'NO CARRIER' : 'ERROR', code: null };
    else if (cme) final = { ok: false, error: cme[1] === 'CME' ? 'CME' : 'CMS', code: (cme[2] ?? '').trim() };
    if (final === null) {
      p.lines.push(line);
      return;
    }
    clearTimeout(p.timer);
    this.pending = null;
    const response = { command: p.command, lines: p.lines, final };
    if (final.ok) p.resolve(response);
    else p.reject(new AtCommandError(p.command, final));
    this.next();
  }

  private emit(urc: Urc): void {
    for (const listener of this.urcListeners) {
      try {
        listener(urc);
      } catch {
        // A listener's bug must not stop the channel from reading.
      }
    }
  }
}
