import { peekDeliver, tpduLength, type PeekedDeliver } from './pdu-peek';

/** <stat> of TS 27.005 §3.1: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
export type MessageStat = 0 | 1 | 2 | 3;

export const STAT_TEXT: Record<MessageStat, string> = { 0: 'REC UNREAD', 1: 'REC READ', 2: 'STO UNSENT', 3: 'STO SENT' };

export interface StoredMessage {
  /** Which storage ("SM", "ME") and the index the modem reports for it (0-based under 'zero-index'). */
  storage: string;
  index: number;
  stat: MessageStat;
  /** The PDU as the modem lists it (with its SMSC part). */
  pdu: string;
  /** TPDU length in octets, as +CMGL/+CMGR print it. */
  length: number;
  /** Date.now() when it was stored. */
  storedAt: number;
  /** Date.now() when it was deleted (history() only). */
  deletedAt?: number;
  /** What the simulator reads in the PDU (sender, this part's text, concatenation), or null. */
  decoded: PeekedDeliver | null;
  /** A serial number over the simulator's life: the n-th message stored. */
  serial: number;
}

export interface DeletionRecord {
  /** Date.now() when the modem executed the delete. */
  at: number;
  storage: string;
  index: number;
  stat: MessageStat;
  pdu: string;
  decoded: PeekedDeliver | null;
  /** The serial of the stored message. */
  serial: number;
  /** The command line that deleted it, e.g. 'AT+CMGD=3' or 'AT+CMGD=1,4'. */
  command: string;
  /** The <delflag> used (0: by index). */
  flag: number;
}

/** Messages by index per storage, like a SIM (SM) and the modem's own memory (ME). */
export class MessageStore {
  private readonly slots = new Map<string, Map<number, StoredMessage>>();
  private readonly everStored: StoredMessage[] = [];
  private readonly deleted: DeletionRecord[] = [];
  private serial = 0;

  constructor(
    readonly capacities: Readonly<Record<string, number>>,
    /** First index: 1 for most modems, 0 for some (Quectel BG96, Huawei E1752: see README). */
    readonly base: 0 | 1,
  ) {
    for (const name of Object.keys(capacities)) this.slots.set(name, new Map());
  }

  has(storage: string): boolean {
    return this.slots.has(storage);
  }

  storages(): string[] {
    return [...this.slots.keys()];
  }

  capacity(storage: string): number {
    return this.capacities[storage] ?? 0;
  }

  used(storage: string): number {
    return this.slots.get(storage)?.size ?? 0;
  }

  free(storage: string): number {
    return this.capacity(storage) - this.used(storage);
  }

  inRange(storage: string, index: number): boolean {
    return Number.isInteger(index) && index >= this.base && index < this.base + this.capacity(storage);
  }

  /** Stores at the lowest free index; null when the storage is full. */
  put(storage: string, pdu: string, stat: MessageStat, now: number): StoredMessage | null {
    const slots = this.slots.get(storage);
    if (!slots) throw new Error(`no storage ${storage}`);
    for (let index = this.base; index < this.base + this.capacity(storage); index++) {
      if (slots.has(index)) continue;
      const msg: StoredMessage = {
        storage,
        index,
        stat,
        pdu: pdu.toUpperCase(),
        length: tpduLength(pdu) ?? 0,
        storedAt: now,
        decoded: peekDeliver(pdu),
        serial: ++this.serial,
      };
      slots.set(index, msg);
      this.everStored.push(msg);
      return msg;
    }
    return null;
  }

  get(storage: string, index: number): StoredMessage | undefined {
    return this.slots.get(storage)?.get(index);
  }

  /** Messages of a storage by index; `stat` 4 (or undefined) is all. */
  list(storage: string, stat?: number): StoredMessage[] {
    const all = [...(this.slots.get(storage)?.values() ?? [])].sort((a, b) => a.index - b.index);
    return stat === undefined || stat === 4 ? all : all.filter((m) => m.stat === stat);
  }

  remove(storage: string, index: number, now: number, command: string, flag: number): DeletionRecord | null {
    const slots = this.slots.get(storage);
    const msg = slots?.get(index);
    if (!slots || !msg) return null;
    slots.delete(index);
    msg.deletedAt = now;
    const rec: DeletionRecord = {
      at: now,
      storage,
      index,
      stat: msg.stat,
      pdu: msg.pdu,
      decoded: msg.decoded,
      serial: msg.serial,
      command,
      flag,
    };
    this.deleted.push(rec);
    return rec;
  }

  /** What is stored now, every storage, by storage then index (copies). */
  snapshot(): StoredMessage[] {
    return [...this.slots.values()].flatMap((slots) => [...slots.values()].sort((a, b) => a.index - b.index)).map((m) => ({ ...m }));
  }

  /** Every message ever stored, deleted ones with deletedAt (copies). */
  history(): StoredMessage[] {
    return this.everStored.map((m) => ({ ...m }));
  }

  deletions(): DeletionRecord[] {
    return this.deleted.map((d) => ({ ...d }));
  }
}
