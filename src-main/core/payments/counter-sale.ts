import type { CounterSaleResult, TxnidLookupResult } from '../../../src-shared/contract/admin';
import type { ReviewReason } from '../../../src-shared/contract/payments';
import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import { appendAudit } from '../audit';
import { writeTransaction } from '../db';
import type { SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import { judge, pickCredit } from './credit-facts';
import { enabledGateways, gatewayForSms } from './gateway-lookup';
import type { CreditVerdict } from './judge-credit';
import type { PaymentsStore } from './payments-store';
import { nearMatches } from './near-matches';
import { insertAttempt, raiseWarnings } from './settle';
import { parseReasons } from './verifications';
import { normalizeSubmittedTxnid } from './txnid';

interface CounterInput {
  txnid: { submitted: string; normalized: string };
  expectedMinor: number | null;
}

function parseCounterInput(arg: { txnid?: unknown; amount?: unknown }): CounterInput {
  const txnid = normalizeSubmittedTxnid(arg.txnid);
  if (!txnid) throw new AppError('validation_failed', 'txnid: type the transaction ID the customer shows', { hints: { field: 'txnid' } });
  let expectedMinor: number | null = null;
  if (arg.amount !== undefined && arg.amount !== null && arg.amount !== '') {
    expectedMinor = typeof arg.amount === 'string' ? decimalToMinor(arg.amount.trim().replace(/,/g, '')) : null;
    if (expectedMinor === null || expectedMinor <= 0) {
      throw new AppError('validation_failed', 'amount: a decimal amount like "500" or "500.00"', { hints: { field: 'amount' } });
    }
  }
  return { txnid, expectedMinor };
}

function smsSummary(sms: SmsRow): NonNullable<TxnidLookupResult['sms']> {
  return {
    id: sms.id,
    provider: sms.provider,
    amount: sms.amount_minor === null ? null : minorToDecimal(sms.amount_minor),
    currency: sms.currency,
    counterparty: sms.counterparty,
    received_at: new Date(sms.received_at).toISOString(),
  };
}

/**
 * The counter: a customer shows a TxnID; the cashier checks it (read-only) and, when it is
 * PAID, accepts it for the sale in front of them. Both ask the one rule list (judgeCredit);
 * an accepted credit is a transaction with source `counter`, so from then on the TxnID is
 * ALREADY USED on every path, online and at the counter.
 */
export class CounterSale {
  constructor(private readonly store: PaymentsStore) {}

  /** The live credit behind a TxnID and the verdict on it for a counter sale, inside a transaction. */
  private assess(input: CounterInput): {
    sms: SmsRow | null;
    found: SmsRow[];
    verdict: CreditVerdict | null;
    gateway: ReturnType<typeof gatewayForSms>;
  } {
    const found = this.store.deps.sms.byTxnid(this.store.deps.merchantId, false, input.txnid.normalized);
    const sms = pickCredit(found, this.store) ?? found.find((s) => s.kind === 'spoof') ?? null;
    if (!sms) return { sms: null, found, verdict: null, gateway: null };
    const gateway = gatewayForSms(enabledGateways(this.store.db, this.store.deps.merchantId), sms.provider, sms.account_hint);
    return { sms, found, gateway, verdict: judge(this.store, { kind: 'counter', expectedMinor: input.expectedMinor }, sms, gateway) };
  }

  check(arg: { txnid?: unknown; amount?: unknown }): TxnidLookupResult {
    const input = parseCounterInput(arg);
    const { sms, verdict } = this.assess(input);
    const txnid = input.txnid.normalized;
    const base = { txnid, reasons: [] as ReviewReason[], can_accept: false, used_by: null };
    if (!sms || !verdict) {
      return {
        ...base,
        verdict: 'not_found',
        message: 'No wallet SMS with this TxnID has arrived yet. Ask the customer to wait a minute, or check the number.',
        sms: null,
        near_matches: nearMatches(this.store, txnid, input.expectedMinor),
      };
    }
    const summary = smsSummary(sms);
    const money = `${summary.amount ?? '?'} ${summary.currency ?? ''}`.trim();
    if (verdict.verdict === 'pays') {
      return {
        ...base,
        verdict: 'received',
        can_accept: true,
        message: `Received ${money}${sms.counterparty ? ` from ${sms.counterparty}` : ''}.`,
        sms: summary,
      };
    }
    if (verdict.verdict === 'check_first') {
      const [only] = verdict.reasons;
      if (verdict.reasons.length === 1 && only?.code === 'amount_mismatch' && input.expectedMinor !== null) {
        return {
          ...base,
          verdict: 'wrong_amount',
          reasons: verdict.reasons,
          message: `The wallet received ${money}, not ${minorToDecimal(input.expectedMinor)}.`,
          sms: summary,
        };
      }
      return {
        ...base,
        verdict: 'held',
        reasons: verdict.reasons,
        message: `Check first. ${verdict.reasons.map((r) => r.message).join(' ')}`,
        sms: summary,
      };
    }
    switch (verdict.code) {
      case 'spoof':
        return {
          ...base,
          verdict: 'spoof',
          message: `A message with this TxnID came from ${sms.sender}, which is not the wallet. Do not accept it.`,
          sms: null,
        };
      case 'reversed':
        return {
          ...base,
          verdict: 'reversed',
          message: `The wallet reversed this payment of ${money}. Do not hand over goods for it.`,
          sms: summary,
        };
      case 'already_used': {
        const used = this.usedBy(sms);
        return {
          ...base,
          verdict: 'already_used',
          used_by: used ? this.usedView(used) : null,
          message: this.usedMessage(used),
          sms: summary,
        };
      }
      case 'claimed': {
        const claim = this.claimOn(sms);
        const reasons = parseReasons(claim?.review_reasons ?? null);
        const order = claim?.session_id ? this.store.sessions.byId(claim.session_id)?.order_id : undefined;
        const waiting = `An online order${order ? ` (${order})` : ''} is waiting on this TxnID; decide it in the queue.`;
        return {
          ...base,
          verdict: 'held',
          reasons,
          message: `Check first. ${[waiting, ...reasons.map((r) => r.message)].join(' ')}`,
          sms: summary,
        };
      }
      default:
        return { ...base, verdict: 'held', reasons: [], message: `Check first. ${verdict.reason}`, sms: summary };
    }
  }

  /** Claims a credit the check answers PAID for an in-person sale. */
  accept(arg: { txnid?: unknown; amount?: unknown; sms_id?: unknown }, actor: string): CounterSaleResult {
    const input = parseCounterInput(arg);
    const now = this.store.now();
    const row = writeTransaction(this.store.db, (): TransactionRow => {
      const { sms, verdict, gateway } = this.assess(input);
      if (!sms || !verdict) throw new AppError('txnid_not_found');
      if (typeof arg.sms_id === 'number' && arg.sms_id !== sms.id && !this.sameTxnid(arg.sms_id, sms)) {
        throw new AppError('conflict', 'The SMS behind this TxnID changed since the check; check it again.');
      }
      if (verdict.verdict === 'rejected') {
        if (verdict.code === 'already_used') throw new AppError('txnid_already_used', this.usedMessage(this.usedBy(sms)));
        if (verdict.code === 'claimed')
          throw new AppError('txnid_already_used', 'An online order is waiting on this TxnID; decide it in the queue.');
        throw new AppError('payment_rejected', verdict.reason, { hints: { failure_reason: verdict.reason } });
      }
      if (verdict.verdict === 'check_first' || !gateway) {
        const reasons = verdict.verdict === 'check_first' ? verdict.reasons : [];
        throw new AppError('payment_needs_check', reasons.map((r) => r.message).join(' ') || 'Check this payment first.', {
          hints: { reasons },
        });
      }
      const id = insertAttempt(this.store, {
        merchant_id: sms.merchant_id,
        session_id: null,
        gateway_id: gateway.id,
        provider: gateway.provider,
        variant: gateway.variant,
        account_number: gateway.accountNumber,
        txnid_submitted: input.txnid.submitted,
        txnid_normalized: input.txnid.normalized,
        sender_account: sms.counterparty,
        amount_minor: sms.amount_minor,
        status: 'success',
        result_source: 'counter',
        failure_reason: null,
        review_reasons: verdict.warnings.length > 0 ? JSON.stringify(verdict.warnings) : null,
        sms_id: sms.id,
        is_test: 0,
        verified_at: now,
        created_at: now,
      });
      raiseWarnings(this.store, null, id, sms, verdict.warnings, now);
      appendAudit(
        this.store.db,
        this.store.deps.auditKey,
        {
          actor,
          action: 'counter.sale_accepted',
          subjectType: 'transaction',
          subjectId: String(id),
          details: {
            txnid: input.txnid.normalized,
            sms_id: sms.id,
            amount: sms.amount_minor === null ? null : minorToDecimal(sms.amount_minor),
          },
        },
        now,
      );
      return this.store.transactions.byId(id) as TransactionRow;
    });
    this.store.logger.info({ transaction_id: row.id, txnid: row.txnid_normalized, actor }, 'credit accepted for a counter sale');
    this.store.deps.onVerificationsChange();
    const sms = this.store.deps.sms.byId(row.sms_id ?? 0);
    return {
      ok: true,
      transaction_id: row.id,
      txnid: row.txnid_normalized,
      provider: row.provider,
      amount: minorToDecimal(row.amount_minor ?? 0),
      currency: sms?.currency ?? null,
      accepted_at: new Date(now).toISOString(),
      sms_id: row.sms_id ?? 0,
      counterparty: sms?.counterparty ?? null,
      received_at: new Date(sms?.received_at ?? now).toISOString(),
    };
  }

  private sameTxnid(smsId: number, sms: SmsRow): boolean {
    const other = this.store.deps.sms.byId(smsId);
    return !!other && other.txnid_normalized === sms.txnid_normalized && other.provider === sms.provider;
  }

  private usedBy(sms: SmsRow): TransactionRow | undefined {
    return (
      this.store.transactions
        .liveClaims(sms.merchant_id, false, sms.txnid_normalized as string)
        .find((t) => t.status === 'success' && t.provider === sms.provider) ?? this.store.transactions.successForSms(sms.id)
    );
  }

  private claimOn(sms: SmsRow): TransactionRow | undefined {
    return this.store.transactions
      .liveClaims(sms.merchant_id, false, sms.txnid_normalized as string)
      .find((t) => t.status === 'pending' && t.provider === sms.provider);
  }

  private usedView(t: TransactionRow): NonNullable<TxnidLookupResult['used_by']> {
    const session = t.session_id ? this.store.sessions.byId(t.session_id) : undefined;
    return {
      transaction_id: t.id,
      session_id: t.session_id,
      order_id: session?.order_id ?? null,
      source: t.result_source,
      amount: t.amount_minor === null ? null : minorToDecimal(t.amount_minor),
      at: t.verified_at === null ? null : new Date(t.verified_at).toISOString(),
    };
  }

  private usedMessage(t: TransactionRow | undefined): string {
    if (!t) return 'This payment was already used. It cannot pay again.';
    const when = t.verified_at === null ? '' : ` at ${new Date(t.verified_at).toISOString()}`;
    const session = t.session_id ? this.store.sessions.byId(t.session_id) : undefined;
    const what =
      t.result_source === 'counter'
        ? 'a counter sale'
        : session
          ? `order ${session.order_id} (session ${session.id})`
          : 'an earlier payment';
    return `This payment was already used for ${what}${when}. It cannot pay again.`;
  }
}
