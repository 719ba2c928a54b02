/**
 * The bare SMS table of the ceilings (express + better-sqlite3 alone): the core's pragmas, one
 * row per SMS with a unique fingerprint, and, for a ceiling at the year's size, as many rows
 * already stored as the year holds. A unique key at a random place of a b-tree of a million
 * rows costs SQLite itself far more than one of a few thousand (pages out of cache, one dirty
 * page per row per commit), so the ceiling at 1M is measured on 1M rows, not on an empty file.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { WAL_CHECKPOINT_PAGES } from '../src-main/core/db/open-database';

export function corePragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
}

export const BARE_SMS_TABLE = `CREATE TABLE IF NOT EXISTS sms (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT,
  created_at INTEGER NOT NULL
) STRICT`;

/** Stores `rows` SMS-sized rows with random fingerprints (unsynced, then checkpointed). */
export function prefillSms(db: Database.Database, rows: number): void {
  if (rows <= 0) return;
  const insert = db.prepare('INSERT INTO sms (fingerprint, sender, body, received_at, created_at) VALUES (?, ?, ?, ?, ?)');
  const body =
    'You have received Tk 1,250.00 from 01712345678. Ref 4421. Fee Tk 0.00. Balance Tk 84,310.55. TrxID BKQ7T2M9XA at 14/03/2026 11:42';
  const chunk = db.transaction((n: number) => {
    for (let i = 0; i < n; i += 1) insert.run(crypto.randomBytes(16).toString('hex'), 'bKash', body, new Date().toISOString(), Date.now());
  });
  db.pragma('synchronous = OFF');
  for (let done = 0; done < rows; done += 10_000) chunk(Math.min(10_000, rows - done));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('synchronous = FULL');
}
