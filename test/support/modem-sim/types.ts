import type { DeliverSpec } from '../../../src-main/core/modem/pdu/types';
import type { MessageStat } from './message-store';

export type { DeliverSpec };

/**
 * Quirk profiles, combinable (README.md lists the transcripts each one comes from):
 * - 'echo': echo on at start (ATE1), as most modems power up;
 * - 'slow': every answer starts 200–800 ms after its command (options.slowMs);
 * - 'urc-inside': unsolicited lines (+CMTI, ^RSSI, RING, +CREG, garbage) land between the lines of
 *   a command's answer, or just before its final result code, whatever the +CNMI <mode>;
 * - 'huawei': ^RSSI/^MODE/^BOOT every options.huaweiIntervalMs until AT^CURC=0; AT^CURC and
 *   AT^CPIN? answered; ^SMMEMFULL when the storage is full; identity of a Huawei E173;
 * - 'quectel': URCs go to the port AT+QURCCFG="urcport" names, which starts as another port
 *   ("usbmodem"), so nothing unsolicited shows until AT+QURCCFG="urcport","usbat"; AT+QPINC;
 *   identity of a Quectel EC25; "RDY" at boot;
 * - 'zero-index': storage indexes counted from 0;
 * - 'sim-full': starts with options.simFullCount messages (default: the whole SM storage);
 * - 'pin': SIM PIN locked (options.pin); wrong PINs count down, 3 wrong → SIM PUK;
 * - 'garbage': a line of non-AT bytes every options.garbageIntervalMs (jittered);
 * - 'sim-busy': +CME ERROR: 14 to SIM commands for options.simBusyMs after power-on and unlock.
 */
export type ModemProfile =
  'echo' | 'slow' | 'urc-inside' | 'huawei' | 'quectel' | 'zero-index' | 'sim-full' | 'pin' | 'garbage' | 'sim-busy';

export interface ModemIdentity {
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  imsi: string;
  /** The SIM's serial number (AT+CCID, AT+ICCID, AT+QCCID): readable while the SIM is PIN-locked. */
  iccid: string;
}

/** A message put on the SIM before the test starts (options.initialMessages, preload()). */
export type InitialMessage = DeliverSpec & { stat?: 'unread' | 'read'; storage?: string };

export interface ModemSimOptions {
  profile?: ModemProfile | readonly ModemProfile[];
  /** SIM PIN for the 'pin' profile (default "1234"); PUK (default "12345678"). */
  pin?: string;
  puk?: string;
  /** PIN attempts before the SIM asks for the PUK (default 3). */
  pinAttempts?: number;
  /** Storages and their sizes (default { SM: 20, ME: 23 }). */
  storages?: Record<string, number>;
  /** 'sim-full': how many messages the SIM starts with (default: the size of SM). */
  simFullCount?: number;
  /** Messages on the SIM at power-on (any profile), stored silently in this order. */
  initialMessages?: InitialMessage[];
  /** 'slow': delay of each answer's first byte, uniform in [min, max] ms (default [200, 800]). */
  slowMs?: [number, number];
  /** 'sim-busy': how long the SIM stays busy after power-on and after unlock (default 1500 ms). */
  simBusyMs?: number;
  /** After power-on, AT+CPIN? answers "+CPIN: NOT READY" (other SIM commands +CME ERROR: 14) for this long (SIM800 at boot). */
  simNotReadyMs?: number;
  /** After power-on, the SIM is not seen (+CME ERROR: 10 "SIM not inserted") for this long. */
  simAbsentMs?: number;
  /** Lines the modem prints when it powers on (SIM800: ["RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"]). */
  bootLines?: string[];
  /** 'huawei': period of ^RSSI/^MODE/^BOOT lines (default 300 ms; a real E173 sends ^RSSI every few seconds). */
  huaweiIntervalMs?: number;
  /** 'garbage': mean period of garbage lines (default 250 ms). */
  garbageIntervalMs?: number;
  /** Seed of every random choice (default 1): the same seed replays the same run. */
  seed?: number;
  /** Folder for the symlinks (default: a fresh temp dir, removed by stop()). */
  linkDir?: string;
  /** Name of the device symlink in linkDir (default "ttyGSM0"). */
  deviceName?: string;
  /** What +CNMI=? answers (default from a real modem: "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"); sets are enforced. */
  cnmiTest?: string;
  /** +CNMI at power-on and after ATZ/replug (default [0,0,0,0,0]: no indications, as TS 27.005 defaults). */
  defaultCnmi?: [number, number, number, number, number];
  /** Final result for an unknown command (default "ERROR"; a Huawei E1752 says "COMMAND NOT SUPPORT"). */
  unknownCommandReply?: string;
  /** AT+CMGR of an empty index: "+CMS ERROR: 321" (default, Wavecom in gammu/gammu#154) or a bare "OK". */
  emptyReadReply?: 'cms321' | 'ok';
  /** When storage is full: 'smmemfull' sends ^SMMEMFULL: "SM" (default with 'huawei'), 'none' says nothing (default otherwise). */
  fullNotice?: 'none' | 'smmemfull';
  /** Errors of SMS commands while the SIM is locked or busy: 'cme' (+CME ERROR: 11/12/14, default) or 'cms' (+CMS ERROR: 311/316/314). */
  simErrorStyle?: 'cme' | 'cms';
  /** 'quectel': the URC port at power-on (default "usbmodem": not this port). Kept across replug (NV setting). */
  quectelUrcPort?: string;
  /** Delay before the network retries a message it could not deliver (SIM full, locked, unplugged, no +CNMA) (default 100 ms). */
  networkRetryMs?: number;
  /** +CMT: how long the modem waits for AT+CNMA (default 2000 ms); then it sets <mt> to 0 and the network retries. */
  cnmaTimeoutMs?: number;
  /** AT+CMGF=0 answers ERROR (a text-only modem). */
  noPduMode?: boolean;
  identity?: Partial<ModemIdentity>;
  /** AT+CSQ <rssi> (default 18). */
  rssi?: number;
  operatorName?: string;
  /** The SMSC AT+CSCA? reports (default "+8801700000000"). */
  smsc?: string;
  /** +CREG <stat> once the SIM is ready (default 1, registered home). */
  registration?: number;
  /** Replaces the encoder (default: encodeDeliverPdus of src-main/core/modem/pdu). */
  encode?: (spec: DeliverSpec) => string[];
  /**
   * Answers a command line before the simulator does: return { lines, final } to take it over,
   * undefined to let the simulator answer. `command` is the line as received, without CR.
   */
  override?: (command: string) => { lines?: string[]; final?: string } | undefined;
  /** Serial speed of the simulator's own end (a pty ignores it; default 115200). */
  baudRate?: number;
}

export interface DeliverOptions extends DeliverSpec {
  /** Send +CMTI (when +CNMI asks for it). Default true. */
  announce?: boolean;
  /** Order the parts arrive in, by part number from 1: [2, 1] stores part 2 first. Parts not listed never arrive. */
  partsOrder?: number[];
  /** Storage to put it in (default: <mem3> of AT+CPMS). */
  storage?: string;
  /** Stored as read (1) rather than unread (0). */
  stat?: MessageStat;
}

export interface CommandLogEntry {
  /** Date.now() when the line's CR (or the data's Ctrl-Z / ESC) arrived. */
  at: number;
  /** The line without its CR; for data after the "> " prompt, what was typed (without Ctrl-Z). */
  line: string;
  /** 'command': an AT line; 'data': text or PDU after the prompt; 'cancelled': data ended by ESC; 'ignored': not an AT line. */
  kind: 'command' | 'data' | 'cancelled' | 'ignored';
}

export interface TranscriptEntry {
  at: number;
  dir: 'rx' | 'tx';
  /** Bytes as latin1 text. */
  text: string;
}

export interface SentMessage {
  at: number;
  mode: 'pdu' | 'text';
  /** The message reference the modem answered (+CMGS: <mr>). */
  mr: number;
  /** PDU mode: the PDU and the <length> given. */
  pdu?: string;
  length?: number;
  /** Destination and text, read from the PDU in PDU mode (null when unreadable). */
  to: string | null;
  text: string | null;
}

export interface UrcRecord {
  at: number;
  lines: string[];
  /** Where it went: written ('sent'), buffered by +CNMI <mode>=0 ('buffered'), dropped by <mode>=1 while busy ('dropped'), or to another port (Quectel urcport, 'other-port'). */
  fate: 'sent' | 'buffered' | 'dropped' | 'other-port';
  /** Date.now() when its bytes were handed to the pty ('sent' ones; null until then, and for the others). */
  writtenAt: number | null;
}

/** What state() reports: the settings a reboot forgets, and the SIM. */
export interface ModemState {
  echo: boolean;
  cmee: 0 | 1 | 2;
  cmgf: 0 | 1;
  cscs: string;
  cnmi: [number, number, number, number, number];
  /** <mem1> (read, list, delete), <mem2> (write, send), <mem3> (receive). */
  cpms: [string, string, string];
  creg: 0 | 1 | 2;
  csdh: 0 | 1;
  csms: 0 | 1;
  /** Huawei ^CURC. */
  curc: 0 | 1;
  sim: { status: 'READY' | 'SIM PIN' | 'SIM PUK'; pinLeft: number; pukLeft: number; busy: boolean };
  /** Able to receive SMS: powered, SIM ready and not busy, +CREG stat 1 (home) or 5 (roaming). */
  registered: boolean;
  /** Quectel AT+QURCCFG="urcport" (this port is "usbat"). */
  quectelUrcPort: string;
}
