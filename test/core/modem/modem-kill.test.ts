import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { cleanEnv, killAllChildren, startServer } from '../../support/child-process';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

/**
 * Issue 11's rule that matters most, tried the hard way: the headless core (`serve --modem PATH`,
 * a child process) is killed with SIGKILL at random moments while it reads a backlog from a slow
 * modem, and started again, until the SIM is empty. Then, from the simulator's own record of
 * deletions: every message deleted from the SIM is in the database, and none is there twice.
 */

/** mulberry32: the kill moments are random but replayable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const body = (i: number) =>
  `You have received Tk ${100 + i}.00 from 01712345678. Fee Tk 0.00. Balance Tk ${5000 + i}.00. TrxID BKK${String(1_000_000 + i)} at 15/06/2026 10:30`;

afterEach(async () => {
  await killAllChildren();
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

describe('killing the core during a backlog read', () => {
  it('never deletes a message from the SIM before it is stored, and stores each once', { timeout: 120_000 }, async () => {
    const N = 24;
    const modem = await ModemSimulator.start({
      profile: 'slow',
      slowMs: [20, 80],
      storages: { SM: 30, ME: 23 },
      initialMessages: Array.from({ length: N }, (_, i) => ({ sender: 'bKash', text: body(i) })),
    });
    const dir = makeTempDir('counterpay-modem-kill-');
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ log: { level: 'warn' }, modem: { probe: false, sweepSeconds: 5, commandTimeoutSeconds: 3 } }),
    );
    const env = cleanEnv(makeTempDir('counterpay-sandbox-'));
    const args = ['serve', '--data-dir', dir, '--public-port', '0', '--device-port', '0', '--admin-port', '0', '--modem', modem.devicePath];
    const random = rng(20261130);
    let kills = 0;
    for (let round = 0; round < 12 && modem.stored().length > 0; round += 1) {
      const server = await startServer(args, env);
      if (round < 5) {
        // Somewhere in the middle of the listing, the reads and the deletes.
        await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 900)));
        server.child.kill('SIGKILL');
        await new Promise((r) => server.child.once('exit', r));
        kills += 1;
      } else {
        const end = Date.now() + 20_000;
        while (modem.stored().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
        await server.stop('SIGTERM');
      }
    }
    expect(kills).toBe(5);
    expect(modem.history().length, 'the SIM held the whole backlog').toBe(N);
    expect(modem.stored()).toEqual([]);
    const db = new Database(path.join(dir, 'counterpay.sqlite'), { readonly: true });
    const stored = db.prepare("SELECT body FROM sms WHERE sender = 'bKash'").all() as { body: string }[];
    db.close();
    const bodies = stored.map((r) => r.body);
    // Each message once (the dedupe absorbs a message read again after a kill before its delete).
    expect(bodies.sort()).toEqual(Array.from({ length: N }, (_, i) => body(i)).sort());
    // Every deletion the modem carried out was of a message already in the database.
    const deletions = modem.deletions();
    expect(deletions.length).toBe(N);
    for (const d of deletions) expect(bodies, d.command).toContain(d.decoded?.text);
    expect(deletions.every((d) => d.flag === 0)).toBe(true);
  });
});
