import type { SessionView } from '../../../src-shared/contract/payments';
import { minorToDecimal } from '../../../src-shared/money';
import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import type { SmsRepo, SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import type { SessionService } from '../sessions';
import { accountMatches } from './account-match';
import { enabledGateways, gatewayForSms } from './gateway-lookup';
import { changedView, insertAttempt, markSessionPaid } from './settle';
import { normalizeSubmittedTxnid } from './txnid';

export interface DecisionDeps {
  db: Db;
  logger: Logger;
  merchantId: number;
  auditKey: string;
  clock: () => number;
  sessions: SessionService;
  smsRepo: SmsRepo;
  onSessionChange: (view: SessionView) => void;
  onVerificationsChange: () => void;
}

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

/** Staff and phone decisions on attempts, and out-of-band verification of a TxnID. */
export class Decisions {
  constructor(private readonly deps: DecisionDeps) {}

  /** Approve or reject a pending attempt. The decision and its audit row commit together. */
  decide(transactionId: number, decision: Decision): DecisionOutcome {
    const { sessions } = this.deps;
    // A session past its time is expired first (the sweep may not have reached it): nobody
    // can approve a payment for a session that is over.
    const before = sessions.transactions.byId(transactionId);
    if (before?.session_id) sessions.expireIfDue(before.session_id);
    const now = this.deps.clock();
    const outcome = writeTransaction(this.deps.db, () => {
      const attempt = sessions.transactions.byId(transactionId);
      // Test mode never asks a person; a live phone or counter cannot reach a test attempt.
      if (!attempt || attempt.merchant_id !== this.deps.merchantId || attempt.is_test === 1) {
        throw new AppError('verification_not_found');
      }
      const owner = attempt.session_id ? sessions.sessions.byId(attempt.session_id) : undefined;
      if (attempt.status !== 'pending' && owner?.status === 'expired') throw new AppError('session_expired');
      if (attempt.status !== 'pending') {
        throw new AppError('verification_already_decided', `Verification ${transactionId} is already ${attempt.status}.`, {
          hints: { status: attempt.status },
        });
      }
      const session = attempt.session_id ? sessions.sessions.byId(attempt.session_id) : undefined;
      if (decision.result === 'success') {
        if (session && session.status !== 'pending') throw new AppError('session_not_pending', `The session is ${session.status}.`);
        try {
          sessions.transactions.settle(attempt.id, decision.source, attempt.sms_id, now);
        } catch (err) {
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new AppError('txnid_already_used', 'The SMS behind this attempt already paid something else.', { cause: err });
          }
          throw err;
        }
        if (session) markSessionPaid(this.deps.db, sessions, session, now);
      } else {
        const reason = (decision.failureReason ?? '').trim() || 'Rejected by staff.';
        sessions.transactions.fail(attempt.id, decision.source, reason.slice(0, 500), now);
      }
      appendAudit(
        this.deps.db,
        this.deps.auditKey,
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
      return { transaction: sessions.transactions.byId(attempt.id) as TransactionRow, session: changedView(sessions, attempt.session_id) };
    });
    this.deps.logger.info({ transaction_id: transactionId, result: decision.result, source: decision.source, actor: decision.actor }, 'verification decided');
    if (outcome.session) this.deps.onSessionChange(outcome.session);
    this.deps.onVerificationsChange();
    return outcome;
  }

  /**
   * A TxnID given out of band (a customer at the counter, a phone call): find its SMS,
   * check it against a gateway and record a verified payment. A TxnID a session's attempt is
   * waiting on is decided in the queue, never by a lookup.
   */
  verify(rawTxnid: unknown, actor: string): VerifyOutcome {
    const txnid = normalizeSubmittedTxnid(rawTxnid);
    if (!txnid) throw new AppError('validation_failed', 'txnid: give the transaction ID from the wallet SMS', { hints: { field: 'txnid' } });
    const now = this.deps.clock();
    const { sessions } = this.deps;
    const result = writeTransaction(this.deps.db, (): VerifyOutcome => {
      const found = this.deps.smsRepo.byTxnid(this.deps.merchantId, false, txnid.normalized);
      const sms = found.find((s) => s.kind === 'credit');
      if (!sms) {
        const spoof = found.find((s) => s.kind === 'spoof');
        if (spoof) return { matched: false, already_existed: false, transaction: null, sms: spoof, reason: 'The only SMS with this TxnID came from a sender that is not the wallet (spoofed sender).' };
        throw new AppError('txnid_not_found');
      }
      const used = sessions.transactions.successForSms(sms.id);
      if (used) return { matched: true, already_existed: true, transaction: used, sms, reason: null };
      const gateway = gatewayForSms(enabledGateways(this.deps.db, this.deps.merchantId), sms.provider, sms.account_hint);
      if (!gateway) return { matched: false, already_existed: false, transaction: null, sms, reason: `No enabled ${sms.provider} gateway.` };
      if (sms.account_hint && !accountMatches(sms.account_hint, gateway.identifiers)) {
        return { matched: false, already_existed: false, transaction: null, sms, reason: `The SMS names account ${sms.account_hint}, which is not one of the shop's gateways.` };
      }
      const claim = sessions.transactions.liveClaims(this.deps.merchantId, false, txnid.normalized).find((c) => c.provider === sms.provider);
      if (claim) {
        // A session's attempt waits for a reason (the rules held it for review, or its SMS is
        // disputed): looking the TxnID up must not settle it behind the queue's back.
        throw new AppError(
          'conflict',
          `TxnID ${txnid.normalized} is waiting as verification ${claim.id}${claim.session_id ? ` of session ${claim.session_id}` : ''}; approve or reject it in the queue.`,
          { hints: { verification_id: claim.id } },
        );
      }
      const transactionId = insertAttempt(sessions, {
        merchant_id: this.deps.merchantId,
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
        review_reasons: null,
        sms_id: sms.id,
        is_test: 0,
        verified_at: now,
        created_at: now,
      });
      appendAudit(this.deps.db, this.deps.auditKey, {
        actor,
        action: 'txnid.verified',
        subjectType: 'transaction',
        subjectId: String(transactionId),
        details: { txnid: txnid.normalized, sms_id: sms.id },
      }, now);
      return { matched: true, already_existed: false, transaction: sessions.transactions.byId(transactionId) as TransactionRow, sms, reason: null };
    });
    if (result.matched && !result.already_existed) this.deps.onVerificationsChange();
    return result;
  }
}
