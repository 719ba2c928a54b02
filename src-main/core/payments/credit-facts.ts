import { checkBalance } from '../balance';
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
  const reversedBy = reversalOf(store, sms);
  const pastedOnly = store.deps.sms.deliveries(sms.id).every((d) => d.source === 'manual');
  const balance =
    gateway && gateway.balanceCheck !== 'off' && sms.kind === 'credit'
      ? checkBalance(sms, store.balances, { id: gateway.id, identifiers: gateway.identifiers })
      : null;
  return judgeCredit(target, {
    sms,
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

/** The wallet's reversal SMS for this credit's TxnID, if one came (from the wallet's own sender). */
export function reversalOf(store: PaymentsStore, sms: SmsRow): SmsRow | null {
  if (!sms.txnid_normalized || !sms.provider) return null;
  return (
    store.deps.sms
      .byTxnid(sms.merchant_id, sms.is_test === 1, sms.txnid_normalized)
      .find((s) => s.kind === 'reversal' && s.provider === sms.provider) ?? null
  );
}

/**
 * Of the stored SMS carrying a TxnID, the one the rules judge: a credit (a device-delivered
 * copy first), else the spoof or other message that disproves it.
 */
export function pickCredit(found: readonly SmsRow[], store: PaymentsStore): SmsRow | undefined {
  const credits = found.filter((s) => s.kind === 'credit');
  if (credits.length > 1) {
    const delivered = credits.find((s) => store.deps.sms.deliveries(s.id).some((d) => d.source !== 'manual'));
    if (delivered) return delivered;
  }
  return credits[0];
}
