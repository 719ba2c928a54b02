import type { DecisionResult, ManualVerifyResult } from '../../../src-shared/contract/admin';
import type { DecisionOutcome, VerifyOutcome } from '../payments';

/** The seed prints these amounts as JSON numbers; they are made from the stored integer, never computed with. */
export function amountNumber(minor: number | null): number | null {
  return minor === null ? null : Number(`${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`);
}

export function manualVerifyResult(outcome: VerifyOutcome): ManualVerifyResult {
  const t = outcome.transaction;
  const s = outcome.sms;
  const result: ManualVerifyResult = {
    matched: outcome.matched,
    already_existed: outcome.already_existed,
    transaction: t
      ? {
          id: t.id,
          txnid_submitted: t.txnid_submitted,
          amount: amountNumber(t.amount_minor),
          status: t.status,
          result_source: t.result_source,
          provider: t.provider,
          variant: t.variant,
          account_number: t.account_number,
        }
      : null,
    sms: s ? { id: s.id, sender: s.sender, body: s.body, received_at: new Date(s.received_at).toISOString() } : null,
  };
  if (outcome.reason) result.reason = outcome.reason;
  return result;
}

export function decisionResult(outcome: DecisionOutcome): DecisionResult {
  const t = outcome.transaction;
  return {
    ok: true,
    verification_id: t.id,
    status: t.status === 'success' ? 'success' : 'failed',
    session_id: t.session_id,
    transaction: { id: t.id, status: t.status === 'success' ? 'success' : 'failed', result_source: t.result_source },
  };
}
