import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';

/** What the balance chain reads of an SMS (see balance/balance-chain.ts). */
export interface ChainSmsRow {
  id: number;
  merchant_id: number;
  sender: string;
  body: string;
  received_at: number;
  is_test: number;
  provider: string | null;
  kind: string;
  amount_minor: number | null;
  currency: string | null;
  balance_minor: number | null;
  account_hint: string | null;
  wallet_time: string | null;
  balance_link: 'start' | 'follows' | 'breaks' | null;
  balance_chain: string | null;
  balance_at: number | null;
  balance_prev_minor: number | null;
  balance_tip: number | null;
}

/** A trusted point: an SMS that started or followed its chain, or a balance staff anchored. */
export interface BalancePoint {
  origin: 'sms' | 'anchor';
  id: number;
  balance_minor: number;
  /** The chain's order time: the wallet's time of the SMS, or when staff anchored. */
  at: number;
  /**
   * 1: open, an SMS may follow it; 0: followed already; -1: closed by a later staff anchor.
   * Anchors are open (1) or followed (0).
   */
  tip: number;
}

export interface BrokenSmsRow {
  id: number;
  balance_minor: number;
  balance_prev_minor: number | null;
  at: number;
  currency: string | null;
}

export interface ChainRow {
  provider: string;
  chain_key: string;
  account: string;
  bank: string;
}

export interface GatewayIdentRow {
  id: number;
  account_identifiers: string;
}

const CHAIN_SMS_COLUMNS = `id, merchant_id, sender, body, received_at, is_test, provider, kind, amount_minor, currency, balance_minor,
  account_hint, wallet_time, balance_link, balance_chain, balance_at, balance_prev_minor, balance_tip`;

/**
 * Every chain read is an equality lookup on an index ending in the order column, so linking and
 * re-linking cost O(log n) however many broken SMS a chain has collected (see migration 0060).
 * Positional parameters; `queryPlans()` checks each with EXPLAIN QUERY PLAN.
 */
const READS = {
  sms: `SELECT ${CHAIN_SMS_COLUMNS} FROM sms WHERE id = ?`,
  deviceDelivered: `SELECT 1 AS ok FROM sms_deliveries WHERE sms_id = ? AND source <> 'manual' LIMIT 1`,
  gateways: 'SELECT id, account_identifiers FROM gateways WHERE merchant_id = ? AND provider = ? ORDER BY id',
  chainsOf: 'SELECT provider, chain_key, account, bank FROM balance_chains WHERE merchant_id = ? AND provider = ?',
  chainsOfMerchant: 'SELECT provider, chain_key, account, bank FROM balance_chains WHERE merchant_id = ? ORDER BY provider, chain_key',
  openSmsTip: `SELECT id, balance_minor, balance_at AS at, balance_tip AS tip FROM sms
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_minor = ? AND balance_tip = 1
    ORDER BY balance_at DESC, id DESC LIMIT 1`,
  openAnchorTip: `SELECT id, balance_minor, anchored_at AS at, open AS tip FROM balance_anchors
    WHERE merchant_id = ? AND provider = ? AND account_key = ? AND balance_minor = ? AND open = 1
    ORDER BY anchored_at DESC, id DESC LIMIT 1`,
  latestSmsPoint: `SELECT id, balance_minor, balance_at AS at, balance_tip AS tip FROM sms
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_link IN ('start', 'follows')
    ORDER BY balance_at DESC, id DESC LIMIT 1`,
  latestSmsPointBefore: `SELECT id, balance_minor, balance_at AS at, balance_tip AS tip FROM sms
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_link IN ('start', 'follows') AND balance_at <= ?
    ORDER BY balance_at DESC, id DESC LIMIT 1`,
  latestAnchor: `SELECT id, balance_minor, anchored_at AS at, open AS tip FROM balance_anchors
    WHERE merchant_id = ? AND provider = ? AND account_key = ?
    ORDER BY anchored_at DESC, id DESC LIMIT 1`,
  latestAnchorBefore: `SELECT id, balance_minor, anchored_at AS at, open AS tip FROM balance_anchors
    WHERE merchant_id = ? AND provider = ? AND account_key = ? AND anchored_at <= ?
    ORDER BY anchored_at DESC, id DESC LIMIT 1`,
  rootWithPrevious: `SELECT id, balance_minor, balance_at AS at, balance_tip AS tip FROM sms
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_prev_minor = ? AND balance_link = 'start'
    ORDER BY balance_at, id LIMIT 1`,
  brokenWithPrevious: `SELECT id, balance_minor, balance_prev_minor, balance_at AS at, currency FROM sms
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_prev_minor = ? AND balance_link = 'breaks'
      AND balance_at >= ?
    ORDER BY balance_at, id LIMIT 1`,
  brokenFrom: `SELECT id, balance_minor, balance_prev_minor, balance_at AS at, currency FROM sms
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_link = 'breaks' AND balance_at >= ?
    ORDER BY balance_at, id LIMIT ?`,
} as const;

const WRITES = {
  setPoint: `UPDATE sms SET balance_link = ?, balance_chain = ?, balance_at = ?, balance_prev_minor = ?, balance_tip = ?,
    balance_follows_sms = ?, balance_follows_anchor = ? WHERE id = ?`,
  setBroken: `UPDATE sms SET balance_link = 'breaks', balance_chain = ?, balance_at = ?, balance_prev_minor = ?, balance_tip = NULL,
    balance_follows_sms = NULL, balance_follows_anchor = NULL WHERE id = ?`,
  relink: `UPDATE sms SET balance_link = 'follows', balance_chain = ?, balance_tip = 1, balance_follows_sms = ?, balance_follows_anchor = ?
    WHERE id = ? AND balance_link = 'breaks'`,
  becomeFollower: `UPDATE sms SET balance_link = 'follows', balance_follows_sms = ? WHERE id = ? AND balance_link = 'start'`,
  setSmsTip: 'UPDATE sms SET balance_tip = ? WHERE id = ? AND balance_tip IS NOT NULL',
  closeSmsTips: `UPDATE sms SET balance_tip = -1
    WHERE merchant_id = ? AND provider = ? AND balance_chain = ? AND balance_tip = 1`,
  closeAnchors: 'UPDATE balance_anchors SET open = 0 WHERE merchant_id = ? AND provider = ? AND account_key = ? AND open = 1',
  closeAnchor: 'UPDATE balance_anchors SET open = 0 WHERE id = ?',
  insertAnchor: `INSERT INTO balance_anchors (merchant_id, provider, account_key, balance_minor, anchored_at, set_by, open)
    VALUES (?, ?, ?, ?, ?, ?, 1)`,
  insertChain: `INSERT INTO balance_chains (merchant_id, provider, chain_key, account, bank, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (merchant_id, provider, chain_key) DO NOTHING`,
} as const;

type Point = Omit<BalancePoint, 'origin'>;

export function prepareBalanceRepo(db: Db) {
  const prepareAll = <K extends string>(sqls: Record<K, string>) =>
    Object.fromEntries(Object.entries(sqls).map(([k, sql]) => [k, db.prepare<unknown[]>(sql as string)])) as Record<
      K,
      Statement<unknown[]>
    >;
  const r = prepareAll(READS);
  const w = prepareAll(WRITES);
  const point = (origin: 'sms' | 'anchor', row: Point | undefined): BalancePoint | null => (row ? { origin, ...row } : null);
  return {
    sms: (id: number) => r.sms.get(id) as ChainSmsRow | undefined,
    /** Delivered by the modem, the phone, a forwarder or test mode, not only pasted by staff. */
    deviceDelivered: (smsId: number) => r.deviceDelivered.get(smsId) !== undefined,
    gateways: (merchantId: number, provider: string) => r.gateways.all(merchantId, provider) as GatewayIdentRow[],
    chainsOf: (merchantId: number, provider: string) => r.chainsOf.all(merchantId, provider) as ChainRow[],
    chainsOfMerchant: (merchantId: number) => r.chainsOfMerchant.all(merchantId) as ChainRow[],
    openSmsTip: (merchantId: number, provider: string, chain: string, balanceMinor: number) =>
      point('sms', r.openSmsTip.get(merchantId, provider, chain, balanceMinor) as Point | undefined),
    openAnchorTip: (merchantId: number, provider: string, chain: string, balanceMinor: number) =>
      point('anchor', r.openAnchorTip.get(merchantId, provider, chain, balanceMinor) as Point | undefined),
    latestSmsPoint: (merchantId: number, provider: string, chain: string, atOrBefore?: number) =>
      point(
        'sms',
        (atOrBefore === undefined
          ? r.latestSmsPoint.get(merchantId, provider, chain)
          : r.latestSmsPointBefore.get(merchantId, provider, chain, atOrBefore)) as Point | undefined,
      ),
    latestAnchor: (merchantId: number, provider: string, chain: string, atOrBefore?: number) =>
      point(
        'anchor',
        (atOrBefore === undefined
          ? r.latestAnchor.get(merchantId, provider, chain)
          : r.latestAnchorBefore.get(merchantId, provider, chain, atOrBefore)) as Point | undefined,
      ),
    /** The first SMS of a chain whose implied previous balance is this one (an SMS that came late). */
    rootWithPrevious: (merchantId: number, provider: string, chain: string, balanceMinor: number) =>
      point('sms', r.rootWithPrevious.get(merchantId, provider, chain, balanceMinor) as Point | undefined),
    /** The earliest broken SMS of a chain, from `notBefore` on, that would follow a point with this balance. */
    brokenWithPrevious: (merchantId: number, provider: string, chain: string, balanceMinor: number, notBefore: number) =>
      r.brokenWithPrevious.get(merchantId, provider, chain, balanceMinor, notBefore) as BrokenSmsRow | undefined,
    brokenFrom: (merchantId: number, provider: string, chain: string, at: number, limit: number) =>
      r.brokenFrom.all(merchantId, provider, chain, at, limit) as BrokenSmsRow[],

    setPoint(
      smsId: number,
      p: {
        link: 'start' | 'follows';
        chain: string;
        at: number;
        previousMinor: number | null;
        tip: 0 | 1;
        followsSms: number | null;
        followsAnchor: number | null;
      },
    ): void {
      w.setPoint.run(p.link, p.chain, p.at, p.previousMinor, p.tip, p.followsSms, p.followsAnchor, smsId);
    },
    setBroken: (smsId: number, chain: string, at: number, previousMinor: number | null) => {
      w.setBroken.run(chain, at, previousMinor, smsId);
    },
    relink: (smsId: number, chain: string, follows: { sms: number | null; anchor: number | null }) =>
      w.relink.run(chain, follows.sms, follows.anchor, smsId).changes === 1,
    becomeFollower: (smsId: number, followsSms: number) => w.becomeFollower.run(followsSms, smsId).changes === 1,
    setSmsTip: (smsId: number, tip: -1 | 0 | 1) => {
      w.setSmsTip.run(tip, smsId);
    },
    closeAnchor: (anchorId: number) => {
      w.closeAnchor.run(anchorId);
    },
    /** A staff anchor supersedes every open point of its chain, forged starts included. */
    closeChain: (merchantId: number, provider: string, chain: string) => {
      w.closeSmsTips.run(merchantId, provider, chain);
      w.closeAnchors.run(merchantId, provider, chain);
    },
    anchor: (merchantId: number, provider: string, chain: string, balanceMinor: number, at: number, by: string) =>
      Number(w.insertAnchor.run(merchantId, provider, chain, balanceMinor, at, by).lastInsertRowid),
    ensureChain: (merchantId: number, provider: string, chain: string, account: string, bank: string, at: number) => {
      w.insertChain.run(merchantId, provider, chain, account, bank, at);
    },

    /** EXPLAIN QUERY PLAN of every lookup above, for the test that keeps them indexed. */
    queryPlans(): Record<string, string[]> {
      const plans: Record<string, string[]> = {};
      const sample = (sql: string) => Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1);
      const lookups: Record<string, string> = {
        ...READS,
        closeSmsTips: WRITES.closeSmsTips,
        closeAnchors: WRITES.closeAnchors,
        relink: WRITES.relink,
      };
      for (const [name, sql] of Object.entries(lookups)) {
        const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sample(sql)) as { detail: string }[];
        plans[name] = rows.map((row) => row.detail);
      }
      return plans;
    },
  };
}

export type BalanceRepo = ReturnType<typeof prepareBalanceRepo>;
