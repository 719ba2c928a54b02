import type { MissingSmsView } from '../../../src-shared/contract/admin';
import { minorToDecimal } from '../../../src-shared/money';
import type { Db } from '../db';
import type { BalancePoint, BrokenSmsRow } from '../db/repos/balance-repo';
import { balanceRepoOf, mostRecentPoint } from './balance-chain';
import { UNASSIGNED_CHAIN, accountDigits, chainParts, gatewayOfChain, sameAccount } from './chain-key';

/** One gap in a wallet's balance chain, for staff to look up in the wallet app (typed in the admin contract). */
export type { MissingSmsView };

/** Broken SMS looked at per chain: enough for any real backlog, bounded however many forgeries came. */
const MAX_BROKEN_PER_CHAIN = 200;

function gapsAfter(reference: BalancePoint, broken: readonly BrokenSmsRow[]) {
  const gaps: { from: number; to: number; previous: number; gap: number; smsId: number; currency: string | null }[] = [];
  const seen = new Set<number>();
  let end = { balance: reference.balance_minor, at: reference.at };
  for (const sms of broken) {
    if (sms.balance_prev_minor === null) continue;
    // One missed SMS breaks every SMS after it; only the first of a run that follows itself shows the gap.
    if (sms.balance_prev_minor !== end.balance && !seen.has(sms.balance_prev_minor)) {
      const gap = sms.balance_prev_minor - end.balance;
      gaps.push({ from: end.at, to: sms.at, previous: end.balance, gap, smsId: sms.id, currency: sms.currency });
    }
    seen.add(sms.balance_minor);
    end = { balance: sms.balance_minor, at: sms.at };
  }
  return gaps;
}

/**
 * Which SMS a wallet's chain is missing: for each chain, the SMS that did not follow its last
 * trusted point give the missing amount (the gap between that point's balance and the balance
 * they imply before them) and the window it happened in. Read-only; indexed lookups only.
 */
export function missingSms(db: Db, merchantId: number): MissingSmsView[] {
  const repo = balanceRepoOf(db);
  const views: MissingSmsView[] = [];
  const gatewaysOf = new Map<string, { id: number; identifiers: string[] }[]>();
  for (const chain of repo.chainsOfMerchant(merchantId)) {
    const reference = mostRecentPoint(repo, merchantId, chain.provider, chain.chain_key);
    if (!reference) continue;
    let gateways = gatewaysOf.get(chain.provider);
    if (!gateways) {
      gateways = repo
        .gateways(merchantId, chain.provider)
        .map((g) => ({ id: g.id, identifiers: JSON.parse(g.account_identifiers) as string[] }));
      gatewaysOf.set(chain.provider, gateways);
    }
    const parts = chainParts(chain.provider, chain.chain_key);
    const ambiguous = parts.gatewayBound && gateways.length > 1;
    const keys = ambiguous ? [chain.chain_key, UNASSIGNED_CHAIN] : [chain.chain_key];
    const broken = keys
      .flatMap((k) => repo.brokenFrom(merchantId, chain.provider, k, reference.at, MAX_BROKEN_PER_CHAIN))
      .sort((a, b) => a.at - b.at || a.id - b.id);
    const gatewayId = parts.gatewayBound
      ? gatewayOfChain(
          gateways.map((g) => g.id),
          chain.chain_key,
        )
      : (gateways.find((g) => g.identifiers.some((i) => accountDigits(i) !== '' && sameAccount(accountDigits(i), parts.account)))?.id ??
        null);
    for (const gap of gapsAfter(reference, broken)) {
      views.push({
        provider: chain.provider,
        account_key: parts.account,
        bank: parts.bank,
        gateway_id: gatewayId,
        direction: gap.gap > 0 ? 'credit' : 'debit',
        amount: minorToDecimal(Math.abs(gap.gap)),
        currency: gap.currency,
        from: new Date(gap.from).toISOString(),
        to: new Date(gap.to).toISOString(),
        from_balance: gap.previous < 0 ? `-${minorToDecimal(-gap.previous)}` : minorToDecimal(gap.previous),
        before_sms_id: gap.smsId,
        ambiguous,
      });
    }
  }
  return views;
}
