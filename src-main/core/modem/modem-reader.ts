import crypto from 'node:crypto';
import fs from 'node:fs';
import { writeTransaction, type Db } from '../db';
import { prepareModemPartsRepo, type ModemPartRow, type ModemPartsRepo, type PartGroup, type PartRef } from '../db/repos/modem-parts-repo';
import type { Logger } from '../logging';
import type { DeliveryContext, IngestOutcome } from '../sms';
import { AtChannel, AtCommandError, AtTimeoutError, type AtResponse, type Urc } from './at-channel';
import {
  chooseCnmi,
  chooseStorage,
  parseCmgl,
  parseCmgr,
  otherMemories,
  parseCmti,
  parseCnmi,
  parseCops,
  parseCpin,
  parseCpmsMem1,
  parseCpmsUse,
  parseCreg,
  parseCsq,
  parseIdentity,
} from './at-replies';
import { decodeDeliverPdu, encodeSubmitPdu, type DecodedDeliver } from './pdu';
import {
  chooseCharset,
  decodeTextSms,
  parseTextCmgl,
  parseTextCmgr,
  parseTextCmt,
  toUcs2Hex,
  type TextCharset,
  type TextSms,
} from './text-mode';
import type { OpenSerial, SerialLink } from './serial-link';
import type { ModemState, ModemStatusView } from '../../../src-shared/contract/modem';

export interface ModemSettings {
  path: string;
  baudRate: number;
  pin: string | null;
  label: string;
  sweepMs: number;
  keepaliveMs: number;
  incompleteWaitMs: number;
  commandTimeoutMs: number;
  /** Where a PIN the SIM refused is remembered across restarts (the data dir's modem-pins.json); null: in memory only. */
  pinMemoryFile: string | null;
}

export interface ModemReaderDeps {
  db: Db;
  merchantId: number;
  ingest: (messages: readonly unknown[], context: DeliveryContext) => IngestOutcome[];
  open: OpenSerial;
  logger: Logger;
  clock: () => number;
  onChange?: (status: ModemStatusView) => void;
  /**
   * Claims the modem by its IMEI for this reader; returns the label of the reader that already
   * holds it (two configured ports of one modem must not both read and delete), else null.
   */
  claimModem?: (reader: ModemReader, imei: string) => string | null;
  releaseModem?: (reader: ModemReader) => void;
}

/** What initialisation came to: read the modem, wait for a person, or try again later. */
type InitResult = 'ready' | 'blocked' | 'retry';

/** What storing a PDU came to: not stored (it stays on the SIM), or stored, with the part to mark once its SIM copy is gone. */
type Stored = false | { part: PartRef | null };

const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** Parts of one multipart SMS carry service-centre times this close together. */
const SAME_MESSAGE_MS = 10 * 60_000;
/** What is kept of an SMS too long for the ingestion (MAX_SMS_BODY is 5,000). */
const MAX_STORED_BODY = 4_900;
/** +CME ERROR codes that mean "the SIM is not ready yet": 14 SIM busy, 515 please wait, and the words some firmware prints. */
const SIM_WAIT = /^(?:14|515|SIM busy|SIM not ready|not ready|please wait)$/i;
/** +CME ERROR 10 "SIM not inserted" (13 "SIM failure"): often only "not seen yet" just after power-on. */
const SIM_ABSENT = /^(?:10|13|SIM not inserted|SIM failure)$/i;
/** How long a SIM that is busy, not ready or not seen is waited for (with backoff) before trying again later. */
const SIM_WAIT_MS = 30_000;
/** Lines a modem prints when it (re)starts: SIM800's banner, Quectel's RDY, a SIM ready again. */
const BOOT_LINE =
  /^(?:RDY|START|SMS Ready|SMS DONE|Call Ready|PB DONE|\+CPIN: (?:READY|NOT READY|SIM PIN)|\+CFUN: 1|\+QIND: "?SMS DONE"?)$/i;
/** Boot lines come in a burst: the check waits for them to settle. */
const BOOT_SETTLE_MS = 600;
/** Parts of a message stored whole are kept (done) this long, to recognise one read again after a crash. */
const DONE_KEEP_MS = 30 * 86_400_000;
/** How long AT+CIMI answering "SIM busy" just after the unlock is waited out (with backoff). */
const CIMI_WAIT_MS = 3_500;

/**
 * One GSM modem with the shop's wallet SIM. The rule it keeps above all: a message is deleted
 * from the SIM only after its row (or its part's row) is committed, and only by its own index,
 * never with a delete-all flag that could wipe a message that arrived after the listing.
 *
 * It reads everything stored at start, after every reconnect or timeout, on each sweep (a +CMTI
 * can be lost; a modem that rebooted forgot its settings), and the index a +CMTI names. A closed
 * port, an error or a silent modem reconnects with backoff and reads the storage again.
 */
export class ModemReader {
  private link: SerialLink | null = null;
  private channel: AtChannel | null = null;
  private readonly parts: ModemPartsRepo;
  private stopped = false;
  private attempt = 0;
  /** The sweep and keepalive of the connection in use. */
  private periodic: NodeJS.Timeout[] = [];
  /** The pending reconnect, kept apart so that scheduling the periodic timers never cancels it. */
  private reconnectTimer: NodeJS.Timeout | null = null;
  /**
   * The configured PIN was sent and the SIM has not yet been seen unlocked since: if it still asks
   * for its PIN (an OK that unlocked nothing, or an answer that never came), the PIN counts as
   * refused. Cleared once the SIM is READY: a PIN the SIM accepted may be sent again after the
   * modem restarts (and locks the SIM again).
   */
  private pinUnconfirmed = false;
  /** Reads run one after another: a +CMTI during a sweep waits its turn. */
  private work: Promise<void> = Promise.resolve();
  /** A configured PIN the SIM refused: never sent again (a third wrong try locks the SIM with its PUK). */
  private pinRejected: boolean;
  private readonly state: ModemStatusView;
  /** What the modem says it is (AT+CGSN, AT+CCID, AT+CIMI), once read. */
  private identity: { imei: string | null; iccid: string | null; imsi: string | null } = { imei: null, iccid: null, imsi: null };
  /** Whose multipart parts these are: the SIM ("iccid:…", else "imsi:…"), else the modem ("imei:…"), else the label. */
  private partsKey: string;
  /** The SIM identities ("iccid:…", "imsi:…") seen together this run: one SIM each, so a query failing once keeps its parts. */
  private simsSeen: Set<string>[] = [];
  /** This port was refused as a second port of a modem another reader reads: it never reads or deletes. */
  private refused = false;
  /** The memory read and deleted from (<mem1>), and the others the modem may store a message in. */
  private storage = 'SM';
  /** The memory <mem1> is switched to right now (another one only inside inMemory()). */
  private memoryInUse = 'SM';
  private otherStorages: string[] = [];
  /** The +CNMI setting made at initialisation: the keepalive checks the modem still has it. */
  private cnmiSetting: string | null = null;
  /** Huawei's periodic reports were switched off: one showing up again means the modem restarted. */
  private curcOff = false;
  /** A check (or a re-initialisation) is queued and not yet started. */
  private checkQueued = false;
  private hintTimer: NodeJS.Timeout | null = null;
  /** The modem refused PDU mode: it is read in text mode (AT+CMGF=1) with this character set. */
  private textMode: { charset: TextCharset } | null = null;

  constructor(
    private readonly settings: ModemSettings,
    private readonly deps: ModemReaderDeps,
  ) {
    this.parts = prepareModemPartsRepo(deps.db);
    this.partsKey = settings.label;
    this.pinRejected = this.pinRefusedBefore();
    this.state = {
      label: settings.label,
      path: settings.path,
      state: 'connecting',
      detail: null,
      manufacturer: null,
      model: null,
      signal: null,
      registration: null,
      operator: null,
      storage: null,
      messages_read: 0,
      parts_waiting: 0,
      last_message_at: null,
      last_error: null,
      connected_since: null,
    };
  }

  status(): ModemStatusView {
    const overdue = this.deps.clock() - this.settings.incompleteWaitMs;
    return { ...this.state, parts_waiting: this.parts.count(this.deps.merchantId, this.partsKey, overdue) };
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.channel?.close('stopping');
    this.channel = null;
    this.deps.releaseModem?.(this);
    const link = this.link;
    this.link = null;
    await link?.close();
  }

  get label(): string {
    return this.settings.label;
  }

  get ready(): boolean {
    return this.state.state === 'ready' && this.channel !== null;
  }

  /** Sends one SMS (PDU mode, AT+CMGS); resolves with the message reference the modem gives. */
  sendSms(to: string, text: string): Promise<number> {
    return this.enqueue(async () => {
      if (this.textMode) throw new Error('this modem is read in text mode; sending needs PDU mode');
      const { pdu, tpduLength } = encodeSubmitPdu(to, text);
      const channel = this.channel;
      if (!channel) throw new Error('modem not connected');
      const r = await channel.send(`AT+CMGS=${tpduLength}`, { timeoutMs: 60_000, body: pdu });
      const mr = /\+CMGS:\s*(\d+)/.exec(r.lines.join(' '));
      return mr ? Number(mr[1]) : -1;
    });
  }

  /** Lists the storage and ingests every message in it (also what the sweep runs). Returns how many were handled. */
  readAll(): Promise<number> {
    return this.enqueue(() => this.readAllNow(true));
  }

  // ---- connection

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.set('connecting', null);
    let channel: AtChannel | null = null;
    try {
      const link = await this.deps.open(this.settings.path, this.settings.baudRate);
      if (this.stopped) {
        await link.close();
        return;
      }
      this.link = link;
      const ours = new AtChannel(link.transport);
      channel = ours;
      this.channel = ours;
      ours.onUrc((urc) => this.onUrc(urc));
      link.onClose((reason) => {
        // A port dropped earlier closing late must not drop the one in use.
        if (this.link === link) this.lost(reason);
      });
      this.set('initialising', null);
      const result = await this.enqueue(() => this.initialise(ours));
      if (this.stopped || this.channel !== channel) return;
      if (result === 'retry') {
        // The SIM was not ready in time: try again later, the state still says why.
        this.lost(this.state.detail ?? 'the SIM was not ready', this.state.state);
        return;
      }
      if (result === 'blocked') {
        // Refused as a second port of a modem read elsewhere: the port is closed (it must never
        // read or delete) and tried again with the backoff, in case the other reader's port goes.
        if (this.refused) this.lost(this.state.detail ?? 'the same modem is already read on another port', 'error');
        return;
      }
      this.attempt = 0;
      this.state.connected_since = new Date(this.deps.clock()).toISOString();
      this.set('ready', this.readyDetail());
      await this.readAll();
      // The port may have gone while the backlog was read: its reconnect is already scheduled.
      if (this.stopped || this.channel !== channel) return;
      this.schedule();
    } catch (err) {
      // Only this connection's own failure: a newer connection is not dropped for an old one's.
      if (channel === null || this.channel === channel) this.lost(errorText(err));
    }
  }

  /** The port closed, errored or went silent (or the SIM was not ready): drop it and try again with backoff. */
  private lost(reason: string, state: ModemState = 'disconnected'): void {
    if (this.stopped || this.reconnectTimer) return;
    // The modem this port read may come back on another port (a USB re-enumeration): its claim goes.
    this.deps.releaseModem?.(this);
    this.clearTimers();
    this.channel?.close(reason);
    this.channel = null;
    const link = this.link;
    this.link = null;
    void link?.close();
    this.state.last_error = reason;
    this.state.connected_since = null;
    this.set(state, reason);
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] as number;
    this.attempt += 1;
    this.deps.logger.warn({ modem: this.settings.label, reason, retry_ms: delay }, 'modem lost; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private schedule(): void {
    this.clearTimers();
    this.periodic.push(
      setInterval(() => void this.sweep(), this.settings.sweepMs),
      setInterval(() => void this.keepalive(), this.settings.keepaliveMs),
    );
  }

  /** The periodic timers only: a pending reconnect stays. */
  private clearTimers(): void {
    for (const t of this.periodic) clearInterval(t);
    this.periodic = [];
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = null;
  }

  /**
   * Is the modem still there, and still set up as it was? A modem that restarted behind our back
   * answers AT but has its SIM locked again (AT+CPIN?) or has forgotten its new-message setting
   * (AT+CNMI?): it is set up again and its storage read.
   */
  private async keepalive(): Promise<void> {
    const channel = this.channel;
    if (!channel || channel.busy || this.checkQueued) return;
    try {
      if (this.state.state !== 'ready') {
        await channel.send('AT', { timeoutMs: this.settings.commandTimeoutMs });
        return;
      }
      const changed = await this.settingsLost(channel);
      if (changed) this.queueCheck(changed, false);
    } catch (err) {
      if (err instanceof AtTimeoutError) this.lost('modem stopped answering (keepalive)');
    }
  }

  /** Null while the SIM is ready and +CNMI is as it was set; else what changed, in words. */
  private async settingsLost(channel: AtChannel): Promise<string | null> {
    let sim: string;
    try {
      sim = parseCpin((await channel.send('AT+CPIN?', { timeoutMs: this.settings.commandTimeoutMs })).lines);
    } catch (err) {
      if (err instanceof AtCommandError) sim = `error ${err.final.code ?? err.final.error}`;
      else throw err;
    }
    if (sim !== 'READY') return `the SIM says ${sim}: the modem restarted`;
    if (this.cnmiSetting === null) return null;
    try {
      const now = parseCnmi((await channel.send('AT+CNMI?', { timeoutMs: this.settings.commandTimeoutMs })).lines);
      const wanted = this.cnmiSetting.split(',').map(Number);
      if (now && wanted.some((v, i) => (now[i] ?? 0) !== v)) {
        return `the modem forgot its new-message setting (AT+CNMI? ${now.join(',')}, set ${this.cnmiSetting}): it restarted`;
      }
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
    }
    return null;
  }

  /**
   * Queues a check of the modem's settings (or, with `force`, a re-initialisation): a boot line,
   * a report that was switched off, a keepalive that saw the SIM or +CNMI change. `read`: read
   * the storage even when nothing changed (the modem printed its boot lines: what arrived while
   * it restarted was not announced).
   */
  private queueCheck(reason: string, read: boolean, force = true): void {
    if (this.checkQueued || this.stopped) return;
    this.checkQueued = true;
    const channel = this.channel;
    void this.enqueue(async () => {
      this.checkQueued = false;
      if (!channel || this.channel !== channel) return;
      const changed = force ? reason : await this.settingsLost(channel);
      if (changed) await this.recover(changed);
      else if (read) await this.readAllNow(true);
    }).catch((err: unknown) => this.readFailed(err));
  }

  /** What the periodic sweep does: health, the whole storage, multipart messages that waited too long. */
  async sweep(): Promise<void> {
    try {
      await this.enqueue(() => this.health());
      await this.readAll();
      await this.enqueue(() => this.flushIncomplete());
    } catch (err) {
      if (err instanceof AtTimeoutError) this.lost(`modem stopped answering (${err.command})`);
      else this.deps.logger.warn({ modem: this.settings.label, err: errorText(err) }, 'modem sweep failed');
    }
  }

  private cmd(command: string, timeoutMs = this.settings.commandTimeoutMs): Promise<AtResponse> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error('modem not connected'));
    return channel.send(command, { timeoutMs });
  }

  /** A command whose failure (other than a timeout) is not fatal: null when it failed. */
  private async tryCmd(command: string): Promise<AtResponse | null> {
    try {
      return await this.cmd(command);
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      return null;
    }
  }

  /** An identity query some modems do not know (or answer late): null rather than a lost connection. */
  private async askIdentity(command: string, min: number, max: number): Promise<string | null> {
    try {
      return parseIdentity((await this.cmd(command, Math.min(this.settings.commandTimeoutMs, 3_000))).lines, min, max);
    } catch {
      return null;
    }
  }

  /**
   * Sets the modem up. 'ready': read it; 'blocked': a person must act (locked SIM, refused PIN,
   * no PDU or text mode, the same modem read on another port); 'retry': the SIM was not ready in time
   * (not inserted, "not ready", busy), try again later.
   */
  private async initialise(channel: AtChannel): Promise<InitResult> {
    // Wake it: the first AT after opening is often lost to a modem that was mid-boot.
    let awake = false;
    for (let i = 0; i < 3 && !awake; i += 1) {
      try {
        await channel.send('AT', { timeoutMs: 1_500 });
        awake = true;
      } catch {
        // try again
      }
    }
    if (!awake) throw new Error('no answer to AT');
    await this.tryCmd('ATE0');
    await this.tryCmd('AT+CMEE=1');
    const maker = await this.tryCmd('AT+CGMI');
    const model = await this.tryCmd('AT+CGMM');
    this.state.manufacturer = maker?.lines[0]?.trim() ?? null;
    this.state.model = model?.lines[0]?.trim() ?? null;
    // The modem's IMEI: two configured ports of one modem must not both read and delete.
    this.identity.imei = await this.askIdentity('AT+CGSN', 14, 17);
    if (this.identity.imei !== null) {
      const holder = this.deps.claimModem?.(this, this.identity.imei) ?? null;
      if (holder !== null) {
        this.refused = true;
        this.set(
          'error',
          `the same modem (IMEI ${this.identity.imei}) is already read on ${holder}: this port is not read (configure one port per modem)`,
        );
        return 'blocked';
      }
    }
    this.refused = false;
    // The SIM's serial number, readable on most modems while the SIM is still PIN-locked: a
    // refused PIN is remembered under it, whatever port the modem shows up on.
    this.identity.iccid = await this.readIccid();
    if (this.pinRefusedBefore()) this.pinRejected = true;
    const sim = await this.unlockSim();
    if (sim !== 'ready') return sim;
    // The SIM's identity keys the waiting parts of multipart messages: asked again now that the
    // SIM is ready if it did not answer while locked, and AT+CIMI's "SIM busy" is waited out.
    if (this.identity.iccid === null) this.identity.iccid = await this.readIccid();
    this.identity.imsi = await this.askImsi();
    this.adoptPartsKey();
    this.textMode = null;
    try {
      await this.cmd('AT+CMGF=0');
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      if (!(await this.useTextMode())) return 'blocked';
    }
    await this.chooseStorage();
    const cnmi = await this.tryCmd('AT+CNMI=?');
    const setting = chooseCnmi(cnmi?.lines ?? []);
    this.cnmiSetting = null;
    if (setting) {
      if (await this.tryCmd(`AT+CNMI=${setting}`)) this.cnmiSetting = setting;
      else this.problem(`the modem refused AT+CNMI=${setting}: new messages are found by the sweep only`);
    }
    // Huawei: its periodic ^RSSI/^BOOT/^MODE reports off; they are harmless but noisy.
    this.curcOff = false;
    if (/huawei/i.test(this.state.manufacturer ?? '')) this.curcOff = (await this.tryCmd('AT^CURC=0')) !== null;
    // Quectel: unsolicited codes go to the port AT+QURCCFG names; this reader uses the AT port.
    if (/quectel/i.test(this.state.manufacturer ?? '')) await this.tryCmd('AT+QURCCFG="urcport","usbat"');
    await this.health();
    return 'ready';
  }

  /**
   * The modem refused PDU mode: text mode (AT+CMGF=1) with the character set set explicitly
   * ("UCS2" where offered: Bangla and alphanumeric senders survive it; else "GSM") and full
   * headers (AT+CSDH=1: <tooa>, <fo>, <dcs>). False (and the state says why) when it refuses that too.
   */
  private async useTextMode(): Promise<boolean> {
    try {
      await this.cmd('AT+CMGF=1');
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      this.set('error', `the modem refuses both PDU mode (AT+CMGF=0) and text mode (AT+CMGF=1: ${errorText(err)})`);
      return false;
    }
    const offered = await this.tryCmd('AT+CSCS=?');
    let charset = chooseCharset(offered?.lines ?? []);
    if (!(await this.tryCmd(`AT+CSCS="${charset}"`))) {
      const fallback = charset === 'UCS2' && (await this.tryCmd('AT+CSCS="GSM"')) !== null;
      if (!fallback) this.problem(`the modem refused AT+CSCS="${charset}"; its text is read as it comes`);
      charset = 'GSM';
    }
    if (!(await this.tryCmd('AT+CSDH=1')))
      this.problem('the modem refused AT+CSDH=1: text-mode headers lack the coding and multipart flags');
    this.textMode = { charset };
    this.deps.logger.warn({ modem: this.settings.label, charset }, 'the modem refuses PDU mode; reading it in text mode');
    return true;
  }

  /** What the status says while ready: null in PDU mode, the text mode and its character set otherwise. */
  private readyDetail(): string | null {
    return this.textMode ? `text mode (AT+CMGF=1, character set ${this.textMode.charset}): the modem refuses PDU mode` : null;
  }

  private async readIccid(): Promise<string | null> {
    const commands = ['AT+CCID', 'AT+ICCID'];
    if (/quectel/i.test(this.state.manufacturer ?? '')) commands.unshift('AT+QCCID');
    if (/huawei/i.test(this.state.manufacturer ?? '')) commands.unshift('AT^ICCID?');
    for (const command of commands) {
      const iccid = await this.askIdentity(command, 18, 22);
      if (iccid !== null) return iccid;
    }
    return null;
  }

  /** AT+CIMI, with "SIM busy" (common just after the unlock) waited out for a while: null if it never answers. */
  private async askImsi(): Promise<string | null> {
    const deadline = this.deps.clock() + CIMI_WAIT_MS;
    const channel = this.channel;
    for (let wait = 500; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        return parseIdentity((await this.cmd('AT+CIMI', Math.min(this.settings.commandTimeoutMs, 3_000))).lines, 6, 15);
      } catch (err) {
        if (!(err instanceof AtCommandError) || !SIM_WAIT.test(err.final.code ?? '')) return null;
      }
      if (this.deps.clock() + wait > deadline) return null;
      await sleep(wait);
      if (this.channel !== channel) return null;
    }
  }

  /**
   * Waiting parts belong to the SIM: its ICCID (read even while the SIM is locked), else its IMSI,
   * else the modem's IMEI, else the label. Parts kept under any other name this SIM answered to
   * this run (an AT+CIMI that answered before, or once "SIM busy"), under the modem's IMEI or under
   * the label (before the identity could be read) move to that key. Parts of another SIM (one
   * swapped out) stay where they are: flushIncomplete stores them, flagged incomplete, after the wait.
   */
  private adoptPartsKey(): void {
    const { imsi, iccid, imei } = this.identity;
    const simKeys = [iccid ? `iccid:${iccid}` : null, imsi ? `imsi:${imsi}` : null].filter((k): k is string => k !== null);
    const sameSim = new Set(simKeys);
    if (simKeys.length > 0) {
      let others = this.simsSeen;
      for (let grew = true; grew;) {
        grew = false;
        const rest: Set<string>[] = [];
        for (const seen of others) {
          if ([...seen].some((k) => sameSim.has(k))) {
            for (const k of seen) sameSim.add(k);
            grew = true;
          } else rest.push(seen);
        }
        others = rest;
      }
      this.simsSeen = [...others, new Set(sameSim)];
    }
    const key = simKeys[0] ?? (imei ? `imei:${imei}` : this.settings.label);
    const from = new Set([...sameSim, ...(imei ? [`imei:${imei}`] : []), this.settings.label]);
    from.delete(key);
    if (from.size > 0) {
      writeTransaction(this.deps.db, () => {
        for (const name of from) this.parts.adopt(this.deps.merchantId, name, key);
      });
    }
    this.partsKey = key;
  }

  /**
   * The memory to read: the SIM where every role offers it (AT+CPMS=?). A modem that refuses the
   * setting is said so, and the memory it does use (AT+CPMS?) is read. The other memories it may
   * store a message in (a +CMTI can name "ME") are listed on every sweep.
   */
  private async chooseStorage(): Promise<void> {
    const offered = await this.tryCmd('AT+CPMS=?');
    const wanted = chooseStorage(offered?.lines ?? []);
    let used: AtResponse | null = null;
    try {
      used = await this.cmd(`AT+CPMS="${wanted}","${wanted}","${wanted}"`);
      this.storage = wanted;
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      const current = await this.tryCmd('AT+CPMS?');
      this.storage = parseCpmsMem1(current?.lines ?? []) ?? 'SM';
      used = current;
      this.problem(`the modem refused its storage setting (AT+CPMS="${wanted}": ${errorText(err)}); reading ${this.storage}`);
    }
    this.state.storage = parseCpmsUse(used?.lines ?? []) ?? this.state.storage;
    this.memoryInUse = this.storage;
    this.otherStorages = otherMemories(offered?.lines ?? [], this.storage);
  }

  /** A trouble worth showing (and logging) that does not stop the reading. */
  private problem(text: string): void {
    this.state.last_error = text;
    this.deps.logger.warn({ modem: this.settings.label }, text);
    this.changed();
  }

  private async unlockSim(): Promise<InitResult> {
    const deadline = this.deps.clock() + SIM_WAIT_MS;
    const channel = this.channel;
    let wait = 500;
    const waitOut = async (why: string): Promise<boolean> => {
      if (this.deps.clock() >= deadline) return false;
      this.state.detail = why;
      this.changed();
      await sleep(wait);
      wait = Math.min(wait * 2, 5_000);
      // The port went (and may be back) while we waited: that connection's own set-up takes over.
      if (this.channel !== channel) throw new Error('the port closed while the SIM was awaited');
      return true;
    };
    for (;;) {
      let state: string;
      try {
        state = parseCpin((await this.cmd('AT+CPIN?')).lines);
      } catch (err) {
        if (!(err instanceof AtCommandError)) throw err;
        const code = err.final.code ?? '';
        if (SIM_WAIT.test(code)) {
          if (await waitOut('waiting for the SIM (busy)')) continue;
          this.set('error', `the SIM stays busy (${err.message}); trying again`);
          return 'retry';
        }
        if (SIM_ABSENT.test(code)) {
          // Often only "not seen yet" just after power-on: waited out, then tried again later.
          if (await waitOut('waiting for the SIM (not seen yet)')) continue;
          this.set('no_sim', 'no SIM card in the modem (or it is not seated); trying again');
          return 'retry';
        }
        throw err;
      }
      if (state === 'READY') {
        this.pinUnconfirmed = false;
        return 'ready';
      }
      if (state === 'SIM PUK') {
        this.set('sim_puk', 'the SIM is locked with its PUK (too many wrong PINs): unlock it in a phone');
        return 'blocked';
      }
      if (state === 'NOT READY' || state === 'UNKNOWN' || state === 'SIM BUSY' || state === 'NOT INSERTED') {
        if (await waitOut(`waiting for the SIM (${state.toLowerCase()})`)) continue;
        this.set(state === 'NOT INSERTED' ? 'no_sim' : 'error', `the SIM is not ready (+CPIN: ${state}); trying again`);
        return 'retry';
      }
      if (state !== 'SIM PIN') {
        this.set('sim_locked', `the SIM asks for ${state}`);
        return 'blocked';
      }
      if (this.settings.pin === null) {
        this.set('sim_locked', 'the SIM is PIN-locked: give its PIN in config.json (modems[].pin)');
        return 'blocked';
      }
      // Sent once: if the SIM still asks for its PIN afterwards (an OK that unlocked nothing, or
      // an answer that never came), the PIN counts as refused.
      if (this.pinRejected || this.pinUnconfirmed) {
        this.refusePin();
        return 'blocked';
      }
      this.pinUnconfirmed = true;
      try {
        await this.cmd(`AT+CPIN="${this.settings.pin}"`, 10_000);
      } catch (err) {
        if (err instanceof AtTimeoutError) throw err;
        this.refusePin();
        return 'blocked';
      }
      // After an unlock the SIM is "busy" for a while: the loop above waits it out.
    }
  }

  /** Names a refused PIN is remembered under: the SIM's ICCID, the modem's IMEI, the label. */
  private pinKeys(): string[] {
    const keys = [this.settings.label];
    if (this.identity.iccid) keys.push(`iccid:${this.identity.iccid}`);
    if (this.identity.imei) keys.push(`imei:${this.identity.imei}`);
    return keys;
  }

  private pinRefusedBefore(): boolean {
    const pin = this.settings.pin;
    if (pin === null) return false;
    const memory = readPinMemory(this.settings.pinMemoryFile);
    return this.pinKeys().some((k) => memory[k] === pinDigest(pin));
  }

  private refusePin(): void {
    this.pinRejected = true;
    if (this.settings.pin !== null) rememberRefusedPin(this.settings.pinMemoryFile, this.pinKeys(), pinDigest(this.settings.pin));
    this.set('pin_rejected', 'the SIM refused the configured PIN; it is not tried again (a third wrong PIN locks the SIM)');
  }

  private async health(): Promise<void> {
    const csq = await this.tryCmd('AT+CSQ');
    this.state.signal = parseCsq(csq?.lines ?? []);
    const creg = await this.tryCmd('AT+CREG?');
    this.state.registration = parseCreg(creg?.lines ?? []);
    const cops = await this.tryCmd('AT+COPS?');
    this.state.operator = parseCops(cops?.lines ?? []);
    this.changed();
  }

  /**
   * The modem restarted (or looks like it): set it up again — the SIM unlocked with a PIN it
   * accepted before, +CNMI set again — and read its storage. Runs inside a queued job. The state
   * says what happens meanwhile, and last_error why.
   */
  private async recover(reason: string): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    this.deps.logger.warn({ modem: this.settings.label, reason }, 'modem set up again');
    this.state.last_error = reason;
    this.set('initialising', `${reason}; setting it up again`);
    const result = await this.initialise(channel);
    if (this.channel !== channel) return;
    if (result === 'retry') {
      this.lost(this.state.detail ?? reason, this.state.state);
      return;
    }
    if (result === 'blocked') {
      if (this.refused) this.lost(this.state.detail ?? reason, 'error');
      return;
    }
    this.set('ready', this.readyDetail());
    await this.readAllNow(false);
  }

  // ---- reading

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.work.then(job, job);
    this.work = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private onUrc(urc: Urc): void {
    if (urc.code === '+CMTI') {
      const at = parseCmti(urc.line);
      if (at !== null) void this.enqueue(() => this.readIndex(at.memory, at.index)).catch((err: unknown) => this.readFailed(err));
      return;
    }
    if (urc.code === '+CMT' && urc.pdu) {
      // Delivered straight to us, not stored: acknowledged once its row is committed.
      const pdu = urc.pdu;
      const text = this.textMode ? decodeTextSms(parseTextCmt(urc.line), pdu, this.textMode.charset, true) : null;
      void this.enqueue(async () => {
        // A port refused as a second port of one modem never stores or acknowledges.
        if (this.refused) return;
        // Acknowledged only once stored: unacknowledged, the network delivers it again.
        const stored = await (text ? this.storeText(text) : this.store(pdu));
        if (stored && (await this.tryCmd('AT+CNMA')) && stored.part) this.simDeleted(stored.part);
      }).catch((err: unknown) => this.readFailed(err));
      return;
    }
    if (urc.code === '^SMMEMFULL') {
      // The storage is full (Huawei says so instead of +CMTI): drain it now, new messages wait in the network.
      void this.readAll().catch((err: unknown) => this.readFailed(err));
      return;
    }
    if (this.state.state !== 'ready') return;
    if (BOOT_LINE.test(urc.line)) {
      this.hint(`the modem restarted (it printed "${urc.line}")`, true);
      return;
    }
    if (this.curcOff && /^\^(?:RSSI|BOOT|MODE)$/.test(urc.code)) {
      // Switched off at initialisation: back on means the modem restarted and forgot it.
      this.hint(`the modem restarted (its ${urc.code} reports are back)`, false);
    }
  }

  /** A sign of a restart: lines come in bursts ("RDY" … "SMS Ready"), so it is acted on once they settle. */
  private hint(reason: string, read: boolean): void {
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(() => {
      this.hintTimer = null;
      this.queueCheck(reason, read, false);
    }, BOOT_SETTLE_MS);
  }

  private readFailed(err: unknown): void {
    if (err instanceof AtTimeoutError) this.lost(`modem stopped answering (${err.command})`);
    else this.deps.logger.warn({ modem: this.settings.label, err: errorText(err) }, 'modem read failed; the next sweep reads again');
  }

  /**
   * Lists the memory in use and the other memories the modem stores in, and handles every
   * message. A listing the modem refuses (a SIM locked again by a restart, a memory it forgot)
   * sets the modem up again once (`recoverOnError`), then says so in the state.
   */
  private async readAllNow(recoverOnError: boolean): Promise<number> {
    if (!this.channel || this.refused) return 0;
    let listing: AtResponse;
    try {
      listing = await this.list();
    } catch (err) {
      if (!(err instanceof AtCommandError)) {
        this.readFailed(err);
        return 0;
      }
      if (recoverOnError) {
        await this.recover(`the modem refused to list its storage (${err.message}): it may have restarted`);
      } else {
        this.set('error', `the modem refuses to list its storage (${err.message}); trying again at the next sweep`);
      }
      return 0;
    }
    if (this.state.state === 'error' && /list its storage/.test(this.state.detail ?? '')) this.set('ready', this.readyDetail());
    let handled = await this.handleListing(listing);
    const storage = await this.tryCmd('AT+CPMS?');
    if (storage) this.state.storage = parseCpmsUse(storage.lines) ?? this.state.storage;
    this.changed();
    for (const memory of this.otherStorages) {
      handled += await this.inMemory(memory, async () => {
        const other = await this.list();
        return this.handleListing(other);
      }).catch((err: unknown) => {
        if (err instanceof AtTimeoutError) throw err;
        this.problem(`could not read the ${memory} memory: ${errorText(err)}`);
        return 0;
      });
    }
    this.changed();
    return handled;
  }

  /** Lists every message of the memory in use: AT+CMGL=4 in PDU mode, AT+CMGL="ALL" in text mode. */
  private async list(): Promise<AtResponse> {
    if (!this.textMode) return this.cmd('AT+CMGL=4', 30_000);
    if (this.textMode.charset !== 'UCS2') return this.cmd('AT+CMGL="ALL"', 30_000);
    // Under "UCS2" a string argument is UCS2 hex (TS 27.005); some firmware wants it plain.
    try {
      return await this.cmd(`AT+CMGL="${toUcs2Hex('ALL')}"`, 30_000);
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      return this.cmd('AT+CMGL="ALL"', 30_000);
    }
  }

  /** Stores, then deletes, every message of a listing; how many were handled. */
  private async handleListing(listing: AtResponse): Promise<number> {
    let n = 0;
    if (!this.textMode) {
      for (const { index, pdu } of parseCmgl(listing.lines)) {
        if (await this.handle(index, pdu)) n += 1;
      }
      return n;
    }
    const charset = this.textMode.charset;
    for (const row of parseTextCmgl(listing.lines)) {
      // The listing's header has no <fo> or <dcs>: AT+CMGR gives them (AT+CSDH=1); its row is the fallback.
      let sms: TextSms = decodeTextSms(row.fields, row.data, charset, false);
      try {
        const read = parseTextCmgr((await this.cmd(`AT+CMGR=${row.index}`)).lines);
        if (read) sms = decodeTextSms(read.fields, read.data, charset, true);
      } catch (err) {
        if (err instanceof AtTimeoutError) throw err;
      }
      if (await this.handle(row.index, sms)) n += 1;
    }
    return n;
  }

  /**
   * Runs `job` with `memory` as the memory read and deleted from (<mem1>), then switches back.
   * If the modem refuses the switch nothing is read (a delete by index would hit the other
   * memory); if it refuses to switch back, the modem is set up again.
   */
  private async inMemory<T>(memory: string, job: () => Promise<T>): Promise<T> {
    if (memory === this.storage) return job();
    await this.cmd(`AT+CPMS="${memory}"`);
    this.memoryInUse = memory;
    let result: T;
    try {
      result = await job();
    } catch (err) {
      await this.switchBack();
      throw err;
    }
    await this.switchBack();
    return result;
  }

  private async switchBack(): Promise<void> {
    try {
      await this.cmd(`AT+CPMS="${this.storage}"`);
      this.memoryInUse = this.storage;
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      this.queueCheck(`the modem refused to switch back to the ${this.storage} memory (${errorText(err)}): it may have restarted`, true);
    }
  }

  private async readIndex(memory: string | null, index: number): Promise<void> {
    if (memory !== null && memory !== this.storage && !/^(?:SM|ME|MT)$/.test(memory)) {
      // A status report ("SR") or a broadcast ("BM"): not an SMS-DELIVER to store.
      this.deps.logger.info({ modem: this.settings.label, memory, index }, 'ignored a +CMTI for another kind of memory');
      return;
    }
    if (this.refused) return;
    const read = async (): Promise<void> => {
      let answer: AtResponse;
      try {
        answer = await this.cmd(`AT+CMGR=${index}`);
      } catch (err) {
        // Already read and deleted by a sweep, or an empty index: nothing to do. A SIM that is
        // locked again (the modem restarted) is seen by the next listing.
        if (err instanceof AtCommandError) return;
        throw err;
      }
      if (this.textMode) {
        const read = parseTextCmgr(answer.lines);
        if (read) await this.handle(index, decodeTextSms(read.fields, read.data, this.textMode.charset, true));
        return;
      }
      const pdu = parseCmgr(answer.lines);
      if (pdu !== null) await this.handle(index, pdu);
    };
    if (memory === null || memory === this.storage) {
      await read();
      return;
    }
    try {
      await this.inMemory(memory, read);
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      this.problem(`could not read message ${index} of the ${memory} memory a +CMTI named: ${errorText(err)}`);
    }
  }

  /** Stores one PDU (or text-mode message), then deletes it from the SIM by its own index. False: kept on the SIM. */
  private async handle(index: number, pdu: string | TextSms): Promise<boolean> {
    const stored = await (typeof pdu === 'string' ? this.store(pdu) : this.storeText(pdu));
    if (!stored) return false;
    try {
      await this.cmd(`AT+CMGD=${index}`);
      if (stored.part) this.simDeleted(stored.part);
      // The status shows the room freed at once; the AT+CPMS? after the listing confirms it.
      if (this.storage === this.memoryInUse && this.state.storage) {
        this.state.storage = { ...this.state.storage, used: Math.max(0, this.state.storage.used - 1) };
      }
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      // Stored already; the next sweep reads it again and the dedupe makes that harmless.
      this.deps.logger.warn({ modem: this.settings.label, index, err: errorText(err) }, 'could not delete a stored SMS from the SIM');
    }
    return true;
  }

  /**
   * Commits the message (or its part). True when its text is committed somewhere and the SIM copy
   * may go; false only when the database itself failed (the message then stays on the SIM).
   * Nothing a sender controls can keep a message on the SIM: an SMS the ingestion would refuse
   * (blank, too long) is stored with a placeholder, an unreadable PDU as its hex.
   */
  private store(pdu: string): Promise<Stored> {
    try {
      return Promise.resolve(this.storeDecoded(pdu));
    } catch (err) {
      this.deps.logger.error({ modem: this.settings.label, err: errorText(err) }, 'could not store an SMS; it stays on the SIM');
      return Promise.resolve(false);
    }
  }

  /**
   * Commits a text-mode message, as store() does a PDU. Text mode shows no concatenation header:
   * a part of a multipart SMS (<fo> has UDHI) or data that did not decode is stored as it is,
   * flagged incomplete (never a payment), never dropped.
   */
  private storeText(sms: TextSms): Promise<Stored> {
    try {
      this.state.messages_read += 1;
      this.state.last_message_at = new Date(this.deps.clock()).toISOString();
      if (sms.incomplete) this.state.last_error = `a text-mode SMS was stored flagged incomplete: ${sms.incomplete}`;
      const ok = this.ingest(
        {
          sender: sms.sender,
          body: sms.incomplete ? `[${sms.incomplete}] ${sms.text}` : sms.text,
          received_at: sms.timestamp,
          smsc: sms.smsc,
          sender_toa: sms.senderToa,
        },
        sms.incomplete !== null,
      );
      return Promise.resolve(ok ? { part: null } : false);
    } catch (err) {
      this.deps.logger.error({ modem: this.settings.label, err: errorText(err) }, 'could not store an SMS; it stays on the SIM');
      return Promise.resolve(false);
    }
  }

  /** The part's SIM copy is gone: a part just like it read later is a new message's part, not this one again. */
  private simDeleted(part: PartRef): void {
    try {
      writeTransaction(this.deps.db, () => this.parts.markSimDeleted(part, this.deps.clock()));
    } catch (err) {
      this.deps.logger.warn({ modem: this.settings.label, err: errorText(err) }, 'could not note a deleted part');
    }
  }

  private storeDecoded(pdu: string): Stored {
    const whole = (ok: boolean): Stored => (ok ? { part: null } : false);
    let decoded: DecodedDeliver;
    try {
      decoded = decodeDeliverPdu(pdu);
    } catch (err) {
      // Not an SMS-DELIVER the decoder reads: kept for staff as it is, never lost.
      return whole(
        this.ingest(
          { sender: 'modem', body: `Unreadable SMS PDU from ${this.settings.label}: ${pdu.slice(0, 4_000)}`, received_at: null },
          false,
          errorText(err),
        ),
      );
    }
    this.state.messages_read += 1;
    this.state.last_message_at = new Date(this.deps.clock()).toISOString();
    // A concatenation header that says "1 of 1" (or less) is a single message.
    if (!decoded.concat || decoded.concat.total < 2) {
      return whole(
        this.ingest(
          { sender: decoded.sender, body: decoded.text, received_at: decoded.timestamp, smsc: decoded.smsc, sender_toa: decoded.senderToa },
          false,
        ),
      );
    }
    const concat = decoded.concat;
    const group: PartGroup = {
      merchant_id: this.deps.merchantId,
      modem: this.partsKey,
      sender: decoded.sender,
      sender_toa: decoded.senderToa,
      smsc: decoded.smsc ?? '',
      ref_bits: concat.refBits,
      concat_ref: concat.ref,
      total: concat.total,
    };
    const part: PartRef = { ...group, seq: concat.seq, text: decoded.text, sent_at: decoded.timestampMs };
    // One row per group and part number: a done part of this number, if any.
    const twin = this.parts.doneParts(group).find((p) => p.seq === concat.seq);
    if (twin) {
      if (twin.text === decoded.text && twin.sent_at === decoded.timestampMs && twin.sim_deleted_at === null) {
        // This very part (same text, same service-centre time, its SIM copy not known deleted) was
        // stored with its whole message already: read again because the core stopped (or a delete
        // failed) before the modem deleted it.
        return { part };
      }
      // A new message reuses the reference (or looks just like a part whose SIM copy is gone):
      // only that done part makes way; the older message's other done parts stay, so its parts
      // still on the SIM are recognised and never complete the new message.
      writeTransaction(this.deps.db, () => this.parts.forgetDonePart(twin.id));
    }
    const waiting = this.parts.parts(group);
    // Parts of one message are sent within moments; a waiting part far older or newer is another
    // message that reused the reference: it is stored as it is (incomplete) and this one starts afresh.
    if (waiting.some((p) => Math.abs(p.sent_at - decoded.timestampMs) > SAME_MESSAGE_MS)) this.ingestParts(waiting, true);
    const same = this.parts.parts(group).find((p) => p.seq === concat.seq);
    if (same && same.text !== decoded.text) {
      // Two texts for one part: one of them is not the wallet's. Neither may complete a message
      // that can pay: this text is stored now (flagged incomplete) and the group is contested.
      writeTransaction(this.deps.db, () => this.parts.contest(group));
      const ok = this.ingest(
        {
          sender: decoded.sender,
          body: `[part ${concat.seq} of ${concat.total}, a second text for it] ${decoded.text}`,
          received_at: decoded.timestamp,
          smsc: decoded.smsc,
          sender_toa: decoded.senderToa,
        },
        true,
      );
      return whole(ok);
    }
    writeTransaction(this.deps.db, () => this.parts.save({ ...part, stored_at: this.deps.clock() }));
    const parts = this.parts.parts(group);
    if (new Set(parts.map((p) => p.seq)).size >= group.total)
      this.ingestParts(
        parts,
        parts.some((p) => p.contested === 1),
      );
    this.changed();
    return { part };
  }

  /** Ingests one message; a message the ingestion refuses is stored with a placeholder instead. */
  private ingest(
    message: { sender: string; body: string; received_at: string | null; smsc?: string | null; sender_toa?: number },
    incomplete: boolean,
    problem?: string,
  ): boolean {
    const context: DeliveryContext = { source: 'modem', origin: this.settings.label, isTest: false, incomplete };
    let [outcome] = this.deps.ingest([message], context);
    if (outcome && !outcome.ok && outcome.error.code === 'validation_failed') {
      // Blank, too long, a sender the schema refuses: kept for staff, never left to fill the SIM.
      const body = message.body.trim() === '' ? '(empty SMS)' : `${message.body.slice(0, MAX_STORED_BODY)} [cut: the SMS was longer]`;
      const sender = message.sender.trim() === '' ? '(no sender)' : message.sender.slice(0, 64);
      [outcome] = this.deps.ingest([{ ...message, sender, body }], { ...context, incomplete: true });
    }
    if (!outcome || !outcome.ok) {
      this.state.last_error = `an SMS could not be stored: ${outcome && !outcome.ok ? outcome.error.message : 'no outcome'}`;
      this.changed();
      return false;
    }
    if (problem) this.state.last_error = `stored an unreadable PDU as text: ${problem}`;
    this.changed();
    return true;
  }

  /** A whole message from its parts (or what there is of it, flagged incomplete), then the parts are marked done. */
  private ingestParts(parts: ModemPartRow[], incomplete: boolean): void {
    const first = parts[0];
    if (!first) return;
    const bySeq = new Map(parts.map((p) => [p.seq, p.text]));
    const pieces: string[] = [];
    for (let seq = 1; seq <= first.total; seq += 1) {
      const text = bySeq.get(seq);
      pieces.push(text ?? `[part ${seq} of ${first.total} missing]`);
    }
    const ok = this.ingest(
      {
        sender: first.sender,
        body: pieces.join(incomplete ? ' ' : ''),
        received_at: new Date(Math.min(...parts.map((p) => p.sent_at))).toISOString(),
        smsc: first.smsc || null,
        sender_toa: first.sender_toa,
      },
      incomplete,
    );
    if (ok)
      writeTransaction(this.deps.db, () =>
        this.parts.markDone(
          parts.map((p) => p.id),
          this.deps.clock(),
        ),
      );
  }

  /** Multipart messages whose missing parts never came: ingested as they are, flagged incomplete. */
  private async flushIncomplete(): Promise<void> {
    const before = this.deps.clock() - this.settings.incompleteWaitMs;
    // Every key of the merchant: a part of a SIM swapped out since is stored too (flagged incomplete).
    for (const group of this.parts.waitingSince(this.deps.merchantId, before)) {
      this.ingestParts(this.parts.parts(group), true);
    }
    writeTransaction(this.deps.db, () => this.parts.pruneDone(this.deps.merchantId, this.deps.clock() - DONE_KEEP_MS));
    return Promise.resolve();
  }

  // ---- status

  private set(state: ModemState, detail: string | null): void {
    this.state.state = state;
    this.state.detail = detail;
    if (detail && state !== 'ready' && state !== 'connecting' && state !== 'initialising') this.state.last_error = detail;
    this.changed();
  }

  private changed(): void {
    try {
      this.deps.onChange?.(this.status());
    } catch {
      // A listener's bug must not stop the reader.
    }
  }
}

/**
 * A refused PIN is remembered by its digest under every name the modem goes by (its label, the
 * SIM's ICCID, the modem's IMEI), in a file that survives a restart: three restarts (or a port
 * renumbered from ttyUSB0 to ttyUSB1) must not be three wrong PINs. Changing the PIN in
 * config.json tries again.
 */
function pinDigest(pin: string): string {
  return crypto.createHash('sha256').update(`counterpay-sim-pin:${pin}`).digest('hex');
}

function readPinMemory(file: string | null): Record<string, string> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function rememberRefusedPin(file: string | null, keys: readonly string[], digest: string): void {
  if (!file) return;
  const memory = readPinMemory(file);
  for (const key of keys) memory[key] = digest;
  fs.writeFileSync(file, `${JSON.stringify(memory, null, 1)}\n`, { mode: 0o600 });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
