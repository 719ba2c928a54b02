/**
 * What the modem writes, in order, and where unsolicited lines land relative to a command's answer.
 *
 * Framing is that of a real modem in verbose mode (ATV1, V.250 §5.7.1): an answer starts with
 * CR LF, each information line ends with CR LF, the final result code is CR LF <code> CR LF, an
 * unsolicited result code is CR LF <line> CR LF, and the AT+CMGS prompt is CR LF "> ". For example
 * (Huawei E1752, gammu/gammu#126): "AT+CMGL=4\r\r\n+CMGL: 0,0,,23\r\n0791…\r\n\r\nOK\r\n".
 *
 * An answer is made of units (a +CMGL header and its PDU line are one unit: nothing is ever put
 * between them) and a final result code. An unsolicited line is placed:
 * - 'after': once the answer in progress has its final result code (TS 27.005 +CNMI <mode>=2:
 *   buffered while the link is reserved, flushed after; most modems do this with every URC);
 * - 'next': before the first unit of the answer not yet written (+CNMI <mode>=3, inband);
 * - 'inside': between two units of the answer in progress, or just before its final result code
 *   (the 'urc-inside' quirk; zabsalahid/serialport-gsm#35 shows a Quectel EC25 answering
 *   "ATZ" with "+CMTI…" before "OK").
 * With no answer in progress all three are written at once.
 */

export type Placement = 'after' | 'next' | 'inside';

interface Item {
  data: Buffer;
  /** Not written before this Date.now(). */
  at: number;
  kind: 'echo' | 'unit' | 'final' | 'prompt' | 'urc';
  /** The answer this item belongs to. */
  answer?: number;
  /** Called when the item is written. */
  onWritten?: () => void;
}

export class OutputQueue {
  private items: Item[] = [];
  private deferred: Item[] = [];
  /** Answers whose final result code is not written yet. */
  private readonly open = new Set<number>();
  /** Answers waiting for data (AT+CMGS prompt): their final result code is not even queued. */
  private readonly awaiting = new Set<number>();
  private nextAnswer = 1;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly write: (data: Buffer) => void,
    private readonly random: () => number,
  ) {}

  /** A command is being answered (or waits for its data). */
  busy(): boolean {
    return this.open.size > 0;
  }

  echo(text: string): void {
    this.items.push({ data: Buffer.from(text, 'latin1'), at: 0, kind: 'echo' });
    this.kick();
  }

  /**
   * Queues an answer: its units (each a list of lines), then its final result code (null: the
   * answer waits for data after a prompt, see prompt() and finish()). `delayMs` delays its first
   * byte (the 'slow' quirk); later units follow a few milliseconds apart.
   */
  answer(units: string[][], final: string | null, delayMs: number): number {
    const id = this.nextAnswer++;
    this.open.add(id);
    const start = Date.now() + delayMs;
    let step = 0;
    units.forEach((lines, i) => {
      const text = (i === 0 ? '\r\n' : '') + lines.map((l) => `${l}\r\n`).join('');
      this.items.push({ data: Buffer.from(text, 'utf8'), at: start + step, kind: 'unit', answer: id });
      step += delayMs > 0 ? 5 : 0;
    });
    if (final === null) {
      this.awaiting.add(id);
    } else {
      this.items.push({ data: Buffer.from(`\r\n${final}\r\n`, 'utf8'), at: start + step, kind: 'final', answer: id });
    }
    this.kick();
    return id;
  }

  /** The "> " prompt of an answer waiting for data. */
  prompt(id: number, text = '\r\n> '): void {
    this.items.push({ data: Buffer.from(text, 'latin1'), at: 0, kind: 'prompt', answer: id });
    this.kick();
  }

  /** Completes an answer that waited for data. */
  finish(id: number, units: string[][], final: string, delayMs: number): void {
    this.awaiting.delete(id);
    const start = Date.now() + delayMs;
    units.forEach((lines, i) => {
      const text = (i === 0 ? '\r\n' : '') + lines.map((l) => `${l}\r\n`).join('');
      this.items.push({ data: Buffer.from(text, 'utf8'), at: start, kind: 'unit', answer: id });
    });
    this.items.push({ data: Buffer.from(`\r\n${final}\r\n`, 'utf8'), at: start, kind: 'final', answer: id });
    this.kick();
  }

  /** Unsolicited lines (one unit: a +CMT header and its PDU stay together). Raw bytes go as they are. */
  urc(lines: string[] | Buffer, placement: Placement, onWritten?: () => void): void {
    const data = Buffer.isBuffer(lines) ? lines : Buffer.from(`\r\n${lines.join('\r\n')}\r\n`, 'utf8');
    const item: Item = { data, at: 0, kind: 'urc', onWritten };
    if (!this.busy()) {
      this.items.push(item);
    } else if (placement === 'after') {
      this.deferred.push(item);
    } else {
      const current = this.current();
      const starts: number[] = [];
      this.items.forEach((it, i) => {
        if (it.answer === current && (it.kind === 'unit' || it.kind === 'final')) starts.push(i);
      });
      if (starts.length === 0) {
        // Waiting for data, or everything but the final already written: now.
        this.items.push(item);
      } else {
        let choices = starts;
        // 'inside': after at least one unit when the answer has any left, else just before its final result code.
        if (placement === 'inside' && starts.length > 1 && current !== undefined && !this.started.has(current)) choices = starts.slice(1);
        const pick = placement === 'next' ? (choices[0] as number) : (choices[Math.floor(this.random() * choices.length)] as number);
        item.at = (this.items[pick] as Item).at;
        this.items.splice(pick, 0, item);
      }
    }
    this.kick();
  }

  /** Drops everything not yet written (the device vanished). */
  clear(): void {
    this.items = [];
    this.deferred = [];
    this.open.clear();
    this.awaiting.clear();
    this.started.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.clear();
    this.stopped = true;
  }

  resume(): void {
    this.stopped = false;
  }

  /** Answers with at least one item written. */
  private readonly started = new Set<number>();

  /** The oldest answer still open. */
  private current(): number | undefined {
    let min: number | undefined;
    for (const id of this.open) if (min === undefined || id < min) min = id;
    return min;
  }

  private kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.items.length > 0) {
      const item = this.items[0] as Item;
      const wait = item.at - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      this.items.shift();
      this.write(item.data);
      item.onWritten?.();
      if (item.answer !== undefined) this.started.add(item.answer);
      if (item.kind === 'final' && item.answer !== undefined) {
        this.open.delete(item.answer);
        this.started.delete(item.answer);
        if (!this.busy() && this.deferred.length > 0) {
          this.items.unshift(...this.deferred);
          this.deferred = [];
        }
      }
    }
  }
}
