import { isProviderId } from '../../../src-shared/providers';
import { ANY_TXNID_SHAPE, normalizeTxnid, parserFor } from '../parsers';

export const MAX_TXNID_LENGTH = 64;

/** A TxnID as typed by a customer: trimmed, bounded, normalised for matching. */
export function normalizeSubmittedTxnid(raw: unknown): { submitted: string; normalized: string } | null {
  if (typeof raw !== 'string') return null;
  const submitted = raw.trim();
  if (submitted.length === 0 || submitted.length > MAX_TXNID_LENGTH) return null;
  const normalized = normalizeTxnid(submitted);
  return normalized.length > 0 ? { submitted, normalized } : null;
}

/** Whether a normalised TxnID has the shape this wallet prints. */
export function txnidFitsProvider(normalized: string, provider: string): boolean {
  return isProviderId(provider) && parserFor(provider).txnidPattern.test(normalized);
}

/**
 * Whether a normalised TxnID could be any wallet's at all (5–24 letters and digits, one digit at
 * least): the parser reads such TxnIDs from a wallet's SMS even when the shape is not the
 * wallet's usual one, and the checkout accepts them when that SMS is already stored.
 */
export function txnidOfAnyShape(normalized: string): boolean {
  return ANY_TXNID_SHAPE.test(normalized);
}
