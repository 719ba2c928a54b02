import { minorToDecimal } from '../../../src-shared/money';
import { writeTransaction } from '../db';
import type { SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { enqueueTransactionReversed } from '../outbox';
import type { CheckoutSubmit } from './checkout-submit';
import { NOT_FOUND_REASON } from './checkout-submit';
import { copiesOf, judge, pickCredit } from './credit-facts';
import { enabledGateways } from './gateway-lookup';
import { REVERSED_REASON, WRONG_WALLET_REASON } from './judge-credit';
import type { PaymentsStore } from './payments-store';
import { markSessionPaid, raiseSpoofAlert, raiseWarnings, touchSession } from './settle';
import { SESSION_EXPIRED_REASON, type SessionLifecycle } from './session-lifecycle';

/** What the sms domain hands over after it committed an SMS. */
export interface StoredSms {
  row: SmsRow;
  /** Other SMS that became trusted balance points because this one arrived (a late SMS re-linked the chain). */
  relinked?: readonly number[];
}

/**
 * What a newly stored SMS changes for payments: a TxnID waiting for it (late match), an
 * attempt held on it or on an SMS it re-linked (settles once the rules hold), a TxnID failed
 * before it came, a session that expired first (paid late), or a payment the wallet reversed.
 * Runs after the SMS commit; a crash in between is caught up at start.
 */
export class SmsArrival {
  constructor(
    private readonly store: PaymentsStore,
    private readonly lifecycle: SessionLifecycle,
    private readonly checkout: CheckoutSubmit,
  ) {}

  onSmsStored({ row, relinked = [] }: StoredSms): void {
    const interesting = row.txnid_normalized && row.provider && ['credit', 'spoof', 'reversal'].includes(row.kind);
    if (!interesting && relinked.length === 0) return;
    if (interesting) this.expireWaitingSessions(row);
    const now = this.store.now();
    const changed = writeTransaction(this.store.db, () => {
      const ids: string[] = [];
      if (interesting) ids.push(...this.inTx(row, now));
      for (const id of relinked) {
        const sms = this.store.deps.sms.byId(id);
        if (sms?.kind === 'credit') ids.push(...this.reconsiderHeld(sms, now));
      }
      return ids;
    });
    for (const id of new Set(changed)) {
      const view = this.store.viewOf(id);
      if (view) this.store.deps.onSessionChange(view);
    }
    if (changed.length > 0 || row.kind === 'reversal') this.store.deps.onVerificationsChange();
  }

  /** Attempts held on these SMS are decided again (their balance chain was re-linked). */
  reconsider(smsIds: readonly number[]): void {
    const now = this.store.now();
    const changed = writeTransaction(this.store.db, () => {
      const ids: string[] = [];
      for (const id of smsIds) {
        const sms = this.store.deps.sms.byId(id);
        if (sms?.kind === 'credit') ids.push(...this.reconsiderHeld(sms, now));
      }
      return ids;
    });
    for (const id of new Set(changed)) {
      const view = this.store.viewOf(id);
      if (view) this.store.deps.onSessionChange(view);
    }
    if (changed.length > 0) this.store.deps.onVerificationsChange();
  }

  /** A session past its time is expired first: an SMS must never pay a session that is over. */
  private expireWaitingSessions(row: SmsRow): void {
    const isTest = row.is_test === 1;
    const txnid = row.txnid_normalized as string;
    const waiting = this.store.transactions.pendingAwaitingSms(row.merchant_id, isTest, row.provider as string, txnid);
    const lapsed = this.lapsedAttempt(row.merchant_id, isTest, row.provider as string, txnid);
    for (const t of [...waiting, ...(lapsed ? [lapsed] : [])]) if (t.session_id) this.lifecycle.expireIfDue(t.session_id);
  }

  private inTx(sms: SmsRow, now: number): string[] {
    if (sms.kind === 'reversal') return this.reverse(sms, now);
    const changed: string[] = [];
    const provider = sms.provider as string;
    const txnid = sms.txnid_normalized as string;
    const isTest = sms.is_test === 1;
    for (const attempt of this.store.transactions.pendingAwaitingSms(sms.merchant_id, isTest, provider, txnid)) {
      const session = attempt.session_id ? this.store.sessions.byId(attempt.session_id) : undefined;
      if (!session || session.status !== 'pending' || session.expires_at <= now) continue;
      if (sms.kind === 'spoof') {
        // The attempt keeps waiting for the wallet's own SMS: failing it here would let whoever
        // sent the spoof line up a lapsed attempt of their own for the real SMS to pay.
        raiseSpoofAlert(this.store, session, sms, now);
        continue;
      }
      const gateway = enabledGateways(this.store.db, session.merchant_id).find((g) => g.id === attempt.gateway_id) ?? null;
      const verdict = judge(this.store, { kind: 'session', session }, sms, gateway, { transactionId: attempt.id, sessionId: session.id });
      const link = { sms_id: sms.id, amount_minor: sms.amount_minor, sender_account: sms.counterparty };
      if (verdict.verdict === 'rejected') {
        this.store.transactions.fail(attempt.id, null, verdict.reason, now);
        touchSession(this.store, session.id, now, 'transaction_failed');
      } else if (verdict.verdict === 'check_first') {
        this.store.transactions.attachSms(attempt.id, link, JSON.stringify([...verdict.reasons, ...verdict.warnings]), now);
        touchSession(this.store, session.id, now, 'attempt');
      } else {
        this.store.transactions.attachSms(attempt.id, link, JSON.stringify(verdict.warnings), now);
        this.store.transactions.settle(attempt.id, 'sms_late_match', sms.id, now);
        markSessionPaid(this.store, session, now);
        raiseWarnings(this.store, session, attempt.id, sms, verdict.warnings, now);
        this.store.logger.info({ session_id: session.id, sms_id: sms.id, transaction_id: attempt.id }, 'session paid by late SMS');
      }
      changed.push(session.id);
    }
    if (sms.kind === 'credit') {
      changed.push(...this.releaseOtherWallets(sms, now));
      changed.push(...this.reconsiderHeld(sms, now));
      const reclaimed = this.reclaimAfterWait(sms, now);
      if (reclaimed) changed.push(reclaimed);
      this.flagPaidLate(sms, now);
    }
    return changed;
  }

  /**
   * The SMS names its wallet: attempts that wait for the same TxnID under ANOTHER wallet of
   * the same currency were made under the wrong wallet. They fail, so they cannot hold the
   * TxnID against the real payer until the sweep.
   */
  private releaseOtherWallets(sms: SmsRow, now: number): string[] {
    const changed: string[] = [];
    const claims = this.store.transactions.liveClaims(sms.merchant_id, sms.is_test === 1, sms.txnid_normalized as string);
    for (const claim of claims) {
      if (claim.status !== 'pending' || claim.sms_id !== null || claim.provider === sms.provider) continue;
      if (this.store.transactions.fail(claim.id, null, WRONG_WALLET_REASON, now) && claim.session_id) {
        touchSession(this.store, claim.session_id, now, 'transaction_failed');
        changed.push(claim.session_id);
      }
    }
    return changed;
  }

  /**
   * Attempts held on this SMS are decided again when something changed for it: a staff-pasted
   * SMS that a device now delivers (the device's copy may read differently and be stored
   * apart: attempts held on any copy of the same TxnID and wallet count), or a balance chain a
   * late SMS re-linked.
   */
  private reconsiderHeld(sms: SmsRow, now: number): string[] {
    const changed: string[] = [];
    const held = new Map(this.store.transactions.pendingWithSms(sms.id).map((t) => [t.id, t]));
    if (sms.txnid_normalized && sms.provider) {
      for (const claim of this.store.transactions.liveClaims(sms.merchant_id, sms.is_test === 1, sms.txnid_normalized)) {
        if (claim.status === 'pending' && claim.sms_id !== null && claim.provider === sms.provider) held.set(claim.id, claim);
      }
    }
    // The copy the rules judge is the one the chain trusts, not whichever came last: a forged
    // "copy" with the asked amount must not settle what the wallet's own SMS holds.
    const best = pickCredit(copiesOf(this.store, sms), this.store) ?? sms;
    for (const attempt of held.values()) {
      const session = attempt.session_id ? this.store.sessions.byId(attempt.session_id) : undefined;
      if (!session || session.status !== 'pending' || session.expires_at <= now) continue;
      const gateway = enabledGateways(this.store.db, session.merchant_id).find((g) => g.id === attempt.gateway_id) ?? null;
      const verdict = judge(this.store, { kind: 'session', session }, best, gateway, { transactionId: attempt.id, sessionId: session.id });
      if (verdict.verdict !== 'pays') continue;
      this.store.transactions.settle(attempt.id, 'sms_late_match', best.id, now, JSON.stringify(verdict.warnings));
      markSessionPaid(this.store, session, now);
      raiseWarnings(this.store, session, attempt.id, best, verdict.warnings, now);
      this.store.logger.info(
        { session_id: session.id, sms_id: sms.id, transaction_id: attempt.id },
        'held attempt settled: the rules now hold',
      );
      changed.push(session.id);
    }
    return changed;
  }

  /**
   * A failed attempt the real SMS should still be able to settle: one that WAITED for this SMS
   * and failed only because it had not come in time. A refusal at the checkout (a spoof, a
   * wrong TxnID) is never one: anyone can make such a failure on their own session. Of several,
   * the one that waited first.
   */
  private lapsedAttempt(merchantId: number, isTest: boolean, provider: string, txnid: string): TransactionRow | undefined {
    return this.store.transactions
      .recentByTxnid(merchantId, isTest, provider, txnid)
      .filter((t) => t.status === 'failed' && t.session_id !== null && t.failure_reason === NOT_FOUND_REASON)
      .sort((a, b) => a.id - b.id)[0];
  }

  /**
   * The SMS came after its TxnID had been failed as "not found" (a phone offline for an hour,
   * say) or rejected for a spoof that arrived first, while the session is still open: the same
   * rules as a fresh submit decide it, as if the customer had pressed Verify again now.
   */
  private reclaimAfterWait(sms: SmsRow, now: number): string | null {
    const isTest = sms.is_test === 1;
    const txnid = sms.txnid_normalized as string;
    const provider = sms.provider as string;
    if (this.store.transactions.liveClaims(sms.merchant_id, isTest, txnid).some((c) => c.provider === provider)) return null;
    const lapsed = this.lapsedAttempt(sms.merchant_id, isTest, provider, txnid);
    const session = lapsed?.session_id ? this.store.sessions.byId(lapsed.session_id) : undefined;
    if (!lapsed || !session || session.status !== 'pending' || session.expires_at <= now) return null;
    const gateway = enabledGateways(this.store.db, session.merchant_id).find((g) => g.id === lapsed.gateway_id);
    if (!gateway) return null;
    const verdict = judge(this.store, { kind: 'session', session }, sms, gateway, { sessionId: session.id });
    if (verdict.verdict === 'rejected') return null;
    this.checkout.apply(session, { submitted: lapsed.txnid_submitted, normalized: txnid }, gateway, sms, verdict, 'sms_late_match', now);
    this.store.logger.info(
      { session_id: session.id, sms_id: sms.id },
      'SMS arrived after its TxnID was failed as not found; matched again',
    );
    return session.id;
  }

  /** An SMS for a TxnID whose session already expired does not settle it: staff are told instead. */
  private flagPaidLate(sms: SmsRow, now: number): void {
    if (sms.is_test === 1) return;
    const expired = this.store.transactions
      .recentByTxnid(sms.merchant_id, false, sms.provider as string, sms.txnid_normalized as string)
      .filter((t) => t.status === 'failed' && t.failure_reason === SESSION_EXPIRED_REASON);
    for (const t of expired) {
      const raised = this.store.alerts.raise({
        merchant_id: sms.merchant_id,
        kind: 'paid_late',
        session_id: t.session_id,
        transaction_id: t.id,
        sms_id: sms.id,
        message: `A payment for TxnID ${sms.txnid ?? t.txnid_submitted} arrived after session ${t.session_id ?? ''} expired; it was not applied.`,
        details: '{}',
        created_at: now,
      });
      if (raised) this.store.logger.warn({ session_id: t.session_id, sms_id: sms.id }, 'payment arrived after its session expired');
    }
  }

  /**
   * The wallet took a payment back. Unclaimed, the credit can no longer pay (the rules see the
   * reversal) and any attempt waiting on it fails; already paid, the session stays `success`,
   * the transaction is marked reversed, staff get an alert and the merchant an outbox event.
   */
  private reverse(reversal: SmsRow, now: number): string[] {
    const changed: string[] = [];
    const isTest = reversal.is_test === 1;
    const txnid = reversal.txnid_normalized as string;
    for (const claim of this.store.transactions.liveClaims(reversal.merchant_id, isTest, txnid)) {
      if (claim.provider !== reversal.provider) continue;
      if (claim.status === 'pending') {
        if (this.store.transactions.fail(claim.id, null, REVERSED_REASON, now) && claim.session_id) {
          touchSession(this.store, claim.session_id, now, 'transaction_failed');
          changed.push(claim.session_id);
        }
        continue;
      }
      if (!this.store.transactions.markReversed(claim.id, now)) continue;
      const session = this.store.viewOf(claim.session_id);
      const amount = claim.amount_minor === null ? null : minorToDecimal(claim.amount_minor);
      enqueueTransactionReversed(
        this.store.db,
        reversal.merchant_id,
        { transaction_id: claim.id, txnid, provider: claim.provider, amount, reversed_at: new Date(now).toISOString(), session },
        now,
      );
      if (!isTest) {
        this.store.alerts.raise({
          merchant_id: reversal.merchant_id,
          kind: 'transaction_reversed',
          session_id: claim.session_id,
          transaction_id: claim.id,
          sms_id: reversal.id,
          message: `The wallet reversed TxnID ${reversal.txnid ?? txnid} (${amount ?? '?'}) after it paid ${
            session ? `order ${session.order_id}` : 'a counter sale'
          }. The money is gone from the wallet; follow up with the customer.`,
          details: '{}',
          created_at: now,
        });
      }
      this.store.logger.warn(
        { transaction_id: claim.id, session_id: claim.session_id, sms_id: reversal.id },
        'a paid transaction was reversed by the wallet',
      );
      if (claim.session_id) changed.push(claim.session_id);
    }
    return changed;
  }
}
