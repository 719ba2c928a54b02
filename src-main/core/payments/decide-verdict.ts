import type { ReviewReason } from '../../../src-shared/contract/payments';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { judge, pickCredit } from './credit-facts';
import { enabledGateways, gatewayForSms } from './gateway-lookup';
import { REVERSED_REASON, SPOOFED_SENDER_REASON, type RejectCode } from './judge-credit';
import type { PaymentsStore } from './payments-store';

/** Why the rules refuse a credit, as the queue and a refused decision name it. */
export const REJECT_REASON_CODES: Record<RejectCode, ReviewReason['code']> = {
  spoof: 'spoofed_sender',
  not_credit: 'not_credit',
  wrong_wallet: 'wrong_wallet',
  reversed: 'reversed',
  already_used: 'already_used',
  claimed: 'already_used',
};

/**
 * What a person (staff at the counter, the merchant's phone) may do with an attempt waiting
 * for them. `approve`: the rules left it to a person (CHECK FIRST, or no SMS at all);
 * `reasons` are what the person overrules. `refuse`: the records hold a clear negative for
 * this TxnID that nobody may overrule; `code` is the error a decision answers with.
 */
export type PersonVerdict =
  | { may: 'approve'; reasons: ReviewReason[]; evidence: SmsRow | null }
  | { may: 'refuse'; code: 'payment_rejected' | 'txnid_already_used'; reason: ReviewReason; evidence: SmsRow | null };

function refuse(rejectCode: RejectCode, message: string, evidence: SmsRow | null): PersonVerdict {
  return {
    may: 'refuse',
    code: rejectCode === 'already_used' || rejectCode === 'claimed' ? 'txnid_already_used' : 'payment_rejected',
    reason: { code: REJECT_REASON_CODES[rejectCode], message },
    evidence,
  };
}

/**
 * The one verdict (judgeCredit) asked for a person's approval. It judges the best evidence the
 * records hold for the attempt's TxnID, whether or not an SMS was linked to the attempt:
 *
 * - a credit of the attempt's wallet: the rules judge it; `rejected` (spoof, not a credit,
 *   wrong wallet, reversed, already used) is refused, `check_first` and `pays` may be approved;
 * - no credit of that wallet, but another SMS with this TxnID (a forged sender, a debit, a
 *   reversal, another wallet's credit): refused, it disproves the payment;
 * - no SMS with this TxnID at all (the SMS was lost; staff checked the wallet app), or only one
 *   the parsers could not read whole: a person's word is all there is, and it may be given (R7).
 *
 * Test-mode SMS are never evidence for a live attempt (and test attempts never reach a person).
 */
export function personVerdict(store: PaymentsStore, attempt: TransactionRow, session: SessionRow | null): PersonVerdict {
  const isTest = attempt.is_test === 1;
  const all = store.deps.sms.byTxnid(attempt.merchant_id, isTest, attempt.txnid_normalized);
  const mine = all.filter((s) => s.provider === attempt.provider);
  // A reversal refuses even where nothing else can be judged (a gateway since disabled).
  const reversal = mine.find((s) => s.kind === 'reversal');
  if (reversal) return refuse('reversed', REVERSED_REASON, reversal);
  const linked = attempt.sms_id === null ? undefined : store.deps.sms.byId(attempt.sms_id);
  // Only an SMS that says something disproves: one the parsers could not read whole (`unknown`,
  // `unparsed`: often the genuine receipt in a wording not yet known) is no evidence either way.
  const telling = (s: SmsRow) => s.kind !== 'unknown' && s.kind !== 'unparsed';
  const evidence =
    pickCredit(mine, store) ?? (linked?.kind === 'credit' ? linked : undefined) ?? mine.find(telling) ?? all.find(telling) ?? null;
  if (!evidence) return { may: 'approve', reasons: [], evidence: null };
  if (evidence.kind === 'spoof') {
    return refuse('spoof', `${SPOOFED_SENDER_REASON} It came from ${evidence.sender}.`, evidence);
  }
  const gateways = enabledGateways(store.db, attempt.merchant_id);
  const gateway =
    gateways.find((g) => g.id === attempt.gateway_id) ?? gatewayForSms(gateways, evidence.provider, evidence.account_hint) ?? null;
  const target = session ? { kind: 'session' as const, session } : { kind: 'verify' as const };
  const verdict = judge(store, target, evidence, gateway, { transactionId: attempt.id, sessionId: attempt.session_id ?? undefined });
  if (verdict.verdict === 'rejected') return refuse(verdict.code, verdict.reason, evidence);
  return { may: 'approve', reasons: verdict.verdict === 'check_first' ? verdict.reasons : [], evidence };
}
