import type Database from 'better-sqlite3';
import { bankOfSender, debitFee, headerId } from '../../parsers';
import { isProviderId } from '../../../../src-shared/providers';
import { decimalToMinor } from '../../../../src-shared/money';
import type { Migration } from './index';

/**
 * The balance chain keyed per wallet account and ordered by balance arithmetic (issue 8).
 *
 * - sms.balance_chain: the chain key, normalised (`AXIS:1234` for UPI, `''` or `gw:<id>` for the
 *   gateways of a wallet whose SMS name no account, `?` for a broken SMS of several gateways).
 * - sms.balance_at: the chain's order time, the wallet's own time where printed.
 * - sms.balance_prev_minor: the balance the SMS implies just before it; a broken SMS becomes
 *   `follows` when a trusted point with exactly that balance appears.
 * - sms.balance_tip: 1 while a trusted SMS takes a successor, 0 once followed, -1 once a staff
 *   anchor closed it. balance_anchors.open is the same for anchors.
 * - balance_chains: the chains that have a trusted point, for the start rule ("no other chain of
 *   this account") and for the missing-SMS view.
 *
 * The indexes make each chain lookup an equality search ending in the order column, so the
 * old walk back over every broken SMS of a wallet is gone.
 */
const SQL = /* sql */ `
ALTER TABLE sms ADD COLUMN balance_chain TEXT;
ALTER TABLE sms ADD COLUMN balance_at INTEGER;
ALTER TABLE sms ADD COLUMN balance_prev_minor INTEGER;
ALTER TABLE sms ADD COLUMN balance_tip INTEGER CHECK (balance_tip IS NULL OR balance_tip IN (-1, 0, 1));
ALTER TABLE sms ADD COLUMN balance_follows_sms INTEGER REFERENCES sms(id);
ALTER TABLE sms ADD COLUMN balance_follows_anchor INTEGER REFERENCES balance_anchors(id);
ALTER TABLE balance_anchors ADD COLUMN open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1));

CREATE TABLE balance_chains (
  id INTEGER PRIMARY KEY,
  merchant_id INTEGER NOT NULL REFERENCES merchants(id),
  provider TEXT NOT NULL,
  chain_key TEXT NOT NULL,
  -- The account's visible digits ('' when the wallet's SMS name none) and, for UPI, its bank.
  account TEXT NOT NULL,
  bank TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (merchant_id, provider, chain_key)
) STRICT;

DROP INDEX IF EXISTS sms_balance_chain;
-- Open tips by balance: what a new SMS may follow.
CREATE INDEX sms_balance_tips ON sms (merchant_id, provider, balance_chain, balance_minor, balance_at)
  WHERE balance_tip = 1;
-- Trusted points in order: a chain's most recent point, or its last one before a time.
CREATE INDEX sms_balance_points ON sms (merchant_id, provider, balance_chain, balance_at)
  WHERE balance_link IN ('start', 'follows');
-- A chain's first SMS by implied previous balance: an SMS that arrives late but came before it.
CREATE INDEX sms_balance_roots ON sms (merchant_id, provider, balance_chain, balance_prev_minor, balance_at)
  WHERE balance_link = 'start';
-- Broken SMS by implied previous balance (re-link) and by time (missing SMS).
CREATE INDEX sms_balance_breaks ON sms (merchant_id, provider, balance_chain, balance_prev_minor, balance_at)
  WHERE balance_link = 'breaks';
CREATE INDEX sms_balance_breaks_at ON sms (merchant_id, provider, balance_chain, balance_at)
  WHERE balance_link = 'breaks';
CREATE INDEX balance_anchors_open ON balance_anchors (merchant_id, provider, account_key, balance_minor, anchored_at)
  WHERE open = 1;
CREATE INDEX gateways_provider ON gateways (merchant_id, provider, id);
`;

interface OldSms {
  id: number;
  merchant_id: number;
  provider: string;
  sender: string;
  body: string;
  kind: string;
  amount_minor: number | null;
  balance_minor: number;
  account_hint: string | null;
  received_at: number;
  balance_link: 'start' | 'follows' | 'breaks';
}

interface Chain {
  merchantId: number;
  provider: string;
  key: string;
  account: string;
  bank: string;
  starts: number;
  latest: { id: number; at: number } | null;
  anchors: { id: number; at: number }[];
  createdAt: number;
}

// Copies of balance/chain-key.ts as this migration shipped: a migration means the same thing
// whenever it runs, whatever the balance domain becomes later.
function accountDigits(hint: string | null): string {
  if (typeof hint !== 'string') return '';
  let lastMask = -1;
  for (const m of hint.matchAll(/[x*•]/gi)) lastMask = m.index;
  if (lastMask >= 0)
    return hint
      .slice(lastMask + 1)
      .replace(/\D/g, '')
      .slice(-4);
  const digits = hint.replace(/\D/g, '');
  return digits.length >= 10 ? digits.slice(-10) : digits;
}

function accountOfSms(row: OldSms): string {
  if (row.account_hint) return accountDigits(row.account_hint);
  if (row.provider !== 'upi') return '';
  const match = /\b(?:a\/c|acct|account)(?:\s?no\.?)?\s?([x*]{1,12}\d{3,6})\b/i.exec(row.body.slice(0, 2000));
  return match?.[1] ? accountDigits(match[1]) : '';
}

function sameAccount(a: string, b: string): boolean {
  if (a === '' || b === '') return true;
  const n = Math.min(a.length, b.length);
  return n < 3 ? a === b : a.slice(-n) === b.slice(-n);
}

function accountChainKey(provider: string, sender: string, account: string): string | null {
  if (provider === 'upi') return `${bankOfSender(sender) ?? headerId(sender)}:${account}`;
  return account === '' ? null : account;
}

/** As balance-chain.ts's impliedPrevious, over the old rows. */
function impliedPrevious(row: OldSms): number | null {
  if (row.amount_minor === null) return null;
  if (row.kind === 'credit') return row.balance_minor - row.amount_minor;
  if (row.kind === 'reversal') return row.balance_minor + row.amount_minor;
  const fee = isProviderId(row.provider) ? debitFee(row.provider, row.body) : { printed: false as const };
  if (!fee.printed) return row.balance_minor + row.amount_minor;
  const minor = fee.amount === null ? null : decimalToMinor(fee.amount);
  return minor === null ? null : row.balance_minor + row.amount_minor + minor;
}

/**
 * Re-keys the links the old code made. The old chains were one per raw hint and one shared
 * chain for wallets without a hint: that shared chain becomes the first gateway's (''). Where
 * two old chains now share a key (`XX1234` and a forged `xx1234`), nothing says which history
 * was genuine, so that chain keeps no open SMS point: the next SMS waits for a staff anchor,
 * unless an anchor set after all of them already says the balance.
 */
function backfill(db: Database.Database): void {
  const rows = db
    .prepare(
      `SELECT id, merchant_id, provider, sender, body, kind, amount_minor, balance_minor, account_hint, received_at, balance_link
       FROM sms WHERE balance_link IS NOT NULL AND provider IS NOT NULL AND balance_minor IS NOT NULL
       ORDER BY received_at, id`,
    )
    .all() as OldSms[];
  const setSms = db.prepare('UPDATE sms SET balance_chain = ?, balance_at = ?, balance_prev_minor = ?, balance_tip = ? WHERE id = ?');
  const chains = new Map<string, Chain>();
  const chainOf = (merchantId: number, provider: string, key: string, account: string, bank: string, at: number): Chain => {
    const id = `${merchantId}\u0000${provider}\u0000${key}`;
    let chain = chains.get(id);
    if (!chain) {
      chain = { merchantId, provider, key, account, bank, starts: 0, latest: null, anchors: [], createdAt: at };
      chains.set(id, chain);
    }
    return chain;
  };
  for (const row of rows) {
    const account = accountOfSms(row);
    // A bank SMS naming no account belongs to no account's chain; the old code kept it apart too.
    if (row.provider === 'upi' && account === '') continue;
    const key = accountChainKey(row.provider, row.sender, account) ?? '';
    const trusted = row.balance_link !== 'breaks';
    setSms.run(key, row.received_at, impliedPrevious(row), trusted ? 0 : null, row.id);
    if (!trusted) continue;
    const chain = chainOf(
      row.merchant_id,
      row.provider,
      key,
      account,
      key.includes(':') ? key.slice(0, key.indexOf(':')) : '',
      row.received_at,
    );
    if (row.balance_link === 'start') chain.starts += 1;
    chain.latest = { id: row.id, at: row.received_at };
  }

  const anchors = db
    .prepare('SELECT id, merchant_id, provider, account_key, anchored_at FROM balance_anchors ORDER BY anchored_at, id')
    .all() as {
    id: number;
    merchant_id: number;
    provider: string;
    account_key: string;
    anchored_at: number;
  }[];
  const setAnchor = db.prepare('UPDATE balance_anchors SET account_key = ?, open = 0 WHERE id = ?');
  for (const anchor of anchors) {
    const digits = accountDigits(anchor.account_key);
    let key = digits;
    let bank = '';
    if (anchor.provider === 'upi') {
      const banks = [...chains.values()].filter(
        (c) => c.merchantId === anchor.merchant_id && c.provider === 'upi' && c.account !== '' && sameAccount(c.account, digits),
      );
      const only = banks.length === 1 ? banks[0] : undefined;
      bank = only?.bank ?? '';
      key = only ? only.key : `${bank}:${digits.slice(-4)}`;
    } else if (digits !== '') {
      const same = [...chains.values()].find(
        (c) => c.merchantId === anchor.merchant_id && c.provider === anchor.provider && c.account !== '' && sameAccount(c.account, digits),
      );
      key = same ? same.key : digits;
    }
    setAnchor.run(key, anchor.id);
    const chain = chainOf(
      anchor.merchant_id,
      anchor.provider,
      key,
      key.includes(':') ? key.slice(key.indexOf(':') + 1) : key.startsWith('gw:') ? '' : key,
      bank,
      anchor.anchored_at,
    );
    chain.anchors.push({ id: anchor.id, at: anchor.anchored_at });
  }

  const openSms = db.prepare('UPDATE sms SET balance_tip = ? WHERE id = ?');
  const openAnchor = db.prepare('UPDATE balance_anchors SET open = 1 WHERE id = ?');
  const insertChain = db.prepare(
    'INSERT INTO balance_chains (merchant_id, provider, chain_key, account, bank, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const chain of chains.values()) {
    insertChain.run(chain.merchantId, chain.provider, chain.key, chain.account, chain.bank, chain.createdAt);
    const anchor = chain.anchors.at(-1);
    // The old code read an anchor as the previous point when it was at least as recent as the SMS.
    if (anchor && (!chain.latest || anchor.at >= chain.latest.at)) openAnchor.run(anchor.id);
    else if (chain.latest) openSms.run(chain.starts > 1 ? -1 : 1, chain.latest.id);
  }
}

export const balanceChain: Migration = {
  version: 60,
  name: '0060-balance-chain',
  up(db) {
    db.exec(SQL);
    backfill(db);
  },
};
