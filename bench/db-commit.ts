/**
 * How many money-moving commits per second this disk allows with the durability CounterPay
 * insists on (WAL + synchronous=FULL + BEGIN IMMEDIATE): the ceiling for settling payments.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, writeTransaction } from '../src-main/core/db';
import { ensureShop } from '../src-main/core/shop';
import { appendAudit } from '../src-main/core/audit';
import { emit } from './_util';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-'));
const db = openDatabase(dir);
const shop = ensureShop(db, dir);
const insertOutbox = db.prepare(
  `INSERT INTO outbox (merchant_id, channel, topic, subject_id, payload, next_attempt_at, created_at)
   VALUES (?, 'sync', 'bench', ?, '{}', ?, ?)`,
);

const durationMs = 2_000;
let commits = 0;
const start = performance.now();
while (performance.now() - start < durationMs) {
  writeTransaction(db, () => {
    const now = Date.now();
    insertOutbox.run(shop.merchantId, String(commits), now, now);
    appendAudit(db, shop.keys.audit_key, {
      actor: 'bench',
      action: 'bench.commit',
      subjectType: 'outbox',
      subjectId: String(commits),
      details: { n: commits },
    });
  });
  commits += 1;
}
const seconds = (performance.now() - start) / 1000;
const latencyMs = (seconds * 1000) / commits;
process.stdout.write(
  `db-commit: ${Math.round(commits / seconds)} commits/s (outbox row + audit row each, synchronous=FULL), ` +
    `${latencyMs.toFixed(3)} ms per commit, ${commits} commits in ${seconds.toFixed(2)} s\n`,
);
emit({ name: 'commit.outbox_audit', value: Math.round(commits / seconds), unit: 'commits/s', better: 'higher' });
closeDatabase(db);
fs.rmSync(dir, { recursive: true, force: true });
