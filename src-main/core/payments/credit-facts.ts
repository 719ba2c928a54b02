import { checkBalance, orderTimeOf } from '../balance';
import type { SmsRow } from '../db/repos/sms-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import type { GatewayChoice } from './gateway-lookup';
import { judgeCredit, type CreditTarget, type CreditVerdict } from './judge-credit';
import type { PaymentsStore } from './payments-store';

/**
 * Gathers what the rules need about one SMS (inside the caller's transaction) and asks
 * judgeCredit. `self` names the attempt being decided, so its own claim is not held against it.
 */
export function judge(
  store: PaymentsStore,
  target: CreditTarget,
  sms: SmsRow,
  gateway: GatewayChoice | null,
  self: { transactionId?: number; sessionId?: string } = {},
): CreditVerdict {
  const isTest = sms.is_test === 1;
  let usedBy: TransactionRow | null = null;
  let claimedBy: TransactionRow | null = null;
  if (sms.txnid_normalized && sms.provider) {
    // Claims are per TxnID and wallet, not per stored row: a second copy of the same SMS
    // (another source, another timestamp) must not pay again.
    for (const claim of store.transactions.liveClaims(sms.merchant_id, isTest, sms.txnid_normalized)) {
      if (claim.provider !== sms.provider || claim.id === self.transactionId) continue;
      if (claim.status === 'success') usedBy ??= claim;
      else if (!(self.sessionId && claim.session_id === self.sessionId)) claimedBy ??= claim;
    }
  }
  usedBy ??= store.transactions.successForSms(sms.id) ?? null;
  if (usedBy && usedBy.id === self.transactionId) usedBy = null;
  // One read of every stored SMS with this TxnID serves the reversal and the copies rules.
  const sameTxnid = sms.txnid_normalized ? store.deps.sms.byTxnid(sms.merchant_id, isTest, sms.txnid_normalized) : [];
  const reversedBy = sameTxnid.find((s) => s.kind === 'reversal' && s.provider === sms.provider) ?? null;
  const pastedOnly = store.deps.sms.deliveries(sms.id).every((d) => d.source === 'manual');
  const balance =
    gateway && gateway.balanceCheck !== 'off' && sms.kind === 'credit'
      ? checkBalance(sms, store.balances, { id: gateway.id, identifiers: gateway.identifiers })
      : null;
  // The phone reports when it received the SMS; the wallet prints when it sent it (used when it
  // reads as a plausible time, as the balance chain does). The earlier of the two can only hold
  // a payment, never make an old credit look fresh.
  const sentAt = Math.min(orderTimeOf(sms), sms.received_at);
  return judgeCredit(target, {
    sms,
    sentAt,
    disagreeing:
      sms.kind === 'credit' && !isTrusted(sms)
        ? sameTxnid.filter((s) => s.id !== sms.id && s.kind === 'credit' && s.provider === sms.provider && !agrees(s, sms))
        : [],
    gateway,
    usedBy,
    claimedBy,
    reversedBy,
    pastedOnly,
    balance,
    now: store.now(),
    skewMs: store.skewMs,
    maxSmsAgeMs: store.maxSmsAgeMs,
  });
}

/** A credit that is a trusted point of its balance chain: its balance proves it the wallet's own. */
function isTrusted(sms: SmsRow): boolean {
  return sms.balance_link === 'start' || sms.balance_link === 'follows';
}

/** Same TxnID, wallet and mode, one payment: the amount, currency and payer must agree. */
function agrees(a: SmsRow, b: SmsRow): boolean {
  const digits = (v: string | null) => (v ?? '').replace(/\D/g, '');
  return (
    a.amount_minor === b.amount_minor && (a.currency ?? '') === (b.currency ?? '') && digits(a.counterparty) === digits(b.counterparty)
  );
}

/**
 * Of the stored SMS carrying a TxnID, the one the rules judge: the credit the balance chain
 * trusts (a forged copy that came first cannot stand in front of the wallet's own), else a
 * device-delivered one, else any credit; undefined when none is a credit.
 */
export function pickCredit(found: readonly SmsRow[], store: PaymentsStore): SmsRow | undefined {
  const credits = found.filter((s) => s.kind === 'credit');
  if (credits.length <= 1) return credits[0];
  return credits.find(isTrusted) ?? credits.find((s) => store.deps.sms.deliveries(s.id).some((d) => d.source !== 'manual')) ?? credits[0];
}

/** All stored copies of a credit's TxnID of its wallet (itself included), for pickCredit. */
export function copiesOf(store: PaymentsStore, sms: SmsRow): SmsRow[] {
  if (!sms.txnid_normalized) return [sms];
  return store.deps.sms
    .byTxnid(sms.merchant_id, sms.is_test === 1, sms.txnid_normalized)
    .filter((s) => s.provider === sms.provider && s.kind === 'credit');
}
