import type { CurrencyCode, ProviderId } from './providers';
import type { CreditCheckView } from './contract/payments';

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

export const SMS_SOURCES = ['modem', 'apk', 'forwarder', 'manual', 'test'] as const;
export type SmsSourceName = (typeof SMS_SOURCES)[number];

/** One stored SMS as the admin API and the CLI show it. */
export interface SmsView {
  id: number;
  sender: string;
  body: string;
  received_at: string;
  is_test: boolean;
  provider: string | null;
  kind: SmsKind | 'unparsed';
  amount: string | null;
  currency: string | null;
  txnid: string | null;
  txnid_normalized: string | null;
  counterparty: string | null;
  balance: string | null;
  account_hint: string | null;
  wallet_time: string | null;
  /** Every source that delivered it; `manual` marks staff-pasted messages everywhere. */
  deliveries: { source: SmsSourceName; origin: string; delivered_at: string }[];
  /** Delivered by two or more different sources (say the modem and the phone). */
  corroborated: boolean;
  manual: boolean;
  /**
   * For a live credit: whether it would settle by itself now (the banner and chime celebrate
   * only those), else why it needs a check. Null for anything that is not a live credit.
   */
  credit_check?: CreditCheckView | null;
}

export interface IngestResultView {
  sms: SmsView;
  /** False when the same SMS was already stored (a retry, or another source). */
  is_new: boolean;
}
