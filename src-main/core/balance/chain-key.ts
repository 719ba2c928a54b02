import { bankOfSender, headerId } from '../parsers';

/**
 * Which balance chain an SMS belongs to. Pure functions, shared by linking, the staff anchor and
 * migration 0060's backfill, so a key is spelled the same way everywhere.
 *
 * Within one merchant and wallet a chain is named by a key:
 * - UPI: `<BANK>:<digits>` ("AXIS:1234"). The bank comes from the sender header, so a forger who
 *   spoofs another bank's header lands in a chain of its own, which may not start (see R6).
 * - other wallets that name the receiving account: its digits;
 * - wallets whose SMS name no account (bKash, Nagad, M-Pesa…): one chain per gateway. The
 *   wallet's first gateway owns `''` (so a shop that adds a second gateway keeps its chain), the
 *   others `gw:<id>`. Which one an SMS belongs to is decided by balance arithmetic.
 */

/** Broken SMS of a no-account wallet with several gateways: which gateway's is not known. */
export const UNASSIGNED_CHAIN = '?';

const MASK = /[x*•]/gi;

/**
 * The visible digits of an account hint: `XX1234`, `xx1234`, `X1234`, `A/c **1234` and
 * `A/c no. XXXXXXXX1234` are all `1234`. A masked hint keeps the digits after its last mask
 * character (at most four, what banks show); an unmasked number of ten digits or more is a
 * phone, compared on its last ten (+8801711… and 01711… are one line).
 */
export function accountDigits(hint: string | null | undefined): string {
  if (typeof hint !== 'string') return '';
  let lastMask = -1;
  for (const m of hint.matchAll(MASK)) lastMask = m.index;
  if (lastMask >= 0)
    return hint
      .slice(lastMask + 1)
      .replace(/\D/g, '')
      .slice(-4);
  const digits = hint.replace(/\D/g, '');
  return digits.length >= 10 ? digits.slice(-10) : digits;
}

// UPI debits name the shop's account only in the text ("debited from a/c **1234"); the parse
// keeps account_hint for credits, where R2 needs it, so the chain reads it here.
const UPI_ACCOUNT_IN_BODY = /\b(?:a\/c|acct|account)(?:\s?no\.?)?\s?([x*]{1,12}\d{3,6})\b/i;

/** The account an SMS belongs to, for its chain: the parsed hint, else (UPI) the masked account its text names. */
export function accountOfSms(sms: { provider: string; account_hint: string | null; body: string }): string {
  if (sms.account_hint) return accountDigits(sms.account_hint);
  if (sms.provider !== 'upi') return '';
  const match = UPI_ACCOUNT_IN_BODY.exec(sms.body.slice(0, 2000));
  return match?.[1] ? accountDigits(match[1]) : '';
}

/**
 * Whether two normalised accounts may be the same: banks show three or four digits, so the
 * shorter must end the longer. An unknown account ('') may be any account.
 */
export function sameAccount(a: string, b: string): boolean {
  if (a === '' || b === '') return true;
  const n = Math.min(a.length, b.length);
  if (n < 3) return a === b;
  return a.slice(-n) === b.slice(-n);
}

/** The bank part of a UPI key: the bank behind the header, else the header itself (a shop-added sender). */
export function bankKeyOf(sender: string): string {
  return bankOfSender(sender) ?? headerId(sender);
}

/** The key of an account-named chain (always for UPI); null for wallets whose SMS name no account. */
export function accountChainKey(provider: string, sender: string, account: string): string | null {
  if (provider === 'upi') return `${bankKeyOf(sender)}:${account}`;
  return account === '' ? null : account;
}

/** Splits a key back into its parts, for views and the start rule. */
export function chainParts(provider: string, key: string): { bank: string | null; account: string; gatewayBound: boolean } {
  if (provider === 'upi') {
    const colon = key.indexOf(':');
    return { bank: colon > 0 ? key.slice(0, colon) : null, account: colon >= 0 ? key.slice(colon + 1) : key, gatewayBound: false };
  }
  const gatewayBound = key === '' || key === UNASSIGNED_CHAIN || key.startsWith('gw:');
  return { bank: null, account: gatewayBound ? '' : key, gatewayBound };
}

/** The chain of a gateway of a no-account wallet: the wallet's first gateway owns ''. */
export function gatewayChainKey(gatewayIds: readonly number[], gatewayId: number): string {
  return gatewayIds.length === 0 || gatewayIds[0] === gatewayId || !gatewayIds.includes(gatewayId) ? '' : `gw:${gatewayId}`;
}

/** Every chain an SMS of a no-account wallet may belong to, in gateway order. */
export function gatewayChainKeys(gatewayIds: readonly number[]): string[] {
  return ['', ...gatewayIds.slice(1).map((id) => `gw:${id}`)];
}

/** The gateway a chain key belongs to, when it names one. */
export function gatewayOfChain(gatewayIds: readonly number[], key: string): number | null {
  if (key === '') return gatewayIds[0] ?? null;
  return key.startsWith('gw:') ? Number(key.slice(3)) : null;
}
