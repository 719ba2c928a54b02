import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, type ProviderId } from '../../../src-shared/providers';
import { normalizeTxnid, parseSms } from '../../../src-main/core/parsers/index';

/**
 * Issue 10's target, measured on receipts the parsers were not tuned on: test/fixtures/sms/holdout/
 * was gathered by someone who did not read the parsers, while others changed them, from public
 * sources the fixtures do not cite. At least 95% of its credits read exactly (kind, wallet,
 * amount, TxnID), and no non-credit reads as a credit.
 *
 * The first measurement is kept in test/fixtures/sms/README.md; a holdout message that fails and is
 * then fixed is no longer unseen, so fixes move the message into real/ and out of this set.
 */
interface HoldoutEntry {
  name: string;
  sender: string;
  body: string;
  source: string;
  expect: { kind: string; amount: string | null; txnid: string | null; balance: string | null };
}

const DIR = fileURLToPath(new URL('../../fixtures/sms/holdout/', import.meta.url));

function load(provider: ProviderId): HoldoutEntry[] {
  const file = `${DIR}${provider}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HoldoutEntry[]) : [];
}

const all = PROVIDER_IDS.flatMap((provider) => load(provider).map((entry) => ({ provider, entry })));

/**
 * As a shop that banks there would run it: its bank's or wallet's header trusted (a shop adds a
 * header the built-in list lacks per gateway, e.g. an older `VD-ICICI`). What is measured is the
 * reading, not the allowlist.
 */
function parseAsShop(provider: ProviderId, e: HoldoutEntry) {
  return parseSms({ sender: e.sender, body: e.body }, { extraSenders: { [provider]: [e.sender] } });
}

function readsExactly(provider: ProviderId, e: HoldoutEntry): boolean {
  const got = parseAsShop(provider, e);
  return (
    got.kind === 'credit' &&
    got.provider === provider &&
    got.amount === e.expect.amount &&
    got.txnid_normalized !== null &&
    got.txnid_normalized === normalizeTxnid(e.expect.txnid ?? '')
  );
}

describe('held-out real receipts', () => {
  it('holds credits and non-credits of most wallets, each with its source', () => {
    expect(all.filter((x) => x.entry.expect.kind === 'credit').length).toBeGreaterThan(100);
    expect(all.filter((x) => x.entry.expect.kind !== 'credit').length).toBeGreaterThan(100);
    for (const { entry } of all) expect(entry.source?.trim(), entry.name).toBeTruthy();
  });

  it('no non-credit reads as a credit', () => {
    const falseCredits = all
      .filter(({ entry }) => entry.expect.kind !== 'credit')
      .filter(({ provider, entry }) => parseAsShop(provider, entry).kind === 'credit')
      .map(({ provider, entry }) => `${provider}: ${entry.name}`);
    expect(falseCredits).toEqual([]);
  });

  // Credits that print no TxnID (a cash deposit, interest, a salary by NEFT without a reference)
  // cannot pay a checkout: no one can quote them. They stay `unknown` by design and are left out.
  it('at least 95% of the credits that carry a TxnID read exactly (kind, wallet, amount, TxnID)', () => {
    const credits = all.filter(({ entry }) => entry.expect.kind === 'credit' && entry.expect.txnid);
    const missed = credits
      .filter(({ provider, entry }) => !readsExactly(provider, entry))
      .map(({ provider, entry }) => `${provider}: ${entry.name}`);
    const rate = (credits.length - missed.length) / credits.length;
    expect(rate, `missed ${missed.length} of ${credits.length}:\n${missed.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });
});

/**
 * A second held-out set (test/fixtures/sms/holdout-fresh/), gathered after the first was used for
 * fixes, from sources neither real/ nor holdout/ cite. Its first read is in the README (11 of 12,
 * before any fix; the miss is a hand-typed text with no currency, left `unknown` on purpose). Small:
 * what it guards most is the rule that a miss is `unknown`, never a wrong amount or TxnID.
 */
describe('held-out real receipts, the second set', () => {
  const FRESH = fileURLToPath(new URL('../../fixtures/sms/holdout-fresh/', import.meta.url));
  const fresh = PROVIDER_IDS.flatMap((provider) => {
    const file = `${FRESH}${provider}.json`;
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HoldoutEntry[]).map((entry) => ({ provider, entry })) : [];
  });

  it('holds credits of several wallets, each with its source', () => {
    expect(new Set(fresh.map((x) => x.provider)).size).toBeGreaterThanOrEqual(4);
    for (const { entry } of fresh) expect(entry.source?.trim(), entry.name).toBeTruthy();
  });

  it('reads at least 11 of its 12 credits exactly, and never a wrong amount or TxnID', () => {
    const credits = fresh.filter(({ entry }) => entry.expect.kind === 'credit' && entry.expect.txnid);
    const exact = credits.filter(({ provider, entry }) => readsExactly(provider, entry));
    expect(exact.length, `${exact.length} of ${credits.length}`).toBeGreaterThanOrEqual(Math.min(11, credits.length));
    for (const { provider, entry } of credits) {
      const got = parseAsShop(provider, entry);
      if (got.kind === 'credit') expect(readsExactly(provider, entry), entry.name).toBe(true);
    }
  });
});
