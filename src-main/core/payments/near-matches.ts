import type { NearMatchView } from '../../../src-shared/contract/admin';
import { minorToDecimal } from '../../../src-shared/money';
import type { SmsRow } from '../db/repos/sms-repo';
import type { PaymentsStore } from './payments-store';

/** Characters customers and cashiers confuse when reading a TxnID off a phone. */
const LOOK_ALIKES: Record<string, string> = {
  O: '0D',
  '0': 'OD',
  D: '0O',
  I: '1L',
  '1': 'IL',
  L: '1I',
  S: '5',
  '5': 'S',
  B: '8',
  '8': 'B',
  Z: '2',
  '2': 'Z',
  G: '6',
  '6': 'G',
};
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** A TxnID this long has too many neighbours to look each up; the wallets' are 8–12. */
const MAX_SEARCH_LENGTH = 24;
const SAME_AMOUNT_WINDOW_MS = 15 * 60_000;
const MAX_NEAR = 5;

/**
 * Every TxnID one edit away (a character changed, dropped, added, or two neighbours swapped),
 * and the typed one with all its look-alike characters read the other way at once.
 */
export function txnidNeighbours(typed: string): Set<string> {
  const out = new Set<string>();
  if (typed.length === 0 || typed.length > MAX_SEARCH_LENGTH) return out;
  for (let i = 0; i < typed.length; i += 1) {
    for (const c of ALPHABET) if (c !== typed[i]) out.add(typed.slice(0, i) + c + typed.slice(i + 1));
    out.add(typed.slice(0, i) + typed.slice(i + 1));
    if (i + 1 < typed.length) out.add(typed.slice(0, i) + (typed[i + 1] as string) + (typed[i] as string) + typed.slice(i + 2));
  }
  for (let i = 0; i <= typed.length; i += 1) for (const c of ALPHABET) out.add(typed.slice(0, i) + c + typed.slice(i));
  // Several look-alikes misread at once (O0O0 typed as 0O0O): each look-alike position flipped together.
  out.add([...typed].map((c) => LOOK_ALIKES[c]?.[0] ?? c).join(''));
  out.delete(typed);
  out.delete('');
  return out;
}

function view(sms: SmsRow, why: NearMatchView['why']): NearMatchView {
  return {
    sms_id: sms.id,
    txnid: sms.txnid ?? sms.txnid_normalized ?? '',
    provider: sms.provider,
    amount: sms.amount_minor === null ? null : minorToDecimal(sms.amount_minor),
    currency: sms.currency,
    counterparty: sms.counterparty,
    received_at: new Date(sms.received_at).toISOString(),
    why,
  };
}

/**
 * What staff may have meant by a TxnID that matched nothing: live credits nobody has claimed
 * whose TxnID is one slip away, then (when the sale's amount was typed) credits of that amount
 * from the last 15 minutes. Read-only: nothing here matches anything.
 */
export function nearMatches(store: PaymentsStore, typed: string, expectedMinor: number | null): NearMatchView[] {
  const merchantId = store.deps.merchantId;
  const unclaimed = (sms: SmsRow) => sms.kind === 'credit' && sms.is_test === 0 && !store.transactions.successForSms(sms.id);
  const found = new Map<number, NearMatchView>();
  for (const candidate of txnidNeighbours(typed)) {
    for (const sms of store.deps.sms.byTxnid(merchantId, false, candidate)) {
      if (unclaimed(sms) && !found.has(sms.id)) found.set(sms.id, view(sms, 'similar_txnid'));
    }
    if (found.size >= MAX_NEAR) break;
  }
  if (expectedMinor !== null) {
    for (const sms of store.deps.sms.creditsSince(merchantId, false, store.now() - SAME_AMOUNT_WINDOW_MS, 50)) {
      if (found.size >= MAX_NEAR) break;
      if (sms.amount_minor === expectedMinor && unclaimed(sms) && !found.has(sms.id)) found.set(sms.id, view(sms, 'same_amount'));
    }
  }
  return [...found.values()].slice(0, MAX_NEAR);
}
