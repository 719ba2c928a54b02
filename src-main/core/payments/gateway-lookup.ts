import type { Db } from '../db';
import { listGateways, type GatewayRow } from '../shop';
import { accountMatches } from './account-match';

export interface GatewayChoice {
  id: number;
  provider: string;
  variant: string;
  identifiers: string[];
  balanceCheck: 'off' | 'warn' | 'review';
  /** SMSC addresses the wallet's SMS come through; empty: any. */
  expectedSmsc: string[];
  /** What the seed shows as account_number: the first identifier. */
  accountNumber: string;
}

export function toChoice(row: GatewayRow & { balance_check?: string }): GatewayChoice {
  const identifiers = JSON.parse(row.account_identifiers) as string[];
  const mode = row.balance_check === 'off' || row.balance_check === 'warn' ? row.balance_check : 'review';
  return {
    id: row.id,
    provider: row.provider,
    variant: row.variant,
    identifiers,
    balanceCheck: mode,
    expectedSmsc: row.expected_smsc ? (JSON.parse(row.expected_smsc) as string[]) : [],
    accountNumber: identifiers[0] ?? '',
  };
}

export function enabledGateways(db: Db, merchantId: number): GatewayChoice[] {
  return listGateways(db, merchantId)
    .filter((g) => g.enabled === 1)
    .map(toChoice);
}

/** For an SMS of a wallet: the gateway it names by account, else the only one of that wallet. */
export function gatewayForSms(
  gateways: readonly GatewayChoice[],
  provider: string | null,
  accountHint: string | null,
): GatewayChoice | null {
  const same = gateways.filter((g) => g.provider === provider);
  if (accountHint) {
    const named = same.find((g) => accountMatches(accountHint, g.identifiers));
    if (named) return named;
  }
  return same.length >= 1 ? (same[0] as GatewayChoice) : null;
}
