import { afterEach, describe, expect, it } from 'vitest';
import { addDays, csvCell, dayRange, shopDateOf, shopIso, toCsv, zoneWords } from '../../../src-main/core/reports';

describe('report CSV cells (RFC 4180, OWASP CSV injection)', () => {
  it('quotes only what needs it, doubles quotes, and ends every record with CRLF', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['1', null],
          ['x,y', 'z'],
        ],
      ),
    ).toBe('a,b\r\n1,\r\n"x,y",z\r\n');
  });

  it('prefixes a cell a spreadsheet would run as a formula with a single quote', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+8801712345678')).toBe("'+8801712345678");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('the shop day', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  it('with config devices.utcOffsetMinutes: midnight to midnight at that offset', () => {
    const dhaka = { utcOffsetMinutes: 360 };
    expect(dayRange('2026-05-12', dhaka)).toEqual({ from: Date.parse('2026-05-11T18:00:00Z'), to: Date.parse('2026-05-12T18:00:00Z') });
    expect(shopDateOf(Date.parse('2026-05-11T18:00:00Z'), dhaka)).toBe('2026-05-12');
    expect(shopDateOf(Date.parse('2026-05-11T17:59:59Z'), dhaka)).toBe('2026-05-11');
    expect(shopIso(Date.parse('2026-05-11T18:30:05.250Z'), dhaka)).toBe('2026-05-12T00:30:05+06:00');
    expect(shopIso(0, { utcOffsetMinutes: -210 })).toBe('1969-12-31T20:30:00-03:30');
    expect(zoneWords(dhaka)).toEqual({ source: 'config', name: 'UTC+06:00' });
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it("without it: this computer's time zone, so a day across a clock change is 23 hours", () => {
    process.env.TZ = 'America/New_York';
    const { from, to } = dayRange('2026-03-08', {});
    expect(to - from).toBe(23 * 3_600_000);
    expect(new Date(from).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(shopIso(from, {})).toBe('2026-03-08T00:00:00-05:00');
    expect(shopIso(to, {})).toBe('2026-03-09T00:00:00-04:00');
    expect(zoneWords({})).toEqual({ source: 'computer', name: 'America/New_York' });
  });
});
