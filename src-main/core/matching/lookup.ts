import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import type { TxnidLookupResult } from '../../../src-shared/contract/admin';
import type { SmsRepo } from '../db/repos/sms-repo';
import type { TransactionRepo } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import { normalizeSubmittedTxnid } from './txnid';

/**
 * The counter's quick check: a customer shows a TxnID (and says what they paid); staff see
 * at once whether the shop's wallet received it. Read-only: nothing is recorded or settled.
 */
export function lookupTxnid(
  deps: { merchantId: number; smsRepo: SmsRepo; transactions: TransactionRepo },
  arg: { txnid?: unknown; amount?: unknown },
): TxnidLookupResult {
  const txnid = normalizeSubmittedTxnid(arg.txnid);
  if (!txnid) throw new AppError('validation_failed', 'txnid: type the transaction ID the customer shows', { hints: { field: 'txnid' } });
  let expected: number | null = null;
  if (arg.amount !== undefined && arg.amount !== null && arg.amount !== '') {
    expected = typeof arg.amount === 'string' ? decimalToMinor(arg.amount.replace(/,/g, '')) : null;
    if (expected === null) throw new AppError('validation_failed', 'amount: a decimal amount like "500" or "500.00"', { hints: { field: 'amount' } });
  }
  const found = deps.smsRepo.byTxnid(deps.merchantId, false, txnid.normalized);
  const credit = found.find((s) => s.kind === 'credit');
  if (!credit) {
    const spoof = found.find((s) => s.kind === 'spoof');
    return {
      verdict: spoof ? 'spoof' : 'not_found',
      txnid: txnid.normalized,
      message: spoof
        ? `A message with this TxnID came from ${spoof.sender}, which is not the wallet. Do not accept it.`
        : 'No wallet SMS with this TxnID has arrived. Ask the customer to wait a minute, or check the number.',
      sms: null,
    };
  }
  const sms = {
    id: credit.id,
    provider: credit.provider,
    amount: credit.amount_minor === null ? null : minorToDecimal(credit.amount_minor),
    currency: credit.currency,
    counterparty: credit.counterparty,
    received_at: new Date(credit.received_at).toISOString(),
  };
  const used = deps.transactions.successForSms(credit.id);
  if (used) {
    return {
      verdict: 'already_used',
      txnid: txnid.normalized,
      message: `This payment was already used${used.session_id ? ` for session ${used.session_id}` : ''}. It cannot pay again.`,
      sms,
    };
  }
  const held = deps.transactions.pendingWithSms(credit.id)[0];
  const pastedOnly = deps.smsRepo.deliveries(credit.id).every((d) => d.source === 'manual');
  if (held || credit.balance_link === 'breaks' || pastedOnly) {
    const reasons = held?.review_reasons ? (JSON.parse(held.review_reasons) as { message: string }[]) : [];
    const why =
      reasons[0]?.message ??
      (pastedOnly
        ? 'Only staff pasted this SMS; no phone or modem delivered it.'
        : "Its balance does not follow the wallet's last balance: check the wallet app before accepting.");
    return { verdict: 'held', txnid: txnid.normalized, message: `Check first. ${why}`, sms };
  }
  if (expected !== null && credit.amount_minor !== expected) {
    return {
      verdict: 'wrong_amount',
      txnid: txnid.normalized,
      message: `The wallet received ${sms.amount} ${sms.currency ?? ''}, not ${minorToDecimal(expected)}.`,
      sms,
    };
  }
  return {
    verdict: 'received',
    txnid: txnid.normalized,
    message: `Received ${sms.amount} ${sms.currency ?? ''}${credit.counterparty ? ` from ${credit.counterparty}` : ''}.`,
    sms,
  };
}
