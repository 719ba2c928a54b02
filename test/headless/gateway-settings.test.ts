import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../support/child-process';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import { closeDatabase, openDatabase } from '../../src-main/core/db';
import { silentLogger } from '../../src-main/core/logging';
import { ensureShop } from '../../src-main/core/shop';
import { SmsIngestor } from '../../src-main/core/sms';
import { verifyAudit } from '../../src-main/core/audit';

describe('gateway settings from the CLI', () => {
  afterEach(() => removeTempDirs());

  it('adds sender IDs and a balance mode, updates them, refuses bad values, and audits each change', async () => {
    const dir = makeTempDir();
    const env = cleanEnv(dir);
    const added = await runCli(
      [
        'gateway',
        'add',
        '--data-dir',
        dir,
        '--provider',
        'bkash',
        '--account',
        '01711111111',
        '--senders',
        'BKASH-NEW, bKash2',
        '--balance-check',
        'warn',
      ],
      env,
    );
    expect(added.code).toBe(0);
    const view = JSON.parse(added.stdout) as { id: number; extra_sender_ids: string[]; balance_check: string; enabled: boolean };
    expect(view.extra_sender_ids).toEqual(['BKASH-NEW', 'bKash2']);
    expect(view.balance_check).toBe('warn');

    const updated = await runCli(
      ['gateway', 'update', '--data-dir', dir, '--id', String(view.id), '--enabled', 'false', '--balance-check', 'off'],
      env,
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ enabled: false, balance_check: 'off', extra_sender_ids: ['BKASH-NEW', 'bKash2'] });

    const bad = await runCli(['gateway', 'update', '--data-dir', dir, '--id', String(view.id), '--balance-check', 'never'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/balance_check/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['gateway', 'update', '--data-dir', dir, '--id', '99', '--enabled', 'true'], env);
    expect(missing.code).toBe(1);

    const db = openDatabase(dir);
    try {
      const shop = ensureShop(db, dir);
      const actions = (db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
      expect(actions.filter((a) => a === 'gateway.updated')).toHaveLength(2);
      expect(verifyAudit(db, shop.keys.audit_key).ok).toBe(true);
      // The shop-added ID now carries bKash credits; a phone number still cannot.
      const ingestor = new SmsIngestor(db, shop.merchantId, silentLogger());
      const body = 'You have received Tk 500.00 from 01712345678. Fee Tk 0.00. Balance Tk 1,500.50. TrxID BKQ1W2E3R4 at 12/05/2026 11:25';
      expect(ingestor.ingest({ sender: 'BKASH-NEW', body }, { source: 'apk', origin: 'p', isTest: false }).sms.kind).toBe('credit');
      expect(
        ingestor.ingest({ sender: '+8801712345678', body: body.replace('500.00', '501.00') }, { source: 'apk', origin: 'p', isTest: false })
          .sms.kind,
      ).toBe('spoof');
    } finally {
      closeDatabase(db);
    }
  });
});

describe('shop rename from the CLI', () => {
  afterEach(() => removeTempDirs());

  it('sets the name the checkout shows, refuses an empty or control-character name, and audits it', async () => {
    const dir = makeTempDir();
    const env = cleanEnv(dir);
    const ok = await runCli(['shop', 'rename', '--data-dir', dir, '--name', '  Rahim   Store '], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ name: 'Rahim Store' });
    expect((await runCli(['shop', 'rename', '--data-dir', dir, '--name', ''], env)).code).toBe(2);
    expect((await runCli(['shop', 'rename', '--data-dir', dir, '--name', 'Bad\u0007Name'], env)).code).toBe(2);
    const db = openDatabase(dir);
    try {
      expect(db.prepare('SELECT name FROM merchants').get()).toEqual({ name: 'Rahim Store' });
      expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'shop.renamed'").get()).toEqual({ n: 1 });
    } finally {
      closeDatabase(db);
    }
  });
});
