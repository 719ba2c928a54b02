import type { CurrencyCode, ProviderId } from './providers';

/** What kind of message an SMS is. `spoof` is assigned by the registry, never by a wallet module. */
export const SMS_KINDS = ['credit', 'debit', 'reversal', 'failed', 'otp', 'promo', 'unknown', 'spoof'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

/**
 * The parse of one SMS. Amounts and balances are decimal strings with exactly two
 * decimals ("1250.00"), never floats. Null where the message does not say.
 */
export interface SmsParse {
  provider: ProviderId | null;
  kind: SmsKind;
  amount: string | null;
  currency: CurrencyCode | null;
  /** TxnID exactly as the wallet printed it. */
  txnid: string | null;
  /** TxnID normalised for matching: upper case, no spaces or punctuation. */
  txnid_normalized: string | null;
  /** Who paid: a phone number or a masked account / VPA as printed. */
  counterparty: string | null;
  balance: string | null;
  /** The receiving account the SMS names, e.g. `XX6788` or `01711111111`. */
  account_hint: string | null;
  /** The wallet's own timestamp text as printed, when present. */
  wallet_time: string | null;
}
