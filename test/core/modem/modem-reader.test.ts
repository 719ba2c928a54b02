import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BKASH, startModemCore, storedSms, stopModemCore, stopModemCores, until, watchDeletions } from '../../support/modem-core';
import { ModemSimulator, type ModemSimOptions } from '../../support/modem-sim';
import { removeTempDirs } from '../../support/temp-dir';
import { httpRequest } from '../../support/http-client';
import { readKeyFile } from '../../../src-main/core/secrets';

/**
 * Issue 11: the modem reader against a simulated modem on a real pseudo-terminal (socat), opened
 * by the real serialport bindings, through the real core and a real SQLite file.
 */

const BANGLA = 'আপনার অ্যাকাউন্টে ৳৫০০ জমা হয়েছে। ধন্যবাদ।';

let clockOffset = 0;
const clock = () => Date.now() + clockOffset;

/** Every simulator's deletes, checked against the database at the moment each happens (its core's data dir). */
const watched = new Map<ModemSimulator, { dir: string | null; violations: string[] }>();

async function startCore(sim: ModemSimulator, modem: Record<string, unknown> = {}, dir?: string, settings: Record<string, unknown> = {}) {
  const started = await startModemCore(sim, { modem, dir, clock, settings });
  const w = watched.get(sim);
  if (w) w.dir = started.dir;
  return started;
}

const rows = storedSms;

/**
 * Every PDU the reader deleted from the SIM was already a committed row when the modem deleted it:
 * a whole SMS's row, or a multipart part's own row (modem_parts), looked up at the moment of the
 * delete (watchDeletions), so parts are checked too although their rows go once the message is whole.
 */
function deletedOnlyAfterStored(sim: ModemSimulator, dir: string): void {
  expect(watched.get(sim)?.violations ?? ['not watched'], 'deleted from the SIM before its row was committed').toEqual([]);
  const stored = rows(dir);
  for (const d of sim.deletions()) {
    const text = d.decoded?.text ?? null;
    expect(text, `the simulator reads what was deleted (${d.command})`).not.toBeNull();
    const row = stored.find((r) => r.body.includes(text as string));
    expect(row, `deleted from the SIM but not stored: ${text}`).toBeDefined();
    // A part's own row (modem_parts) is gone once the message is whole; a whole SMS's row predates its delete.
    if (!d.decoded?.concat) expect((row as { created_at: number }).created_at).toBeLessThanOrEqual(d.at);
  }
}

async function sim(options: ModemSimOptions = {}): Promise<ModemSimulator> {
  const s = await ModemSimulator.start(options);
  const w: { dir: string | null; violations: string[] } = { dir: null, violations: [] };
  watched.set(s, w);
  w.violations = watchDeletions(s, () => path.join(w.dir ?? '/nonexistent', 'counterpay.sqlite'));
  return s;
}

afterEach(async () => {
  watched.clear();
  await stopModemCores();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('modem reader', () => {
  it('reads the backlog at start (alphanumeric sender, UCS2 Bangla), stores each, then deletes it by its own index', async () => {
    const modem = await sim({
      profile: 'echo',
      initialMessages: [
        { sender: 'bKash', text: BKASH('BKA1B2C3D4') },
        { sender: '+8801712345678', text: BANGLA },
        { sender: 'bKash', text: BKASH('BKA1B2C3D5', '250.00', '1,750.00') },
      ],
    });
    const { core, dir, urls } = await startCore(modem);
    await until('three rows', () => rows(dir).length === 3);
    await until('an empty SIM', () => modem.stored().length === 0);
    const stored = rows(dir);
    expect(stored.map((r) => r.sender)).toEqual(['bKash', '+8801712345678', 'bKash']);
    expect(stored[1]?.body).toBe(BANGLA);
    expect(stored.filter((r) => r.kind === 'credit').map((r) => r.txnid)).toEqual(['BKA1B2C3D4', 'BKA1B2C3D5']);
    expect(stored[0]?.sender_toa).toBe(0xd0);
    expect(stored[0]?.smsc).toBe('+8801700000000');
    const deletes = modem.commandLog().filter((c) => /^AT\+CMGD/.test(c.line));
    expect(
      deletes.every((c) => /^AT\+CMGD=\d+$/.test(c.line)),
      'never a delete-all flag',
    ).toBe(true);
    deletedOnlyAfterStored(modem, dir);
    expect(core.modems.status()[0]).toMatchObject({ state: 'ready', label: 'sim', messages_read: 3 });
    // The admin API shows it as the Devices screen does.
    const keys = readKeyFile(dir);
    const r = await httpRequest(urls.admin as string, '/api/admin/rpc/modems.list', {
      method: 'POST',
      headers: { authorization: `Bearer ${keys?.admin_token ?? ''}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status, r.text).toBe(200);
    const [view] = (r.json as { result: { modems: Record<string, unknown>[] } }).result.modems;
    expect(view).toMatchObject({ label: 'sim', path: modem.devicePath, state: 'ready', registration: 'home', storage: { used: 0 } });
    expect((view as { signal: { dbm: number } }).signal.dbm).toBeLessThan(0);
  });

  it('reads a +CMTI while idle, and one that arrives while a command is running (only +CMTI can: the sweep is an hour)', async () => {
    const modem = await sim({ profile: ['urc-inside', 'slow'], slowMs: [50, 150] });
    const { core, dir } = await startCore(modem, {}, undefined, { sweepSeconds: 3600, keepaliveSeconds: 600 });
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    const cmgr = (index: number) => modem.commandLog().some((c) => c.line === `AT+CMGR=${index}`);
    await core.modems.readAll(); // after the backlog read at start
    const [idle] = modem.deliver({ sender: 'bKash', text: BKASH('BKC1C2C3C4') });
    await until('the idle +CMTI read', () => rows(dir).length === 1, 3_000);
    expect(cmgr(idle as number), 'AT+CMGR for the announced index').toBe(true);
    // Two arrive while commands run: one just after the modem took a listing (so not in it),
    // one while it sends an SMS (AT+CMGS). Their +CMTI land inside those answers ('urc-inside').
    // No listing follows: only the +CMTI can bring them in.
    const during: number[] = [];
    const hook = (entry: { line: string }) => {
      if (entry.line === 'AT+CMGL=4' && during.length === 0) during.push(...modem.deliver({ sender: 'bKash', text: BKASH('BKC1C2C3C5') }));
      else if (/^AT\+CMGS=/.test(entry.line) && during.length === 1)
        during.push(...modem.deliver({ sender: 'bKash', text: BKASH('BKC1C2C3C6') }));
    };
    modem.on('command', hook);
    await core.modems.readAll();
    core.modems.startCanary('+8801712345678');
    await until('the SMS sent', () => modem.sent().length === 1, 3_000);
    modem.off('command', hook);
    expect(during.length).toBe(2);
    const listings = modem.commandLog().filter((c) => c.line.startsWith('AT+CMGL')).length;
    await until('all three', () => rows(dir).length === 3, 3_000);
    for (const index of during) expect(cmgr(index), `AT+CMGR=${index} for the +CMTI sent during a command`).toBe(true);
    expect(modem.commandLog().filter((c) => c.line.startsWith('AT+CMGL')).length, 'no listing read them').toBe(listings);
    await until('an empty SIM', () => modem.stored().length === 0);
    deletedOnlyAfterStored(modem, dir);
  });

  it('joins a multipart message delivered in order and out of order, each part kept until the whole is stored', async () => {
    const modem = await sim();
    const { core, dir } = await startCore(modem);
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    const long = `${BKASH('BKM1M2M3M4')} ${'Thank you for using bKash. '.repeat(8)}`;
    modem.deliver({ sender: 'bKash', text: long, concatRef: 7 });
    modem.deliver({
      sender: 'bKash',
      text: long.replace('BKM1M2M3M4', 'BKM1M2M3M5'),
      concatRef: 300,
      concatRefBits: 16,
      partsOrder: [3, 1, 2],
    });
    await until('two whole messages', () => rows(dir).length === 2, 10_000);
    expect(rows(dir).map((r) => r.body)).toEqual([long, long.replace('BKM1M2M3M4', 'BKM1M2M3M5')]);
    expect(rows(dir).map((r) => r.kind)).toEqual(['credit', 'credit']);
    await until('an empty SIM', () => modem.stored().length === 0);
    expect(core.modems.status()[0]?.parts_waiting).toBe(0);
    deletedOnlyAfterStored(modem, dir);
  });

  it('keeps a part across a restart: the message is whole when its last part comes after the restart', async () => {
    const modem = await sim();
    const first = await startCore(modem);
    await until('ready', () => first.core.modems.status()[0]?.state === 'ready');
    const long = `${BKASH('BKR1R2R3R4')} ${'Thank you for using bKash. '.repeat(8)}`;
    modem.deliver({ sender: 'bKash', text: long, concatRef: 42, partsOrder: [1] });
    await until(
      'the part kept and off the SIM',
      () => first.core.modems.status()[0]?.parts_waiting === 1 && modem.stored().length === 0,
      10_000,
    );
    expect(rows(first.dir)).toEqual([]);
    await stopModemCore(first.core);
    const second = await startCore(modem, {}, first.dir);
    modem.deliver({ sender: 'bKash', text: long, concatRef: 42, partsOrder: [2, 3] });
    await until('the whole message', () => rows(first.dir).length === 1, 10_000);
    expect(rows(first.dir)[0]?.body).toBe(long);
    expect(second.core.modems.status()[0]?.parts_waiting).toBe(0);
    await until('an empty SIM', () => modem.stored().length === 0);
    deletedOnlyAfterStored(modem, first.dir);
  });

  it('stores a multipart message whose last part never comes, after the wait, flagged incomplete and never a payment', async () => {
    clockOffset = 0;
    const modem = await sim();
    const { core, dir } = await startCore(modem);
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    const long = `${BKASH('BKI1I2I3I4')} ${'Thank you for using bKash. '.repeat(8)}`;
    modem.deliver({ sender: 'bKash', text: long, concatRef: 9, partsOrder: [1, 2] });
    await until('two parts kept', () => core.modems.status()[0]?.parts_waiting === 2, 10_000);
    await core.modems.sweep();
    expect(rows(dir)).toEqual([]);
    clockOffset = 61 * 60_000;
    await core.modems.sweep();
    const [row] = rows(dir);
    expect(row?.body).toMatch(/\[part 3 of 3 missing\]$/);
    expect(row?.body.startsWith(long.slice(0, 100))).toBe(true);
    expect(row).toMatchObject({ kind: 'unknown', txnid: null });
    expect(core.modems.status()[0]?.parts_waiting).toBe(0);
    clockOffset = 0;
  });

  it('drains a full SIM', async () => {
    const modem = await sim({ profile: 'sim-full', storages: { SM: 20, ME: 23 } });
    expect(modem.stored().length).toBe(20);
    const { dir } = await startCore(modem);
    await until('twenty rows', () => rows(dir).length === 20, 20_000);
    await until('an empty SIM', () => modem.stored().length === 0);
    deletedOnlyAfterStored(modem, dir);
  });

  it('unlocks a PIN-locked SIM with the configured PIN, waiting out "SIM busy"', async () => {
    const modem = await sim({
      profile: ['pin', 'sim-busy'],
      pin: '4321',
      simBusyMs: 800,
      initialMessages: [{ sender: 'bKash', text: BKASH('BKP1P2P3P4') }],
    });
    const { core, dir } = await startCore(modem, { pin: '4321' });
    await until('the message', () => rows(dir).length === 1, 15_000);
    expect(core.modems.status()[0]?.state).toBe('ready');
  });

  it('reports a PIN-locked SIM without a PIN, and never sends a refused PIN twice', async () => {
    const locked = await sim({ profile: 'pin', pin: '4321' });
    const a = await startCore(locked);
    await until('sim_locked', () => a.core.modems.status()[0]?.state === 'sim_locked');
    expect(a.core.modems.status()[0]?.detail).toMatch(/PIN/);
    await stopModemCore(a.core);

    const wrong = await sim({ profile: 'pin', pin: '4321' });
    const b = await startCore(wrong, { pin: '1111' });
    await until('pin_rejected', () => b.core.modems.status()[0]?.state === 'pin_rejected');
    // Unplug and replug: the reader reconnects, and still does not try the refused PIN again.
    await wrong.unplug();
    await wrong.replug();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(wrong.commandLog().filter((c) => c.line.startsWith('AT+CPIN="')).length).toBe(1);
    // Nor after a restart of the whole core on the same data dir; a new PIN in the config is tried.
    await stopModemCore(b.core);
    const c = await startCore(wrong, { pin: '1111' }, b.dir);
    await until('pin_rejected again', () => c.core.modems.status()[0]?.state === 'pin_rejected');
    expect(wrong.commandLog().filter((l) => l.line.startsWith('AT+CPIN="')).length).toBe(1);
    await stopModemCore(c.core);
    const d = await startCore(wrong, { pin: '4321' }, b.dir);
    await until('ready with the right PIN', () => d.core.modems.status()[0]?.state === 'ready', 15_000);
  });

  it('reads through garbage lines and Huawei reports', async () => {
    const modem = await sim({
      profile: ['garbage', 'huawei'],
      garbageIntervalMs: 30,
      huaweiIntervalMs: 40,
      initialMessages: [{ sender: 'bKash', text: BKASH('BKG1G2G3G4') }],
    });
    const { dir } = await startCore(modem);
    await until('the message', () => rows(dir).length === 1, 15_000);
    modem.deliver({ sender: 'bKash', text: BKASH('BKG1G2G3G5') });
    await until('the second', () => rows(dir).length === 2, 15_000);
    expect(modem.commandLog().some((c) => c.line === 'AT^CURC=0')).toBe(true);
  });

  it('reads a modem that counts indexes from 0, and a Quectel whose announcements go to the AT port only once asked', async () => {
    const zero = await sim({ profile: 'zero-index', initialMessages: [{ sender: 'bKash', text: BKASH('BKZ1Z2Z3Z4') }] });
    const a = await startCore(zero);
    await until('the stored one', () => rows(a.dir).length === 1);
    zero.deliver({ sender: 'bKash', text: BKASH('BKZ1Z2Z3Z5') });
    await until('the announced one', () => rows(a.dir).length === 2);
    await until('an empty SIM', () => zero.stored().length === 0);
    expect(zero.deletions().map((d) => d.index)).toContain(0);

    const quectel = await sim({ profile: 'quectel' });
    const b = await startCore(quectel, { label: 'quectel' });
    await until('ready', () => b.core.modems.status()[0]?.state === 'ready');
    const t0 = Date.now();
    quectel.deliver({ sender: 'bKash', text: BKASH('BKQ1Q2Q3Q4') });
    await until('read on its +CMTI, well before the 5 s sweep', () => rows(b.dir).length === 1, 4_000);
    expect(Date.now() - t0).toBeLessThan(4_000);
  });

  it('loses nothing across unplug and replug: what arrived meanwhile is read once the modem is back', async () => {
    const modem = await sim();
    const { core, dir } = await startCore(modem);
    await until('ready', () => core.modems.status()[0]?.state === 'ready');
    await modem.unplug();
    await until('disconnected', () => core.modems.status()[0]?.state === 'disconnected', 10_000);
    modem.preload({ sender: 'bKash', text: BKASH('BKU1U2U3U4') });
    await modem.replug();
    await until('the message after replug', () => rows(dir).length === 1, 20_000);
    await until('an empty SIM', () => modem.stored().length === 0);
    expect(core.modems.status()[0]?.state).toBe('ready');
  });
});
