import { minorToDecimal } from '../../../src-shared/money';
import type { ReviewReason } from '../../../src-shared/contract/payments';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import { accountMatches, samePhone } from './account-match';

/**
 * The matching rule list (docs/matching.md). A session settles by itself only when every
 * rule holds. A clear negative rejects the attempt; anything in between waits for a person.
 *
 *  R1 credit  — the SMS is a parsed credit from an allowlisted sender of the gateway's wallet
 *               (a spoof rejects; anything else is not a payment).
 *  R2 account — where the SMS names a receiving account, it is one of the gateway's identifiers.
 *  R3 amount  — the SMS amount and currency equal the session's.
 *  R4 payer   — when the session has customer_phone and the SMS a counterparty, they agree.
 *  R5 time    — the SMS arrived after the session was created (minus the clock skew allowance)
 *               and is younger than the maximum age.
 *  R6 balance — the balance the SMS reports follows from the wallet's previous balance
 *               (per gateway: off / warn / review; never for test SMS).
 *  R7 source  — a device (modem, phone, forwarder, test mode) delivered the SMS: text that only
 *               staff pasted is a person's word, so a person decides.
 *  Uniqueness (one SMS pays once, one TxnID one claim) is enforced by the database itself.
 */
export interface MatchContext {
  session: SessionRow;
  sms: SmsRow;
  gateway: { provider: string; identifiers: readonly string[] } | null;
  now: number;
  skewMs: number;
  maxSmsAgeMs: number;
  /** Outcome of R6, computed by the balance check (null when not applicable). */
  balance: ReviewReason | null;
  balanceMode: 'off' | 'warn' | 'review';
  /** True when every delivery of the SMS was a staff paste or import. */
  pastedOnly: boolean;
}

export type MatchVerdict =
  | { verdict: 'clean'; warnings: ReviewReason[] }
  | { verdict: 'review'; reasons: ReviewReason[]; warnings: ReviewReason[] }
  | { verdict: 'reject'; reason: string };

export const SPOOFED_SENDER_REASON = 'The SMS for this TxnID came from a sender that is not the wallet (spoofed sender).';

export function evaluateMatch(ctx: MatchContext): MatchVerdict {
  const { session, sms, gateway } = ctx;
  if (sms.kind === 'spoof') return { verdict: 'reject', reason: SPOOFED_SENDER_REASON };
  if (sms.kind !== 'credit' || sms.amount_minor === null) {
    return { verdict: 'reject', reason: `The SMS for this TxnID is not a payment received (${sms.kind}).` };
  }
  if (!gateway || gateway.provider !== sms.provider) {
    return { verdict: 'reject', reason: 'The SMS for this TxnID is from a different wallet than the one chosen.' };
  }
  const reasons: ReviewReason[] = [];
  const warnings: ReviewReason[] = [];
  if (sms.account_hint && !accountMatches(sms.account_hint, gateway.identifiers)) {
    reasons.push({
      code: 'account_mismatch',
      message: `The SMS names account ${sms.account_hint}, which is not one of this gateway's (${gateway.identifiers.join(', ')}).`,
    });
  }
  if (sms.currency && sms.currency !== session.currency) {
    reasons.push({ code: 'currency_mismatch', message: `The SMS is in ${sms.currency}; the session is in ${session.currency}.` });
  }
  if (sms.amount_minor !== session.amount_minor) {
    reasons.push({
      code: 'amount_mismatch',
      message: `The SMS shows ${minorToDecimal(sms.amount_minor)} ${sms.currency ?? session.currency}; the session asks ${minorToDecimal(session.amount_minor)} ${session.currency}.`,
    });
  }
  if (session.customer_phone && sms.counterparty && /\d{7,}/.test(sms.counterparty.replace(/\D/g, ''))) {
    if (!samePhone(session.customer_phone, sms.counterparty)) {
      reasons.push({
        code: 'counterparty_mismatch',
        message: `The SMS says the money came from ${sms.counterparty}; the session's customer phone is ${session.customer_phone}.`,
      });
    }
  }
  if (sms.received_at < session.created_at - ctx.skewMs) {
    reasons.push({
      code: 'sms_predates_session',
      message: `The SMS arrived at ${new Date(sms.received_at).toISOString()}, before the session was created (${new Date(session.created_at).toISOString()}).`,
    });
  }
  if (ctx.now - sms.received_at > ctx.maxSmsAgeMs) {
    reasons.push({ code: 'sms_too_old', message: `The SMS is older than ${Math.round(ctx.maxSmsAgeMs / 3_600_000)} hours.` });
  }
  if (ctx.pastedOnly) {
    reasons.push({
      code: 'pasted_by_staff',
      message: 'Only staff pasted this SMS; no modem or phone has delivered it. It settles by itself once one does.',
    });
  }
  if (ctx.balance && sms.is_test === 0) {
    if (ctx.balanceMode === 'review') reasons.push(ctx.balance);
    else if (ctx.balanceMode === 'warn') warnings.push(ctx.balance);
  }
  return reasons.length === 0 ? { verdict: 'clean', warnings } : { verdict: 'review', reasons, warnings };
}
