/**
 * The ceiling: what the same HTTP work costs with express and better-sqlite3 alone, the core's
 * pragmas (WAL, synchronous=FULL, foreign_keys, busy_timeout) and nothing of CounterPay. Run as
 * a child process by the benchmarks (bench/_util.ts startCeiling); prints `ready <url>`.
 *
 *   --read FILE   a database it reads (the core's counterpay.sqlite, read-only queries)
 *   --own DIR     where it writes its own database (the push ceiling's inserts)
 *   --prefill N   SMS rows stored in it before `ready` (the ceiling at the year's size)
 *
 * Routes, each the bare minimum of its counterpart in the core:
 *   GET  /json          a fixed session-shaped JSON body         (GET /api/payment/sessions/:id, no database)
 *   GET  /session/:id   one sessions row by primary key           (GET /api/payment/sessions/:id)
 *   POST /sms           a batch inserted in one IMMEDIATE txn     (POST /api/device/sms)
 *   GET  /sms/:id       one of those rows by primary key          (the poll after a push)
 *   POST /lookup        sms rows of one TxnID on its index        (admin rpc txnid.lookup)
 */
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { BARE_SMS_TABLE, corePragmas, prefillSms } from './_bare-sms';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function open(file: string): Database.Database {
  const db = new Database(file);
  corePragmas(db);
  return db;
}

const own = open(path.join(arg('--own') ?? '.', 'ceiling.sqlite'));
own.exec(BARE_SMS_TABLE);
prefillSms(own, Number(arg('--prefill') ?? 0));
const insert = own.prepare(
  'INSERT INTO sms (fingerprint, sender, body, received_at, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING',
);
const byFingerprint = own.prepare('SELECT id FROM sms WHERE fingerprint = ?');
const ownById = own.prepare('SELECT * FROM sms WHERE id = ?');
const readFile = arg('--read');
const read = readFile ? open(readFile) : null;
const sessionById = read?.prepare('SELECT * FROM sessions WHERE id = ?');
const smsByTxnid = read?.prepare(
  'SELECT * FROM sms WHERE merchant_id = ? AND is_test = 0 AND txnid_normalized = ? ORDER BY received_at, id',
);

const SESSION = {
  session: {
    id: 'cs_0123456789abcdef01234567',
    order_id: 'ORD-1-42',
    amount: '500.00',
    currency: 'BDT',
    status: 'success',
    expires_at: '2026-11-30T10:00:00.000Z',
    created_at: '2026-11-29T10:00:00.000Z',
    successful_transaction: {
      txnid_submitted: 'BKX92H1ABC',
      verified_at: '2026-11-29T10:02:00.000Z',
      result_source: 'sms_late_match',
      reversed_at: null,
    },
    latest_transaction: {
      txnid_submitted: 'BKX92H1ABC',
      method: 'bkash',
      variant: 'personal',
      account_number: '01711111111',
      sender_account: '01712345678',
      amount: '500.00',
      status: 'success',
      result_source: 'sms_late_match',
      failure_reason: null,
      verified_at: '2026-11-29T10:02:00.000Z',
      reversed_at: null,
    },
    test: false,
  },
};

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json({ limit: 4 * 1024 * 1024 }));

app.get('/json', (_req, res) => {
  res.json(SESSION);
});

app.get('/session/:id', (req, res) => {
  const row = sessionById?.get(req.params.id);
  if (!row) res.status(404).json({ error: 'not found' });
  else res.json({ session: row });
});

const storeBatch = own.transaction((messages: { sender: string; body: string; received_at?: string }[], now: number) =>
  messages.map((m, index) => {
    const fingerprint = crypto.createHash('sha256').update(`${m.sender}\n${m.body}`).digest('hex');
    const isNew = insert.run(fingerprint, m.sender, m.body, m.received_at ?? null, now).changes === 1;
    const { id } = byFingerprint.get(fingerprint) as { id: number };
    return { index, ok: true, sms_id: id, is_new: isNew };
  }),
);

app.post('/sms', (req, res) => {
  const messages = (req.body as { messages?: { sender: string; body: string; received_at?: string }[] }).messages ?? [];
  const results = storeBatch.immediate(messages, Date.now());
  const fresh = results.filter((r) => r.is_new).length;
  res.json({ ok: true, accepted: results.length, new: fresh, duplicates: results.length - fresh, rejected: 0, results });
});

app.get('/sms/:id', (req, res) => {
  const row = ownById.get(Number(req.params.id));
  if (!row) res.status(404).json({ error: 'not found' });
  else res.json({ sms: row });
});

app.post('/lookup', (req, res) => {
  const txnid = String((req.body as { txnid?: unknown }).txnid ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  res.json({ result: { txnid, sms: smsByTxnid?.all(1, txnid) ?? [] } });
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`ready http://127.0.0.1:${address.port}\n`);
});

const stop = () => {
  server.close(() => {
    read?.close();
    own.close();
    process.exit(0);
  });
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
