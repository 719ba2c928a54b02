import { minorToDecimal } from '../../../src-shared/money';
import type { ReviewReason } from '../../../src-shared/contract/payments';
import type { BalanceRepo } from '../db/repos/balance-repo';
import type { SmsRow } from '../db/repos/sms-repo';

/** SMS of one wallet account chain together by their receiving-account hint. */
export function accountKeyOf(sms: Pick<SmsRow, 'account_hint'>): string {
  return sms.account_hint ?? '';
}

/**
 * R6: a forger who can fake a wallet's sender ID still does not know the shop's real
 * balance. The balance a credit reports must equal the previous balance plus its amount.
 * Returns a reason when it does not; null when it does, or when there is nothing to
 * compare (no balance printed, no earlier point, a test SMS).
 */
export function checkBalance(sms: SmsRow, balances: BalanceRepo): ReviewReason | null {
  if (sms.is_test === 1 || sms.balance_minor === null || sms.amount_minor === null || !sms.provider) return null;
  const previous = balances.previous(sms.merchant_id, sms.provider, accountKeyOf(sms), sms.received_at, sms.id);
  if (!previous) return null;
  const expected = previous.balance_minor + sms.amount_minor;
  if (expected === sms.balance_minor) return null;
  const from = previous.origin === 'anchor' ? 'the balance staff last set' : "the wallet's previous SMS";
  return {
    code: 'balance_mismatch',
    message:
      `The SMS reports a balance of ${minorToDecimal(sms.balance_minor)}, but ${from} showed ${minorToDecimal(previous.balance_minor)}; ` +
      `with this credit it should be ${minorToDecimal(expected)}. A missed SMS can explain it; a forged one would too.`,
  };
}
