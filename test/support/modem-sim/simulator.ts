import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { encodeDeliverPdus } from './codec';
import type { DeletionRecord, MessageStat, StoredMessage } from './message-store';
import { ModemCore } from './modem';
import { PtyLink } from './pty-link';
import type {
  CommandLogEntry,
  DeliverOptions,
  DeliverSpec,
  InitialMessage,
  ModemProfile,
  ModemSimOptions,
  ModemState,
  SentMessage,
  TranscriptEntry,
  UrcRecord,
} from './types';

const running = new Set<ModemSimulator>();

interface SimEvents {
  command: [CommandLogEntry];
  stored: [StoredMessage];
  deleted: [DeletionRecord];
  sent: [SentMessage];
  /** An unsolicited line was decided on (sent, buffered, dropped, or routed to another port). */
  urc: [UrcRecord];
  /** A 'sent' unsolicited line's bytes went to the pty (record.writtenAt set). */
  'urc-written': [UrcRecord];
  unplugged: [];
  replugged: [];
  /** socat ended without unplug()/stop() asking (the simulator is then unplugged). */
  'socat-exit': [{ code: number | null; signal: NodeJS.Signals | null; stderr: string }];
}

/**
 * A GSM modem on a pseudo-terminal for integration tests: socat makes a pty pair, the simulator
 * holds one end, and the code under test opens `devicePath` (a symlink to the other end) with the
 * real serialport bindings. See README.md for the AT commands, the quirk profiles and their sources.
 */
export class ModemSimulator {
  /** The path the code under test opens: a symlink that survives unplug()/replug(). */
  readonly devicePath: string;
  readonly profiles: ReadonlySet<ModemProfile>;
  private readonly simPath: string;
  private readonly ownDir: string | null;
  private readonly core: ModemCore;
  private link: PtyLink | null = null;
  private port: SerialPort | null = null;
  private plugged = false;
  private stopped = false;
  private expectingExit = false;
  private huaweiTimer: NodeJS.Timeout | null = null;
  private garbageTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly options: ModemSimOptions,
    dir: string,
    ownDir: boolean,
  ) {
    this.ownDir = ownDir ? dir : null;
    this.devicePath = path.join(dir, options.deviceName ?? 'ttyGSM0');
    this.simPath = path.join(dir, 'modem-side');
    this.core = new ModemCore(options, (data) => this.write(data), options.encode ?? encodeDeliverPdus);
    this.profiles = this.core.profiles;
  }

  /** Starts socat, opens the simulator's end and powers the modem on. */
  static async start(options: ModemSimOptions = {}): Promise<ModemSimulator> {
    const dir = options.linkDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'modem-sim-'));
    if (options.linkDir) fs.mkdirSync(dir, { recursive: true });
    const sim = new ModemSimulator(options, dir, !options.linkDir);
    running.add(sim);
    try {
      sim.fillInitial();
      await sim.plugIn();
    } catch (err) {
      await sim.stop();
      throw err;
    }
    return sim;
  }

  /** Stops every simulator this process started (for afterAll / afterEach). */
  static async stopAll(): Promise<void> {
    await Promise.all([...running].map((sim) => sim.stop()));
  }

  // ---------------------------------------------------------------- lifecycle

  private fillInitial(): void {
    const initial: InitialMessage[] = [...(this.options.initialMessages ?? [])];
    if (this.profiles.has('sim-full')) {
      const size = this.core.store.capacity('SM');
      const want = Math.min(this.options.simFullCount ?? size, size);
      for (let n = initial.length + 1; n <= want; n++) {
        initial.push({
          sender: `+88017000${String(n).padStart(5, '0')}`,
          text: `Stored message ${n} of ${want}`,
          timestamp: new Date(Date.UTC(2026, 5, 1, 8, 0, n)),
        });
      }
    }
    for (const m of initial) this.preload(m, m.stat === 'read' ? 1 : 0, m.storage);
  }

  private async plugIn(): Promise<void> {
    const link = await PtyLink.open(this.devicePath, this.simPath, this.ownDir ? [this.ownDir] : [this.devicePath, this.simPath]);
    this.link = link;
    this.expectingExit = false;
    void link.exited.then(({ code, signal }) => {
      if (this.link !== link || this.expectingExit) return;
      // socat died on its own: the device is gone.
      this.link = null;
      this.goneDown();
      this.emitter('socat-exit', { code, signal, stderr: link.stderr() });
    });
    const port = new SerialPort({ path: this.simPath, baudRate: this.options.baudRate ?? 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (data: Buffer) => {
      if (this.port === port) this.core.feed(data);
    });
    port.on('error', () => {
      /* the end vanishing shows as close */
    });
    port.on('close', () => {
      if (this.port === port) this.port = null;
    });
    this.port = port;
    this.plugged = true;
    this.core.powerOn();
    this.startPeriodic();
  }

  private goneDown(): void {
    this.plugged = false;
    this.stopPeriodic();
    this.core.powerOff();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) port.close(() => undefined);
  }

  private startPeriodic(): void {
    if (this.profiles.has('huawei')) {
      let step = 0;
      this.huaweiTimer = setInterval(() => this.core.huaweiTick(step++), this.options.huaweiIntervalMs ?? 300);
    }
    if (this.profiles.has('garbage')) {
      const mean = this.options.garbageIntervalMs ?? 250;
      const tick = () => {
        this.core.noise(this.garbage());
        this.garbageTimer = setTimeout(tick, mean * (0.5 + this.core.random()));
      };
      this.garbageTimer = setTimeout(tick, mean * (0.5 + this.core.random()));
    }
  }

  private stopPeriodic(): void {
    if (this.huaweiTimer) clearInterval(this.huaweiTimer);
    if (this.garbageTimer) clearTimeout(this.garbageTimer);
    this.huaweiTimer = null;
    this.garbageTimer = null;
  }

  /**
   * A line of noise: high bytes as a noisy UART gives (toomasz/SimcomGsmLib#1, SIM800 on an
   * ESP32), NULs (FactbirdHQ/atat#231), an ESC sequence (gammu/gammu#115). Always on a line of its
   * own, never containing CR or LF, so it never merges into a real line.
   */
  private garbage(): Buffer {
    const kind = Math.floor(this.core.random() * 4);
    const len = 1 + Math.floor(this.core.random() * 10);
    const bytes: number[] = [];
    for (let i = 0; i < len; i++) {
      if (kind === 0) bytes.push(0x80 + Math.floor(this.core.random() * 0x80));
      else if (kind === 1) bytes.push(0x00);
      else if (kind === 2) bytes.push(...(i === 0 ? [0x1b, 0x5b] : [0x30 + Math.floor(this.core.random() * 10)]));
      else bytes.push([0x21, 0x23, 0x7e, 0x7f, 0xff, 0x3f][Math.floor(this.core.random() * 6)] as number);
    }
    return Buffer.concat([Buffer.from('\r\n'), Buffer.from(bytes), Buffer.from('\r\n')]);
  }

  private write(data: Buffer): void {
    const port = this.port;
    if (port?.isOpen) port.write(data);
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** socat's pid while plugged (to simulate a crash: process.kill(sim.socatPid, 'SIGKILL')). */
  get socatPid(): number | undefined {
    return this.link?.pid;
  }

  /** The /dev/pts nodes of the current pty pair (device end first), for debugging. */
  get ptys(): string[] {
    return this.link?.ptys ?? [];
  }

  /**
   * The modem vanishes: socat ends, so the code under test sees its port close (serialport emits
   * 'close' with err.disconnected) and devicePath disappears. What was being written is lost; the
   * SIM keeps its messages; messages delivered meanwhile wait in the network.
   */
  async unplug(): Promise<void> {
    if (!this.plugged) return;
    // Let the other end's reader re-arm its read first: serialport misses a pty hang-up that
    // happens in the same tick as its open or the data it is handling, and would only see it on
    // its next write (EIO).
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (!this.plugged) return;
    this.expectingExit = true;
    const link = this.link;
    this.link = null;
    this.goneDown();
    await link?.close();
    fs.rmSync(this.devicePath, { force: true });
    fs.rmSync(this.simPath, { force: true });
    this.emitter('unplugged');
  }

  /** The modem comes back at the same devicePath, rebooted: settings forgotten, SIM locked again under 'pin'. */
  async replug(): Promise<void> {
    if (this.plugged || this.stopped) return;
    await this.plugIn();
    this.emitter('replugged');
  }

  /** The modem reboots in place (a watchdog or brown-out): settings forgotten, port stays. */
  reboot(): void {
    if (!this.plugged) return;
    this.stopPeriodic();
    this.core.powerOff();
    this.core.powerOn();
    this.startPeriodic();
  }

  /** Ends socat, closes everything, removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.expectingExit = true;
    const link = this.link;
    this.link = null;
    this.goneDown();
    await link?.close();
    for (const p of [this.devicePath, this.simPath]) fs.rmSync(p, { force: true });
    if (this.ownDir) fs.rmSync(this.ownDir, { recursive: true, force: true });
    running.delete(this);
    this.core.removeAllListeners();
  }

  // ---------------------------------------------------------------- messages

  /** The PDUs a message becomes (a concatenation reference is chosen when the spec has none). */
  encode(spec: DeliverSpec): string[] {
    return this.core.encodeSpec(spec);
  }

  /**
   * A message arrives from the network: encoded with encodeDeliverPdus, each part stored at the
   * lowest free index (in `partsOrder` if given) and announced with +CMTI when `announce` and
   * +CNMI ask for it. Returns the indexes used, in arrival order. Parts that do not fit (storage
   * full), or that cannot be received now (unplugged, SIM locked or busy, a +CMT awaiting AT+CNMA)
   * wait in the network and arrive later (see pendingInNetwork()); with +CNMI <mt>=2 parts go out
   * as +CMT and take no index.
   */
  deliver(message: DeliverOptions): number[] {
    const { announce = true, partsOrder, storage, stat, ...spec } = message;
    const pdus = this.encode(spec);
    const ordered = partsOrder ? partsOrder.map((n) => pdus[n - 1]).filter((p): p is string => p !== undefined) : pdus;
    return this.core.receive(ordered, announce, storage, stat ?? 0);
  }

  /** Like deliver(), for PDUs made beforehand (e.g. the rest of a multipart message after a restart). */
  deliverPdus(pdus: string[], options: { announce?: boolean; storage?: string } = {}): number[] {
    return this.core.receive(pdus, options.announce ?? true, options.storage);
  }

  /** Puts a message on the SIM silently whatever the modem's state (it was there before). Returns the indexes. */
  preload(message: DeliverSpec, stat: MessageStat = 0, storage = 'SM'): number[] {
    return this.core.preload(this.encode(message), storage, stat);
  }

  /** Sends an unsolicited line ("RING", "+CREG: 1", "^RSSI:12", …), subject to the same placement as any URC. */
  emitUrc(lines: string | string[]): void {
    this.core.unsolicited(Array.isArray(lines) ? lines : [lines], 'other');
  }

  setSignal(rssi: number): void {
    this.core.setSignal(rssi);
  }

  /** +CREG <stat> when the SIM is ready (1 home, 5 roaming, 0/2/3 not registered); sends +CREG: when AT+CREG=1/2. */
  setRegistration(stat: number): void {
    this.core.setRegistration(stat);
  }

  // ---------------------------------------------------------------- records

  /** Every line received, with its time: commands, data after the prompt, ignored lines. */
  commandLog(): CommandLogEntry[] {
    return this.core.commandLog();
  }

  /** Both directions byte for byte (latin1), for failure messages. */
  transcript(): TranscriptEntry[] {
    return this.core.transcript();
  }

  /** The transcript as one readable string. */
  transcriptText(): string {
    return this.core
      .transcript()
      .map((e) => `${e.dir === 'rx' ? '>>' : '<<'} ${JSON.stringify(e.text)}`)
      .join('\n');
  }

  /** Every delete the modem executed: time, storage, index, the PDU deleted, the command and flag. */
  deletions(): DeletionRecord[] {
    return this.core.store.deletions();
  }

  /** What is stored now (every storage), by storage then index. */
  stored(): StoredMessage[] {
    return this.core.store.snapshot();
  }

  /** Every message ever stored, deleted ones with deletedAt. */
  history(): StoredMessage[] {
    return this.core.store.history();
  }

  /** Messages sent with AT+CMGS. */
  sent(): SentMessage[] {
    return this.core.sent();
  }

  /** Every unsolicited line and what became of it. */
  urcs(): UrcRecord[] {
    return this.core.urcs();
  }

  /** PDUs the network still holds (not yet received). */
  pendingInNetwork(): string[] {
    return this.core.pendingInNetwork();
  }

  /** The modem's current settings and SIM state. */
  state(): ModemState {
    return this.core.snapshotSettings();
  }

  on<E extends keyof SimEvents>(event: E, listener: (...args: SimEvents[E]) => void): this {
    this.core.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends keyof SimEvents>(event: E, listener: (...args: SimEvents[E]) => void): this {
    this.core.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  private emitter<E extends keyof SimEvents>(event: E, ...args: SimEvents[E]): void {
    this.core.emit(event, ...args);
  }

  /** Resolves with the first command line (received from now on, or already in the log after `since`) that matches. */
  waitForCommand(match: RegExp | string, options: { timeoutMs?: number; since?: number } = {}): Promise<CommandLogEntry> {
    const test = (line: string) => (typeof match === 'string' ? line.toUpperCase() === match.toUpperCase() : match.test(line));
    if (options.since !== undefined) {
      const found = this.core.commandLog().find((e) => e.at >= (options.since as number) && test(e.line));
      if (found) return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('command', listener);
        reject(new Error(`no command matching ${String(match)} within ${options.timeoutMs ?? 5000} ms\n${this.transcriptText()}`));
      }, options.timeoutMs ?? 5000);
      const listener = (entry: CommandLogEntry) => {
        if (!test(entry.line)) return;
        clearTimeout(timer);
        this.off('command', listener);
        resolve(entry);
      };
      this.on('command', listener);
    });
  }
}
