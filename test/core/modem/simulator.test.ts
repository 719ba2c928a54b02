/**
 * The modem simulator driven through a real pty with plain AT lines: no CounterPay code other than
 * the PDU codec the simulator encodes with (and which decodes what the simulator lists).
 */
import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { decodeDeliverPdu } from '../../../src-main/core/modem/pdu';
import { liveSocatCount, ModemSimulator, type ModemSimOptions } from '../../support/modem-sim';

const FINAL = /\r\n(OK|ERROR|COMMAND NOT SUPPORT|\+CME ERROR: [^\r]*|\+CMS ERROR: [^\r]*)\r\n/;

/** A bare AT client: writes a line, collects what comes back until a final result code or the "> " prompt. */
class AtPort {
  raw = '';
  closed = false;
  private waiters: Array<() => void> = [];

  private constructor(readonly port: SerialPort) {
    port.on('data', (d: Buffer) => {
      this.raw += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
    port.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    port.on('error', () => undefined);
  }

  static async open(path: string): Promise<AtPort> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new AtPort(port);
  }

  /** Waits until `test` holds for the text received since `from`. */
  async until(test: (text: string) => boolean, from = 0, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.raw.slice(from))) {
      if (this.closed) throw new Error(`port closed; got ${JSON.stringify(this.raw.slice(from))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.raw.slice(from))}`);
      await new Promise<void>((resolve) => {
        // Data wakes it up; other conditions (the simulator's state) are polled.
        const t = setTimeout(resolve, Math.min(left, 20));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.raw.slice(from);
  }

  /** Sends `line` + CR; resolves with the raw answer, its non-empty lines and its final result code. */
  async cmd(line: string, timeoutMs = 3000): Promise<{ raw: string; lines: string[]; final: string }> {
    const from = this.raw.length;
    this.port.write(`${line}\r`);
    const text = await this.until((t) => FINAL.test(t) || t.endsWith('\r\n> '), from, timeoutMs);
    const m = FINAL.exec(text);
    // The answer ends with its final result code: what follows (a deferred URC) is not part of it.
    const raw = m ? text.slice(0, m.index + m[0].length) : text;
    const final = m?.[1] ?? '>';
    const lines = raw.split(/\r\n|\r|\n/).filter((l) => l !== '' && l !== line && l !== final && l !== '> ');
    return { raw, lines, final };
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

async function eventually(test: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

const sims: ModemSimulator[] = [];
const ports: AtPort[] = [];

async function setup(options: ModemSimOptions = {}): Promise<{ sim: ModemSimulator; at: AtPort }> {
  const sim = await ModemSimulator.start(options);
  sims.push(sim);
  const at = await AtPort.open(sim.devicePath);
  ports.push(at);
  return { sim, at };
}

afterEach(async () => {
  for (const p of ports.splice(0)) await p.close();
  for (const s of sims.splice(0)) await s.stop();
});

afterAll(async () => {
  await ModemSimulator.stopAll();
  expect(liveSocatCount()).toBe(0);
});

const LONG =
  'Cash In Tk 2,500.00 from 01712345678 successful. Fee Tk 0.00. Balance Tk 12,345.67. TrxID 9AB3CD45EF at 15/06/2026 10:30. ' +
  'Download the app for offers and more; this line only makes the message long enough to need three parts of 153 septets each, ' +
  'which is what a long wallet statement looks like when it arrives.';

describe('modem simulator over a pty', () => {
  it('answers AT, echoes with ATE1 and stops echoing after ATE0', async () => {
    const { at, sim } = await setup({ profile: 'echo' });
    const first = await at.cmd('AT');
    expect(first.raw).toBe('AT\r\r\nOK\r\n');
    expect((await at.cmd('ATE0')).raw).toBe('ATE0\r\r\nOK\r\n');
    expect((await at.cmd('AT')).raw).toBe('\r\nOK\r\n');
    expect((await at.cmd('AT+CGMI')).lines).toEqual(['SIMCOM_Ltd']);
    expect((await at.cmd('AT+NOSUCH')).final).toBe('ERROR');
    expect(sim.commandLog().map((e) => e.line)).toEqual(['AT', 'ATE0', 'AT', 'AT+CGMI', 'AT+NOSUCH']);
  });

  it('reports errors verbose or numeric per AT+CMEE', async () => {
    const { at } = await setup();
    expect((await at.cmd('AT+CMGR=1')).final).toBe('+CMS ERROR: 321');
    expect((await at.cmd('AT+CMEE=2')).final).toBe('OK');
    expect((await at.cmd('AT+CMGR=99')).final).toBe('+CMS ERROR: invalid memory index');
    expect((await at.cmd('AT+CMEE=1')).final).toBe('OK');
    expect((await at.cmd('AT+CMEE=7')).final).toBe('+CME ERROR: 50');
  });

  it('stores a delivery, announces it with +CMTI once AT+CNMI asks, and lists it with AT+CMGL', async () => {
    const { at, sim } = await setup();
    // No indication by default (+CNMI 0,0,0,0,0): stored, never announced.
    expect(sim.deliver({ sender: 'bKash', text: 'first' })).toEqual([1]);
    expect(sim.urcs()).toEqual([]);
    expect((await at.cmd('AT+CNMI=?')).lines).toEqual(['+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)']);
    // <mode> 0 keeps +CMTI in the TA buffer; entering <mode> 2 with <bfr> 0 flushes it after OK.
    await at.cmd('AT+CNMI=0,1,0,0,0');
    expect(sim.deliver({ sender: '+8801712345678', text: 'Cash In Tk 500.00', tzMinutes: 360 })).toEqual([2]);
    expect(sim.urcs().map((u) => u.fate)).toEqual(['buffered']);
    const from = at.raw.length;
    await at.cmd('AT+CNMI=2,1,0,0,0');
    expect(await at.until((t) => t.includes('+CMTI: "SM",2\r\n'), from)).toBe('\r\nOK\r\n\r\n+CMTI: "SM",2\r\n');

    const list = await at.cmd('AT+CMGL=4');
    expect(list.lines).toHaveLength(4);
    expect(list.lines[0]).toMatch(/^\+CMGL: 1,0,,\d+$/);
    expect(list.lines[2]).toMatch(/^\+CMGL: 2,0,,\d+$/);
    const decoded = decodeDeliverPdu(list.lines[3] as string);
    expect(decoded.sender).toBe('+8801712345678');
    expect(decoded.text).toBe('Cash In Tk 500.00');
    expect(decoded.timestamp.endsWith('+06:00')).toBe(true);
    // The header's length is the TPDU length: the PDU minus its SMSC part.
    const pdu = list.lines[3] as string;
    const smscOctets = parseInt(pdu.slice(0, 2), 16) + 1;
    expect(Number(list.lines[2]?.split(',')[3])).toBe(pdu.length / 2 - smscOctets);
    // Listing made them read: AT+CMGL=0 (unread) is now empty, AT+CMGL=1 (read) has both.
    expect((await at.cmd('AT+CMGL=0')).lines).toEqual([]);
    expect((await at.cmd('AT+CMGL=1')).lines).toHaveLength(4);
    expect(sim.stored().map((m) => [m.index, m.stat, m.decoded?.sender])).toEqual([
      [1, 1, 'bKash'],
      [2, 1, '+8801712345678'],
    ]);
  });

  it('speaks text mode with the character set asked for', async () => {
    const { at, sim } = await setup();
    sim.deliver({ sender: 'bKash', text: 'Tk 100 received', timestamp: new Date(Date.UTC(2026, 5, 15, 4, 30, 5)), tzMinutes: 360 });
    sim.deliver({ sender: '+8801712345678', text: 'টাকা পেয়েছেন', encoding: 'ucs2' });
    await at.cmd('AT+CMGF=1');
    await at.cmd('AT+CSCS="GSM"');
    const all = await at.cmd('AT+CMGL="ALL"');
    expect(all.lines[0]).toBe('+CMGL: 1,"REC UNREAD","bKash",,"26/06/15,10:30:05+24"');
    expect(all.lines[1]).toBe('Tk 100 received');
    expect(all.lines[3]).toBe(Buffer.from('টাকা পেয়েছেন', 'utf16le').swap16().toString('hex').toUpperCase());
    const one = await at.cmd('AT+CMGR=1');
    expect(one.lines).toEqual(['+CMGR: "REC READ","bKash",,"26/06/15,10:30:05+24"', 'Tk 100 received']);
    await at.cmd('AT+CSCS="UCS2"');
    expect((await at.cmd('AT+CMGR=1')).lines[1]).toBe('0054006B0020003100300030002000720065006300650069007600650064');
    expect((await at.cmd('AT+CMGL=4')).final).toBe('+CMS ERROR: 305');
  });

  it('deletes by index, and by flag the way TS 27.005 says, recording each PDU deleted', async () => {
    const { at, sim } = await setup();
    for (const n of [1, 2, 3, 4]) sim.deliver({ sender: 'bKash', text: `message ${n}` });
    await at.cmd('AT+CMGR=2'); // 2 is now read
    const t0 = Date.now();
    expect((await at.cmd('AT+CMGD=1')).final).toBe('OK');
    expect(sim.stored().map((m) => m.index)).toEqual([2, 3, 4]);
    const [del] = sim.deletions();
    expect(del).toMatchObject({ index: 1, storage: 'SM', command: 'AT+CMGD=1', flag: 0, stat: 0 });
    expect(del?.at).toBeGreaterThanOrEqual(t0);
    expect(decodeDeliverPdu(del?.pdu as string).text).toBe('message 1');
    // Deleting an empty index is fine; out of range is not.
    expect((await at.cmd('AT+CMGD=1')).final).toBe('OK');
    expect((await at.cmd('AT+CMGD=21')).final).toBe('+CMS ERROR: 321');
    expect((await at.cmd('AT+CMGD=?')).lines).toEqual(['+CMGD: (2,3,4),(0-4)']);
    // Flag 1: every read message, whatever the index says.
    expect((await at.cmd('AT+CMGD=4,1')).final).toBe('OK');
    expect(sim.stored().map((m) => m.index)).toEqual([3, 4]);
    // Flag 4: everything, including what nobody read: the flag the reader must never use.
    expect((await at.cmd('AT+CMGD=1,4')).final).toBe('OK');
    expect(sim.stored()).toEqual([]);
    expect(sim.deletions().map((d) => [d.index, d.flag, d.stat])).toEqual([
      [1, 0, 0],
      [2, 1, 1],
      [3, 4, 0],
      [4, 4, 0],
    ]);
    expect(sim.history().every((m) => m.deletedAt !== undefined)).toBe(true);
  });

  it('keeps a PIN-locked SIM locked until the right PIN, counting wrong ones down to the PUK', async () => {
    const { at, sim } = await setup({ profile: 'pin', pin: '4321' });
    await at.cmd('AT+CMEE=1');
    expect((await at.cmd('AT+CPIN?')).lines).toEqual(['+CPIN: SIM PIN']);
    expect((await at.cmd('AT+CMGL=4')).final).toBe('+CME ERROR: 11');
    // Messages cannot arrive while the SIM is locked: the network holds them.
    expect(sim.deliver({ sender: 'bKash', text: 'held' })).toEqual([]);
    expect(sim.pendingInNetwork()).toHaveLength(1);
    expect((await at.cmd('AT+CPIN="0000"')).final).toBe('+CME ERROR: 16');
    expect((await at.cmd('AT+CPINR="SIM PIN"')).lines).toEqual(['+CPINR: SIM PIN,2,3']);
    expect((await at.cmd('AT+CPIN="4321"')).final).toBe('OK');
    expect((await at.cmd('AT+CPIN?')).lines).toEqual(['+CPIN: READY']);
    expect((await at.cmd('AT+CPIN="4321"')).final).toBe('+CME ERROR: 3');
    // Registered now: the network delivers what it held.
    await at.until(() => sim.stored().length === 1);
    expect(sim.pendingInNetwork()).toEqual([]);
  });

  it('locks into SIM PUK after three wrong PINs and opens with the PUK and a new PIN', async () => {
    const { at } = await setup({ profile: 'pin' });
    await at.cmd('AT+CMEE=2');
    for (const pin of ['1111', '2222']) expect((await at.cmd(`AT+CPIN="${pin}"`)).final).toBe('+CME ERROR: incorrect password');
    expect((await at.cmd('AT+CPIN?')).lines).toEqual(['+CPIN: SIM PIN']);
    expect((await at.cmd('AT+CPIN=3333')).final).toBe('+CME ERROR: incorrect password');
    expect((await at.cmd('AT+CPIN?')).lines).toEqual(['+CPIN: SIM PUK']);
    expect((await at.cmd('AT+CPIN="1234"')).final).toBe('+CME ERROR: incorrect password');
    expect((await at.cmd('AT+CSCA?')).final).toBe('+CME ERROR: SIM PUK required');
    expect((await at.cmd('AT+CPIN="12345678","5555"')).final).toBe('OK');
    expect((await at.cmd('AT+CPIN?')).lines).toEqual(['+CPIN: READY']);
  });

  it('answers SIM busy after power-on, then serves', async () => {
    const { at } = await setup({ profile: 'sim-busy', simBusyMs: 300 });
    await at.cmd('AT+CMEE=1');
    expect((await at.cmd('AT+CPMS?')).final).toBe('+CME ERROR: 14');
    await new Promise((r) => setTimeout(r, 350));
    expect((await at.cmd('AT+CPMS?')).lines).toEqual(['+CPMS: "SM",0,20,"SM",0,20,"SM",0,20']);
  });

  it('vanishes on unplug and comes back at the same path on replug, keeping the SIM messages and forgetting settings', async () => {
    const { at, sim } = await setup();
    await at.cmd('AT+CNMI=2,1,0,0,0');
    await at.cmd('AT+CMGF=1');
    sim.deliver({ sender: 'bKash', text: 'before unplug' });
    const path = sim.devicePath;
    await sim.unplug();
    await eventually(() => at.closed);
    expect(at.closed).toBe(true);
    expect(fs.existsSync(path)).toBe(false);
    // Sent while unplugged: the network keeps it.
    expect(sim.deliver({ sender: 'bKash', text: 'while unplugged' })).toEqual([]);
    await sim.replug();
    expect(sim.devicePath).toBe(path);
    expect(fs.existsSync(path)).toBe(true);
    const again = await AtPort.open(path);
    ports.push(again);
    expect((await again.cmd('AT+CNMI?')).lines).toEqual(['+CNMI: 0,0,0,0,0']);
    expect((await again.cmd('AT+CMGF?')).lines).toEqual(['+CMGF: 0']);
    await again.until(() => sim.stored().length === 2);
    const list = await again.cmd('AT+CMGL=4');
    expect(list.lines.filter((_, i) => i % 2 === 1).map((pdu) => decodeDeliverPdu(pdu).text)).toEqual(['before unplug', 'while unplugged']);
  });

  it('goes unplugged when socat dies on its own, and replugs', async () => {
    const { at, sim } = await setup();
    const exits: Array<NodeJS.Signals | null> = [];
    sim.on('socat-exit', (e) => exits.push(e.signal));
    // serialport misses a hang-up in the very tick its port opened (README): let it start reading.
    await new Promise((r) => setTimeout(r, 10));
    process.kill(sim.socatPid as number, 'SIGKILL');
    await eventually(() => at.closed && !sim.isPlugged);
    expect([at.closed, sim.isPlugged, exits]).toEqual([true, false, ['SIGKILL']]);
    await sim.replug();
    const again = await AtPort.open(sim.devicePath);
    ports.push(again);
    expect((await again.cmd('AT')).final).toBe('OK');
  });

  it('stores a 3-part message out of order, one +CMTI per part', async () => {
    const { at, sim } = await setup();
    await at.cmd('AT+CNMI=2,1,0,0,0');
    const from = at.raw.length;
    const indexes = sim.deliver({ sender: '+8801712345678', text: LONG, partsOrder: [3, 1, 2], concatRefBits: 16 });
    expect(indexes).toEqual([1, 2, 3]);
    await at.until((t) => (t.match(/\+CMTI:/g) ?? []).length === 3, from);
    const list = await at.cmd('AT+CMGL=4');
    const parts = list.lines.filter((_, i) => i % 2 === 1).map((pdu) => decodeDeliverPdu(pdu));
    expect(parts.map((p) => p.concat?.seq)).toEqual([3, 1, 2]);
    expect(parts.every((p) => p.concat?.total === 3 && p.concat.refBits === 16 && p.concat.ref === parts[0]?.concat?.ref)).toBe(true);
    const bySeq = [...parts].sort((a, b) => (a.concat?.seq ?? 0) - (b.concat?.seq ?? 0));
    expect(bySeq.map((p) => p.text).join('')).toBe(LONG);
  });

  it('puts a +CMTI inside a running answer under urc-inside, and after it otherwise', async () => {
    for (const profile of ['urc-inside', undefined] as const) {
      const { at, sim } = await setup({ profile: profile ? [profile] : [] });
      await at.cmd('AT+CNMI=2,1,0,0,0');
      for (const n of [1, 2, 3]) sim.deliver({ sender: 'bKash', text: `m${n}`, announce: false });
      // A message arrives while the listing is being written.
      const arrive = (e: { line: string }) => {
        if (e.line === 'AT+CMGL=4') sim.deliver({ sender: 'bKash', text: 'late' });
      };
      sim.on('command', arrive);
      const from = at.raw.length;
      const list = await at.cmd('AT+CMGL=4');
      sim.off('command', arrive);
      const cmti = list.lines.indexOf('+CMTI: "SM",4');
      if (profile) {
        expect(cmti).toBeGreaterThan(0);
        expect(cmti).toBeLessThan(list.lines.length);
        expect(list.raw.indexOf('+CMTI')).toBeLessThan(list.raw.indexOf('\r\nOK\r\n'));
        // Never between a header and its PDU.
        expect(list.lines[cmti - 1]).toMatch(/^[0-9A-F]+$/);
      } else {
        expect(cmti).toBe(-1);
        expect(await at.until((t) => t.includes('+CMTI'), from)).toMatch(/\r\nOK\r\n\r\n\+CMTI: "SM",4\r\n$/);
      }
      // The late message is not in the listing.
      expect(list.lines.filter((l) => l.startsWith('+CMGL:'))).toHaveLength(3);
    }
  });

  it('answers slowly under slow', async () => {
    const { at } = await setup({ profile: 'slow', slowMs: [150, 200] });
    const t0 = Date.now();
    await at.cmd('AT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('counts indexes from 0 under zero-index', async () => {
    const { at, sim } = await setup({ profile: 'zero-index' });
    await at.cmd('AT+CNMI=2,1,0,0,0');
    const from = at.raw.length;
    expect(sim.deliver({ sender: 'bKash', text: 'zero' })).toEqual([0]);
    await at.until((t) => t.includes('+CMTI: "SM",0'), from);
    expect((await at.cmd('AT+CMGL=4')).lines[0]).toMatch(/^\+CMGL: 0,0,,\d+$/);
    expect((await at.cmd('AT+CMGD=20')).final).toBe('+CMS ERROR: 321');
    expect((await at.cmd('AT+CMGD=0')).final).toBe('OK');
  });

  it('starts full under sim-full, refuses new messages, and receives them once space is freed', async () => {
    const { at, sim } = await setup({ profile: ['sim-full', 'huawei'], storages: { SM: 5, ME: 10 }, huaweiIntervalMs: 10_000 });
    await at.cmd('AT+CNMI=2,1,0,0,0');
    expect((await at.cmd('AT+CPMS?')).lines).toEqual(['+CPMS: "SM",5,5,"SM",5,5,"SM",5,5']);
    const from = at.raw.length;
    expect(sim.deliver({ sender: 'bKash', text: 'no room' })).toEqual([]);
    await at.until((t) => t.includes('^SMMEMFULL: "SM"'), from);
    expect(sim.pendingInNetwork()).toHaveLength(1);
    await at.cmd('AT+CMGD=3');
    await at.until((t) => t.includes('+CMTI: "SM",3'), from);
    expect(sim.stored().find((m) => m.index === 3)?.decoded?.text).toBe('no room');
  });

  it('sends ^RSSI/^MODE/^BOOT under huawei until AT^CURC=0', async () => {
    const { at } = await setup({ profile: 'huawei', huaweiIntervalMs: 20 });
    await at.until((t) => /\^RSSI:18\r\n/.test(t) && /\^BOOT:/.test(t));
    expect((await at.cmd('AT^CURC=0')).final).toBe('OK');
    await new Promise((r) => setTimeout(r, 30));
    const from = at.raw.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(at.raw.slice(from)).toBe('');
  });

  it('routes URCs to another port under quectel until AT+QURCCFG points them here; other modems refuse the vendor commands', async () => {
    const { at, sim } = await setup({ profile: 'quectel' });
    await at.cmd('AT+CNMI=2,1,0,0,0');
    sim.deliver({ sender: 'bKash', text: 'elsewhere' });
    expect(
      sim
        .urcs()
        .filter((u) => u.lines[0]?.startsWith('+CMTI'))
        .map((u) => u.fate),
    ).toEqual(['other-port']);
    expect((await at.cmd('AT+QURCCFG="urcport"')).lines).toEqual(['+QURCCFG: "urcport","usbmodem"']);
    expect((await at.cmd('AT+QURCCFG="urcport","usbat"')).final).toBe('OK');
    const from = at.raw.length;
    sim.deliver({ sender: 'bKash', text: 'here' });
    await at.until((t) => t.includes('+CMTI: "SM",2'), from);
    expect((await at.cmd('AT^CURC=0')).final).toBe('ERROR');
    const other = await setup({ profile: 'huawei', huaweiIntervalMs: 10_000 });
    expect((await other.at.cmd('AT+QURCCFG="urcport","usbat"')).final).toBe('ERROR');
    expect((await other.at.cmd('AT^CURC=0')).final).toBe('OK');
  });

  it('sends noise lines under garbage and still answers', async () => {
    const { at } = await setup({ profile: 'garbage', garbageIntervalMs: 20 });
    // High bytes, NULs or an ESC sequence, on a line of their own.
    const noisy = (t: string) =>
      t.split('\r\n').some((l) => [...l].some((c) => c.charCodeAt(0) >= 0x80 || c === '\u0000' || c === '\u001b'));
    await at.until(noisy);
    expect((await at.cmd('AT')).final).toBe('OK');
  });

  it('delivers directly with +CMT under <mt>=2 and expects AT+CNMA', async () => {
    const { at, sim } = await setup({ cnmaTimeoutMs: 150 });
    await at.cmd('AT+CNMI=2,2,0,0,0');
    let from = at.raw.length;
    expect(sim.deliver({ sender: 'bKash', text: 'direct' })).toEqual([]);
    const cmt = await at.until((t) => /\+CMT: ,\d+\r\n[0-9A-F]+\r\n/.test(t), from);
    expect(decodeDeliverPdu(cmt.split('\r\n')[2] as string).text).toBe('direct');
    expect((await at.cmd('AT+CNMA')).final).toBe('OK');
    expect((await at.cmd('AT+CNMA')).final).toBe('+CMS ERROR: 340');
    expect(sim.stored()).toEqual([]);
    // Not acknowledged: routing stops (<mt> 0) and the network retries into storage.
    from = at.raw.length;
    sim.deliver({ sender: 'bKash', text: 'unacknowledged' });
    await at.until((t) => t.includes('+CMT:'), from);
    await at.until(() => sim.stored().length === 1);
    expect((await at.cmd('AT+CNMI?')).lines).toEqual(['+CNMI: 2,0,0,0,0']);
  });

  it('prompts for AT+CMGS and records the PDU sent', async () => {
    const { at, sim } = await setup();
    // SMS-SUBMIT to +8801712345678, GSM 7-bit "hi" (TS 23.040 §9.2.2.2), no SMSC.
    const pdu = '0001000D91881017325476F8000002E834';
    const prompt = await at.cmd(`AT+CMGS=${pdu.length / 2 - 1}`);
    expect(prompt.raw.endsWith('\r\n> ')).toBe(true);
    const from = at.raw.length;
    at.port.write(`${pdu}\x1a`);
    const done = await at.until((t) => FINAL.test(t), from);
    expect(done).toMatch(/\r\n\+CMGS: 1\r\n\r\nOK\r\n$/);
    expect(sim.sent()).toMatchObject([{ mode: 'pdu', mr: 1, pdu, to: '+8801712345678', text: 'hi' }]);
    // A wrong length is refused.
    await at.cmd('AT+CMGS=3');
    const from2 = at.raw.length;
    at.port.write(`${pdu}\x1a`);
    expect(await at.until((t) => FINAL.test(t), from2)).toContain('+CMS ERROR: 304');
  });
});
