import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import type { ReviewReason } from '../../../src-shared/contract/payments';
import type { BalanceRepo } from '../db/repos/balance-repo';
import type { SmsRow } from '../db/repos/sms-repo';

/**
 * R6, the balance chain. A forger who can fake a wallet's sender ID still does not know the
 * shop's real balance. Every wallet SMS that prints a balance is checked, as it is stored,
 * against the last TRUSTED point of its wallet account (an SMS that itself followed, the
 * first one ever, or a balance staff re-anchored). One that does not follow is marked
 * `breaks` and never becomes a point itself, so forged SMS cannot re-seed the chain.
 */

/** SMS of one wallet account chain together by their receiving-account hint. */
export function accountKeyOf(sms: Pick<SmsRow, 'account_hint'>): string {
  return sms.account_hint ?? '';
}

const CHAINED_KINDS = new Set(['credit', 'debit', 'reversal']);

function previousPoint(sms: SmsRow, balances: BalanceRepo) {
  return balances.previous(sms.merchant_id, sms.provider as string, accountKeyOf(sms), sms.received_at, sms.id);
}

/** "Fee Tk 5.00", "charges Rs. 2.50": what a debit cost on top of its amount, 0 when not printed. */
const FEE = /\b(?:fee|charges?)\b[^0-9\n]{0,16}?(\d[\d,]*(?:\.\d{1,2})?)/i;

function feeOf(body: string): number {
  const match = FEE.exec(body.slice(0, 2000));
  return match?.[1] ? (decimalToMinor(match[1].replace(/,/g, '')) ?? 0) : 0;
}

/**
 * Whether a balance follows exactly from the previous one: a credit adds its amount, a
 * reversal takes it back, a debit takes its amount and any printed fee. No leniency: a
 * debit whose cost cannot be read exactly breaks the chain rather than let a forged one
 * lower it to a made-up figure.
 */
function follows(sms: SmsRow, previousMinor: number): boolean {
  const balance = sms.balance_minor as number;
  const amount = sms.amount_minor ?? 0;
  if (sms.kind === 'credit') return balance === previousMinor + amount;
  if (sms.kind === 'reversal') return balance === previousMinor - amount;
  return balance === previousMinor - amount - feeOf(sms.body);
}

/** Classifies a newly stored SMS; null for one that takes no part (test mode, no balance). */
export function classifyBalanceLink(sms: SmsRow, balances: BalanceRepo): 'start' | 'follows' | 'breaks' | null {
  if (sms.is_test === 1 || sms.balance_minor === null || !sms.provider || !CHAINED_KINDS.has(sms.kind)) return null;
  const previous = previousPoint(sms, balances);
  if (!previous) return 'start';
  return follows(sms, previous.balance_minor) ? 'follows' : 'breaks';
}

/**
 * The R6 verdict for a credit about to pay: a reason when its balance does not follow the
 * last trusted point, or when it prints none although the wallet's SMS before it did;
 * null when it follows, or when there is nothing to compare with.
 */
export function checkBalance(sms: SmsRow, balances: BalanceRepo): ReviewReason | null {
  if (sms.is_test === 1 || sms.amount_minor === null || !sms.provider) return null;
  const previous = previousPoint(sms, balances);
  if (!previous) return null;
  const from = previous.origin === 'anchor' ? 'the balance staff last set' : "the wallet's last trusted SMS";
  if (sms.balance_minor === null) {
    return {
      code: 'balance_mismatch',
      message: `The SMS prints no balance, though ${from} did (${minorToDecimal(previous.balance_minor)}); a forged SMS would leave it out.`,
    };
  }
  if (follows(sms, previous.balance_minor)) return null;
  const expected = previous.balance_minor + sms.amount_minor;
  return {
    code: 'balance_mismatch',
    message:
      `The SMS reports a balance of ${minorToDecimal(sms.balance_minor)}, but ${from} showed ${minorToDecimal(previous.balance_minor)}; ` +
      `with this credit it should be ${minorToDecimal(expected)}. A missed SMS can explain it (then re-anchor the balance); a forged one would too.`,
  };
}
