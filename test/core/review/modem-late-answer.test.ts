import { describe, expect, it } from 'vitest';
import { AtChannel, type AtResponse, type AtTransport } from '../../../src-main/core/modem/at-channel';

/**
 * AtChannel's timeout handler drops the command in flight and sends the next one at once; the
 * late answer of the timed-out command is then read as the next command's answer, and every
 * answer after it is shifted by one. ModemReader tears the channel down after most timeouts, but
 * not after one in health() during a sweep (tryCmd rethrows, sweep() only logs). A +CMTI read
 * queued behind that AT+CSQ then gets the wrong answers: AT+CMGR=8 is answered with the PDU of
 * index 7, the reader stores that one and sends AT+CMGD=8, deleting message 8 unread (LOSS).
 */
class SlowModem implements AtTransport {
  private listener: (chunk: string) => void = () => undefined;
  private busyUntil = 0;
  constructor(private readonly answers: Record<string, string>) {}
  write(data: string): void {
    const answer = this.answers[data.replace(/\r$/, '')] ?? '\r\nOK\r\n';
    // A slow modem: answers in order, each 80 ms after the previous one.
    this.busyUntil = Math.max(Date.now(), this.busyUntil) + 80;
    setTimeout(() => this.listener(answer), this.busyUntil - Date.now());
  }
  onData(listener: (chunk: string) => void): void {
    this.listener = listener;
  }
}

const PDU7 = '07919188700000F0040ED0C2350B8A1C36011000006260511003054005C8329BFD06';
const PDU8 = '07919188700000F0040ED0C2350B8A1C36011000006260511003054005C8329BFD0E';

describe('modem review: an answer that comes after its command timed out', () => {
  it('never hands a late answer to the next command (AT+CMGR=8 must not get the PDU of index 7)', async () => {
    const ch = new AtChannel(
      new SlowModem({
        'AT+CSQ': '\r\n+CSQ: 18,99\r\n\r\nOK\r\n',
        'AT+CMGR=7': `\r\n+CMGR: 0,,24\r\n${PDU7}\r\n\r\nOK\r\n`,
        'AT+CMGR=8': `\r\n+CMGR: 0,,24\r\n${PDU8}\r\n\r\nOK\r\n`,
      }),
    );
    const csq = ch.send('AT+CSQ', { timeoutMs: 40 }).catch((e: unknown) => e);
    const r7 = ch.send('AT+CMGR=7', { timeoutMs: 2_000 }).catch((e: unknown) => e);
    const r8 = ch.send('AT+CMGR=8', { timeoutMs: 2_000 }).catch((e: unknown) => e);
    await csq;
    const got7 = await r7;
    const got8 = await r8;
    const lines = (r: unknown) => ((r as AtResponse).lines ?? []).join('|');
    expect(lines(got8), 'the answer taken for AT+CMGR=8').not.toContain(PDU7);
    expect(lines(got7), 'the answer taken for AT+CMGR=7').not.toContain('+CSQ');
  });
});
