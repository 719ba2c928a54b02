import { providerInfo, isProviderId } from '../../../src-shared/providers';
import type { ReviewReason, SessionView } from '../../../src-shared/contract/payments';
import type { Config } from '../config';
import { writeTransaction, type Db } from '../db';
import { prepareAlertRepo, type AlertRepo } from '../db/repos/alert-repo';
import { prepareBalanceRepo, type BalanceRepo } from '../db/repos/balance-repo';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRepo, SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { SESSION_EXPIRED_REASON, type SessionService } from '../sessions';
import type { IngestedSms } from '../sms';
import { checkBalance } from '../balance';
import { enabledGateways, gatewayForSms, type GatewayChoice } from './gateway-lookup';
import { SPOOFED_SENDER_REASON, evaluateMatch, type MatchVerdict } from './rules';
import { changedView, insertAttempt, markSessionPaid } from './settle';
import { normalizeSubmittedTxnid, txnidFitsProvider } from './txnid';
import { parseCheckoutSubmit } from './submit-input';

export interface MatcherDeps {
  db: Db;
  logger: Logger;
  merchantId: number;
  config: Config['matching'];
  clock: () => number;
  sessions: SessionService;
  smsRepo: SmsRepo;
  onSessionChange: (view: SessionView) => void;
  /** The set of attempts awaiting a person changed (APK poll, counter queue). */
  onVerificationsChange: () => void;
}

export type SubmitOutcome =
  | { status: 'success'; session: SessionView }
  | { status: 'pending'; session: SessionView; review: boolean };

type TxResult = { ok: SubmitOutcome; changed: boolean } | { error: AppError };

export const NOT_FOUND_REASON = 'TxnID not found in our wallet SMS.';
/** A customer pays once; three TxnIDs still waiting for their SMS is already generous. */
export const MAX_OPEN_CLAIMS_PER_SESSION = 3;

/**
 * Matching: a customer's TxnID against the shop's wallet SMS (rules in rules.ts). Every
 * verdict is reached and written inside one IMMEDIATE transaction, so two submits of one
 * TxnID, or a submit racing the SMS, are decided one after the other.
 */
export class Matcher {
  readonly alerts: AlertRepo;
  readonly balances: BalanceRepo;

  constructor(private readonly deps: MatcherDeps) {
    this.alerts = prepareAlertRepo(deps.db);
    this.balances = prepareBalanceRepo(deps.db);
  }

  private get repo() {
    return this.deps.sessions;
  }

  submit(sessionId: string, body: unknown): SubmitOutcome {
    this.repo.expireIfDue(sessionId);
    const input = parseCheckoutSubmit(body);
    const now = this.deps.clock();
    const result = writeTransaction(this.deps.db, (): TxResult => {
      const session = this.repo.sessions.byId(sessionId);
      if (!session) return { error: new AppError('session_not_found') };
      if (session.status === 'success') return { ok: { status: 'success', session: this.repo.view(session) }, changed: false };
      if (session.status === 'expired') return { error: new AppError('session_expired') };
      if (session.status === 'cancelled') return { error: new AppError('session_not_pending', 'The session was cancelled.') };
      if (session.failed_guesses >= this.deps.config.maxGuessesPerSession) return { error: new AppError('too_many_attempts') };
      return this.submitInTx(session, input, now);
    });
    if ('error' in result) throw result.error;
    if (result.changed) {
      this.deps.onSessionChange(result.ok.session);
      this.deps.onVerificationsChange();
    }
    return result.ok;
  }

  private guess(session: SessionRow, error: AppError, now: number): TxResult {
    this.repo.sessions.addFailedGuess(session.id, now);
    return { error };
  }

  private submitInTx(session: SessionRow, input: { txnid?: unknown; gateway_id?: unknown }, now: number): TxResult {
    const txnid = normalizeSubmittedTxnid(input.txnid);
    if (!txnid) return { error: new AppError('validation_failed', 'txnid: give the transaction ID from the wallet SMS', { hints: { field: 'txnid' } }) };
    const gateways = enabledGateways(this.deps.db, session.merchant_id).filter(
      (g) => isProviderId(g.provider) && providerInfo(g.provider).currency === session.currency,
    );
    let chosen: GatewayChoice | null = null;
    if (input.gateway_id !== undefined && input.gateway_id !== null && input.gateway_id !== '') {
      chosen = gateways.find((g) => String(g.id) === String(input.gateway_id)) ?? null;
      if (!chosen) return { error: new AppError('gateway_unknown', undefined, { hints: { field: 'gateway_id' } }) };
    }
    if (gateways.length === 0) return { error: new AppError('gateway_unknown', `No enabled gateway pays in ${session.currency}.`) };
    const fitting = (chosen ? [chosen] : gateways).filter((g) => txnidFitsProvider(txnid.normalized, g.provider));
    if (fitting.length === 0) return this.guess(session, new AppError('txnid_invalid', undefined, { hints: { field: 'txnid' } }), now);
    const providers = [...new Set(fitting.map((g) => g.provider))];

    const claims = this.repo.transactions
      .liveClaims(session.merchant_id, session.is_test === 1, txnid.normalized)
      .filter((c) => providers.includes(c.provider));
    for (const claim of claims) {
      if (claim.session_id === session.id) {
        // The customer pressed Verify again: same attempt, same answer.
        return { ok: { status: 'pending', session: this.repo.view(session), review: claim.review_reasons !== null }, changed: false };
      }
      return this.guess(session, new AppError('txnid_already_used'), now);
    }

    const found = this.deps.smsRepo
      .byTxnid(session.merchant_id, session.is_test === 1, txnid.normalized)
      .filter((s) => s.provider !== null && providers.includes(s.provider));
    const credit = found.find((s) => s.kind === 'credit');
    if (!credit) {
      const other = found[0];
      if (other) return this.rejectWithSms(session, txnid, fitting[0] as GatewayChoice, other, now);
      if (providers.length > 1 && !chosen) {
        return { error: new AppError('gateway_unknown', 'Choose the wallet you paid with.', { publicMessage: 'Please choose the wallet you paid with.', hints: { field: 'gateway_id' } }) };
      }
      // Unconfirmed TxnIDs cost a guesser nothing until they time out; cap how many one session holds.
      const open = this.repo.transactions.pendingForSession(session.id).filter((t) => t.sms_id === null).length;
      if (open >= MAX_OPEN_CLAIMS_PER_SESSION) {
        return this.guess(session, new AppError('too_many_attempts', `Session ${session.id} already waits on ${open} unconfirmed TxnIDs.`), now);
      }
      const gateway = chosen ?? (fitting[0] as GatewayChoice);
      insertAttempt(this.repo, this.attemptRow(session, txnid, gateway, null, 'pending', now));
      this.deps.logger.info({ session_id: session.id, txnid: txnid.normalized }, 'txnid submitted before its SMS; waiting');
      return { ok: { status: 'pending', session: this.repo.view(session), review: false }, changed: true };
    }
    if (this.repo.transactions.successForSms(credit.id)) return this.guess(session, new AppError('txnid_already_used'), now);
    const gateway = chosen ?? gatewayForSms(fitting, credit.provider, credit.account_hint) ?? (fitting[0] as GatewayChoice);
    const verdict = this.evaluate(session, credit, gateway, now);
    return this.applyVerdict(session, txnid, gateway, credit, verdict, 'sms_inbound', now);
  }

  private attemptRow(
    session: SessionRow,
    txnid: { submitted: string; normalized: string },
    gateway: GatewayChoice,
    sms: SmsRow | null,
    status: 'pending' | 'success' | 'failed',
    now: number,
    extra: { result_source?: 'sms_inbound' | 'sms_late_match' | null; failure_reason?: string | null; review?: ReviewReason[] | null } = {},
  ) {
    return {
      merchant_id: session.merchant_id,
      session_id: session.id,
      gateway_id: gateway.id,
      provider: gateway.provider,
      variant: gateway.variant,
      account_number: gateway.accountNumber,
      txnid_submitted: txnid.submitted,
      txnid_normalized: txnid.normalized,
      sender_account: sms?.counterparty ?? null,
      amount_minor: sms?.amount_minor ?? session.amount_minor,
      status,
      result_source: extra.result_source ?? null,
      failure_reason: extra.failure_reason ?? null,
      review_reasons: extra.review && extra.review.length > 0 ? JSON.stringify(extra.review) : null,
      sms_id: sms?.id ?? null,
      is_test: session.is_test,
      verified_at: status === 'pending' ? null : now,
      created_at: now,
    };
  }

  private evaluate(session: SessionRow, sms: SmsRow, gateway: GatewayChoice | null, now: number): MatchVerdict {
    return evaluateMatch({
      session,
      sms,
      gateway: gateway ? { provider: gateway.provider, identifiers: gateway.identifiers } : null,
      now,
      skewMs: this.deps.config.skewSeconds * 1000,
      maxSmsAgeMs: this.deps.config.maxSmsAgeHours * 3_600_000,
      balance: gateway && gateway.balanceCheck !== 'off' ? checkBalance(sms, this.balances) : null,
      balanceMode: gateway?.balanceCheck ?? 'review',
      pastedOnly: this.deps.smsRepo.deliveries(sms.id).every((d) => d.source === 'manual'),
    });
  }

  private rejectWithSms(session: SessionRow, txnid: { submitted: string; normalized: string }, gateway: GatewayChoice, sms: SmsRow, now: number): TxResult {
    const verdict = this.evaluate(session, sms, gateway, now);
    const reason = verdict.verdict === 'reject' ? verdict.reason : 'The SMS for this TxnID is not a payment received.';
    insertAttempt(this.repo, this.attemptRow(session, txnid, gateway, sms, 'failed', now, { failure_reason: reason }));
    if (sms.kind === 'spoof') this.raiseSpoofAlert(session, sms, now);
    this.repo.sessions.addFailedGuess(session.id, now);
    return { error: new AppError('payment_rejected', reason, { hints: { failure_reason: reason } }) };
  }

  private applyVerdict(
    session: SessionRow,
    txnid: { submitted: string; normalized: string },
    gateway: GatewayChoice,
    sms: SmsRow,
    verdict: MatchVerdict,
    source: 'sms_inbound' | 'sms_late_match',
    now: number,
  ): TxResult {
    if (verdict.verdict === 'reject') return this.rejectWithSms(session, txnid, gateway, sms, now);
    if (verdict.verdict === 'review') {
      insertAttempt(this.repo, this.attemptRow(session, txnid, gateway, sms, 'pending', now, { review: [...verdict.reasons, ...verdict.warnings] }));
      this.deps.logger.info({ session_id: session.id, sms_id: sms.id, reasons: verdict.reasons.map((r) => r.code) }, 'attempt held for review');
      return { ok: { status: 'pending', session: this.repo.view(session), review: true }, changed: true };
    }
    const id = insertAttempt(this.repo, this.attemptRow(session, txnid, gateway, sms, 'success', now, { result_source: source, review: verdict.warnings }));
    const view = markSessionPaid(this.deps.db, this.repo, session, now);
    this.raiseWarnings(session, id, sms, verdict.warnings, now);
    this.deps.logger.info({ session_id: session.id, sms_id: sms.id, transaction_id: id, source }, 'session paid');
    return { ok: { status: 'success', session: view }, changed: true };
  }

  private raiseWarnings(session: SessionRow, transactionId: number, sms: SmsRow, warnings: ReviewReason[], now: number): void {
    for (const w of warnings) {
      this.alerts.raise({
        merchant_id: session.merchant_id,
        kind: 'balance_mismatch',
        session_id: session.id,
        transaction_id: transactionId,
        sms_id: sms.id,
        message: w.message,
        details: '{}',
        created_at: now,
      });
    }
  }

  private raiseSpoofAlert(session: SessionRow | null, sms: SmsRow, now: number): void {
    this.alerts.raise({
      merchant_id: sms.merchant_id,
      kind: 'spoof_attempt',
      session_id: session?.id ?? null,
      transaction_id: null,
      sms_id: sms.id,
      message: `A wallet-looking SMS from ${sms.sender} (not the wallet's sender) carries TxnID ${sms.txnid ?? '?'}.`,
      details: '{}',
      created_at: now,
    });
  }

  /**
   * Late match: an SMS arrives for a TxnID a customer already submitted. Runs after the SMS
   * is committed; a crash in between is caught up by `catchUp()` at start.
   */
  onSmsIngested({ row }: Pick<IngestedSms, 'row'>): void {
    if (!row.txnid_normalized || !row.provider || (row.kind !== 'credit' && row.kind !== 'spoof')) return;
    // A session past its time is expired first (the sweep may not have reached it): an SMS
    // must never pay a session that is over, only raise "paid late" for it.
    const isTest = row.is_test === 1;
    const waiting = this.repo.transactions.pendingAwaitingSms(row.merchant_id, isTest, row.provider, row.txnid_normalized);
    const lapsed = this.lapsedAttempt(row.merchant_id, isTest, row.provider, row.txnid_normalized);
    for (const t of [...waiting, ...(lapsed ? [lapsed] : [])]) if (t.session_id) this.repo.expireIfDue(t.session_id);
    const now = this.deps.clock();
    const changed = writeTransaction(this.deps.db, () => this.lateMatchInTx(row, now));
    for (const id of changed) {
      const view = changedView(this.repo, id);
      if (view) this.deps.onSessionChange(view);
    }
    if (changed.length > 0) this.deps.onVerificationsChange();
  }

  private lateMatchInTx(sms: SmsRow, now: number): string[] {
    const changed: string[] = [];
    const waiting = this.repo.transactions.pendingAwaitingSms(sms.merchant_id, sms.is_test === 1, sms.provider as string, sms.txnid_normalized as string);
    for (const attempt of waiting) {
      const session = attempt.session_id ? this.repo.sessions.byId(attempt.session_id) : undefined;
      if (!session || session.status !== 'pending' || session.expires_at <= now) continue;
      if (sms.kind === 'spoof') {
        this.repo.transactions.fail(attempt.id, null, SPOOFED_SENDER_REASON, now);
        this.raiseSpoofAlert(session, sms, now);
        changed.push(session.id);
        continue;
      }
      if (this.repo.transactions.successForSms(sms.id)) continue;
      const gateway = enabledGateways(this.deps.db, session.merchant_id).find((g) => g.id === attempt.gateway_id) ?? null;
      const verdict = this.evaluate(session, sms, gateway, now);
      if (verdict.verdict === 'reject') {
        this.repo.transactions.fail(attempt.id, null, verdict.reason, now);
      } else if (verdict.verdict === 'review') {
        this.repo.transactions.attachSms(
          attempt.id,
          { sms_id: sms.id, amount_minor: sms.amount_minor, sender_account: sms.counterparty },
          JSON.stringify([...verdict.reasons, ...verdict.warnings]),
          now,
        );
      } else {
        this.repo.transactions.attachSms(attempt.id, { sms_id: sms.id, amount_minor: sms.amount_minor, sender_account: sms.counterparty }, JSON.stringify(verdict.warnings), now);
        this.repo.transactions.settle(attempt.id, 'sms_late_match', sms.id, now);
        markSessionPaid(this.deps.db, this.repo, session, now);
        this.raiseWarnings(session, attempt.id, sms, verdict.warnings, now);
        this.deps.logger.info({ session_id: session.id, sms_id: sms.id, transaction_id: attempt.id }, 'session paid by late SMS');
      }
      changed.push(session.id);
    }
    if (sms.kind === 'credit') changed.push(...this.reconsiderHeld(sms, now));
    if (sms.kind === 'credit') {
      const reclaimed = this.reclaimAfterWait(sms, now);
      if (reclaimed) changed.push(reclaimed);
      this.flagPaidLate(sms, now);
    }
    return changed;
  }

  /**
   * Attempts held for review on this SMS are decided again when it is delivered again: a
   * staff-pasted SMS that the phone now corroborates settles by itself if nothing else is wrong.
   */
  private reconsiderHeld(sms: SmsRow, now: number): string[] {
    const changed: string[] = [];
    for (const attempt of this.repo.transactions.pendingWithSms(sms.id)) {
      const session = attempt.session_id ? this.repo.sessions.byId(attempt.session_id) : undefined;
      if (!session || session.status !== 'pending' || session.expires_at <= now) continue;
      const gateway = enabledGateways(this.deps.db, session.merchant_id).find((g) => g.id === attempt.gateway_id) ?? null;
      const verdict = this.evaluate(session, sms, gateway, now);
      if (verdict.verdict !== 'clean') continue;
      this.repo.transactions.settle(attempt.id, 'sms_late_match', sms.id, now, JSON.stringify(verdict.warnings));
      markSessionPaid(this.deps.db, this.repo, session, now);
      this.raiseWarnings(session, attempt.id, sms, verdict.warnings, now);
      this.deps.logger.info({ session_id: session.id, sms_id: sms.id, transaction_id: attempt.id }, 'held attempt settled by a new delivery of its SMS');
      changed.push(session.id);
    }
    return changed;
  }

  /**
   * A failed attempt the real SMS should still be able to settle: it failed only because the
   * SMS had not come in time, or because a spoof carrying the same TxnID came first.
   */
  private lapsedAttempt(merchantId: number, isTest: boolean, provider: string, txnid: string): TransactionRow | undefined {
    const latest = this.repo.transactions.latestFailed(merchantId, isTest, provider, txnid);
    return latest && (latest.failure_reason === NOT_FOUND_REASON || latest.failure_reason === SPOOFED_SENDER_REASON)
      ? latest
      : undefined;
  }

  /**
   * The SMS came after its TxnID had been failed as "not found" (a phone offline for an
   * hour, say) or rejected for a spoof that arrived first, while the session is still open: the same rules as a fresh submit decide it,
   * exactly as if the customer had pressed Verify again now. A lost-then-found SMS still pays.
   */
  private reclaimAfterWait(sms: SmsRow, now: number): string | null {
    if (this.repo.transactions.successForSms(sms.id)) return null;
    const isTest = sms.is_test === 1;
    const txnid = sms.txnid_normalized as string;
    const provider = sms.provider as string;
    if (this.repo.transactions.liveClaims(sms.merchant_id, isTest, txnid).some((c) => c.provider === provider)) return null;
    const lapsed = this.lapsedAttempt(sms.merchant_id, isTest, provider, txnid);
    const session = lapsed?.session_id ? this.repo.sessions.byId(lapsed.session_id) : undefined;
    if (!lapsed || !session || session.status !== 'pending' || session.expires_at <= now) return null;
    const gateway = enabledGateways(this.deps.db, session.merchant_id).find((g) => g.id === lapsed.gateway_id);
    if (!gateway) return null;
    const verdict = this.evaluate(session, sms, gateway, now);
    if (verdict.verdict === 'reject') return null;
    this.applyVerdict(session, { submitted: lapsed.txnid_submitted, normalized: txnid }, gateway, sms, verdict, 'sms_late_match', now);
    this.deps.logger.info({ session_id: session.id, sms_id: sms.id }, 'SMS arrived after its TxnID was failed as not found; matched again');
    return session.id;
  }

  /** An SMS for a TxnID whose session already expired does not settle it: staff are told instead. */
  private flagPaidLate(sms: SmsRow, now: number): void {
    const expired = this.repo.transactions
      .recentByTxnid(sms.merchant_id, sms.is_test === 1, sms.provider as string, sms.txnid_normalized as string)
      .filter((t: TransactionRow) => t.status === 'failed' && t.failure_reason === SESSION_EXPIRED_REASON);
    for (const t of expired) {
      const raised = this.alerts.raise({
        merchant_id: sms.merchant_id,
        kind: 'paid_late',
        session_id: t.session_id,
        transaction_id: t.id,
        sms_id: sms.id,
        message: `A payment for TxnID ${sms.txnid ?? t.txnid_submitted} arrived after session ${t.session_id ?? ''} expired; it was not applied.`,
        details: '{}',
        created_at: now,
      });
      if (raised) this.deps.logger.warn({ session_id: t.session_id, sms_id: sms.id }, 'payment arrived after its session expired');
    }
  }

  /** Attempts whose SMS never came fail after the wait; the session stays open for a retry. */
  sweepNotFound(): number {
    const now = this.deps.clock();
    const cutoff = now - this.deps.config.notFoundAfterMinutes * 60_000;
    const stale = this.repo.transactions.pendingWithoutSmsOlderThan(cutoff, 500);
    const changed = writeTransaction(this.deps.db, () =>
      stale.filter((t) => {
        const failed = this.repo.transactions.fail(t.id, null, NOT_FOUND_REASON, now);
        if (failed && t.session_id) this.repo.sessions.addFailedGuess(t.session_id, now);
        return failed;
      }),
    );
    for (const t of changed) {
      const view = changedView(this.repo, t.session_id);
      if (view) this.deps.onSessionChange(view);
    }
    if (changed.length > 0) this.deps.onVerificationsChange();
    return changed.length;
  }

  /** At start: SMS that arrived while matching was down (a crash between commit and match). */
  catchUp(): void {
    const rows = this.deps.db
      .prepare(
        `SELECT s.* FROM sms s JOIN transactions t ON t.txnid_normalized = s.txnid_normalized AND t.provider = s.provider
           AND t.is_test = s.is_test AND t.merchant_id = s.merchant_id
         WHERE t.status = 'pending' AND t.sms_id IS NULL AND s.kind IN ('credit', 'spoof')`,
      )
      .all() as SmsRow[];
    for (const row of rows) this.onSmsIngested({ row });
  }
}
