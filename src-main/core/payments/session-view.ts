import { minorToDecimal } from '../../../src-shared/money';
import type { SessionView } from '../../../src-shared/contract/payments';
import type { SessionRow } from '../db/repos/session-repo';
import type { LatestFields, SessionViewFields, SuccessFields } from '../db/repos/session-view-repo';
import type { TransactionRepo } from '../db/repos/transaction-repo';

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function latestTransactionView(t: LatestFields): NonNullable<SessionView['latest_transaction']> {
  return {
    txnid_submitted: t.txnid_submitted,
    method: t.provider,
    variant: t.variant,
    account_number: t.account_number,
    sender_account: t.sender_account,
    amount: t.amount_minor === null ? null : minorToDecimal(t.amount_minor),
    status: t.status,
    result_source: t.result_source,
    failure_reason: t.failure_reason,
    verified_at: iso(t.verified_at),
    reversed_at: iso(t.reversed_at),
  };
}

/** The seed's `session` object, field for field, plus the additive `test` flag. */
export function toSessionView(row: SessionRow, transactions: TransactionRepo): SessionView {
  return sessionView(row, transactions.successForSession(row.id), transactions.latestForSession(row.id));
}

/** The same view from rows already read (session-view-repo reads all three in one statement). */
export function sessionView(
  row: Omit<SessionViewFields, 'brand_id'>,
  success: SuccessFields | undefined,
  latest: LatestFields | undefined,
): SessionView {
  return {
    id: row.id,
    order_id: row.order_id,
    amount: minorToDecimal(row.amount_minor),
    currency: row.currency,
    status: row.status,
    expires_at: new Date(row.expires_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    successful_transaction: success
      ? {
          txnid_submitted: success.txnid_submitted,
          verified_at: iso(success.verified_at),
          result_source: success.result_source,
          reversed_at: iso(success.reversed_at),
        }
      : null,
    latest_transaction: latest ? latestTransactionView(latest) : null,
    test: row.is_test === 1,
  };
}
