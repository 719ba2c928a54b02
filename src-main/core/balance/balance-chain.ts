import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import { isProviderId } from '../../../src-shared/providers';
import type { ReviewReason } from '../../../src-shared/contract/payments';
import type { Db } from '../db';
import { prepareBalanceRepo, type BalancePoint, type BalanceRepo, type BrokenSmsRow, type ChainSmsRow } from '../db/repos/balance-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import { debitFee, reversalCredits } from '../parsers';
import {
  UNASSIGNED_CHAIN,
  accountChainKey,
  accountDigits,
  accountOfSms,
  chainParts,
  gatewayChainKey,
  gatewayChainKeys,
  sameAccount,
} from './chain-key';
import { orderTimeOf } from './wallet-time';

/**
 * R6, the balance chain. A forger who can fake a wallet's sender ID still does not know the
 * shop's real balance. Every wallet SMS that prints a balance is placed, as it is stored, by
 * arithmetic: its implied previous balance (balance − amount for a credit, + amount + fee for
 * a debit, + amount for a reversal) must equal a trusted point of its chain that nothing has
 * followed yet, or the chain's most recent point. Trusted points are SMS that started or
 * followed a chain and balances staff anchored. An SMS that follows none `breaks` and is never
 * a point itself, so forged SMS cannot re-seed the chain; it becomes `follows` later only if an
 * SMS that arrives late (or a staff anchor) gives it an exact predecessor.
 *
 * Chains are keyed per wallet account (see chain-key.ts). The first SMS of a chain is `start`
 * only when no chain of the wallet could hold the same account.
 */

const CHAINED_KINDS = new Set(['credit', 'debit', 'reversal']);

type Chained = ChainSmsRow & { provider: string; balance_minor: number };

const repos = new WeakMap<Db, BalanceRepo>();

/** Linking runs for every stored SMS; its statements are prepared once per connection. */
export function balanceRepoOf(db: Db): BalanceRepo {
  let repo = repos.get(db);
  if (!repo) {
    repo = prepareBalanceRepo(db);
    repos.set(db, repo);
  }
  return repo;
}

/** The account an SMS names, normalised to its visible digits ('' when it names none). */
export function accountKeyOf(sms: Pick<SmsRow, 'account_hint'>): string {
  return accountDigits(sms.account_hint);
}

function isChained(sms: ChainSmsRow): sms is Chained {
  return sms.is_test === 0 && sms.balance_minor !== null && sms.provider !== null && CHAINED_KINDS.has(sms.kind);
}

/** A debit's printed fee in minor units: 0 when none is printed, null when it cannot be read exactly. */
function feeMinor(sms: Chained): number | null {
  if (!isProviderId(sms.provider)) return 0;
  const fee = debitFee(sms.provider, sms.body);
  if (!fee.printed) return 0;
  return fee.amount === null ? null : decimalToMinor(fee.amount);
}

/**
 * The balance the wallet must have had just before this SMS. No leniency: a debit whose cost
 * cannot be read exactly has none, so it breaks rather than let a forged one lower the chain.
 */
export function impliedPrevious(sms: Chained): number | null {
  if (sms.amount_minor === null) return null;
  if (sms.kind === 'credit') return sms.balance_minor - sms.amount_minor;
  if (sms.kind === 'reversal') {
    // Most reversals take a received payment back; M-Pesa's "is credited" one returns the shop's own.
    const credited = isProviderId(sms.provider) && reversalCredits(sms.provider, sms.body);
    return credited ? sms.balance_minor - sms.amount_minor : sms.balance_minor + sms.amount_minor;
  }
  const fee = feeMinor(sms);
  return fee === null ? null : sms.balance_minor + sms.amount_minor + fee;
}

export interface Placement {
  /** The chains the SMS may belong to. */
  keys: string[];
  /** Where it starts a chain when it may. */
  startKey: string;
  /** Where it waits when it follows none. */
  brokenKey: string;
  /** The visible digits of the account it names ('' for none). */
  account: string;
  /** Its SMS name no account: arithmetic picks among the wallet's gateway chains. */
  gatewayBound: boolean;
}

/**
 * Where an SMS may sit. Null for a bank SMS that names no account: a bank chain is an
 * account's, and such an SMS cannot be told apart from another account's.
 */
export function placementOf(
  sms: Pick<ChainSmsRow, 'merchant_id' | 'sender' | 'account_hint' | 'body'> & { provider: string },
  repo: BalanceRepo,
): Placement | null {
  const account = accountOfSms(sms);
  if (sms.provider === 'upi' && account === '') return null;
  const key = accountChainKey(sms.provider, sms.sender, account);
  if (key !== null) return { keys: [key], startKey: key, brokenKey: key, account, gatewayBound: false };
  const keys = gatewayChainKeys(repo.gateways(sms.merchant_id, sms.provider).map((g) => g.id));
  return { keys, startKey: '', brokenKey: keys.length > 1 ? UNASSIGNED_CHAIN : '', account: '', gatewayBound: true };
}

function later(a: BalancePoint | null, b: BalancePoint | null): BalancePoint | null {
  if (!a) return b;
  if (!b) return a;
  return b.at > a.at || (b.at === a.at && b.origin === 'anchor' && a.origin === 'sms') ? b : a;
}

/** The chain's most recent point (at or before a time): its latest trusted SMS or its latest anchor. */
export function mostRecentPoint(
  repo: BalanceRepo,
  merchantId: number,
  provider: string,
  key: string,
  atOrBefore?: number,
): BalancePoint | null {
  return later(repo.latestSmsPoint(merchantId, provider, key, atOrBefore), repo.latestAnchor(merchantId, provider, key, atOrBefore));
}

/** A point an SMS with this implied previous balance may follow: an open tip, or the most recent point. */
function predecessorIn(repo: BalanceRepo, merchantId: number, provider: string, key: string, previous: number): BalancePoint | null {
  const recent = mostRecentPoint(repo, merchantId, provider, key);
  const candidates = [
    repo.openSmsTip(merchantId, provider, key, previous),
    repo.openAnchorTip(merchantId, provider, key, previous),
    recent && recent.balance_minor === previous && recent.tip !== -1 ? recent : null,
  ];
  return candidates.reduce<BalancePoint | null>((best, p) => later(best, p), null);
}

type Decision =
  | { link: 'follows'; key: string; previous: number; from: BalancePoint }
  | { link: 'start'; key: string; previous: number | null; precedes: BalancePoint | null }
  | { link: 'breaks'; key: string; previous: number | null };

/** A chain's first SMS is trusted only when no chain of the wallet could be the same account. */
function mayStart(repo: BalanceRepo, merchantId: number, provider: string, place: Placement): boolean {
  return !repo.chainsOf(merchantId, provider).some((c) => sameAccount(c.account, place.account));
}

function decide(sms: Chained, place: Placement, repo: BalanceRepo): Decision {
  const { merchant_id: m, provider: p } = sms;
  const previous = impliedPrevious(sms);
  if (previous === null) return { link: 'breaks', key: place.brokenKey, previous };
  let best: { key: string; point: BalancePoint } | null = null;
  for (const key of place.keys) {
    const point = predecessorIn(repo, m, p, key, previous);
    if (point && later(best?.point ?? null, point) === point) best = { key, point };
  }
  if (best) return { link: 'follows', key: best.key, previous, from: best.point };
  // It came late, behind the SMS that started its chain: it is the chain's new first SMS. Not
  // once staff anchored the chain: the anchor retired that history, a forged start included.
  for (const key of place.keys) {
    if (repo.latestAnchor(m, p, key)) continue;
    const root = repo.rootWithPrevious(m, p, key, sms.balance_minor);
    if (root && root.id !== sms.id) return { link: 'start', key, previous, precedes: root };
  }
  if (mayStart(repo, m, p, place)) return { link: 'start', key: place.startKey, previous, precedes: null };
  return { link: 'breaks', key: place.brokenKey, previous };
}

/** Something followed this point: it no longer takes a successor (the most recent point still may). */
function markFollowed(repo: BalanceRepo, point: BalancePoint): void {
  if (point.origin === 'anchor') repo.closeAnchor(point.id);
  else if (point.tip === 1) repo.setSmsTip(point.id, 0);
}

/** How far before its predecessor a re-linked SMS may sit: wallet clocks and phone clocks disagree. */
const RELINK_SKEW_MS = 10 * 60_000;

/**
 * A new trusted point may be the predecessor a broken SMS was missing: that SMS follows it,
 * and the one after that, transitively. One successor per point keeps the chain a line, and
 * each step is one indexed lookup.
 */
export function relinkFrom(repo: BalanceRepo, merchantId: number, provider: string, key: string, from: BalancePoint): number[] {
  const keys = chainParts(provider, key).gatewayBound ? [key, UNASSIGNED_CHAIN] : [key];
  const relinked: number[] = [];
  let current = from;
  for (;;) {
    let next: BrokenSmsRow | undefined;
    // An SMS follows a point only if it came after it (less the skew between a wallet's printed
    // time and a phone's clock): a broken SMS from weeks before, whose previous balance happens
    // to match, would otherwise take the genuine next SMS's place. A staff anchor states a
    // balance read after the fact, so what it re-links may be older than the anchor.
    const notBefore = current.origin === 'sms' ? current.at - RELINK_SKEW_MS : Number.MIN_SAFE_INTEGER;
    for (const k of keys) {
      const found = repo.brokenWithPrevious(merchantId, provider, k, current.balance_minor, notBefore);
      if (found && (!next || found.at < next.at || (found.at === next.at && found.id < next.id))) next = found;
    }
    const follows = { sms: current.origin === 'sms' ? current.id : null, anchor: current.origin === 'anchor' ? current.id : null };
    if (!next || !repo.relink(next.id, key, follows)) return relinked;
    markFollowed(repo, current);
    relinked.push(next.id);
    current = { origin: 'sms', id: next.id, balance_minor: next.balance_minor, at: next.at, tip: 1 };
  }
}

/**
 * Places an SMS in its wallet's balance chain, inside the ingest write transaction, once a
 * device delivered it (text only staff pasted is a person's word and never a point). Returns
 * the SMS that became trusted in this call: this one (start or follows) and those it re-linked,
 * so held attempts on them can be decided again. Nothing for an SMS already placed.
 */
export function linkBalance(db: Db, smsId: number): number[] {
  const repo = balanceRepoOf(db);
  const sms = repo.sms(smsId);
  if (!sms || sms.balance_link !== null || !isChained(sms) || !repo.deviceDelivered(smsId)) return [];
  const { merchant_id: m, provider: p } = sms;
  const place = placementOf(sms, repo);
  if (!place) return [];
  const d = decide(sms, place, repo);
  const at = orderTimeOf(sms);
  if (d.link === 'breaks') {
    repo.setBroken(smsId, d.key, at, d.previous);
    return [];
  }
  const precedes = d.link === 'start' ? d.precedes : null;
  repo.setPoint(smsId, {
    link: d.link,
    chain: d.key,
    at,
    previousMinor: d.previous,
    tip: precedes ? 0 : 1,
    followsSms: d.link === 'follows' && d.from.origin === 'sms' ? d.from.id : null,
    followsAnchor: d.link === 'follows' && d.from.origin === 'anchor' ? d.from.id : null,
  });
  if (d.link === 'follows') markFollowed(repo, d.from);
  if (precedes) repo.becomeFollower(precedes.id, smsId);
  const parts = chainParts(p, d.key);
  repo.ensureChain(m, p, d.key, parts.account, parts.bank ?? '', sms.received_at);
  if (precedes) return [smsId];
  return [smsId, ...relinkFrom(repo, m, p, d.key, { origin: 'sms', id: smsId, balance_minor: sms.balance_minor, at, tip: 1 })];
}

function asChainRow(sms: SmsRow): ChainSmsRow {
  return { ...sms, balance_chain: null, balance_at: null, balance_prev_minor: null, balance_tip: null };
}

/** What linking would decide for this SMS now (read-only); null for one that takes no part. */
export function classifyBalanceLink(sms: SmsRow, balances: BalanceRepo): 'start' | 'follows' | 'breaks' | null {
  const row = balances.sms(sms.id) ?? asChainRow(sms);
  if (!isChained(row)) return null;
  const place = placementOf(row, balances);
  return place ? decide(row, place, balances).link : null;
}

function signed(minor: number): string {
  return minor < 0 ? `-${minorToDecimal(-minor)}` : minorToDecimal(minor);
}

function describePoint(point: BalancePoint): string {
  return point.origin === 'anchor' ? 'the balance staff last set' : "the wallet's last trusted SMS";
}

/** The chains a gateway's SMS are checked against. */
function chainsToCheck(
  row: ChainSmsRow & { provider: string },
  place: Placement,
  repo: BalanceRepo,
  gateway: { id: number } | null | undefined,
  ownKey: string | null,
): string[] {
  if (ownKey !== null && ownKey !== UNASSIGNED_CHAIN) return [ownKey];
  if (place.gatewayBound) {
    return gateway
      ? [
          gatewayChainKey(
            repo.gateways(row.merchant_id, row.provider).map((g) => g.id),
            gateway.id,
          ),
        ]
      : place.keys;
  }
  return place.keys;
}

function brokenReason(row: Chained, place: Placement, repo: BalanceRepo, gateway: { id: number } | null | undefined): ReviewReason {
  const { merchant_id: m, provider: p } = row;
  const keys = chainsToCheck(row, place, repo, gateway, row.balance_chain);
  const reference = keys.map((k) => mostRecentPoint(repo, m, p, k)).reduce<BalancePoint | null>(later, null);
  if (!reference) {
    const own = chainParts(p, place.startKey).bank;
    const other = repo.chainsOf(m, p).find((c) => c.chain_key !== place.startKey && sameAccount(c.account, place.account));
    const message =
      p === 'upi' && other
        ? `The SMS comes from ${own ?? 'another'} sender for account …${place.account}, but this account's trusted SMS come from ${other.bank || 'another bank'}. A forged SMS from another bank's header looks like this; if the account really is at ${own ?? 'that bank'}, re-anchor its balance.`
        : "The SMS does not follow the wallet's balance chain, and there is no chain it could start: it may be a new gateway's first SMS, or a forged one. Re-anchor the gateway's balance to trust its SMS.";
    return { code: 'balance_mismatch', message };
  }
  const from = describePoint(reference);
  const previous = row.balance_prev_minor ?? impliedPrevious(row);
  if (previous === null) {
    return {
      code: 'balance_mismatch',
      message: `The SMS reports a balance of ${signed(row.balance_minor)}, but what it cost cannot be read exactly, so it cannot be checked against ${from} (${signed(reference.balance_minor)}).`,
    };
  }
  const gap = previous - reference.balance_minor;
  const what = row.kind === 'credit' ? 'credit' : row.kind === 'reversal' ? 'reversal' : 'debit';
  return {
    code: 'balance_mismatch',
    message:
      `The SMS reports a balance of ${signed(row.balance_minor)}, but ${from} showed ${signed(reference.balance_minor)}; ` +
      `with this ${what} it should be ${signed(row.balance_minor - gap)}. That is what a missed ${gap > 0 ? 'credit' : 'debit'} of ` +
      `${minorToDecimal(Math.abs(gap))} would do: when that SMS comes in, this one settles by itself (or re-anchor the balance). A forged SMS would look the same.`,
  };
}

function silentReason(
  row: ChainSmsRow & { provider: string },
  repo: BalanceRepo,
  gateway: { id: number } | null | undefined,
): ReviewReason | null {
  const place = placementOf(row, repo);
  if (!place) return null;
  const keys = place.gatewayBound
    ? chainsToCheck(row, place, repo, gateway, null)
    : [
        ...new Set([
          ...place.keys,
          ...repo
            .chainsOf(row.merchant_id, row.provider)
            .filter((c) => sameAccount(c.account, place.account))
            .map((c) => c.chain_key),
        ]),
      ];
  // The printed wallet time is the sender's to choose; a forger would backdate it before the
  // chain's first point. Any trusted point the device had seen by arrival counts.
  const at = Math.max(orderTimeOf(row), row.received_at);
  const last = keys.map((k) => mostRecentPoint(repo, row.merchant_id, row.provider, k, at)).reduce<BalancePoint | null>(later, null);
  if (!last) return null;
  return {
    code: 'balance_mismatch',
    message: `The SMS prints no balance, though ${describePoint(last)} did (${signed(last.balance_minor)}); a forged SMS would leave it out.`,
  };
}

/**
 * The R6 verdict for a credit about to pay: null when it is a trusted point (it started or
 * follows its chain) or when there is nothing to compare with; `balance_mismatch` when it does
 * not follow, or prints no balance although its account's chain did. The gateway, when given,
 * picks the chain of a wallet whose SMS name no account.
 */
export function checkBalance(
  sms: SmsRow,
  balances: BalanceRepo,
  gateway?: { id: number; identifiers: readonly string[] } | null,
): ReviewReason | null {
  if (sms.is_test === 1 || sms.amount_minor === null || !sms.provider) return null;
  const row = balances.sms(sms.id) ?? asChainRow(sms);
  if (row.provider === null || row.is_test === 1) return null;
  const provided = { ...row, provider: row.provider };
  if (provided.balance_minor === null) return CHAINED_KINDS.has(row.kind) ? silentReason(provided, balances, gateway) : null;
  if (!isChained(row)) return null;
  const place = placementOf(row, balances);
  if (!place) return null;
  const link = row.balance_link ?? decide(row, place, balances).link;
  return link === 'breaks' ? brokenReason(row, place, balances, gateway) : null;
}
