import { minorToDecimal } from '../../../src-shared/money';
import type { ReviewReason } from '../../../src-shared/contract/payments';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { hasUsualTxnidShape } from '../parsers';
import { isProviderId } from '../../../src-shared/providers';
import { accountMatches, samePhone } from './account-match';

/**
 * What a credit is asked to pay. A session (the checkout, a late SMS, a staff or phone
 * decision), a sale at the counter (with the amount the cashier typed, if any), or an
 * out-of-band verify from the phone or the merchant (no amount to compare).
 */
export type CreditTarget =
  { kind: 'session'; session: SessionRow } | { kind: 'counter'; expectedMinor: number | null } | { kind: 'verify' };

/** Everything the rules need to know about one credit, gathered inside the caller's transaction. */
export interface CreditFacts {
  /** The stored SMS carrying the TxnID: a credit, or the spoof or debit that disproves it. */
  sms: SmsRow;
  /** When the SMS was sent: the earlier of the device's received time and the wallet's printed time. */
  sentAt: number;
  /** Other stored credits of this TxnID and wallet whose amount or payer differ (empty when the SMS is a trusted balance point). */
  disagreeing: readonly SmsRow[];
  /** The gateway the credit is judged against (chosen by the customer, or named by the SMS). */
  gateway: {
    provider: string;
    identifiers: readonly string[];
    balanceCheck: 'off' | 'warn' | 'review';
    expectedSmsc: readonly string[];
  } | null;
  /** A successful payment already made with this TxnID of this wallet (any stored copy of the SMS). */
  usedBy: TransactionRow | null;
  /** A live attempt of ANOTHER target holding this TxnID of this wallet. */
  claimedBy: TransactionRow | null;
  /** A wallet reversal SMS that took this TxnID back. */
  reversedBy: SmsRow | null;
  /** Every delivery of the SMS was a staff paste or import. */
  pastedOnly: boolean;
  /** R6's verdict from the balance chain (null when it follows or there is nothing to compare). */
  balance: ReviewReason | null;
  now: number;
  skewMs: number;
  maxSmsAgeMs: number;
}

export type RejectCode = 'spoof' | 'not_credit' | 'wrong_wallet' | 'reversed' | 'already_used' | 'claimed';

export type CreditVerdict =
  | { verdict: 'pays'; warnings: ReviewReason[] }
  | { verdict: 'check_first'; reasons: ReviewReason[]; warnings: ReviewReason[] }
  | { verdict: 'rejected'; code: RejectCode; reason: string };

export const SPOOFED_SENDER_REASON = 'The SMS for this TxnID came from a sender that is not the wallet (spoofed sender).';
export const REVERSED_REASON = 'The wallet reversed this payment (a reversal SMS took it back); it cannot pay.';
export const ALREADY_USED_REASON = 'This TxnID already paid something; one payment pays once.';
export const WRONG_WALLET_REASON = 'The SMS for this TxnID is from a different wallet than the one chosen.';

function reject(code: RejectCode, reason: string): CreditVerdict {
  return { verdict: 'rejected', code, reason };
}

/**
 * THE rule list (docs/matching.md): whether a credit may pay a target, and if not by itself,
 * why. Every path that can tell anyone "paid" — checkout submit, late match, the counter's
 * check and its Accept, the banner and chime, the phone's and merchant's verify, a staff or
 * phone decision — asks this one function, so they cannot disagree.
 *
 * Clear negatives (`rejected`) can never pay, not even by a person's word. Anything between
 * (`check_first`) waits for a person with its reasons. Only `pays` settles by itself.
 */
/** SMSC addresses compare on their digits: "+8801700000000" and "8801700000000" are one centre. */
function sameSmsc(a: string, b: string): boolean {
  return a.replace(/\D/g, '') === b.replace(/\D/g, '');
}

export function judgeCredit(target: CreditTarget, facts: CreditFacts): CreditVerdict {
  const { sms, gateway } = facts;
  if (sms.kind === 'spoof') return reject('spoof', SPOOFED_SENDER_REASON);
  if (sms.kind !== 'credit' || sms.amount_minor === null) {
    return reject('not_credit', `The SMS for this TxnID is not a payment received (${sms.kind}).`);
  }
  if (!gateway || gateway.provider !== sms.provider) {
    return reject('wrong_wallet', gateway ? WRONG_WALLET_REASON : `No enabled ${sms.provider ?? ''} gateway takes this payment.`);
  }
  if (facts.reversedBy) return reject('reversed', REVERSED_REASON);
  if (facts.usedBy) return reject('already_used', ALREADY_USED_REASON);
  if (facts.claimedBy) return reject('claimed', `TxnID ${sms.txnid_normalized ?? ''} is already waiting as another payment's attempt.`);

  const reasons: ReviewReason[] = [];
  const warnings: ReviewReason[] = [];
  // R2 account
  if (sms.account_hint && !accountMatches(sms.account_hint, gateway.identifiers)) {
    reasons.push({
      code: 'account_mismatch',
      message: `The SMS names account ${sms.account_hint}, which is not one of this gateway's (${gateway.identifiers.join(', ')}).`,
    });
  }
  // R3 amount (and currency), against what the target asks
  const currency = target.kind === 'session' ? target.session.currency : null;
  if (currency && sms.currency && sms.currency !== currency) {
    reasons.push({ code: 'currency_mismatch', message: `The SMS is in ${sms.currency}; the session is in ${currency}.` });
  }
  const expected = target.kind === 'session' ? target.session.amount_minor : target.kind === 'counter' ? target.expectedMinor : null;
  if (expected !== null && sms.amount_minor !== expected) {
    reasons.push({
      code: 'amount_mismatch',
      message: `The SMS shows ${minorToDecimal(sms.amount_minor)} ${sms.currency ?? currency ?? ''}; ${
        target.kind === 'session' ? 'the session asks' : 'the sale is'
      } ${minorToDecimal(expected)} ${currency ?? sms.currency ?? ''}.`.replace(/ {2,}/g, ' '),
    });
  }
  // R4 payer
  if (target.kind === 'session') {
    const { session } = target;
    if (session.customer_phone && sms.counterparty && /\d{7,}/.test(sms.counterparty.replace(/\D/g, ''))) {
      if (!samePhone(session.customer_phone, sms.counterparty)) {
        reasons.push({
          code: 'counterparty_mismatch',
          message: `The SMS says the money came from ${sms.counterparty}; the session's customer phone is ${session.customer_phone}.`,
        });
      }
    }
  }
  // R5 time
  if (target.kind === 'session' && facts.sentAt < target.session.created_at - facts.skewMs) {
    reasons.push({
      code: 'sms_predates_session',
      message: `The SMS was sent at ${new Date(facts.sentAt).toISOString()}, before the session was created (${new Date(target.session.created_at).toISOString()}).`,
    });
  }
  if (facts.now - facts.sentAt > facts.maxSmsAgeMs) {
    reasons.push({
      code: 'sms_too_old',
      message: `The SMS is older than ${Math.round(facts.maxSmsAgeMs / 3_600_000)} hours; an old unclaimed credit needs a person's check.`,
    });
  }
  // R6 balance (never for test-mode SMS)
  if (facts.balance && sms.is_test === 0) {
    if (gateway.balanceCheck === 'review') reasons.push(facts.balance);
    else if (gateway.balanceCheck === 'warn') warnings.push(facts.balance);
  }
  // Two stored SMS with one TxnID must tell one story; unless the balance chain vouches for this one.
  if (facts.disagreeing.length > 0) {
    reasons.push({
      code: 'copies_disagree',
      message: `Another SMS with this TxnID says something else (${facts.disagreeing
        .map((s) => `${minorToDecimal(s.amount_minor ?? 0)}${s.counterparty ? ` from ${s.counterparty}` : ''}`)
        .join('; ')}); one of them is not the wallet's.`,
    });
  }
  // The TxnID's shape: read, but not the wallet's usual one (seed 000's "BKX92H1" for bKash).
  // A person looks before it pays in live mode; test mode keeps the contract's examples simple.
  if (sms.is_test === 0 && sms.txnid_normalized && isProviderId(sms.provider) && !hasUsualTxnidShape(sms.provider, sms.txnid_normalized)) {
    reasons.push({
      code: 'txnid_unusual',
      message: `TxnID ${sms.txnid_normalized} is not shaped like the ${sms.provider} TxnIDs the wallet usually sends; check it in the wallet app.`,
    });
  }
  // The relay: a gateway that lists its wallet's SMS centres holds a credit a modem read through
  // another one (a forged SMS enters the network elsewhere). SMS without an SMSC (a phone's
  // upload) are not judged by it.
  if (sms.smsc && gateway.expectedSmsc.length > 0 && !gateway.expectedSmsc.some((c) => sameSmsc(c, sms.smsc as string))) {
    reasons.push({
      code: 'smsc_unexpected',
      message: `The SMS came through SMS centre ${sms.smsc}, not one this gateway expects (${gateway.expectedSmsc.join(', ')}).`,
    });
  }
  // R7 source
  if (facts.pastedOnly) {
    reasons.push({
      code: 'pasted_by_staff',
      message: 'Only staff pasted this SMS; no modem or phone has delivered it. It settles by itself once one does.',
    });
  }
  return reasons.length === 0 ? { verdict: 'pays', warnings } : { verdict: 'check_first', reasons, warnings };
}
