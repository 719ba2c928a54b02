import { describe, expect, it } from 'vitest';
import { AtChannel, type AtTransport } from '../../../src-main/core/modem/at-channel';
import { parseCmgl } from '../../../src-main/core/modem/at-replies';

/**
 * 1. parseCmgl() pairs a "+CMGL: <index>,<stat>,,<length>" header with the next even-length hex
 *    line and ignores <length>. A noise line that happens to be hex ("00", "0D0A") between a header
 *    and its PDU is taken as that index's PDU: store() keeps it as "Unreadable SMS PDU … 00" and
 *    handle() deletes the index, so the real message is deleted unread (LOSS).
 * 2. AtChannel.receive() caps its buffer by slicing the whole buffer to its last 4 KB when it
 *    passes 64 KB, before splitting lines: one large read (a long listing delivered in one chunk)
 *    loses every complete line but the last 4 KB, not just a runaway partial line.
 */
const PDU = '07919188700000F0040ED0C2350B8A1C36011000006260511003054005C8329BFD06'; // a 26-octet TPDU after an 8-octet SMSC part

describe('modem review: reading listings', () => {
  it('does not pair a +CMGL header with a hex noise line of the wrong length', () => {
    const got = parseCmgl(['+CMGL: 3,0,,26', '00', PDU]);
    expect(got).toEqual([{ index: 3, pdu: PDU }]);
  });

  it('keeps every complete line of an answer that arrives in one read larger than 64 KB', async () => {
    const entries = 900; // 900 × (16 + 70) chars ≈ 77 KB, read in one chunk
    let listener: (chunk: string) => void = () => undefined;
    const big: AtTransport = {
      write: () => {
        let text = '\r\n';
        for (let i = 1; i <= entries; i += 1) text += `+CMGL: ${i},0,,26\r\n${PDU}\r\n`;
        text += '\r\nOK\r\n';
        setTimeout(() => listener(text), 1);
      },
      onData: (l) => {
        listener = l;
      },
    };
    const channel = new AtChannel(big);
    const r = await channel.send('AT+CMGL=4', { timeoutMs: 2_000 });
    expect(parseCmgl(r.lines).length).toBe(entries);
  });
});
