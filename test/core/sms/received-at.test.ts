import { afterEach, describe, expect, it } from 'vitest';
import { readReceivedAt } from '../../../src-main/core/sms/received-at';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
/** 2026-11-29 14:05:09 UTC, a Sunday: 20:05:09 in Dhaka (+06:00). */
const T = Date.UTC(2026, 10, 29, 14, 5, 9);
const DHAKA = { utcOffsetMinutes: 360 };

const read = (raw: unknown, opts?: { utcOffsetMinutes?: number }) => readReceivedAt(raw, NOW, opts);
const trusted = (at: number) => ({ at, trusted: true });
const fallback = { at: NOW, trusted: false };

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('readReceivedAt', () => {
  it('reads epoch milliseconds as a number or as a string of digits', () => {
    expect(read(T)).toEqual(trusted(T));
    expect(read(String(T))).toEqual(trusted(T));
    expect(read(` ${T} `)).toEqual(trusted(T));
  });

  it('reads epoch seconds as that date, not as milliseconds in 1970', () => {
    expect(read(T / 1000)).toEqual(trusted(T));
    expect(read(String(T / 1000))).toEqual(trusted(T));
  });

  it('truncates fractions instead of refusing them', () => {
    expect(read(T + 0.5)).toEqual(trusted(T));
    expect(read(`${T}.5`)).toEqual(trusted(T));
    expect(read(T / 1000 + 0.1234)).toEqual(trusted(T + 123));
  });

  it('reads ISO 8601 with a zone, whatever the shop offset', () => {
    for (const s of [
      '2026-11-29T14:05:09Z',
      '2026-11-29T14:05:09.000Z',
      '2026-11-29T20:05:09.000+06:00',
      '2026-11-29T20:05:09+0600',
      '2026-11-29 20:05:09 +06:00',
    ]) {
      expect(read(s, { utcOffsetMinutes: -300 }), s).toEqual(trusted(T));
    }
    expect(read('2026-11-29T14:05:09.250Z')).toEqual(trusted(T + 250));
  });

  it('reads a time without a zone in the shop offset it is given', () => {
    for (const s of ['2026-11-29T20:05:09', '2026-11-29 20:05:09', '2026/11/29 20:05:09', '2026-11-29 08:05:09 PM']) {
      expect(read(s, DHAKA), s).toEqual(trusted(T));
    }
    expect(read('2026-11-29 14:05:09', { utcOffsetMinutes: 0 })).toEqual(trusted(T));
  });

  it('reads the day-first local forms, with or without seconds and AM/PM', () => {
    expect(read('29/11/2026 20:05:09', DHAKA)).toEqual(trusted(T));
    expect(read('29-11-2026 20:05:09', DHAKA)).toEqual(trusted(T));
    expect(read('29/11/2026 20:05', DHAKA)).toEqual(trusted(T - 9_000));
    expect(read('29/11/2026 08:05:09 PM', DHAKA)).toEqual(trusted(T));
    expect(read('29/11/2026 8:05:09 pm', DHAKA)).toEqual(trusted(T));
    expect(read('29/11/2026 12:05:09 AM', DHAKA)).toEqual(trusted(T - 20 * 3_600_000));
  });

  it('reads month-first only when the day makes it unambiguous; otherwise day-first', () => {
    expect(read('11/29/2026 08:05:09 PM', DHAKA)).toEqual(trusted(T));
    // 3 April, not 4 March: the shop's convention is day-first.
    expect(read('03/04/2026 10:00:00', { utcOffsetMinutes: 0 })).toEqual(trusted(Date.UTC(2026, 3, 3, 10, 0, 0)));
  });

  it('without an offset, a time without a zone is the server process local time', () => {
    process.env.TZ = 'Asia/Dhaka';
    expect(read('2026-11-29 20:05:09')).toEqual(trusted(T));
    expect(read('29/11/2026 20:05:09')).toEqual(trusted(T));
  });

  it('reads an RFC 2822 time that names its zone', () => {
    expect(read('Sun, 29 Nov 2026 14:05:09 GMT')).toEqual(trusted(T));
  });

  it('falls back to the arrival time for a missing, unreadable or absurd value', () => {
    const bad: unknown[] = [
      null,
      undefined,
      '',
      '   ',
      'yesterday',
      '31/02/2026 10:00:00',
      '2026-13-01 10:00:00',
      '29/11/2026 25:00:00',
      '29/11/2026 13:00:00 PM',
      '2026-11-29',
      'x'.repeat(200),
      {},
      [],
      true,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -5,
      0,
      Date.UTC(1999, 11, 31, 23, 59, 59),
      '1999-12-31T23:59:59Z',
      'Sat Nov 28 14:05:09 2026',
    ];
    for (const raw of bad) expect(read(raw), String(raw)).toEqual(fallback);
  });

  it('clamps a time ahead of the clock to now + 5 minutes; a small lead is kept', () => {
    expect(read(NOW + 86_400_000)).toEqual({ at: NOW + 5 * 60_000, trusted: false });
    expect(read(NOW + 60_000)).toEqual(trusted(NOW + 60_000));
  });
});
