import type { SessionView } from '../../../src-shared/contract/payments';
import { minorToDecimal } from '../../../src-shared/money';
import { appendAudit } from '../audit';
import { writeTransaction } from '../db';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import { judge, pickCredit } from './credit-facts';
import { personVerdict } from './decide-verdict';
import { enabledGateways, gatewayForSms } from './gateway-lookup';
import type { PaymentsStore } from './payments-store';
import type { SessionLifecycle } from './session-lifecycle';
import { insertAttempt, markSessionPaid, raiseWarnings, touchSession } from './settle';
import { normalizeSubmittedTxnid } from './txnid';

export interface Decision {
  result: 'success' | 'failed';
  /** 'manual' for staff at the counter, 'apk' for the merchant's phone. */
  source: 'manual' | 'apk';
  actor: string;
  failureReason?: string | null;
}

export interface DecisionOutcome {
  transaction: TransactionRow;
  session: SessionView | null;
}

export interface VerifyOutcome {
  matched: boolean;
  already_existed: boolean;
  transaction: TransactionRow | null;
  sms: SmsRow | null;
  reason: string | null;
}

/**
 * A person's word on a payment: staff at the counter or the merchant's phone approve or
 * reject an attempt held for review, or verify a TxnID given out of band. A person decides
 * what the rules could not (CHECK FIRST); no one can approve what the rules refuse outright
 * (a spoof, a reversed payment, a TxnID already used).
 */
export class Decisions {
  constructor(
    private readonly store: PaymentsStore,
    private readonly lifecycle: SessionLifecycle,
  ) {}

  /** Approve or reject a pending attempt. The decision and its audit row commit together. */
  decide(transactionId: number, decision: Decision): DecisionOutcome {
    const { store } = this;
    // A session past its time is expired first (the sweep may not have reached it): nobody
    // can approve a payment for a session that is over.
    const before = store.transactions.byId(transactionId);
    if (before?.session_id) this.lifecycle.expireIfDue(before.session_id);
    const now = store.now();
    const outcome = writeTransaction(store.db, () => {
      const attempt = store.transactions.byId(transactionId);
      // Test mode never asks a person; a live phone or counter cannot reach a test attempt.
      if (!attempt || attempt.merchant_id !== store.deps.merchantId || attempt.is_test === 1) {
        throw new AppError('verification_not_found');
      }
      const session = attempt.session_id ? store.sessions.byId(attempt.session_id) : undefined;
      if (attempt.status !== 'pending' && session?.status === 'expired') throw new AppError('session_expired');
      if (attempt.status !== 'pending') {
        throw new AppError('verification_already_decided', `Verification ${transactionId} is already ${attempt.status}.`, {
          hints: { status: attempt.status },
        });
      }
      if (decision.result === 'success') {
        if (session && session.status !== 'pending') throw new AppError('session_not_pending', `The session is ${session.status}.`);
        this.refuseWhatRulesRefuse(attempt, session ?? null);
        try {
          store.transactions.settle(attempt.id, decision.source, attempt.sms_id, now);
        } catch (err) {
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new AppError('txnid_already_used', 'The SMS behind this attempt already paid something else.', { cause: err });
          }
          throw err;
        }
        if (session) markSessionPaid(store, session, now);
      } else {
        const reason = (decision.failureReason ?? '').trim() || 'Rejected by staff.';
        store.transactions.fail(attempt.id, decision.source, reason.slice(0, 500), now);
        touchSession(store, attempt.session_id, now, 'transaction_failed');
      }
      appendAudit(
        store.db,
        store.deps.auditKey,
        {
          actor: decision.actor,
          action: decision.result === 'success' ? 'verification.approved' : 'verification.rejected',
          subjectType: 'transaction',
          subjectId: String(attempt.id),
          details: {
            session_id: attempt.session_id,
            txnid: attempt.txnid_normalized,
            source: decision.source,
            amount: attempt.amount_minor === null ? null : minorToDecimal(attempt.amount_minor),
            failure_reason: decision.result === 'failed' ? (decision.failureReason ?? null) : null,
          },
        },
        now,
      );
      return { transaction: store.transactions.byId(attempt.id) as TransactionRow, session: store.viewOf(attempt.session_id) };
    });
    store.logger.info(
      { transaction_id: transactionId, result: decision.result, source: decision.source, actor: decision.actor },
      'verification decided',
    );
    if (outcome.session) store.deps.onSessionChange(outcome.session);
    store.deps.onVerificationsChange();
    return outcome;
  }

  /**
   * Approval asks the same verdict (decide-verdict.ts): a person may overrule CHECK FIRST (that
   * is what the queue is for) and may vouch for a payment whose SMS never came; nobody may
   * approve what the records disprove (a forged sender, a debit, a reversal, another wallet,
   * a TxnID already used), whether or not an SMS was linked to the attempt.
   */
  private refuseWhatRulesRefuse(attempt: TransactionRow, session: SessionRow | null): void {
    const verdict = personVerdict(this.store, attempt, session);
    if (verdict.may === 'approve') return;
    throw new AppError(verdict.code, verdict.reason.message, {
      hints: { failure_reason: verdict.reason.message, reasons: [verdict.reason] },
    });
  }

  /**
   * A TxnID given out of band (the phone, the merchant, the counter): find its SMS, judge it
   * by the one rule list and record a verified payment only when it would settle by itself.
   * A TxnID a session's attempt is waiting on is decided in the queue, never by a lookup.
   */
  verify(rawTxnid: unknown, actor: string): VerifyOutcome {
    const txnid = normalizeSubmittedTxnid(rawTxnid);
    if (!txnid)
      throw new AppError('validation_failed', 'txnid: give the transaction ID from the wallet SMS', { hints: { field: 'txnid' } });
    const { store } = this;
    const merchantId = store.deps.merchantId;
    const now = store.now();
    const result = writeTransaction(store.db, (): VerifyOutcome => {
      const found = store.deps.sms.byTxnid(merchantId, false, txnid.normalized);
      const sms = pickCredit(found, store);
      if (!sms) {
        const spoof = found.find((s) => s.kind === 'spoof');
        if (spoof)
          return {
            matched: false,
            already_existed: false,
            transaction: null,
            sms: spoof,
            reason: 'The only SMS with this TxnID came from a sender that is not the wallet (spoofed sender).',
          };
        throw new AppError('txnid_not_found');
      }
      const gateway = gatewayForSms(enabledGateways(store.db, merchantId), sms.provider, sms.account_hint);
      const verdict = judge(store, { kind: 'verify' }, sms, gateway);
      if (verdict.verdict === 'rejected') {
        if (verdict.code === 'already_used') {
          const used =
            store.transactions
              .liveClaims(merchantId, false, txnid.normalized)
              .find((t) => t.status === 'success' && t.provider === sms.provider) ??
            store.transactions.successForSms(sms.id) ??
            null;
          // Never `matched: true`: a phone app that reads only `matched` would show PAID for a
          // TxnID that already paid something else (or that the wallet has since reversed).
          return {
            matched: false,
            already_existed: true,
            transaction: used,
            sms,
            reason: used?.reversed_at
              ? 'Already used, and the wallet reversed this payment after it was used. It cannot pay again.'
              : `Already used: this TxnID already paid ${usedWhat(store, used)}. It cannot pay again.`,
          };
        }
        if (verdict.code === 'claimed') {
          const claim = store.transactions
            .liveClaims(merchantId, false, txnid.normalized)
            .find((c) => c.provider === sms.provider && c.status === 'pending');
          // A session's attempt waits for a reason (the rules held it for review, or its SMS is
          // disputed): looking the TxnID up must not settle it behind the queue's back.
          throw new AppError(
            'conflict',
            `TxnID ${txnid.normalized} is waiting as verification ${claim?.id ?? '?'}${claim?.session_id ? ` of session ${claim.session_id}` : ''}; approve or reject it in the queue.`,
            { hints: { verification_id: claim?.id ?? null } },
          );
        }
        return { matched: false, already_existed: false, transaction: null, sms, reason: verdict.reason };
      }
      if (verdict.verdict === 'check_first' || !gateway) {
        const reasons = verdict.verdict === 'check_first' ? verdict.reasons : [];
        return {
          matched: false,
          already_existed: false,
          transaction: null,
          sms,
          reason: `Check first: ${reasons.map((r) => r.message).join(' ')}`.trim(),
        };
      }
      const transactionId = insertAttempt(store, {
        merchant_id: merchantId,
        session_id: null,
        gateway_id: gateway.id,
        provider: gateway.provider,
        variant: gateway.variant,
        account_number: gateway.accountNumber,
        txnid_submitted: txnid.submitted,
        txnid_normalized: txnid.normalized,
        sender_account: sms.counterparty,
        amount_minor: sms.amount_minor,
        status: 'success',
        result_source: 'manual_verify',
        failure_reason: null,
        review_reasons: verdict.warnings.length > 0 ? JSON.stringify(verdict.warnings) : null,
        sms_id: sms.id,
        is_test: 0,
        verified_at: now,
        created_at: now,
      });
      raiseWarnings(store, null, transactionId, sms, verdict.warnings, now);
      appendAudit(
        store.db,
        store.deps.auditKey,
        {
          actor,
          action: 'txnid.verified',
          subjectType: 'transaction',
          subjectId: String(transactionId),
          details: { txnid: txnid.normalized, sms_id: sms.id },
        },
        now,
      );
      return {
        matched: true,
        already_existed: false,
        transaction: store.transactions.byId(transactionId) as TransactionRow,
        sms,
        reason: null,
      };
    });
    if (result.matched && !result.already_existed) store.deps.onVerificationsChange();
    return result;
  }
}

/** What a used TxnID paid, in words for the verify answer's `reason`. */
function usedWhat(store: PaymentsStore, t: TransactionRow | null): string {
  if (!t) return 'an earlier payment';
  const when = t.verified_at === null ? '' : ` at ${new Date(t.verified_at).toISOString()}`;
  if (t.result_source === 'counter') return `a counter sale${when}`;
  if (t.result_source === 'manual_verify') return `a verified payment (transaction ${t.id})${when}`;
  const session = t.session_id ? store.sessions.byId(t.session_id) : undefined;
  return session ? `order ${session.order_id} (session ${session.id})${when}` : `an earlier payment${when}`;
}
