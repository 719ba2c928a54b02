import type { CurrencyCode, ProviderId, ProviderInfo } from '../../../src-shared/providers';
import type { SmsKind } from '../../../src-shared/sms';

/** A wallet module never decides `spoof`: only the registry knows who sent the SMS. */
export type BodyKind = Exclude<SmsKind, 'spoof'>;

/** What one wallet module reads from a message body, before the sender is considered. */
export interface WalletBodyParse {
  kind: BodyKind;
  /** Decimal string with exactly two decimals ("1250.00"). */
  amount: string | null;
  currency: CurrencyCode | null;
  /** TxnID exactly as printed. */
  txnid: string | null;
  counterparty: string | null;
  balance: string | null;
  account_hint: string | null;
  wallet_time: string | null;
}

/**
 * What a debit cost on top of its amount, as the wallet printed it. `amount` is null when a fee
 * is printed but cannot be read exactly: the balance chain then cannot verify the debit.
 */
export type FeeReading = { printed: false } | { printed: true; amount: string | null };

export interface WalletParser {
  readonly provider: ProviderId;
  readonly country: ProviderInfo['country'];
  readonly currency: CurrencyCode;
  /** Genuine alphanumeric sender IDs and short codes; compared case-insensitively after trimming. */
  readonly senderIds: readonly string[];
  /** For wallets whose genuine headers follow a pattern (Indian DLT headers like `VM-HDFCBK-T`). */
  matchesSender?(sender: string): boolean;
  /** The wallet's TxnID shape, tested against the normalised TxnID (see `normalizeTxnid`). */
  readonly txnidPattern: RegExp;
  /** Never throws; never returns `spoof`. */
  parse(body: string): WalletBodyParse;
  /**
   * Exactly what `parse` says when it reads money in (a credit or a reversal), else null, without
   * the debit, OTP and offer rules: the spoof check asks every other wallet this of each message.
   */
  readMoneyIn(body: string): WalletBodyParse | null;
  /** The fee a debit prints (bKash "Fee Tk 5.00", M-Pesa "Transaction cost, Ksh28.00"). Never throws. */
  readFee?(body: string): FeeReading;
  /**
   * Whether a reversal put money INTO the wallet (a payment the shop made came back: M-Pesa's
   * "… is credited to your M-PESA account") rather than taking a received payment back. The
   * balance chain needs the direction. Absent: a reversal takes money out.
   */
  reversalCredits?(body: string): boolean;
}
