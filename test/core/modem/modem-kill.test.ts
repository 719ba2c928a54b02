import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModemSimulator } from '../../support/modem-sim';
import { cleanEnv, HEADLESS_MAIN, REPO_ROOT } from '../../support/child-process';
import { watchDeletions } from '../../support/modem-core';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';

/**
 * Issue 11's rule that matters most, tried the hard way: the headless core (`serve --modem PATH`,
 * a child process) is killed with SIGKILL while it reads a backlog of single and multipart
 * messages, at moments aimed at the backlog read itself: right after the modem took the listing
 * (AT+CMGL=4), right after the n-th delete, and just before the n-th delete reaches the modem
 * (the row is committed, the SIM copy is not yet gone). It is started again each time until the
 * SIM is empty. At every delete the modem carries out, the test process looks in the database:
 * the message (or the multipart part) must already be committed there, as an SMS row or a part
 * row. At the end every message is stored exactly once, whole.
 */

const single = (i: number) =>
  `You have received Tk ${100 + i}.00 from 01712345678. Fee Tk 0.00. Balance Tk ${5000 + i}.00. TrxID BKK${String(1_000_000 + i)} at 15/06/2026 10:30`;
const multi = (i: number) =>
  `${single(50 + i)} Thank you for using bKash. Dial *247# for offers and your statement. Never share your PIN or OTP with anyone. Message ${i}.`;

const children = new Set<ChildProcess>();

function spawnCore(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', HEADLESS_MAIN, ...args], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

afterEach(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all([...children].map(exited));
  await ModemSimulator.stopAll();
});
afterAll(() => removeTempDirs());

type Kill = { at: 'listing' } | { at: 'after-delete'; n: number } | { at: 'before-delete'; n: number };

describe('killing the core during a backlog read', () => {
  it('never deletes a message or a part before its row is committed, and stores each message once', { timeout: 240_000 }, async () => {
    const singles = Array.from({ length: 8 }, (_, i) => ({ sender: 'bKash', text: single(i) }));
    const multis = Array.from({ length: 4 }, (_, i) => ({ sender: 'bKash', text: multi(i) }));
    // Interleaved on the SIM: a listing holds parts of several messages between single ones.
    const initial = singles.flatMap((s, i) => (multis[i] ? [s, multis[i]] : [s]));
    const plan: Kill[] = [
      { at: 'listing' },
      { at: 'before-delete', n: 2 },
      { at: 'after-delete', n: 1 },
      { at: 'before-delete', n: 3 },
      { at: 'after-delete', n: 2 },
      { at: 'before-delete', n: 1 },
      { at: 'listing' },
      { at: 'before-delete', n: 2 },
      { at: 'after-delete', n: 3 },
      { at: 'before-delete', n: 1 },
      { at: 'before-delete', n: 2 },
    ];
    let child: ChildProcess | null = null;
    let kill: Kill | null = null;
    let deletesThisRound = 0;
    let kills = 0;
    const killNow = () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      kills += 1;
      kill = null;
    };
    const modem = await ModemSimulator.start({
      profile: 'slow',
      slowMs: [5, 30],
      storages: { SM: 40, ME: 23 },
      initialMessages: initial,
      override: (line) => {
        if (!/^AT\+CMGD=/.test(line) || kill?.at !== 'before-delete') return undefined;
        if (deletesThisRound + 1 < kill.n) return undefined;
        // The row is committed, the delete never reaches the SIM.
        killNow();
        return { final: 'OK' };
      },
    });
    modem.on('command', (entry) => {
      if (kill?.at === 'listing' && entry.line === 'AT+CMGL=4') killNow();
      if (/^AT\+CMGD=/.test(entry.line)) {
        deletesThisRound += 1;
        if (kill?.at === 'after-delete' && deletesThisRound >= kill.n) killNow();
      }
    });
    const pdus = modem.stored().length;
    expect(pdus, 'multipart messages take several slots').toBeGreaterThanOrEqual(singles.length + 2 * multis.length);

    const dir = makeTempDir('counterpay-modem-kill-');
    const dbPath = path.join(dir, 'counterpay.sqlite');
    const violations = watchDeletions(modem, dbPath);
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        log: { level: 'warn' },
        modem: { probe: false, sweepSeconds: 5, commandTimeoutSeconds: 3, incompleteWaitMinutes: 1 },
      }),
    );
    const env = cleanEnv(makeTempDir('counterpay-sandbox-'));
    const args = ['serve', '--data-dir', dir, '--public-port', '0', '--device-port', '0', '--admin-port', '0', '--modem', modem.devicePath];

    for (const step of plan) {
      if (modem.stored().length === 0) break;
      kill = step;
      deletesThisRound = 0;
      child = spawnCore(args, env);
      const end = Date.now() + 40_000;
      while (kill !== null && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      expect(kill, `the kill aimed at ${JSON.stringify(step)} happened`).toBeNull();
      await exited(child);
    }
    expect(kills, 'kills landed in the backlog read').toBeGreaterThanOrEqual(8);
    // Then a run to the end.
    kill = null;
    child = spawnCore(args, env);
    const end = Date.now() + 40_000;
    while (modem.stored().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    // A part read again after its message was whole must not come back as a message of its own.
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGTERM');
    await exited(child);

    expect(violations, 'deleted from the SIM before its row (or part row) was committed').toEqual([]);
    expect(modem.stored()).toEqual([]);
    const db = new Database(dbPath, { readonly: true });
    const bodies = (db.prepare("SELECT body FROM sms WHERE sender = 'bKash'").all() as { body: string }[]).map((r) => r.body);
    const waiting = (db.prepare('SELECT count(*) AS n FROM modem_parts WHERE done_at IS NULL').get() as { n: number }).n;
    db.close();
    // Each message once and whole (the dedupe absorbs a single message read again after a kill
    // before its delete; a part read again after its message was completed must be recognised).
    expect(bodies.sort()).toEqual([...singles, ...multis].map((m) => m.text).sort());
    expect(waiting, 'no part left waiting').toBe(0);
    const deletions = modem.deletions();
    expect(deletions.length).toBe(pdus);
    expect(deletions.every((d) => d.flag === 0)).toBe(true);
  });
});
