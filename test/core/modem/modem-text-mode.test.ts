import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BKASH, startModemCore, storedSms, type StoredSmsRow, stopModemCores, until, watchDeletions } from '../../support/modem-core';
import { ModemSimulator, type ModemSimOptions } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';

/**
 * Issue 11: a modem without PDU mode (AT+CMGF=0 refused) is read in text mode, with the character
 * set set explicitly (UCS2) and full headers (AT+CSDH=1), through the real core on a real pty.
 * The rule stays: a message is deleted by its own index only after its row is committed.
 */

const BANGLA = 'আপনার অ্যাকাউন্টে ৳৫০০ জমা হয়েছে। ধন্যবাদ।';
const NO_SWEEP = { sweepSeconds: 3600, keepaliveSeconds: 600 };

const rows = storedSms;

async function textModem(options: ModemSimOptions = {}): Promise<{ modem: ModemSimulator; violations: string[]; dir: { path: string } }> {
  const modem = await ModemSimulator.start({ noPduMode: true, ...options });
  const dir = { path: '/nonexistent' };
  const violations = watchDeletions(modem, () => path.join(dir.path, 'counterpay.sqlite'));
  return { modem, violations, dir };
}

afterEach(async () => {
  await stopModemCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem reader in text mode (a modem without PDU mode)', () => {
  it('reads the backlog at start (alphanumeric sender, UCS2 Bangla), deletes each by its index only after it is stored, and says text mode', async () => {
    const {
      modem,
      violations,
      dir: watched,
    } = await textModem({
      initialMessages: [
        { sender: 'bKash', text: BKASH('BKT1T2T3T4') },
        { sender: '+8801712345678', text: BANGLA, tzMinutes: -300, timestamp: new Date('2026-06-15T15:30:05Z') },
        { sender: 'bKash', text: BKASH('BKT1T2T3T5', '250.00', '1,750.00') },
      ],
    });
    const { core, dir } = await startModemCore(modem);
    watched.path = dir;
    await until('three rows', () => rows(dir).length === 3);
    await until('an empty SIM', () => modem.stored().length === 0);
    const stored = rows(dir);
    expect(stored.map((r) => r.sender)).toEqual(['bKash', '+8801712345678', 'bKash']);
    expect(stored[1]?.body).toBe(BANGLA);
    expect(stored.filter((r) => r.kind === 'credit').map((r) => r.txnid)).toEqual(['BKT1T2T3T4', 'BKT1T2T3T5']);
    expect(stored[0]?.sender_toa).toBe(0xd0);
    expect(stored[1]?.sender_toa).toBe(0x91);
    expect(stored[0]?.smsc).toBe('+8801700000000');
    // The SC time stamp with its zone in quarters of an hour ("-20": UTC-05:00).
    expect(stored[1]?.received_at).toBe(Date.parse('2026-06-15T15:30:05Z'));
    const log = modem.commandLog().map((c) => c.line);
    expect(log).toContain('AT+CMGF=0');
    expect(log).toContain('AT+CMGF=1');
    expect(log).toContain('AT+CSCS="UCS2"');
    expect(log).toContain('AT+CSDH=1');
    expect(modem.state().cmgf).toBe(1);
    const deletes = log.filter((l) => /^AT\+CMGD/.test(l));
    expect(deletes.length).toBe(3);
    expect(
      deletes.every((l) => /^AT\+CMGD=\d+$/.test(l)),
      'never a delete-all flag',
    ).toBe(true);
    expect(violations, 'deleted from the SIM before its row was committed').toEqual([]);
    for (const d of modem.deletions()) {
      const row = stored.find((r) => r.body.includes(d.decoded?.text ?? '\u0000'));
      expect(row, `deleted but not stored: ${d.decoded?.text ?? ''}`).toBeDefined();
      expect((row as StoredSmsRow).created_at).toBeLessThanOrEqual(d.at);
    }
    const [status] = core.modems.status();
    expect(status).toMatchObject({ state: 'ready', messages_read: 3 });
    expect(status?.detail).toMatch(/text mode.*UCS2/);
  });

  it('reads a +CMTI while idle (AT+CMGR of that index), then deletes it', async () => {
    const { modem, violations, dir: watched } = await textModem();
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    watched.path = dir;
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    await until('the start listing done', () => modem.commandLog().some((c) => c.line.startsWith('AT+CMGL')));
    const listings = modem.commandLog().filter((c) => c.line.startsWith('AT+CMGL')).length;
    const [index] = modem.deliver({ sender: 'bKash', text: BKASH('BKT2T2T3T4') });
    await until('the +CMTI read', () => rows(dir).length === 1, 5_000);
    await until('an empty SIM', () => modem.stored().length === 0, 5_000);
    expect(modem.commandLog().some((c) => c.line === `AT+CMGR=${index as number}`)).toBe(true);
    expect(modem.commandLog().filter((c) => c.line.startsWith('AT+CMGL')).length, 'no listing read it').toBe(listings);
    expect(rows(dir)[0]).toMatchObject({ sender: 'bKash', kind: 'credit', txnid: 'BKT2T2T3T4' });
    expect(violations).toEqual([]);
  });

  it('reads a UCS2 Bangla message announced by +CMTI, from an international sender', async () => {
    const { modem, violations, dir: watched } = await textModem();
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    watched.path = dir;
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    modem.deliver({ sender: '+8801712345678', text: BANGLA });
    await until('the Bangla row', () => rows(dir).length === 1, 5_000);
    expect(rows(dir)[0]).toMatchObject({ sender: '+8801712345678', body: BANGLA, sender_toa: 0x91 });
    await until('an empty SIM', () => modem.stored().length === 0, 5_000);
    expect(violations).toEqual([]);
  });

  it('stores each part of a multipart message flagged incomplete (never a payment), and deletes none before it is stored', async () => {
    const { modem, violations, dir: watched } = await textModem();
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    watched.path = dir;
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    const long = `${BKASH('BKT3T2T3T4')} ${'Thank you for using bKash. '.repeat(8)}`;
    const indexes = modem.deliver({ sender: 'bKash', text: long, concatRef: 5 });
    expect(indexes.length).toBeGreaterThan(1);
    await until('every part stored', () => rows(dir).length === indexes.length, 5_000);
    await until('an empty SIM', () => modem.stored().length === 0, 5_000);
    for (const row of rows(dir)) {
      expect(row).toMatchObject({ kind: 'unknown', txnid: null, sender: 'bKash' });
      expect(row.body).toMatch(/multipart/);
    }
    expect(violations).toEqual([]);
  });

  it('+CMT direct delivery in text mode: stored, then acknowledged (AT+CNMA)', async () => {
    const { modem } = await textModem({ defaultCnmi: [2, 2, 0, 0, 0], cnmiTest: '+CNMI: (0-2),(0,2),(0),(0),(0)' });
    const { core, dir } = await startModemCore(modem, { settings: NO_SWEEP });
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    modem.deliver({ sender: 'bKash', text: BKASH('BKT4T2T3T4') });
    await until('the delivered message', () => rows(dir).length === 1, 5_000);
    await until('acknowledged', () => modem.commandLog().some((c) => c.line === 'AT+CNMA'), 5_000);
    expect(rows(dir)[0]).toMatchObject({ sender: 'bKash', kind: 'credit', txnid: 'BKT4T2T3T4', sender_toa: 0xd0 });
    expect(modem.pendingInNetwork()).toEqual([]);
  });
});
