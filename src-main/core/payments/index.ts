import type { CounterSaleResult, StaffAlertView, TxnidLookupResult } from '../../../src-shared/contract/admin';
import type {
  CreateSessionResponse,
  CreditCheckView,
  SessionView,
  TransactionState,
  VerificationView,
} from '../../../src-shared/contract/payments';
import type { PaymentDetail, PaymentSearchResult, SmsClaimView } from '../../../src-shared/contract/payment-search';
import type { SmsView } from '../../../src-shared/sms';
import { writeTransaction } from '../db';
import { enqueueSessionChange } from '../outbox';
import type { SessionRow } from '../db/repos/session-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import { listTransactions, type TransactionListRow } from '../db/repos/transaction-repo';
import { CheckoutSubmit, type SubmitOutcome } from './checkout-submit';
import { CounterSale } from './counter-sale';
import { judge } from './credit-facts';
import { REJECT_REASON_CODES } from './decide-verdict';
import { Decisions, type Decision, type DecisionOutcome, type VerifyOutcome } from './decisions';
import { enabledGateways, gatewayForSms } from './gateway-lookup';
import { PaymentsStore, type PaymentsDeps } from './payments-store';
import { SessionLifecycle, type Caller } from './session-lifecycle';
import { SmsArrival, type StoredSms } from './sms-arrival';
import { catchUp, failNotFound } from './sweep';
import { parseReasons, pendingVerifications } from './verifications';
import { PaymentSearch, type PaymentQuery } from './payment-search';

export type { Caller } from './session-lifecycle';
export type { SubmitOutcome } from './checkout-submit';
export type { Decision, DecisionOutcome, VerifyOutcome } from './decisions';
export type { PaymentsDeps, SmsReader } from './payments-store';
export type { StoredSms } from './sms-arrival';
export { NOT_FOUND_REASON } from './checkout-submit';
export { SESSION_EXPIRED_REASON } from './session-lifecycle';
export { judgeCredit, type CreditFacts, type CreditTarget, type CreditVerdict } from './judge-credit';
export { checkoutSubmitSchema } from './submit-input';
export { createSessionSchema } from './session-input';
export { accountMatches, samePhone } from './account-match';
export { iso } from './session-view';
export type { PaymentQuery } from './payment-search';

/** A stored session as the checkout pages read it (redirect URL, customer name, order). */
export type SessionRecord = SessionRow;

/**
 * The payments domain: sessions, TxnID attempts, counter sales and the one decision whether
 * a credit pays them (judge-credit.ts). Every operation says its intent; nothing outside
 * this folder reads or writes its tables.
 */
export class Payments {
  private readonly store: PaymentsStore;
  private readonly lifecycle: SessionLifecycle;
  private readonly checkout: CheckoutSubmit;
  private readonly arrival: SmsArrival;
  private readonly counter: CounterSale;
  private readonly decisions: Decisions;
  private readonly searcher: PaymentSearch;

  constructor(deps: PaymentsDeps & { defaultCurrency: string }) {
    this.store = new PaymentsStore(deps);
    this.lifecycle = new SessionLifecycle(
      this.store,
      deps.config.sessions.ttlHours * 3_600_000,
      deps.defaultCurrency,
      deps.config.webhooks.allowPrivate,
    );
    this.checkout = new CheckoutSubmit(this.store, this.lifecycle);
    this.arrival = new SmsArrival(this.store, this.lifecycle, this.checkout);
    this.counter = new CounterSale(this.store);
    this.decisions = new Decisions(this.store, this.lifecycle);
    this.searcher = new PaymentSearch(this.store);
  }

  // ---- the counter's Payments and SMS screens

  /** Sessions and counter sales, newest first, searched and filtered. */
  search(query: PaymentQuery): PaymentSearchResult {
    return this.searcher.search(query);
  }

  /** One payment's attempts, SMS, timeline and audit entries; `smsView` shows a stored SMS. */
  detail(key: { session_id: string } | { transaction_id: number }, smsView: (id: number) => SmsView | null): PaymentDetail {
    return this.searcher.detail(key, smsView);
  }

  /** What a credit SMS paid (a session's attempt or a counter sale), or null. */
  claimOf(smsId: number): SmsClaimView | null {
    return this.searcher.claimOf(smsId);
  }

  // ---- sessions (the merchant API and the checkout)

  create(caller: Caller, body: unknown, checkoutUrlFor: (id: string) => string): { status: 200 | 201; body: CreateSessionResponse } {
    return this.lifecycle.create(caller, body, checkoutUrlFor);
  }

  getFor(caller: Caller, id: string): SessionView {
    return this.lifecycle.getFor(caller, id);
  }

  byOrder(caller: Caller, orderId: string): SessionView[] {
    return this.lifecycle.byOrder(caller, orderId);
  }

  cancel(id: string, guard: (row: SessionRecord) => boolean): SessionView {
    return this.lifecycle.cancel(id, guard);
  }

  /** A session as the checkout shows it, expired first when its time is up. */
  session(id: string): { record: SessionRecord; view: SessionView } | null {
    this.lifecycle.expireIfDue(id);
    const record = this.store.sessions.byId(id);
    return record ? { record, view: this.store.view(record) } : null;
  }

  /** Where a session's webhooks go: its brand and mode (for the brand's URL) and its own notify_url. */
  webhookRoute(sessionId: string): { brandId: number; isTest: boolean; notifyUrl: string | null; orderId: string } | null {
    const row = this.store.sessions.byId(sessionId);
    return row ? { brandId: row.brand_id, isTest: row.is_test === 1, notifyUrl: row.notify_url, orderId: row.order_id } : null;
  }

  /**
   * Queues the current state of every session for the cloud (sync only, no webhook), a page per
   * transaction: how a counter re-seeds a cloud that lost its events (`sync reseed`).
   */
  queueAllForSync(pageSize = 1_000): number {
    let after: number | null = 0;
    let total = 0;
    while (after !== null) {
      const page = this.queueForSyncAfter(after, pageSize);
      total += page.queued;
      after = page.next;
    }
    return total;
  }

  /** When the shop's first session (still stored) was created; null when there is none. */
  oldestSessionAt(): number | null {
    return this.store.sessions.page(0, 1)[0]?.created_at ?? null;
  }

  /**
   * One page of queueAllForSync, in one transaction: the sessions after `after` (a position it
   * returned, 0 to begin). `next` is null at the end. A caller that must not hold the counter up
   * (the sync worker's first pass on a year of sessions) yields between pages.
   */
  queueForSyncAfter(after: number, pageSize = 1_000): { queued: number; next: number | null } {
    const now = this.store.now();
    const page = writeTransaction(this.store.db, () => {
      const rows = this.store.sessions.page(after, pageSize);
      for (const row of rows) enqueueSessionChange(this.store.db, row.merchant_id, this.store.view(row), now, 'attempt');
      return rows;
    });
    const last = page.at(-1);
    return { queued: page.length, next: last && page.length === pageSize ? last._rowid : null };
  }

  /** Expires every session past its time, in rounds (a PC that was off for days catches up at once). */
  expireAllDue(): number {
    let total = 0;
    // Bounded: 2,000 rounds of 500 is a million sessions, far past any shop's backlog.
    for (let round = 0; round < 2_000; round += 1) {
      const n = this.lifecycle.expireDue();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  recentSessions(limit: number): SessionView[] {
    return this.store.sessions.recent(this.store.deps.merchantId, limit).map((row) => this.store.view(row));
  }

  // ---- verdicts

  /** A customer's TxnID from the checkout. */
  submit(sessionId: string, body: unknown): SubmitOutcome {
    return this.checkout.submit(sessionId, body);
  }

  /** The sms domain committed an SMS: late matches, held attempts, reversals. */
  onSmsStored(stored: StoredSms): void {
    this.arrival.onSmsStored(stored);
  }

  /**
   * Staff re-anchored a wallet's balance and these SMS became trusted: attempts held on them
   * are decided again (they settle now if every other rule holds).
   */
  onBalanceRelinked(smsIds: readonly number[]): void {
    this.arrival.reconsider(smsIds);
  }

  /** The counter's read-only check of a TxnID a customer shows. */
  check(arg: { txnid?: unknown; amount?: unknown }): TxnidLookupResult {
    return this.counter.check(arg);
  }

  /** Claims a credit the check answered PAID for an in-person sale. */
  accept(arg: { txnid?: unknown; amount?: unknown; sms_id?: unknown }, actor: string): CounterSaleResult {
    return this.counter.accept(arg, actor);
  }

  /** A TxnID given out of band by the phone, the merchant or the counter. */
  verify(txnid: unknown, actor: string): VerifyOutcome {
    return this.decisions.verify(txnid, actor);
  }

  /** Staff or the phone approve or reject an attempt held for review. */
  decide(transactionId: number, decision: Decision): DecisionOutcome {
    return this.decisions.decide(transactionId, decision);
  }

  /**
   * Would this stored SMS settle by itself right now (or, at its `arrival`, did it)? The banner
   * and chime celebrate only `pays`; a checkout holding it shows that hold's reasons; null for
   * anything that is not a live credit.
   */
  creditCheck(sms: SmsRow, moment: 'now' | 'arrival' = 'now'): CreditCheckView | null {
    if (sms.kind !== 'credit' || sms.is_test === 1) return null;
    // At its arrival (after the arrival was handled): a credit that just paid a waiting
    // checkout by itself is a payment to celebrate, not one "already used".
    const paid = moment === 'arrival' ? this.store.transactions.successForSms(sms.id) : undefined;
    if (paid?.result_source === 'sms_late_match') return { verdict: 'pays', reasons: parseReasons(paid.review_reasons) };
    // A checkout holds this TxnID (on this row or another copy): the counter says CHECK FIRST too.
    const held =
      this.store.transactions.pendingWithSms(sms.id)[0] ??
      this.store.transactions
        .liveClaims(sms.merchant_id, false, sms.txnid_normalized ?? '')
        .find((c) => c.status === 'pending' && c.sms_id !== null && c.provider === sms.provider);
    if (held) return { verdict: 'check_first', reasons: parseReasons(held.review_reasons) };
    const gateway = gatewayForSms(enabledGateways(this.store.db, sms.merchant_id), sms.provider, sms.account_hint);
    const verdict = judge(this.store, { kind: 'counter', expectedMinor: null }, sms, gateway);
    if (verdict.verdict === 'pays') return { verdict: 'pays', reasons: verdict.warnings };
    if (verdict.verdict === 'check_first') return { verdict: 'check_first', reasons: verdict.reasons };
    return { verdict: 'rejected', reasons: [{ code: REJECT_REASON_CODES[verdict.code], message: verdict.reason }] };
  }

  // ---- time

  expireIfDue(id: string): void {
    this.lifecycle.expireIfDue(id);
  }

  /** Expire due sessions, fail TxnIDs whose SMS never came, and decide held attempts again. */
  sweep(): void {
    this.lifecycle.expireDue();
    failNotFound(this.store);
    // A staff re-anchor from the CLI (another process) may have made held SMS trusted.
    this.arrival.reconsider(this.store.transactions.heldSmsIds(500));
  }

  /** At start: what a crash left between an SMS commit and its match. */
  catchUp(): void {
    catchUp(this.store, this.arrival);
  }

  // ---- the queue and alerts

  /** How many attempts wait for a person: the queue's badge, told after every change. */
  pendingCount(): number {
    return this.store.transactions.pendingCount(this.store.deps.merchantId);
  }

  pendingVerifications(limit?: number): VerificationView[] {
    return pendingVerifications(this.store, limit);
  }

  /** Recent attempts, newest first, for the phone's list: filter by status, search TxnID or order_id. */
  listTransactions(filter: { status?: TransactionState; q?: string; qTxnid?: string; limit: number }): TransactionListRow[] {
    return listTransactions(this.store.db, this.store.deps.merchantId, filter);
  }

  openAlerts(limit = 200): StaffAlertView[] {
    return this.store.alerts.open(this.store.deps.merchantId, limit).map((a) => ({
      id: a.id,
      kind: a.kind,
      message: a.message,
      session_id: a.session_id,
      transaction_id: a.transaction_id,
      sms_id: a.sms_id,
      created_at: new Date(a.created_at).toISOString(),
    }));
  }

  resolveAlert(id: number): boolean {
    return writeTransaction(this.store.db, () => this.store.alerts.resolve(id, this.store.now()));
  }
}
