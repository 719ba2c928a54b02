import crypto from 'node:crypto';
import fs from 'node:fs';
import { writeTransaction, type Db } from '../db';
import { prepareModemPartsRepo, type ModemPartRow, type ModemPartsRepo, type PartGroup } from '../db/repos/modem-parts-repo';
import type { Logger } from '../logging';
import type { DeliveryContext, IngestOutcome } from '../sms';
import { AtChannel, AtCommandError, AtTimeoutError, type AtResponse, type Urc } from './at-channel';
import {
  chooseCnmi,
  chooseStorage,
  parseCmgl,
  parseCmgr,
  parseCmti,
  parseCops,
  parseCpin,
  parseCpmsUse,
  parseCreg,
  parseCsq,
} from './at-replies';
import { decodeDeliverPdu, encodeSubmitPdu, type DecodedDeliver } from './pdu';
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
}

const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** Parts of one multipart SMS carry service-centre times this close together. */
const SAME_MESSAGE_MS = 10 * 60_000;
/** What is kept of an SMS too long for the ingestion (MAX_SMS_BODY is 5,000). */
const MAX_STORED_BODY = 4_900;
/** +CME ERROR codes that mean "the SIM is not ready yet": 14 SIM busy, 515 please wait, and the words some firmware prints. */
const SIM_WAIT = /^(?:14|515|SIM busy|SIM not ready|not ready|please wait)$/i;

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
  /** The configured PIN was sent once in this process (whatever the answer): never again. */
  private pinSent = false;
  /** Reads run one after another: a +CMTI during a sweep waits its turn. */
  private work: Promise<void> = Promise.resolve();
  /** A configured PIN the SIM refused: never sent again (a third wrong try locks the SIM with its PUK). */
  private pinRejected: boolean;
  private readonly state: ModemStatusView;

  constructor(
    private readonly settings: ModemSettings,
    private readonly deps: ModemReaderDeps,
  ) {
    this.parts = prepareModemPartsRepo(deps.db);
    this.pinRejected = settings.pin !== null && refusedPin(settings.pinMemoryFile, settings.label) === pinDigest(settings.pin);
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
    return { ...this.state, parts_waiting: this.parts.count(this.deps.merchantId, this.settings.label) };
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
    return this.enqueue(() => this.readAllNow());
  }

  // ---- connection

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.set('connecting', null);
    try {
      const link = await this.deps.open(this.settings.path, this.settings.baudRate);
      if (this.stopped) {
        await link.close();
        return;
      }
      this.link = link;
      const channel = new AtChannel(link.transport);
      this.channel = channel;
      channel.onUrc((urc) => this.onUrc(urc));
      link.onClose((reason) => this.lost(reason));
      this.set('initialising', null);
      const ready = await this.initialise(channel);
      if (!ready) return;
      this.attempt = 0;
      this.state.connected_since = new Date(this.deps.clock()).toISOString();
      this.set('ready', null);
      await this.readAll();
      // The port may have gone while the backlog was read: its reconnect is already scheduled.
      if (this.stopped || this.channel !== channel) return;
      this.schedule();
    } catch (err) {
      this.lost(errorText(err));
    }
  }

  /** The port closed, errored or went silent: drop it and try again with backoff. */
  private lost(reason: string): void {
    if (this.stopped || this.reconnectTimer) return;
    this.clearTimers();
    this.channel?.close(reason);
    this.channel = null;
    const link = this.link;
    this.link = null;
    void link?.close();
    this.state.last_error = reason;
    this.state.connected_since = null;
    this.set('disconnected', reason);
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
  }

  private async keepalive(): Promise<void> {
    const channel = this.channel;
    if (!channel || channel.busy) return;
    try {
      await channel.send('AT', { timeoutMs: this.settings.commandTimeoutMs });
    } catch (err) {
      if (err instanceof AtTimeoutError) this.lost('modem stopped answering (keepalive)');
    }
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

  // ---- initialisation

  private cmd(command: string, timeoutMs = this.settings.commandTimeoutMs): Promise<AtResponse> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error('modem not connected'));
    return channel.send(command, { timeoutMs });
  }

  private async tryCmd(command: string): Promise<AtResponse | null> {
    try {
      return await this.cmd(command);
    } catch (err) {
      if (err instanceof AtTimeoutError) throw err;
      return null;
    }
  }

  /** Returns false when the modem cannot be used until a person acts (locked SIM, no SIM, no PDU mode). */
  private async initialise(channel: AtChannel): Promise<boolean> {
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
    if (!(await this.unlockSim())) return false;
    try {
      await this.cmd('AT+CMGF=0');
    } catch {
      this.set('error', 'the modem refuses PDU mode (AT+CMGF=0); text mode is not read by this version');
      return false;
    }
    const storages = await this.tryCmd('AT+CPMS=?');
    const storage = chooseStorage(storages?.lines ?? []);
    const used = await this.tryCmd(`AT+CPMS="${storage}","${storage}","${storage}"`);
    this.state.storage = parseCpmsUse(used?.lines ?? []);
    const cnmi = await this.tryCmd('AT+CNMI=?');
    const setting = chooseCnmi(cnmi?.lines ?? []);
    if (setting) await this.tryCmd(`AT+CNMI=${setting}`);
    // Huawei: its periodic ^RSSI/^BOOT/^MODE reports off; they are harmless but noisy.
    if (/huawei/i.test(this.state.manufacturer ?? '')) await this.tryCmd('AT^CURC=0');
    // Quectel: unsolicited codes go to the port AT+QURCCFG names; this reader uses the AT port.
    if (/quectel/i.test(this.state.manufacturer ?? '')) await this.tryCmd('AT+QURCCFG="urcport","usbat"');
    await this.health();
    return true;
  }

  private async unlockSim(): Promise<boolean> {
    const deadline = this.deps.clock() + 30_000;
    for (;;) {
      let state: string;
      try {
        state = parseCpin((await this.cmd('AT+CPIN?')).lines);
      } catch (err) {
        if (err instanceof AtCommandError && SIM_WAIT.test(err.final.code ?? '') && this.deps.clock() < deadline) {
          await sleep(1_000);
          continue;
        }
        if (err instanceof AtCommandError && /^(?:10|SIM not inserted)$/i.test(err.final.code ?? '')) {
          this.set('no_sim', 'no SIM card in the modem');
          return false;
        }
        throw err;
      }
      if (state === 'READY') return true;
      if (state === 'SIM PUK') {
        this.set('sim_puk', 'the SIM is locked with its PUK (too many wrong PINs): unlock it in a phone');
        return false;
      }
      if (state !== 'SIM PIN') {
        this.set('sim_locked', `the SIM asks for ${state}`);
        return false;
      }
      if (this.settings.pin === null) {
        this.set('sim_locked', 'the SIM is PIN-locked: give its PIN in config.json (modems[].pin)');
        return false;
      }
      // Sent once: if the SIM still asks for its PIN afterwards (an OK that unlocked nothing, or
      // an answer that never came), the PIN counts as refused.
      if (this.pinRejected || this.pinSent) {
        this.refusePin();
        return false;
      }
      this.pinSent = true;
      try {
        await this.cmd(`AT+CPIN="${this.settings.pin}"`, 10_000);
      } catch (err) {
        this.refusePin();
        if (err instanceof AtTimeoutError) throw err;
        return false;
      }
      // After an unlock the SIM is "busy" for a while: the loop above waits it out.
    }
  }

  private refusePin(): void {
    this.pinRejected = true;
    if (this.settings.pin !== null) rememberRefusedPin(this.settings.pinMemoryFile, this.settings.label, pinDigest(this.settings.pin));
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
      const index = parseCmti(urc.line);
      if (index !== null) void this.enqueue(() => this.readIndex(index)).catch((err: unknown) => this.readFailed(err));
      return;
    }
    if (urc.code === '+CMT' && urc.pdu) {
      // Delivered straight to us, not stored: acknowledged once its row is committed.
      const pdu = urc.pdu;
      void this.enqueue(async () => {
        // Acknowledged only once stored: unacknowledged, the network delivers it again.
        if (await this.store(pdu)) await this.tryCmd('AT+CNMA');
      }).catch((err: unknown) => this.readFailed(err));
    }
  }

  private readFailed(err: unknown): void {
    if (err instanceof AtTimeoutError) this.lost(`modem stopped answering (${err.command})`);
    else this.deps.logger.warn({ modem: this.settings.label, err: errorText(err) }, 'modem read failed; the next sweep reads again');
  }

  private async readAllNow(): Promise<number> {
    if (!this.channel) return 0;
    let listing: AtResponse;
    try {
      listing = await this.cmd('AT+CMGL=4', 30_000);
    } catch (err) {
      this.readFailed(err);
      return 0;
    }
    let handled = 0;
    for (const { index, pdu } of parseCmgl(listing.lines)) {
      if (await this.handle(index, pdu)) handled += 1;
    }
    const storage = await this.tryCmd('AT+CPMS?');
    if (storage) this.state.storage = parseCpmsUse(storage.lines) ?? this.state.storage;
    this.changed();
    return handled;
  }

  private async readIndex(index: number): Promise<void> {
    let read: AtResponse;
    try {
      read = await this.cmd(`AT+CMGR=${index}`);
    } catch (err) {
      // Already read and deleted by a sweep, or an empty index: nothing to do.
      if (err instanceof AtCommandError) return;
      throw err;
    }
    const pdu = parseCmgr(read.lines);
    if (pdu !== null) await this.handle(index, pdu);
  }

  /** Stores one PDU, then deletes it from the SIM by its own index. False: kept on the SIM. */
  private async handle(index: number, pdu: string): Promise<boolean> {
    const stored = await this.store(pdu);
    if (!stored) return false;
    try {
      await this.cmd(`AT+CMGD=${index}`);
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
  private store(pdu: string): Promise<boolean> {
    try {
      return Promise.resolve(this.storeDecoded(pdu));
    } catch (err) {
      this.deps.logger.error({ modem: this.settings.label, err: errorText(err) }, 'could not store an SMS; it stays on the SIM');
      return Promise.resolve(false);
    }
  }

  private storeDecoded(pdu: string): boolean {
    let decoded: DecodedDeliver;
    try {
      decoded = decodeDeliverPdu(pdu);
    } catch (err) {
      // Not an SMS-DELIVER the decoder reads: kept for staff as it is, never lost.
      return this.ingest(
        { sender: 'modem', body: `Unreadable SMS PDU from ${this.settings.label}: ${pdu.slice(0, 4_000)}`, received_at: null },
        false,
        errorText(err),
      );
    }
    this.state.messages_read += 1;
    this.state.last_message_at = new Date(this.deps.clock()).toISOString();
    // A concatenation header that says "1 of 1" (or less) is a single message.
    if (!decoded.concat || decoded.concat.total < 2) {
      return this.ingest(
        { sender: decoded.sender, body: decoded.text, received_at: decoded.timestamp, smsc: decoded.smsc, sender_toa: decoded.senderToa },
        false,
      );
    }
    const concat = decoded.concat;
    const group: PartGroup = {
      merchant_id: this.deps.merchantId,
      modem: this.settings.label,
      sender: decoded.sender,
      sender_toa: decoded.senderToa,
      smsc: decoded.smsc ?? '',
      ref_bits: concat.refBits,
      concat_ref: concat.ref,
      total: concat.total,
    };
    const waiting = this.parts.parts(group);
    // Parts of one message are sent within moments; a waiting part far older or newer is another
    // message that reused the reference: it is stored as it is (incomplete) and this one starts afresh.
    if (waiting.some((p) => Math.abs(p.sent_at - decoded.timestampMs) > SAME_MESSAGE_MS)) this.ingestParts(waiting, true);
    const same = this.parts.parts(group).find((p) => p.seq === concat.seq);
    if (same && same.text !== decoded.text) {
      // Two texts for one part: one of them is not the wallet's. Neither may complete a message
      // that can pay: this text is stored now (flagged incomplete) and the group is contested.
      writeTransaction(this.deps.db, () => this.parts.contest(group));
      return this.ingest(
        {
          sender: decoded.sender,
          body: `[part ${concat.seq} of ${concat.total}, a second text for it] ${decoded.text}`,
          received_at: decoded.timestamp,
          smsc: decoded.smsc,
          sender_toa: decoded.senderToa,
        },
        true,
      );
    }
    writeTransaction(this.deps.db, () =>
      this.parts.save({ ...group, seq: concat.seq, text: decoded.text, sent_at: decoded.timestampMs, stored_at: this.deps.clock() }),
    );
    const parts = this.parts.parts(group);
    if (new Set(parts.map((p) => p.seq)).size >= group.total)
      this.ingestParts(
        parts,
        parts.some((p) => p.contested === 1),
      );
    this.changed();
    return true;
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

  /** A whole message from its parts (or what there is of it, flagged incomplete), then the parts' rows go. */
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
    if (ok) writeTransaction(this.deps.db, () => this.parts.remove(parts.map((p) => p.id)));
  }

  /** Multipart messages whose missing parts never came: ingested as they are, flagged incomplete. */
  private async flushIncomplete(): Promise<void> {
    const before = this.deps.clock() - this.settings.incompleteWaitMs;
    for (const group of this.parts.waitingSince(this.deps.merchantId, this.settings.label, before)) {
      this.ingestParts(this.parts.parts(group), true);
    }
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
 * A refused PIN is remembered by its digest and the modem's label, in a file that survives a
 * restart: three restarts must not be three wrong PINs. Changing the PIN in config.json tries again.
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

function refusedPin(file: string | null, label: string): string | null {
  const value = readPinMemory(file)[label];
  return typeof value === 'string' ? value : null;
}

function rememberRefusedPin(file: string | null, label: string, digest: string): void {
  if (!file) return;
  const memory = { ...readPinMemory(file), [label]: digest };
  fs.writeFileSync(file, `${JSON.stringify(memory, null, 1)}\n`, { mode: 0o600 });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
