import { EventEmitter } from 'node:events';
import { CME_TEXT, CMS_TEXT, splitArgs, splitCommandLine, type SubCommand } from './at-syntax';
import { MessageStore, STAT_TEXT, type MessageStat, type StoredMessage } from './message-store';
import { OutputQueue, type Placement } from './output-queue';
import { fromUcs2Hex, hexToBytes, peekDeliver, peekSubmit, toUcs2Hex, tpduLength } from './pdu-peek';
import type {
  CommandLogEntry,
  DeliverSpec,
  ModemIdentity,
  ModemProfile,
  ModemSimOptions,
  ModemState,
  SentMessage,
  TranscriptEntry,
  UrcRecord,
} from './types';

type Cnmi = [number, number, number, number, number];

interface Settings {
  echo: boolean;
  cmee: 0 | 1 | 2;
  cmgf: 0 | 1;
  cscs: string;
  cnmi: Cnmi;
  cpms: [string, string, string];
  creg: 0 | 1 | 2;
  csdh: 0 | 1;
  csms: 0 | 1;
  /** Huawei ^CURC: periodic reports on (1) or off (0). */
  curc: 0 | 1;
}

interface Result {
  units?: string[][];
  /** A final result code other than OK. */
  error?: string;
  /** AT+CMGS: prompt and wait for data. */
  data?: { kind: 'pdu'; length: number } | { kind: 'text'; to: string };
  /** Runs after OK is queued (e.g. flushing buffered +CMTI after AT+CNMI). */
  after?: () => void;
}

interface NetworkItem {
  pdu: string;
  announce: boolean;
  storage?: string;
}

/** The modem's side of the serial line: interprets AT commands, keeps the SIM's messages, emits URCs. */
export class ModemCore extends EventEmitter {
  readonly profiles: ReadonlySet<ModemProfile>;
  readonly store: MessageStore;
  readonly out: OutputQueue;
  private settings: Settings;
  private readonly identity: ModemIdentity;
  private readonly sim: {
    status: 'READY' | 'SIM PIN' | 'SIM PUK';
    pin: string;
    puk: string;
    pinLeft: number;
    pukLeft: number;
    busyUntil: number;
    /** Until then, after power-on: AT+CPIN? says "+CPIN: NOT READY" (SIM800 at boot). */
    notReadyUntil: number;
    /** Until then, after power-on: the SIM is not seen yet (+CME ERROR: 10, "SIM not inserted"). */
    absentUntil: number;
  };
  private readonly cnmiSets: number[][];
  private rssi: number;
  private registration: number;
  private quectelUrcPort: string;
  private lineBuf = '';
  private dataMode: { answer: number; kind: 'pdu' | 'text'; length?: number; to?: string; buf: string } | null = null;
  private taBuffer: string[][] = [];
  private pendingCmt: { pdu: string; timer: NodeJS.Timeout } | null = null;
  private readonly network: NetworkItem[] = [];
  private networkTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private fullNoticeSent = false;
  private wasRegistered = false;
  private mr = 0;
  private concatRef: number;
  private readonly log: CommandLogEntry[] = [];
  private readonly transcriptLog: TranscriptEntry[] = [];
  private readonly sentLog: SentMessage[] = [];
  private readonly urcLog: UrcRecord[] = [];
  private powered = false;
  private rngState: number;

  constructor(
    private readonly opts: ModemSimOptions,
    write: (data: Buffer) => void,
    private readonly encode: (spec: DeliverSpec) => string[],
  ) {
    super();
    const list = opts.profile === undefined ? [] : typeof opts.profile === 'string' ? [opts.profile] : opts.profile;
    this.profiles = new Set(list);
    this.rngState = (opts.seed ?? 1) >>> 0 || 1;
    this.concatRef = 1 + Math.floor(this.random() * 200);
    this.store = new MessageStore(opts.storages ?? { SM: 20, ME: 23 }, this.profiles.has('zero-index') ? 0 : 1);
    this.out = new OutputQueue(
      (data) => {
        this.transcriptLog.push({ at: Date.now(), dir: 'tx', text: data.toString('latin1') });
        write(data);
      },
      () => this.random(),
    );
    const huawei = this.profiles.has('huawei');
    const quectel = this.profiles.has('quectel');
    this.identity = {
      manufacturer: huawei ? 'huawei' : quectel ? 'Quectel' : 'SIMCOM_Ltd',
      model: huawei ? 'E173' : quectel ? 'EC25' : 'SIMCOM_SIM800L',
      revision: huawei ? '11.126.85.00.209' : quectel ? 'EC25EFAR06A06M4G' : 'Revision:1418B05SIM800L24',
      imei: '867322034567891',
      imsi: '470019876543210',
      iccid: '8988001234567890123',
      ...opts.identity,
    };
    this.sim = {
      status: 'READY',
      pin: opts.pin ?? '1234',
      puk: opts.puk ?? '12345678',
      pinLeft: opts.pinAttempts ?? 3,
      pukLeft: 10,
      busyUntil: 0,
      notReadyUntil: 0,
      absentUntil: 0,
    };
    this.cnmiSets = parseRanges(opts.cnmiTest ?? '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)');
    this.rssi = opts.rssi ?? 18;
    this.registration = opts.registration ?? 1;
    this.quectelUrcPort = opts.quectelUrcPort ?? 'usbmodem';
    this.settings = this.defaults();
  }

  // ---------------------------------------------------------------- power and state

  private defaults(): Settings {
    return {
      echo: this.profiles.has('echo'),
      cmee: 0,
      cmgf: 0,
      cscs: 'GSM',
      cnmi: [...(this.opts.defaultCnmi ?? [0, 0, 0, 0, 0])] as Cnmi,
      cpms: ['SM', 'SM', 'SM'],
      creg: 0,
      csdh: 0,
      csms: 0,
      curc: 1,
    };
  }

  /** Power-on: settings back to defaults, SIM locked again under 'pin', busy again under 'sim-busy'. */
  powerOn(): void {
    this.powered = true;
    this.out.resume();
    this.settings = this.defaults();
    this.lineBuf = '';
    this.dataMode = null;
    this.taBuffer = [];
    this.clearPendingCmt();
    if (this.profiles.has('pin')) this.sim.status = this.sim.pinLeft > 0 ? 'SIM PIN' : 'SIM PUK';
    this.wasRegistered = false;
    this.startSimBusy();
    const now = Date.now();
    this.sim.notReadyUntil = this.opts.simNotReadyMs ? now + this.opts.simNotReadyMs : 0;
    this.sim.absentUntil = this.opts.simAbsentMs ? now + this.opts.simAbsentMs : 0;
    for (const ms of [this.opts.simNotReadyMs ?? 0, this.opts.simAbsentMs ?? 0])
      if (ms > 0) this.later(ms + 1, () => this.checkRegistration());
    if (this.profiles.has('quectel')) this.out.urc(['RDY'], 'after');
    if (this.opts.bootLines?.length) this.out.urc([...this.opts.bootLines], 'after');
    this.checkRegistration();
  }

  /** Power-off: what is in flight is lost; the SIM keeps its messages; the network holds new ones. */
  powerOff(): void {
    this.powered = false;
    this.out.stop();
    this.clearPendingCmt();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.networkTimer) clearTimeout(this.networkTimer);
    this.networkTimer = null;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private startSimBusy(): void {
    if (!this.profiles.has('sim-busy')) return;
    const ms = this.opts.simBusyMs ?? 1500;
    this.sim.busyUntil = Date.now() + ms;
    this.later(ms + 1, () => this.checkRegistration());
  }

  private simBusy(): boolean {
    return Date.now() < this.sim.busyUntil;
  }

  /** Not ready or not seen yet after power-on (simNotReadyMs, simAbsentMs). */
  private simStarting(): 'not-ready' | 'absent' | null {
    const now = Date.now();
    if (now < this.sim.absentUntil) return 'absent';
    if (now < this.sim.notReadyUntil) return 'not-ready';
    return null;
  }

  /** Registered (and so able to receive SMS): powered, SIM unlocked and not busy, +CREG stat 1 or 5. */
  registered(): boolean {
    return (
      this.powered &&
      this.sim.status === 'READY' &&
      !this.simBusy() &&
      this.simStarting() === null &&
      (this.registration === 1 || this.registration === 5)
    );
  }

  private regStat(): number {
    return this.powered && this.sim.status === 'READY' && !this.simBusy() && this.simStarting() === null ? this.registration : 0;
  }

  private checkRegistration(): void {
    const now = this.registered();
    if (now !== this.wasRegistered) {
      this.wasRegistered = now;
      if (this.settings.creg > 0) this.unsolicited([`+CREG: ${this.regStat()}`], 'other');
    }
    if (now) this.scheduleNetwork();
  }

  setSignal(rssi: number): void {
    this.rssi = rssi;
  }

  setRegistration(stat: number): void {
    this.registration = stat;
    if (this.settings.creg > 0) this.unsolicited([`+CREG: ${this.regStat()}`], 'other');
    this.wasRegistered = this.registered();
    if (this.wasRegistered) this.scheduleNetwork();
  }

  random(): number {
    // mulberry32
    this.rngState = (this.rngState + 0x6d2b79f5) >>> 0;
    let t = this.rngState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  snapshotSettings(): ModemState {
    return {
      ...this.settings,
      cnmi: [...this.settings.cnmi] as Cnmi,
      cpms: [...this.settings.cpms] as [string, string, string],
      sim: { status: this.sim.status, pinLeft: this.sim.pinLeft, pukLeft: this.sim.pukLeft, busy: this.simBusy() },
      registered: this.registered(),
      quectelUrcPort: this.quectelUrcPort,
    };
  }

  // ---------------------------------------------------------------- logs

  commandLog(): CommandLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  transcript(): TranscriptEntry[] {
    return this.transcriptLog.map((e) => ({ ...e }));
  }

  sent(): SentMessage[] {
    return this.sentLog.map((e) => ({ ...e }));
  }

  urcs(): UrcRecord[] {
    return this.urcLog.map((e) => ({ ...e, lines: [...e.lines] }));
  }

  pendingInNetwork(): string[] {
    return this.network.map((n) => n.pdu);
  }

  private logLine(line: string, kind: CommandLogEntry['kind']): CommandLogEntry {
    const entry: CommandLogEntry = { at: Date.now(), line, kind };
    this.log.push(entry);
    return entry;
  }

  // ---------------------------------------------------------------- input

  feed(data: Buffer): void {
    if (!this.powered) return;
    const text = data.toString('latin1');
    this.transcriptLog.push({ at: Date.now(), dir: 'rx', text });
    let echo = '';
    const flushEcho = () => {
      if (echo && this.settings.echo) this.out.echo(echo);
      echo = '';
    };
    for (const ch of text) {
      if (this.dataMode) {
        if (ch === '\x1a' || ch === '\x1b') {
          flushEcho();
          this.endData(ch === '\x1a');
          continue;
        }
        echo += ch;
        if (this.dataMode.kind === 'text' && ch === '\r') {
          // Text mode: a CR starts a new line of the message; the modem prompts again.
          this.dataMode.buf += '\n';
          flushEcho();
          this.out.prompt(this.dataMode.answer);
        } else if (this.dataMode.kind === 'text' && ch === '\n') {
          // ignored after CR
        } else {
          this.dataMode.buf += ch;
        }
        continue;
      }
      echo += ch;
      if (ch === '\r') {
        flushEcho();
        const line = this.lineBuf;
        this.lineBuf = '';
        this.onLine(line);
      } else if (ch === '\n' && this.lineBuf === '') {
        // The LF of a CR LF terminator: nothing.
      } else if (ch === '\b' || ch === '\x7f') {
        this.lineBuf = this.lineBuf.slice(0, -1);
      } else {
        this.lineBuf += ch;
      }
    }
    flushEcho();
  }

  private answerDelay(): number {
    if (!this.profiles.has('slow')) return 0;
    const [min, max] = this.opts.slowMs ?? [200, 800];
    return Math.round(min + this.random() * (max - min));
  }

  private onLine(raw: string): void {
    const line = raw.replace(/^[\s\n]+/, '').replace(/\s+$/, '');
    if (line === '') return;
    if (!/^AT/i.test(line)) {
      this.logLine(line, 'ignored');
      return;
    }
    const entry = this.logLine(line, 'command');
    const override = this.opts.override?.(line);
    if (override) {
      this.out.answer(override.lines?.length ? [override.lines] : [], override.final ?? 'OK', this.answerDelay());
      this.emit('command', entry);
      return;
    }
    const subs = splitCommandLine(line.slice(2));
    if (!subs) {
      this.out.answer([], 'ERROR', this.answerDelay());
      this.emit('command', entry);
      return;
    }
    const units: string[][] = [];
    const afters: Array<() => void> = [];
    let final = 'OK';
    for (const sub of subs) {
      const r = this.run(sub, line);
      if (r.units) units.push(...r.units);
      if (r.error) {
        final = r.error;
        break;
      }
      if (r.after) afters.push(r.after);
      if (r.data) {
        const answer = this.out.answer(units, null, this.answerDelay());
        this.out.prompt(answer);
        this.dataMode = { answer, kind: r.data.kind, buf: '', ...(r.data.kind === 'pdu' ? { length: r.data.length } : { to: r.data.to }) };
        this.emit('command', entry);
        return;
      }
    }
    this.out.answer(units, final, this.answerDelay());
    if (final === 'OK') for (const fn of afters) fn();
    this.emit('command', entry);
  }

  // ---------------------------------------------------------------- results

  private cme(n: number): string {
    if (this.settings.cmee === 0) return 'ERROR';
    if (this.settings.cmee === 1) return `+CME ERROR: ${n}`;
    return `+CME ERROR: ${CME_TEXT[n] ?? n}`;
  }

  /** +CMS ERROR is reported whatever AT+CMEE says (TS 27.005 §3.2.5); verbose with AT+CMEE=2. */
  private cms(n: number): string {
    return this.settings.cmee === 2 ? `+CMS ERROR: ${CMS_TEXT[n] ?? n}` : `+CMS ERROR: ${n}`;
  }

  private unknown(): Result {
    return { error: this.opts.unknownCommandReply ?? 'ERROR' };
  }

  /** Refuses a SIM command while the SIM is locked or busy. `sms`: a TS 27.005 command. */
  private simGate(sms: boolean): string | null {
    const cmsStyle = sms && this.opts.simErrorStyle === 'cms';
    const starting = this.simStarting();
    if (starting === 'absent') return cmsStyle ? this.cms(310) : this.cme(10);
    if (starting === 'not-ready') return cmsStyle ? this.cms(314) : this.cme(14);
    if (this.simBusy()) return cmsStyle ? this.cms(314) : this.cme(14);
    if (this.sim.status === 'SIM PIN') return cmsStyle ? this.cms(311) : this.cme(11);
    if (this.sim.status === 'SIM PUK') return cmsStyle ? this.cms(316) : this.cme(12);
    return null;
  }

  private str(s: string): string {
    return this.settings.cscs === 'UCS2' ? toUcs2Hex(s) : s;
  }

  private unstr(s: string): string {
    return this.settings.cscs === 'UCS2' ? (fromUcs2Hex(s) ?? s) : s;
  }

  private run(sub: SubCommand, line: string): Result {
    const { name, type, raw } = sub;
    const args = splitArgs(raw).values;
    const int = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : null);
    const huawei = this.profiles.has('huawei');
    const quectel = this.profiles.has('quectel');

    if (/^S\d+$/.test(name)) return type === 'read' ? { units: [['000']] } : {};
    switch (name) {
      // ---- V.250 basics
      case 'Z':
      case '&F':
        this.settings = { ...this.defaults(), curc: this.settings.curc };
        return {};
      case 'E':
        if (raw === '' || raw === '0') this.settings.echo = false;
        else if (raw === '1') this.settings.echo = true;
        else return { error: 'ERROR' };
        return {};
      case 'V':
        // Numeric result codes (ATV0) are not simulated.
        return raw === '1' ? {} : { error: 'ERROR' };
      case 'Q':
      case 'X':
      case '&C':
      case '&D':
      case '&W':
        return {};
      case 'I':
        if (huawei) {
          return {
            units: [
              [
                `Manufacturer: ${this.identity.manufacturer}`,
                `Model: ${this.identity.model}`,
                `Revision: ${this.identity.revision}`,
                `IMEI: ${this.identity.imei}`,
                '+GCAP: +CGSM,+DS,+ES',
              ],
            ],
          };
        }
        return { units: [[this.identity.manufacturer, this.identity.model, `Revision: ${this.identity.revision}`]] };
      case '+CGMI':
      case '+GMI':
        return type === 'exec' ? { units: [[this.identity.manufacturer]] } : {};
      case '+CGMM':
      case '+GMM':
        return type === 'exec' ? { units: [[this.identity.model]] } : {};
      case '+CGMR':
      case '+GMR':
        return type === 'exec' ? { units: [[this.identity.revision]] } : {};
      case '+CGSN':
      case '+GSN':
        return type === 'exec' ? { units: [[this.identity.imei]] } : {};
      case '^ICCID':
        if (!huawei) return this.unknown();
        if (type !== 'read') return {};
        if (this.simStarting() === 'absent') return { error: this.cme(10) };
        return { units: [[`^ICCID: ${this.identity.iccid}`]] };
      case '+CCID':
      case '+ICCID':
      case '+QCCID': {
        // Read from the SIM's EF-ICCID: answered even while the SIM is PIN-locked (not while it is absent).
        if (type === 'test') return {};
        if (this.simStarting() === 'absent') return { error: this.cme(10) };
        return { units: [[name === '+CCID' ? this.identity.iccid : `${name}: ${this.identity.iccid}`]] };
      }
      case '+CIMI': {
        const gate = this.simGate(false);
        return gate ? { error: gate } : { units: [[this.identity.imsi]] };
      }
      case '+CFUN':
        if (type === 'read') return { units: [['+CFUN: 1']] };
        if (type === 'test') return { units: [['+CFUN: (0,1,4),(0,1)']] };
        return {};
      case '+CMEE': {
        if (type === 'read') return { units: [[`+CMEE: ${this.settings.cmee}`]] };
        if (type === 'test') return { units: [['+CMEE: (0-2)']] };
        const n = type === 'exec' ? 0 : int(args[0]);
        if (n === null || n > 2) return { error: this.cme(50) };
        this.settings.cmee = n as 0 | 1 | 2;
        return {};
      }

      // ---- SIM
      case '+CPIN':
        return this.cpin(type, args);
      case '+CPINR': {
        const all = [`+CPINR: SIM PIN,${this.sim.pinLeft},${this.opts.pinAttempts ?? 3}`, `+CPINR: SIM PUK,${this.sim.pukLeft},10`];
        const which = args[0]?.toUpperCase();
        return { units: [which ? all.filter((l) => l.startsWith(`+CPINR: ${which},`)) : all] };
      }
      case '^CPIN': {
        if (!huawei) return this.unknown();
        if (type !== 'read') return {};
        const code = this.sim.status;
        const times = code === 'SIM PIN' ? this.sim.pinLeft : code === 'SIM PUK' ? this.sim.pukLeft : '';
        return { units: [[`^CPIN: ${code},${times},${this.sim.pukLeft},${this.sim.pinLeft},10,3`]] };
      }
      case '+QPINC': {
        if (!quectel) return this.unknown();
        const sc = `+QPINC: "SC",${this.sim.pinLeft},${this.sim.pukLeft}`;
        if (type === 'read') return { units: [[sc, '+QPINC: "P2",3,10']] };
        if (type === 'set' && args[0]?.toUpperCase() === 'SC') return { units: [[sc]] };
        return type === 'test' ? { units: [['+QPINC: ("SC","P2")']] } : { error: this.cme(50) };
      }

      // ---- network
      case '+CSQ':
        if (type === 'test') return { units: [['+CSQ: (0-31,99),(0-7,99)']] };
        return { units: [[`+CSQ: ${this.rssi},99`]] };
      case '+CREG': {
        if (type === 'test') return { units: [['+CREG: (0-2)']] };
        if (type === 'read') {
          const stat = this.regStat();
          const loc = this.settings.creg === 2 && (stat === 1 || stat === 5) ? ',"1A2B","00C3D4E5"' : '';
          return { units: [[`+CREG: ${this.settings.creg},${stat}${loc}`]] };
        }
        const n = type === 'exec' ? 0 : int(args[0]);
        if (n === null || n > 2) return { error: this.cme(50) };
        this.settings.creg = n as 0 | 1 | 2;
        return {};
      }
      case '+COPS':
        if (type === 'read') {
          return {
            units: [
              [
                this.regStat() === 1 || this.regStat() === 5
                  ? `+COPS: 0,0,"${this.str(this.opts.operatorName ?? 'SIMNET')}",2`
                  : '+COPS: 0',
              ],
            ],
          };
        }
        if (type === 'test') return { units: [[`+COPS: (2,"${this.opts.operatorName ?? 'SIMNET'}","SIMNET","47001",2),,(0-4),(0-2)`]] };
        return {};
      case '^CURC':
        if (!huawei) return this.unknown();
        if (type === 'read') return { units: [[`^CURC: ${this.settings.curc}`]] };
        if (type === 'test') return { units: [['^CURC: (0-1)']] };
        if (type === 'set' && (args[0] === '0' || args[0] === '1')) {
          this.settings.curc = Number(args[0]) as 0 | 1;
          return {};
        }
        return { error: this.cme(50) };
      case '+QURCCFG': {
        if (!quectel) return this.unknown();
        if (type === 'test') return { units: [['+QURCCFG: "urcport",("usbat","usbmodem","uart1")']] };
        if (type !== 'set' || args[0]?.toLowerCase() !== 'urcport') return { error: this.cme(50) };
        if (args.length === 1) return { units: [[`+QURCCFG: "urcport","${this.quectelUrcPort}"`]] };
        const port = (args[1] ?? '').toLowerCase();
        if (!['usbat', 'usbmodem', 'uart1'].includes(port)) return { error: this.cme(50) };
        this.quectelUrcPort = port;
        return {};
      }

      // ---- SMS settings
      case '+CMGF': {
        if (type === 'read') return { units: [[`+CMGF: ${this.settings.cmgf}`]] };
        if (type === 'test') return { units: [[this.opts.noPduMode ? '+CMGF: (1)' : '+CMGF: (0,1)']] };
        const n = type === 'exec' ? 0 : int(args[0]);
        if (n === null || n > 1 || (n === 0 && this.opts.noPduMode)) return { error: 'ERROR' };
        this.settings.cmgf = n as 0 | 1;
        return {};
      }
      case '+CSCS': {
        if (type === 'read') return { units: [[`+CSCS: "${this.str(this.settings.cscs)}"`]] };
        if (type === 'test') return { units: [['+CSCS: ("GSM","UCS2","IRA")']] };
        // Under UCS2 the name itself comes UCS2-encoded ("00470053004D" for GSM).
        const value = this.unstr(args[0] ?? '').toUpperCase();
        if (!['GSM', 'UCS2', 'IRA'].includes(value)) return { error: this.cme(4) };
        this.settings.cscs = value;
        return {};
      }
      case '+CSDH':
        if (type === 'read') return { units: [[`+CSDH: ${this.settings.csdh}`]] };
        if (type === 'set' && (args[0] === '0' || args[0] === '1')) this.settings.csdh = Number(args[0]) as 0 | 1;
        return {};
      case '+CSMS':
        if (type === 'read') return { units: [[`+CSMS: ${this.settings.csms},1,1,1`]] };
        if (type === 'test') return { units: [['+CSMS: (0,1)']] };
        if (type === 'set' && (args[0] === '0' || args[0] === '1')) {
          this.settings.csms = Number(args[0]) as 0 | 1;
          return { units: [['+CSMS: 1,1,1']] };
        }
        return { error: this.cms(303) };
      case '+CSCA':
        if (type === 'read') {
          const gate = this.simGate(true);
          return gate ? { error: gate } : { units: [[`+CSCA: "${this.str(this.opts.smsc ?? '+8801700000000')}",145`]] };
        }
        return {};
      case '+CSMP':
        return type === 'read' ? { units: [['+CSMP: 17,167,0,0']] } : {};
      case '+CPMS':
        return this.cpms(type, args);
      case '+CNMI':
        return this.cnmi(type, args);
      case '+CNMA':
        if (type === 'test') return { units: [['+CNMA: (0-2)']] };
        if (!this.pendingCmt) return { error: this.cms(340) };
        this.clearPendingCmt();
        return {};

      // ---- SMS storage
      case '+CMGL':
        return this.cmgl(type, args, raw);
      case '+CMGR':
        return this.cmgr(type, args);
      case '+CMGD':
        return this.cmgd(type, args, line);
      case '+CMGS':
        return this.cmgs(type, args, raw);
    }
    return this.unknown();
  }

  private cpin(type: SubCommand['type'], args: string[]): Result {
    if (type === 'test') return {};
    const starting = this.simStarting();
    if (starting === 'absent') return { error: this.cme(10) };
    if (starting === 'not-ready') return type === 'read' ? { units: [['+CPIN: NOT READY']] } : { error: this.cme(14) };
    if (this.simBusy()) return { error: this.cme(14) };
    if (type === 'read') return { units: [[`+CPIN: ${this.sim.status}`]] };
    if (type !== 'set') return { error: this.cme(50) };
    const given = args[0] ?? '';
    if (this.sim.status === 'READY') return { error: this.cme(3) };
    if (this.sim.status === 'SIM PIN') {
      if (given === this.sim.pin) {
        this.unlocked();
        return {};
      }
      this.sim.pinLeft = Math.max(0, this.sim.pinLeft - 1);
      if (this.sim.pinLeft === 0) this.sim.status = 'SIM PUK';
      return { error: this.cme(16) };
    }
    // SIM PUK: AT+CPIN="<puk>","<new pin>"
    if (this.sim.pukLeft > 0 && given === this.sim.puk && args[1]) {
      this.sim.pin = args[1];
      this.sim.pukLeft = 10;
      this.unlocked();
      return {};
    }
    this.sim.pukLeft = Math.max(0, this.sim.pukLeft - 1);
    return { error: this.cme(16) };
  }

  private unlocked(): void {
    this.sim.status = 'READY';
    this.sim.pinLeft = this.opts.pinAttempts ?? 3;
    this.startSimBusy();
    this.later(0, () => this.checkRegistration());
  }

  private cpms(type: SubCommand['type'], args: string[]): Result {
    const names = this.store.storages();
    if (type === 'test') {
      const list = `(${names.map((n) => `"${n}"`).join(',')})`;
      return { units: [[`+CPMS: ${list},${list},${list}`]] };
    }
    const gate = this.simGate(true);
    if (gate) return { error: gate };
    const pair = (s: string) => `${this.store.used(s)},${this.store.capacity(s)}`;
    if (type === 'read') {
      return { units: [[`+CPMS: ${this.settings.cpms.map((s) => `"${s}",${pair(s)}`).join(',')}`]] };
    }
    if (type !== 'set' || args.length === 0 || args.length > 3) return { error: this.cms(302) };
    const wanted = args.map((a) => this.unstr(a).toUpperCase());
    if (wanted.some((w) => !this.store.has(w))) return { error: this.cms(302) };
    wanted.forEach((w, i) => (this.settings.cpms[i] = w));
    return { units: [[`+CPMS: ${this.settings.cpms.map(pair).join(',')}`]] };
  }

  private cnmi(type: SubCommand['type'], args: string[]): Result {
    if (type === 'test') return { units: [[this.opts.cnmiTest ?? '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)']] };
    if (type === 'read') return { units: [[`+CNMI: ${this.settings.cnmi.join(',')}`]] };
    if (type !== 'set') return { error: this.cms(302) };
    const next: Cnmi = [0, 0, 0, 0, 0];
    for (let i = 0; i < 5; i++) {
      const a = args[i];
      if (a === undefined || a === '') continue;
      if (!/^\d+$/.test(a)) return { error: this.cms(303) };
      const n = Number(a);
      const allowed = this.cnmiSets[i];
      if (allowed && !allowed.includes(n)) return { error: this.cms(303) };
      next[i] = n;
    }
    this.settings.cnmi = next;
    return {
      after: () => {
        // TS 27.005: entering <mode> 1..3 flushes (<bfr>=0) or clears (<bfr>=1) the TA buffer, after OK.
        if (next[0] === 0) return;
        const buffered = this.taBuffer;
        this.taBuffer = [];
        if (next[4] === 0) for (const lines of buffered) this.unsolicited(lines, 'sms');
      },
    };
  }

  private readonly statNames = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT', 'ALL'];

  private listing(msg: StoredMessage, prefix: '+CMGL' | '+CMGR'): string[] {
    if (this.settings.cmgf === 0) {
      const head = prefix === '+CMGL' ? `+CMGL: ${msg.index},${msg.stat},,${msg.length}` : `+CMGR: ${msg.stat},,${msg.length}`;
      return [head, msg.pdu];
    }
    const d = msg.decoded;
    const oa = this.str(d?.sender ?? '');
    const data = this.textData(msg.pdu);
    const head =
      prefix === '+CMGL'
        ? `+CMGL: ${msg.index},"${STAT_TEXT[msg.stat]}","${oa}",,"${d?.scts ?? ''}"${this.settings.csdh ? `,${d?.senderToa ?? 129},${data.length}` : ''}`
        : `+CMGR: "${STAT_TEXT[msg.stat]}","${oa}",,"${d?.scts ?? ''}"${this.fullHeader(msg.pdu, data)}`;
    return [head, data];
  }

  /** AT+CSDH=1: the rest of a +CMGR/+CMT text-mode header, ",<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>"; "" under AT+CSDH=0. */
  private fullHeader(pdu: string, data: string): string {
    if (!this.settings.csdh) return '';
    const d = peekDeliver(pdu);
    const bytes = hexToBytes(pdu);
    if (!d || !bytes) return '';
    const smscLen = bytes[0] ?? 0;
    const fo = bytes[1 + smscLen] ?? 0;
    const oaDigits = bytes[2 + smscLen] ?? 0;
    const pid = bytes[4 + smscLen + Math.ceil(oaDigits / 2)] ?? 0;
    const sca = d.smsc ?? '';
    return `,${d.senderToa},${fo},${pid},${d.dcs},"${this.str(sca)}",${sca.startsWith('+') ? 145 : 129},${data.length}`;
  }

  /** Text-mode data of a PDU: UCS2 and 8-bit data as hex (TS 27.005 §3.1), GSM text in the TE character set. */
  private textData(pdu: string): string {
    const d = peekDeliver(pdu);
    if (!d) return '';
    if (d.encoding === 'ucs2') return toUcs2Hex(d.text);
    if (d.encoding === '8bit') return d.text;
    return this.str(d.text);
  }

  private cmgl(type: SubCommand['type'], args: string[], raw: string): Result {
    if (type === 'test')
      return { units: [[this.settings.cmgf === 0 ? '+CMGL: (0-4)' : `+CMGL: (${this.statNames.map((s) => `"${s}"`).join(',')})`]] };
    const gate = this.simGate(true);
    if (gate) return { error: gate };
    let stat: number;
    if (this.settings.cmgf === 0) {
      if (type === 'exec' || raw.trim() === '') stat = 0;
      else if (/^[0-4]$/.test(args[0] ?? '')) stat = Number(args[0]);
      else return { error: this.cms(304) };
    } else {
      const name = type === 'exec' ? 'REC UNREAD' : this.unstr(args[0] ?? '').toUpperCase();
      stat = this.statNames.indexOf(name);
      if (stat < 0) return { error: this.cms(305) };
    }
    const list = this.store.list(this.settings.cpms[0], stat);
    const units = list.map((m) => this.listing(m, '+CMGL'));
    // Listing a received unread message makes it read (TS 27.005 §3.4.2).
    for (const m of list) if (m.stat === 0) m.stat = 1;
    return { units };
  }

  private cmgr(type: SubCommand['type'], args: string[]): Result {
    if (type === 'test') return {};
    const gate = this.simGate(true);
    if (gate) return { error: gate };
    const storage = this.settings.cpms[0];
    const index = /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : NaN;
    if (type !== 'set' || !this.store.inRange(storage, index)) return { error: this.cms(321) };
    const msg = this.store.get(storage, index);
    if (!msg) return (this.opts.emptyReadReply ?? 'cms321') === 'ok' ? {} : { error: this.cms(321) };
    const units = [this.listing(msg, '+CMGR')];
    // AT+CMGR=<index>,1 (SIMCom): read without marking read.
    if (msg.stat === 0 && args[1] !== '1') msg.stat = 1;
    return { units };
  }

  private cmgd(type: SubCommand['type'], args: string[], line: string): Result {
    const storage = this.settings.cpms[0];
    if (type === 'test') {
      const used = this.store.list(storage).map((m) => m.index);
      return { units: [[`+CMGD: (${used.join(',')}),(0-4)`]] };
    }
    const gate = this.simGate(true);
    if (gate) return { error: gate };
    if (type !== 'set') return { error: this.cms(302) };
    const flag = args[1] === undefined || args[1] === '' ? 0 : /^\d+$/.test(args[1]) ? Number(args[1]) : -1;
    if (flag < 0 || flag > 4) return { error: this.cms(302) };
    const now = Date.now();
    if (flag === 0) {
      const index = /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : NaN;
      if (!this.store.inRange(storage, index)) return { error: this.cms(321) };
      const rec = this.store.remove(storage, index, now, line, 0);
      if (rec) this.emit('deleted', rec);
    } else {
      // <delflag> 1: all read; 2: read and sent; 3: read, sent and unsent; 4: all (TS 27.005 §3.5.4).
      const doomed: MessageStat[] = flag === 1 ? [1] : flag === 2 ? [1, 3] : flag === 3 ? [1, 2, 3] : [0, 1, 2, 3];
      for (const m of this.store.list(storage)) {
        if (!doomed.includes(m.stat)) continue;
        const rec = this.store.remove(storage, m.index, now, line, flag);
        if (rec) this.emit('deleted', rec);
      }
    }
    this.fullNoticeSent = false;
    this.scheduleNetwork();
    return {};
  }

  private cmgs(type: SubCommand['type'], args: string[], raw: string): Result {
    if (type === 'test') return {};
    const gate = this.simGate(true);
    if (gate) return { error: gate };
    if (type !== 'set') return { error: this.cms(302) };
    if (this.settings.cmgf === 0) {
      const length = /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : NaN;
      if (!(length > 0 && length <= 175)) return { error: this.cms(304) };
      return { data: { kind: 'pdu', length } };
    }
    if (!raw.trim()) return { error: this.cms(305) };
    return { data: { kind: 'text', to: this.unstr(args[0] ?? '') } };
  }

  private endData(submit: boolean): void {
    const dm = this.dataMode;
    if (!dm) return;
    this.dataMode = null;
    const delay = this.answerDelay();
    if (!submit) {
      this.logLine(dm.buf, 'cancelled');
      this.out.finish(dm.answer, [], 'OK', delay);
      return;
    }
    const entry = this.logLine(dm.buf, 'data');
    if (dm.kind === 'pdu') {
      const pdu = dm.buf.replace(/\s+/g, '').toUpperCase();
      const bytes = hexToBytes(pdu);
      if (!bytes || tpduLength(pdu) !== dm.length) {
        this.out.finish(dm.answer, [], this.cms(304), delay);
        this.emit('command', entry);
        return;
      }
      const submitted = peekSubmit(pdu);
      const mr = this.nextMr();
      const sent: SentMessage = {
        at: Date.now(),
        mode: 'pdu',
        mr,
        pdu,
        length: dm.length,
        to: submitted?.to ?? null,
        text: submitted?.text ?? null,
      };
      this.sentLog.push(sent);
      this.out.finish(dm.answer, [[`+CMGS: ${mr}`]], 'OK', delay);
      this.emit('sent', sent);
    } else {
      const mr = this.nextMr();
      const text = this.settings.cscs === 'UCS2' ? (fromUcs2Hex(dm.buf) ?? dm.buf) : dm.buf;
      const sent: SentMessage = { at: Date.now(), mode: 'text', mr, to: dm.to ?? null, text };
      this.sentLog.push(sent);
      this.out.finish(dm.answer, [[`+CMGS: ${mr}`]], 'OK', delay);
      this.emit('sent', sent);
    }
    this.emit('command', entry);
  }

  private nextMr(): number {
    this.mr = (this.mr + 1) % 256;
    return this.mr;
  }

  // ---------------------------------------------------------------- unsolicited

  /**
   * Sends unsolicited lines. 'sms' ones (+CMTI, +CMT) follow +CNMI <mode> (TS 27.005 §3.4.1):
   * 0 buffers them in the TA, 1 drops them while a command runs, 2 holds them until it ends,
   * 3 sends them at once. Others wait for the end of a running command. 'urc-inside' puts both
   * kinds inside the running command's answer; under 'quectel' they only go out when this port
   * is the URC port.
   */
  unsolicited(lines: string[], kind: 'sms' | 'other'): void {
    if (!this.powered) return;
    const record = (fate: UrcRecord['fate']): UrcRecord => {
      const rec: UrcRecord = { at: Date.now(), lines, fate, writtenAt: null };
      this.urcLog.push(rec);
      this.emit('urc', rec);
      return rec;
    };
    if (this.profiles.has('quectel') && this.quectelUrcPort !== 'usbat') {
      record('other-port');
      return;
    }
    const inside = this.profiles.has('urc-inside');
    let placement: Placement = inside ? 'inside' : 'after';
    if (kind === 'sms') {
      const mode = this.settings.cnmi[0];
      if (mode === 0) {
        this.taBuffer.push(lines);
        record('buffered');
        return;
      }
      if (mode === 1 && this.out.busy() && !inside) {
        record('dropped');
        return;
      }
      if (mode === 3 && !inside) placement = 'next';
    }
    const rec = record('sent');
    this.out.urc(lines, placement, () => {
      rec.writtenAt = Date.now();
      this.emit('urc-written', rec);
    });
  }

  /** Raw bytes (garbage) where an unsolicited line could go. */
  noise(bytes: Buffer): void {
    if (!this.powered) return;
    this.out.urc(bytes, this.profiles.has('urc-inside') ? 'inside' : 'after');
  }

  huaweiTick(step: number): void {
    if (!this.powered || this.settings.curc === 0) return;
    const lines = [`^RSSI:${this.rssi}`, '^MODE:5,4', '^BOOT:20482171,0,0,0,77'];
    this.unsolicited([lines[step % lines.length] as string], 'other');
  }

  // ---------------------------------------------------------------- deliveries

  nextConcatRef(bits: 8 | 16): number {
    this.concatRef = (this.concatRef + 1) % (bits === 16 ? 65536 : 256) || 1;
    return this.concatRef;
  }

  encodeSpec(spec: DeliverSpec): string[] {
    const full: DeliverSpec = { ...spec };
    if (full.concatRef === undefined) full.concatRef = this.nextConcatRef(full.concatRefBits ?? 8);
    return this.encode(full);
  }

  /**
   * Messages arriving from the network. While the modem cannot receive (off, SIM locked or busy,
   * storage full, a +CMT not acknowledged) the network keeps them and retries (TS 23.040 §10.3:
   * memory capacity exceeded, then SMMA when memory is available).
   */
  receive(pdus: string[], announce: boolean, storage?: string, stat: MessageStat = 0): number[] {
    const indexes: number[] = [];
    for (const pdu of pdus) {
      const r = this.receiveOne({ pdu, announce, storage }, stat);
      if (r === 'held') {
        this.network.push({ pdu, announce, storage });
      } else if (r !== 'direct') {
        indexes.push(r);
      }
    }
    return indexes;
  }

  private receiveOne(item: NetworkItem, stat: MessageStat): number | 'held' | 'direct' {
    if (!this.registered() || this.pendingCmt) return 'held';
    if (this.network.length > 0 && this.network[0] !== item) return 'held';
    const [, mt] = this.settings.cnmi;
    if (mt === 2 && this.settings.cnmi[0] !== 0 && !(this.profiles.has('quectel') && this.quectelUrcPort !== 'usbat')) {
      this.deliverDirect(item.pdu);
      return 'direct';
    }
    const storage = item.storage ?? this.settings.cpms[2];
    const msg = this.store.put(storage, item.pdu, stat, Date.now());
    if (!msg) {
      if (!this.fullNoticeSent) {
        this.fullNoticeSent = true;
        const notice = this.opts.fullNotice ?? (this.profiles.has('huawei') ? 'smmemfull' : 'none');
        if (notice === 'smmemfull') this.unsolicited([`^SMMEMFULL: "${storage}"`], 'other');
      }
      return 'held';
    }
    this.emit('stored', { ...msg });
    if (item.announce && (mt === 1 || mt === 2 || mt === 3)) this.unsolicited([`+CMTI: "${storage}",${msg.index}`], 'sms');
    return msg.index;
  }

  /** +CMT: the message goes to the TE only; without AT+CNMA in time the modem stops routing (<mt> 0) and the network retries. */
  private deliverDirect(pdu: string): void {
    let lines: string[];
    if (this.settings.cmgf === 0) {
      lines = [`+CMT: ,${tpduLength(pdu) ?? 0}`, pdu.toUpperCase()];
    } else {
      const d = peekDeliver(pdu);
      const data = this.textData(pdu);
      lines = [`+CMT: "${this.str(d?.sender ?? '')}",,"${d?.scts ?? ''}"${this.fullHeader(pdu, data)}`, data];
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.pendingCmt) return;
      this.pendingCmt = null;
      this.settings.cnmi[1] = 0;
      this.settings.cnmi[3] = 0;
      this.network.unshift({ pdu, announce: true });
      this.scheduleNetwork();
    }, this.opts.cnmaTimeoutMs ?? 2000);
    this.timers.add(timer);
    this.pendingCmt = { pdu, timer };
    this.unsolicited(lines, 'sms');
  }

  private clearPendingCmt(): void {
    if (this.pendingCmt) {
      clearTimeout(this.pendingCmt.timer);
      this.timers.delete(this.pendingCmt.timer);
    }
    this.pendingCmt = null;
  }

  private scheduleNetwork(): void {
    if (this.networkTimer || this.network.length === 0 || !this.powered) return;
    this.networkTimer = setTimeout(() => {
      this.networkTimer = null;
      while (this.network.length > 0) {
        const item = this.network[0] as NetworkItem;
        const r = this.receiveOne(item, 0);
        if (r === 'held') break;
        this.network.shift();
      }
    }, this.opts.networkRetryMs ?? 100);
  }

  /** Puts messages on the SIM silently, whatever the modem's state (messages that were already there). */
  preload(pdus: string[], storage: string, stat: MessageStat): number[] {
    const out: number[] = [];
    for (const pdu of pdus) {
      const msg = this.store.put(storage, pdu, stat, Date.now());
      if (msg) {
        out.push(msg.index);
        this.emit('stored', { ...msg });
      }
    }
    return out;
  }
}

/** "+CNMI: (0-2),(0-3),(0,2)" → [[0,1,2],[0,1,2,3],[0,2]]. */
function parseRanges(text: string): number[][] {
  return [...text.matchAll(/\(([^)]*)\)/g)].map((m) =>
    (m[1] as string).split(',').flatMap((part) => {
      const [a, b] = part.split('-').map((x) => Number(x.trim()));
      if (a === undefined || Number.isNaN(a)) return [];
      if (b === undefined || Number.isNaN(b)) return [a];
      return Array.from({ length: b - a + 1 }, (_, i) => a + i);
    }),
  );
}
