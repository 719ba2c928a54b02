import type { CurrencyCode } from '../../../src-shared/providers';
import { cleanField, isPositiveAmount, normalizeTxnid, prepareBody, toAmount } from './normalize';
import type { BodyKind, FeeReading, WalletBodyParse } from './types';

/**
 * The shared engine behind every wallet module. A wallet is described by regexes with
 * named groups; the engine decides the kind in a fixed order and enforces the rule that
 * a credit or reversal always carries a positive amount and a TxnID of the wallet's shape.
 *
 * Head patterns (credit / reversal / debit) may capture `amt`, `party`, `name`, `acct`,
 * `txn`, `bal`, `time`. Field patterns capture `v` and must carry the `g` flag.
 */

/** Building blocks for patterns. Amounts are captured loosely and validated by `toAmount`. */
export const AMT = String.raw`(?<amt>\d[\d,]*(?:\.\d+)?)`;
export const NUM = String.raw`(?<v>\d[\d,]*(?:\.\d+)?)`;

export interface WalletSpec {
  readonly currency: CurrencyCode;
  readonly txnidPattern: RegExp;
  /** Cheap necessary condition for any credit/reversal (usually the TxnID label). */
  readonly gate?: RegExp;
  readonly failed?: RegExp;
  readonly otp?: RegExp;
  readonly promo?: RegExp;
  readonly reversal?: readonly RegExp[];
  readonly credit: readonly RegExp[];
  readonly debit: readonly RegExp[];
  readonly txnid: readonly RegExp[];
  readonly balance: readonly RegExp[];
  readonly time: readonly RegExp[];
  readonly account?: readonly RegExp[];
  /** What a debit cost on top of its amount ("Fee Tk 5.00", "Transaction cost, Ksh28.00"); field patterns. */
  readonly fee?: readonly RegExp[];
  /** Wallets that print the TxnID before the amount (Easypaisa, JazzCash) search fields from the start. */
  readonly fieldsFromStart?: boolean;
  /**
   * Parts of a genuine SMS the PAYER writes (bKash "Ref", Nagad "Ref:", GCash "w/ MSG:"). They
   * are blanked before anything is decided, so a payer cannot turn their payment into "failed"
   * or a "reversal", or plant an amount or TxnID, by what they type.
   */
  readonly payerText?: readonly RegExp[];
}

const DEFAULT_FAILED =
  /\b(?:failed|unsuccessful|not successful|could not be (?:processed|completed)|declined|insufficient (?:balance|funds?))\b/i;
const DEFAULT_OTP = /\b(?:otp|verification code|one[- ]time (?:password|pin|code)|security code|passcode|authentication code)\b/i;
const DEFAULT_PROMO =
  /(?:\b(?:offers?|cash ?back|discount|congrat\w*|win|won|bonus|deals?|visit|download|free|gifts?|campaign|lucky|rewards?|enjoy|pre-approved|apply now)\b|https?:\/\/|www\.|\d\s?%)/i;

type Groups = Partial<Record<string, string>>;

export function blank(kind: BodyKind): WalletBodyParse {
  return {
    kind,
    amount: null,
    currency: null,
    txnid: null,
    counterparty: null,
    balance: null,
    account_hint: null,
    wallet_time: null,
  };
}

/**
 * Trailing fields are read from the LAST match after the head: free-text parts of a
 * genuine SMS (bKash "Ref", GCash "w/ MSG") come before the real TrxID/balance, so a
 * payer cannot plant a fake TxnID there and have it picked first.
 */
function lastField(patterns: readonly RegExp[], text: string, from: number): string | undefined {
  for (const re of patterns) {
    re.lastIndex = from;
    let found: string | undefined;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      found = m.groups?.v ?? found;
      if (m[0].length === 0) re.lastIndex += 1;
    }
    re.lastIndex = 0;
    if (found !== undefined) return found;
  }
  return undefined;
}

function build(spec: WalletSpec, text: string, kind: BodyKind, m: RegExpExecArray | null): WalletBodyParse {
  const g: Groups = m?.groups ?? {};
  const after = m && spec.fieldsFromStart !== true ? m.index + m[0].length : 0;
  const amount = toAmount(g.amt);
  const txn = cleanField(g.txn ?? lastField(spec.txnid, text, after), 40);
  return {
    kind,
    amount,
    currency: amount !== null ? spec.currency : null,
    txnid: txn,
    counterparty: cleanField(g.party) ?? cleanField(g.name),
    balance: toAmount(g.bal ?? lastField(spec.balance, text, after)),
    account_hint: cleanField(g.acct ?? lastField(spec.account ?? [], text, 0), 40),
    wallet_time: cleanField(g.time ?? lastField(spec.time, text, after), 40),
  };
}

/**
 * A TxnID the engine accepts for a credit: the wallet's usual shape, or any run of 5–24 letters
 * and digits with at least one digit. Seed 000's own example ("TrxID: BKX92H1", 7 characters
 * where bKash prints 10) is a real receipt a merchant tries first; refusing it made the credit
 * silently `unknown`. An unusual shape is read, and payments holds it for a person in live mode
 * (review reason `txnid_unusual`, see hasUsualTxnidShape in the registry).
 */
export const ANY_TXNID_SHAPE = /^(?=[A-Z]*\d)[A-Z0-9]{5,24}$/;

function isComplete(spec: WalletSpec, p: WalletBodyParse): boolean {
  if (p.amount === null || !isPositiveAmount(p.amount) || p.txnid === null) return false;
  const normalized = normalizeTxnid(p.txnid);
  return spec.txnidPattern.test(normalized) || ANY_TXNID_SHAPE.test(normalized);
}

/** null: no rule matched. A matched rule with holes yields `unknown`, never a partial credit. */
function moneyIn(spec: WalletSpec, text: string, rules: readonly RegExp[], kind: 'credit' | 'reversal'): WalletBodyParse | null {
  let matchedAny = false;
  for (const re of rules) {
    const m = re.exec(text);
    if (m === null) continue;
    matchedAny = true;
    const parsed = build(spec, text, kind, m);
    if (isComplete(spec, parsed)) return parsed;
  }
  return matchedAny ? blank('unknown') : null;
}

/** Order matters: a failure notice or a reversal must never be read as a fresh credit. */
function blankPayerText(spec: WalletSpec, text: string): string {
  let out = text;
  for (const re of spec.payerText ?? []) out = out.replace(re, (segment) => ' '.repeat(segment.length));
  return out;
}

export function runSpec(spec: WalletSpec, raw: string): WalletBodyParse {
  const text = typeof raw === 'string' ? blankPayerText(spec, prepareBody(raw)) : '';
  if (text === '') return blank('unknown');
  if ((spec.failed ?? DEFAULT_FAILED).test(text)) return build(spec, text, 'failed', null);
  const money = readSpecMoneyIn(spec, text);
  if (money) return money;
  if ((spec.otp ?? DEFAULT_OTP).test(text)) return blank('otp');
  for (const re of spec.debit) {
    const m = re.exec(text);
    if (m) return build(spec, text, 'debit', m);
  }
  if ((spec.promo ?? DEFAULT_PROMO).test(text)) return blank('promo');
  return blank('unknown');
}

/** The reversal and credit rules of runSpec on prepared text: what it returns there, or null. */
function readSpecMoneyIn(spec: WalletSpec, text: string): WalletBodyParse | null {
  if (spec.gate !== undefined && !spec.gate.test(text)) return null;
  return moneyIn(spec, text, spec.reversal ?? [], 'reversal') ?? moneyIn(spec, text, spec.credit, 'credit');
}

/** runSpec's answer when it is money in (credit or reversal, complete or not), else null; the same steps up to there. */
export function runSpecMoneyIn(spec: WalletSpec, raw: string): WalletBodyParse | null {
  const text = typeof raw === 'string' ? blankPayerText(spec, prepareBody(raw)) : '';
  if (text === '' || (spec.failed ?? DEFAULT_FAILED).test(text)) return null;
  const money = readSpecMoneyIn(spec, text);
  return money !== null && (money.kind === 'credit' || money.kind === 'reversal') ? money : null;
}

/**
 * The fee a debit prints, for the balance chain. The LAST match counts, as for the other trailing
 * fields: free text (bKash "Ref") comes before the genuine fee, so a planted "Fee Tk 99" there
 * is not the one read. Payer text is not blanked here because a debit's free text is the shop's
 * own, and blanking bKash's "Ref" runs up to the balance and would take the genuine fee with it.
 */
export function readFee(spec: WalletSpec, raw: string): FeeReading {
  if (!spec.fee || typeof raw !== 'string') return { printed: false };
  const value = lastField(spec.fee, prepareBody(raw), 0);
  return value === undefined ? { printed: false } : { printed: true, amount: toAmount(value) };
}

/** Compiles a pattern from building blocks once, at module load. */
export function re(source: string, flags = 'i'): RegExp {
  return new RegExp(source, flags);
}
