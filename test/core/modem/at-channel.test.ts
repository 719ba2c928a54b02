import { describe, expect, it } from 'vitest';
import { AtChannel, AtCommandError, AtTimeoutError, type AtTransport, type Urc } from '../../../src-main/core/modem/at-channel';
import { otherMemories, parseCmti, parseCnmi, parseIdentity } from '../../../src-main/core/modem/at-replies';

/** A scripted modem: each command written gets the chunks the script returns for it. */
class Scripted implements AtTransport {
  readonly written: string[] = [];
  private listener: (chunk: string) => void = () => undefined;
  constructor(private readonly answer: (command: string) => string[] | null) {}
  write(data: string): void {
    this.written.push(data);
    const chunks = this.answer(data);
    if (chunks) for (const c of chunks) setTimeout(() => this.listener(c), 1);
  }
  onData(listener: (chunk: string) => void): void {
    this.listener = listener;
  }
  push(chunk: string): void {
    this.listener(chunk);
  }
}

describe('AtChannel', () => {
  it('reads an answer with echo on, split across chunks, and drops the echo', async () => {
    const t = new Scripted((c) => (c === 'AT+CSQ\r' ? ['AT+CSQ\r\r\n+CS', 'Q: 21,99\r\n\r\nO', 'K\r\n'] : null));
    const ch = new AtChannel(t);
    const r = await ch.send('AT+CSQ');
    expect(r.lines).toEqual(['+CSQ: 21,99']);
    expect(r.final).toEqual({ ok: true });
  });

  it('keeps +CMTI, ^RSSI and RING apart from an AT+CMGL answer they arrive inside', async () => {
    const t = new Scripted((c) =>
      c === 'AT+CMGL=4\r' ? ['\r\n+CMGL: 1,0,,24\r\n', '+CMTI: "SM",3\r\n', '0791AA\r\n', '^RSSI:17\r\n', 'RING\r\n', '\r\nOK\r\n'] : null,
    );
    const ch = new AtChannel(t);
    const urcs: Urc[] = [];
    ch.onUrc((u) => urcs.push(u));
    const r = await ch.send('AT+CMGL=4');
    expect(r.lines).toEqual(['+CMGL: 1,0,,24', '0791AA']);
    expect(urcs.map((u) => u.code)).toEqual(['+CMTI', '^RSSI', 'RING']);
  });

  it('takes "+CPIN: NOT READY" (SIM800 at boot) as the answer to AT+CPIN?, and as a boot line otherwise', async () => {
    const t = new Scripted((c) => (c === 'AT+CPIN?\r' ? ['\r\n+CPIN: NOT READY\r\n\r\nOK\r\n'] : null));
    const ch = new AtChannel(t);
    const urcs: Urc[] = [];
    ch.onUrc((u) => urcs.push(u));
    expect((await ch.send('AT+CPIN?')).lines).toEqual(['+CPIN: NOT READY']);
    t.push('\r\n+CPIN: READY\r\n\r\nSMS Ready\r\n');
    expect(urcs.map((u) => u.line)).toEqual(['+CPIN: READY', 'SMS Ready']);
  });

  it('writes the AT+CMGS body after a prompt that an unsolicited line follows at once', async () => {
    const t = new Scripted((c) =>
      c === 'AT+CMGS=5\r' ? ['\r\n> \r\n+CMTI: "SM",4\r\n'] : c.endsWith('\x1a') ? ['\r\n+CMGS: 7\r\n\r\nOK\r\n'] : null,
    );
    const ch = new AtChannel(t);
    const urcs: Urc[] = [];
    ch.onUrc((u) => urcs.push(u));
    const r = await ch.send('AT+CMGS=5', { body: '0011AA', timeoutMs: 1_000 });
    expect(r.lines).toEqual(['+CMGS: 7']);
    expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",4']);
  });

  it('ends a command on a Huawei "COMMAND NOT SUPPORT"', async () => {
    const t = new Scripted(() => ['\r\nCOMMAND NOT SUPPORT\r\n']);
    const ch = new AtChannel(t);
    await expect(ch.send('AT+CCID', { timeoutMs: 500 })).rejects.toBeInstanceOf(AtCommandError);
  });

  it('reads the memory a +CMTI names, +CNMI?, identities and the other memories to read', () => {
    expect(parseCmti('+CMTI: "ME",3')).toEqual({ memory: 'ME', index: 3 });
    expect(parseCmti('+CMTI: SM,0')).toEqual({ memory: 'SM', index: 0 });
    expect(parseCmti('+CMTI: ,5')).toEqual({ memory: null, index: 5 });
    expect(parseCnmi(['+CNMI: 2,1,0,0,0'])).toEqual([2, 1, 0, 0, 0]);
    expect(parseIdentity(['867322034567891'], 14, 17)).toBe('867322034567891');
    expect(parseIdentity(['+CCID: "8988001234567890123F"'], 18, 22)).toBe('8988001234567890123F');
    expect(parseIdentity(['^ICCID: 98880012345678901234'], 18, 22)).toBe('98880012345678901234');
    expect(parseIdentity(['ERROR-ish'], 6, 15)).toBeNull();
    expect(otherMemories(['+CPMS: ("SM","ME","MT"),("SM","ME","MT"),("SM","ME")'], 'SM')).toEqual(['ME']);
    expect(otherMemories(['+CPMS: ("SM"),("SM"),("SM")'], 'SM')).toEqual([]);
  });

  it('treats +CREG: as the answer to AT+CREG? but as unsolicited otherwise', async () => {
    const t = new Scripted((c) => (c === 'AT+CREG?\r' ? ['\r\n+CREG: 0,1\r\n\r\nOK\r\n'] : null));
    const ch = new AtChannel(t);
    const urcs: Urc[] = [];
    ch.onUrc((u) => urcs.push(u));
    expect((await ch.send('AT+CREG?')).lines).toEqual(['+CREG: 0,1']);
    t.push('\r\n+CREG: 5\r\n');
    expect(urcs).toEqual([{ code: '+CREG', line: '+CREG: 5' }]);
  });

  it('rejects +CME ERROR and +CMS ERROR with their codes, and goes on with the next command', async () => {
    const t = new Scripted((c) =>
      c === 'AT+CPIN?\r' ? ['\r\n+CME ERROR: SIM PIN required\r\n'] : c === 'AT+CMGR=9\r' ? ['\r\n+CMS ERROR: 321\r\n'] : ['\r\nOK\r\n'],
    );
    const ch = new AtChannel(t);
    await expect(ch.send('AT+CPIN?')).rejects.toMatchObject({ final: { error: 'CME', code: 'SIM PIN required' } });
    const e = await ch.send('AT+CMGR=9').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AtCommandError);
    expect((e as AtCommandError).final).toEqual({ ok: false, error: 'CMS', code: '321' });
    expect((await ch.send('AT')).final.ok).toBe(true);
  });

  it('times a silent command out and sends the next one once the line is quiet', async () => {
    const t = new Scripted((c) => (c === 'AT\r' ? ['\r\nOK\r\n'] : null));
    const ch = new AtChannel(t);
    await expect(ch.send('AT+CMGL=4', { timeoutMs: 30 })).rejects.toBeInstanceOf(AtTimeoutError);
    expect((await ch.send('AT')).final.ok).toBe(true);
  });

  it('drops the late answer of a timed-out command instead of handing it to the next one', async () => {
    let late = '';
    const t = new Scripted((c) => {
      if (c === 'AT+CMGR=7\r') {
        late = '\r\n+CMGR: 0,,24\r\n0791AA\r\n\r\nOK\r\n';
        return null;
      }
      return c === 'AT+CMGR=8\r' ? ['\r\n+CMGR: 0,,24\r\n0791BB\r\n\r\nOK\r\n'] : null;
    });
    const ch = new AtChannel(t);
    await expect(ch.send('AT+CMGR=7', { timeoutMs: 20 })).rejects.toBeInstanceOf(AtTimeoutError);
    const next = ch.send('AT+CMGR=8');
    t.push(late);
    expect((await next).lines).toEqual(['+CMGR: 0,,24', '0791BB']);
  });

  it('runs one command at a time, in order', async () => {
    const t = new Scripted(() => ['\r\nOK\r\n']);
    const ch = new AtChannel(t);
    await Promise.all([ch.send('AT+A'), ch.send('AT+B'), ch.send('AT+C')]);
    expect(t.written).toEqual(['AT+A\r', 'AT+B\r', 'AT+C\r']);
  });

  it('reads +CMT (direct delivery) with its PDU line as one unsolicited message', () => {
    const ch = new AtChannel(new Scripted(() => null));
    const urcs: Urc[] = [];
    ch.onUrc((u) => urcs.push(u));
    (ch as unknown as { receive(s: string): void }).receive(
      '\r\n+CMT: ,24\r\n07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07\r\n',
    );
    expect(urcs).toEqual([
      { code: '+CMT', line: '+CMT: ,24', pdu: '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07' },
    ]);
  });

  it('writes the body after the > prompt of AT+CMGS, ended with Ctrl-Z', async () => {
    const t = new Scripted((c) => (c === 'AT+CMGS=12\r' ? ['\r\n> '] : c.endsWith('\x1a') ? ['\r\n+CMGS: 7\r\n\r\nOK\r\n'] : null));
    const ch = new AtChannel(t);
    const r = await ch.send('AT+CMGS=12', { body: '0011000B91' });
    expect(t.written).toEqual(['AT+CMGS=12\r', '0011000B91\x1a']);
    expect(r.lines).toEqual(['+CMGS: 7']);
  });

  it('survives garbage lines between commands (reported as unsolicited, never as an answer)', async () => {
    const t = new Scripted((c) => (c === 'AT\r' ? ['\x00\xff\r\n', '\r\nOK\r\n'] : null));
    const ch = new AtChannel(t);
    const urcs: Urc[] = [];
    ch.onUrc((u) => urcs.push(u));
    t.push('#$%^ noise\r\n');
    expect(urcs.map((u) => u.line)).toEqual(['#$%^ noise']);
    const r = await ch.send('AT');
    expect(r.final.ok).toBe(true);
  });
});
