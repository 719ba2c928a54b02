/**
 * Ingest (validate + parse + store raw + parse + delivery, committed with synchronous=FULL)
 * per second into a real database file, over the fixture mix. Every message is made unique
 * (a counter appended) so each one is a new row, the expensive case. Batches of 1 are one
 * commit per SMS (a modem, staff paste); batches of 50 are what a phone's retry queue sends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDER_IDS } from '../src-shared/providers';
import { closeDatabase, openDatabase } from '../src-main/core/db';
import { silentLogger } from '../src-main/core/logging';
import { ensureShop } from '../src-main/core/shop';
import { SmsIngestor } from '../src-main/core/sms';
import { emit } from './_util';

const fixtures = fileURLToPath(new URL('../test/fixtures/sms/', import.meta.url));
const messages = PROVIDER_IDS.flatMap((p) =>
  (JSON.parse(fs.readFileSync(path.join(fixtures, `${p}.json`), 'utf8')) as { sender: string; body: string }[]).map(({ sender, body }) => ({
    sender,
    body,
  })),
);

function run(batchSize: number, durationMs: number): { perSecond: number; total: number; rows: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpay-bench-ingest-'));
  const db = openDatabase(dir);
  const shop = ensureShop(db, dir);
  const ingestor = new SmsIngestor(db, shop.merchantId, silentLogger());
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    const batch = [];
    for (let i = 0; i < batchSize; i += 1, n += 1) {
      const m = messages[n % messages.length] as { sender: string; body: string };
      batch.push({ sender: m.sender, body: `${m.body} #${n}` });
    }
    ingestor.ingestBatch(batch, { source: 'apk', origin: 'bench', isTest: false });
  }
  const seconds = (performance.now() - start) / 1000;
  const rows = (db.prepare('SELECT count(*) AS n FROM sms').get() as { n: number }).n;
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
  return { perSecond: Math.round(n / seconds), total: n, rows };
}

for (const size of [1, 50]) {
  const r = run(size, 2_000);
  process.stdout.write(`ingest batch=${size}: ${r.perSecond} SMS/s (${r.total} SMS, ${r.rows} rows, synchronous=FULL)\n`);
  emit({ name: `ingest.fixture_mix.batch${size}`, value: r.perSecond, unit: 'SMS/s', better: 'higher' });
}
