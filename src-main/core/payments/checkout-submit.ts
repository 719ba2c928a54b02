import { isProviderId, providerInfo } from '../../../src-shared/providers';
import type { SessionView } from '../../../src-shared/contract/payments';
import { writeTransaction } from '../db';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import { AppError } from '../errors';
import { judge, pickCredit } from './credit-facts';
import { enabledGateways, gatewayForSms, type GatewayChoice } from './gateway-lookup';
import type { CreditVerdict } from './judge-credit';
import type { PaymentsStore } from './payments-store';
import { attemptRow, insertAttempt, markSessionPaid, raiseSpoofAlert, raiseWarnings, touchSession } from './settle';
import type { SessionLifecycle } from './session-lifecycle';
import { parseCheckoutSubmit } from './submit-input';
import { normalizeSubmittedTxnid, txnidFitsProvider, txnidOfAnyShape } from './txnid';

export type SubmitOutcome = { status: 'success'; session: SessionView } | { status: 'pending'; session: SessionView; review: boolean };

export type TxResult = { ok: SubmitOutcome; changed: boolean } | { error: AppError };

export const NOT_FOUND_REASON = 'TxnID not found in our wallet SMS.';
/** A customer pays once; three TxnIDs still waiting for their SMS is already generous. */
export const MAX_OPEN_CLAIMS_PER_SESSION = 3;

type Txnid = { submitted: string; normalized: string };

/**
 * A customer's TxnID from the checkout, against the shop's wallet SMS. The verdict is
 * reached and written inside one IMMEDIATE transaction, so two submits of one TxnID, or a
 * submit racing its SMS, are decided one after the other.
 */
export class CheckoutSubmit {
  constructor(
    private readonly store: PaymentsStore,
    private readonly lifecycle: SessionLifecycle,
  ) {}

  submit(sessionId: string, body: unknown): SubmitOutcome {
    this.lifecycle.expireIfDue(sessionId);
    const input = parseCheckoutSubmit(body);
    const now = this.store.now();
    const { matching } = this.store.deps.config;
    const result = writeTransaction(this.store.db, (): TxResult => {
      const session = this.store.sessions.byId(sessionId);
      if (!session) return { error: new AppError('session_not_found') };
      if (session.status === 'success') return { ok: { status: 'success', session: this.store.view(session) }, changed: false };
      if (session.status === 'expired') return { error: new AppError('session_expired') };
      if (session.status === 'cancelled') return { error: new AppError('session_not_pending', 'The session was cancelled.') };
      if (session.failed_guesses >= matching.maxGuessesPerSession) return { error: new AppError('too_many_attempts') };
      return this.submitInTx(session, input, now);
    });
    if ('error' in result) throw result.error;
    if (result.changed) {
      this.store.deps.onSessionChange(result.ok.session);
      this.store.deps.onVerificationsChange();
    }
    return result.ok;
  }

  private guess(session: SessionRow, error: AppError, now: number): TxResult {
    this.store.sessions.addFailedGuess(session.id, now);
    return { error };
  }

  private submitInTx(session: SessionRow, input: { txnid?: unknown; gateway_id?: unknown }, now: number): TxResult {
    const txnid = normalizeSubmittedTxnid(input.txnid);
    if (!txnid)
      return {
        error: new AppError('validation_failed', 'txnid: give the transaction ID from the wallet SMS', { hints: { field: 'txnid' } }),
      };
    const gateways = enabledGateways(this.store.db, session.merchant_id).filter(
      (g) => isProviderId(g.provider) && providerInfo(g.provider).currency === session.currency,
    );
    let chosen: GatewayChoice | null = null;
    if (input.gateway_id !== undefined && input.gateway_id !== null && input.gateway_id !== '') {
      chosen = gateways.find((g) => String(g.id) === String(input.gateway_id)) ?? null;
      if (!chosen) return { error: new AppError('gateway_unknown', undefined, { hints: { field: 'gateway_id' } }) };
    }
    if (gateways.length === 0) return { error: new AppError('gateway_unknown', `No enabled gateway pays in ${session.currency}.`) };
    const stored = this.store.deps.sms.byTxnid(session.merchant_id, session.is_test === 1, txnid.normalized);
    let fitting = (chosen ? [chosen] : gateways).filter((g) => txnidFitsProvider(txnid.normalized, g.provider));
    if (fitting.length === 0 && txnidOfAnyShape(txnid.normalized)) {
      // Not the wallet's usual shape (seed 000's "BKX92H1"): taken only when that wallet's SMS is
      // already here, and the verdict holds it for a person (txnid_unusual). Before its SMS, a
      // typo keeps its quick "does not look right" answer.
      fitting = (chosen ? [chosen] : gateways).filter((g) => stored.some((s) => s.provider === g.provider));
    }
    if (fitting.length === 0) return this.guess(session, new AppError('txnid_invalid', undefined, { hints: { field: 'txnid' } }), now);
    const providers = [...new Set(fitting.map((g) => g.provider))];

    const found = stored.filter((s) => s.provider !== null && providers.includes(s.provider));
    const credit = pickCredit(found, this.store);
    // Once the SMS names its wallet, only claims on that wallet matter: an attempt someone
    // made under another wallet cannot block the real payer.
    const claimProviders = credit ? [credit.provider as string] : providers;
    const claims = this.store.transactions
      .liveClaims(session.merchant_id, session.is_test === 1, txnid.normalized)
      .filter((c) => claimProviders.includes(c.provider));
    const own = claims.find((c) => c.session_id === session.id);
    if (own && (own.status === 'pending' || own.status === 'success')) {
      // The customer pressed Verify again: same attempt, same answer.
      return { ok: { status: 'pending', session: this.store.view(session), review: own.review_reasons !== null }, changed: false };
    }

    if (!credit) {
      const other = found[0];
      if (other) return this.rejectWithSms(session, txnid, fitting[0] as GatewayChoice, other, now);
      if (providers.length > 1 && !chosen) {
        return {
          error: new AppError('gateway_unknown', 'Choose the wallet you paid with.', {
            publicMessage: 'Please choose the wallet you paid with.',
            hints: { field: 'gateway_id' },
          }),
        };
      }
      if (claims.length > 0) return this.guess(session, new AppError('txnid_already_used'), now);
      // Unconfirmed TxnIDs cost a guesser nothing until they time out; cap how many one session holds.
      const open = this.store.transactions.pendingForSession(session.id).filter((t) => t.sms_id === null).length;
      if (open >= MAX_OPEN_CLAIMS_PER_SESSION) {
        return this.guess(
          session,
          new AppError('too_many_attempts', `Session ${session.id} already waits on ${open} unconfirmed TxnIDs.`),
          now,
        );
      }
      const gateway = chosen ?? (fitting[0] as GatewayChoice);
      insertAttempt(this.store, attemptRow(session, txnid, gateway, null, 'pending', now));
      touchSession(this.store, session.id, now, 'attempt');
      this.store.logger.info({ session_id: session.id, txnid: txnid.normalized }, 'txnid submitted before its SMS; waiting');
      return { ok: { status: 'pending', session: this.store.view(session), review: false }, changed: true };
    }
    const gateway = chosen ?? gatewayForSms(fitting, credit.provider, credit.account_hint) ?? (fitting[0] as GatewayChoice);
    const verdict = judge(this.store, { kind: 'session', session }, credit, gateway, { sessionId: session.id });
    return this.apply(session, txnid, gateway, credit, verdict, 'sms_inbound', now);
  }

  private rejectWithSms(session: SessionRow, txnid: Txnid, gateway: GatewayChoice, sms: SmsRow, now: number): TxResult {
    const verdict = judge(this.store, { kind: 'session', session }, sms, gateway, { sessionId: session.id });
    const reason = verdict.verdict === 'rejected' ? verdict.reason : 'The SMS for this TxnID is not a payment received.';
    insertAttempt(this.store, attemptRow(session, txnid, gateway, sms, 'failed', now, { failure_reason: reason }));
    if (sms.kind === 'spoof') raiseSpoofAlert(this.store, session, sms, now);
    this.store.sessions.addFailedGuess(session.id, now);
    touchSession(this.store, session.id, now, 'transaction_failed');
    return { error: new AppError('payment_rejected', reason, { hints: { failure_reason: reason } }) };
  }

  /** Writes a verdict for a session: a success, an attempt held with its reasons, or a refusal. */
  apply(
    session: SessionRow,
    txnid: Txnid,
    gateway: GatewayChoice,
    sms: SmsRow,
    verdict: CreditVerdict,
    source: 'sms_inbound' | 'sms_late_match',
    now: number,
  ): TxResult {
    if (verdict.verdict === 'rejected') {
      if (verdict.code === 'already_used' || verdict.code === 'claimed')
        return this.guess(session, new AppError('txnid_already_used'), now);
      return this.rejectWithSms(session, txnid, gateway, sms, now);
    }
    if (verdict.verdict === 'check_first') {
      insertAttempt(
        this.store,
        attemptRow(session, txnid, gateway, sms, 'pending', now, { review: [...verdict.reasons, ...verdict.warnings] }),
      );
      touchSession(this.store, session.id, now, 'attempt');
      this.store.logger.info(
        { session_id: session.id, sms_id: sms.id, reasons: verdict.reasons.map((r) => r.code) },
        'attempt held for review',
      );
      return { ok: { status: 'pending', session: this.store.view(session), review: true }, changed: true };
    }
    const id = insertAttempt(
      this.store,
      attemptRow(session, txnid, gateway, sms, 'success', now, { result_source: source, review: verdict.warnings }),
    );
    const view = markSessionPaid(this.store, session, now);
    raiseWarnings(this.store, session, id, sms, verdict.warnings, now);
    this.store.logger.info({ session_id: session.id, sms_id: sms.id, transaction_id: id, source }, 'session paid');
    return { ok: { status: 'success', session: view }, changed: true };
  }
}
