import type { ProviderId } from '../../../src-shared/providers';
import type { SmsKind, SmsParse } from '../../../src-shared/sms';
import { bkash } from './bkash';
import { easypaisa } from './easypaisa';
import { gcash } from './gcash';
import { jazzcash } from './jazzcash';
import { maya } from './maya';
import { mpesa } from './mpesa';
import { nagad } from './nagad';
import { normalizeSender, normalizeTxnid } from './normalize';
import { rocket } from './rocket';
import type { FeeReading, WalletBodyParse, WalletParser } from './types';
import { upay } from './upay';
import { upi } from './upi';

export type { BodyKind, FeeReading, WalletBodyParse, WalletParser } from './types';
export { UPI_BANK_HEADERS, bankOfSender, headerId, type UpiBank } from './upi';
export { MAX_SCAN, normalizeTxnid, toAmount } from './normalize';
export { ANY_TXNID_SHAPE } from './kit';

export type ExtraSenders = Partial<Record<ProviderId, readonly string[]>>;

export interface ParseSmsOptions {
  /** Shop-added sender IDs per wallet. They add to the built-in list, never replace it. */
  extraSenders?: ExtraSenders;
}

/** In PROVIDER_IDS order; spoof attribution takes the first wallet that reads a credit. */
export const WALLET_PARSERS: readonly WalletParser[] = [bkash, nagad, rocket, upay, easypaisa, jazzcash, gcash, maya, upi, mpesa];

const BY_PROVIDER = new Map<ProviderId, WalletParser>(WALLET_PARSERS.map((p) => [p.provider, p]));
const BUILT_IN_SENDERS = new Map<ProviderId, ReadonlySet<string>>(
  WALLET_PARSERS.map((p) => [p.provider, new Set(p.senderIds.map(normalizeSender))]),
);

export function parserFor(provider: ProviderId): WalletParser {
  const parser = BY_PROVIDER.get(provider);
  if (!parser) throw new Error(`no parser for provider ${String(provider)}`);
  return parser;
}

// Shops pass the same settings object on every call; normalising it once per object keeps
// parseSms cheap without a global cache that could go stale.
const extraCache = new WeakMap<ExtraSenders, Map<ProviderId, ReadonlySet<string>>>();

function normalizedExtras(extra: ExtraSenders | undefined): Map<ProviderId, ReadonlySet<string>> | null {
  if (extra === undefined || extra === null || typeof extra !== 'object') return null;
  const cached = extraCache.get(extra);
  if (cached) return cached;
  const out = new Map<ProviderId, ReadonlySet<string>>();
  for (const parser of WALLET_PARSERS) {
    const list = extra[parser.provider];
    if (!Array.isArray(list)) continue;
    const ids = list.filter((s): s is string => typeof s === 'string').map(normalizeSender);
    const nonEmpty = ids.filter((s) => s !== '');
    if (nonEmpty.length > 0) out.set(parser.provider, new Set(nonEmpty));
  }
  extraCache.set(extra, out);
  return out;
}

/**
 * What a debit of this wallet cost on top of its amount, as printed. Never throws: a reader
 * that fails reports an unreadable fee, which the balance chain treats as "cannot verify".
 */
export function debitFee(provider: ProviderId, body: string): FeeReading {
  const parser = BY_PROVIDER.get(provider);
  if (!parser?.readFee) return { printed: false };
  try {
    return parser.readFee(body);
  } catch {
    return { printed: true, amount: null };
  }
}

/**
 * Whether a TxnID has the wallet's usual shape (bKash: 8–12 letters and digits). The parser also
 * reads credits with other shapes (kit.ts ANY_TXNID_SHAPE); payments holds those for a person.
 */
export function hasUsualTxnidShape(provider: ProviderId, txnidNormalized: string): boolean {
  const parser = BY_PROVIDER.get(provider);
  return parser !== undefined && parser.txnidPattern.test(txnidNormalized);
}

/** Whether this reversal SMS put money into the wallet (see WalletParser.reversalCredits). Never throws. */
export function reversalCredits(provider: ProviderId, body: string): boolean {
  try {
    return BY_PROVIDER.get(provider)?.reversalCredits?.(body) === true;
  } catch {
    return false;
  }
}

/** Every wallet that accepts this sender, in registry order. */
export function providersForSender(sender: string, extraSenders?: ExtraSenders): ProviderId[] {
  const id = normalizeSender(sender);
  if (id === '') return [];
  const extras = normalizedExtras(extraSenders);
  const out: ProviderId[] = [];
  for (const parser of WALLET_PARSERS) {
    const p = parser.provider;
    if (
      BUILT_IN_SENDERS.get(p)?.has(id) === true ||
      (parser.matchesSender !== undefined && parser.matchesSender(id)) ||
      extras?.get(p)?.has(id) === true
    ) {
      out.push(p);
    }
  }
  return out;
}

/** The wallet this sender belongs to, or null for an ordinary number / unknown header. */
export function providerForSender(sender: string, extraSenders?: ExtraSenders): ProviderId | null {
  return providersForSender(sender, extraSenders)[0] ?? null;
}

export function isSenderAllowed(sender: string, provider: ProviderId, extraSenders?: ExtraSenders): boolean {
  return providersForSender(sender, extraSenders).includes(provider);
}

const AMOUNT_SHAPE = /^\d+\.\d{2}$/;

function isMoneyIn(r: WalletBodyParse): boolean {
  return (
    (r.kind === 'credit' || r.kind === 'reversal') &&
    r.amount !== null &&
    AMOUNT_SHAPE.test(r.amount) &&
    r.txnid !== null &&
    normalizeTxnid(r.txnid) !== ''
  );
}

function unknownParse(provider: ProviderId | null): SmsParse {
  return {
    provider,
    kind: 'unknown',
    amount: null,
    currency: null,
    txnid: null,
    txnid_normalized: null,
    counterparty: null,
    balance: null,
    account_hint: null,
    wallet_time: null,
  };
}

function toSmsParse(provider: ProviderId, r: WalletBodyParse, kind: SmsKind): SmsParse {
  // Last line of defence: whatever a wallet module returns, a money-in kind without a
  // readable amount and TxnID is reported as unknown.
  if ((kind === 'credit' || kind === 'reversal' || kind === 'spoof') && !isMoneyIn(r)) {
    return unknownParse(kind === 'spoof' ? null : provider);
  }
  const amount = r.amount !== null && AMOUNT_SHAPE.test(r.amount) ? r.amount : null;
  const balance = r.balance !== null && AMOUNT_SHAPE.test(r.balance) ? r.balance : null;
  const normalized = r.txnid !== null ? normalizeTxnid(r.txnid) : '';
  return {
    provider,
    kind,
    amount,
    currency: amount !== null ? r.currency : null,
    txnid: normalized !== '' ? r.txnid : null,
    txnid_normalized: normalized !== '' ? normalized : null,
    counterparty: r.counterparty,
    balance,
    account_hint: r.account_hint,
    wallet_time: r.wallet_time,
  };
}

/**
 * The sender decides which wallet may speak; the body only says what was said.
 * - allowlisted sender, body is that wallet's credit/reversal → credit/reversal
 * - body reads as money-in for a wallet that did NOT send it → spoof (provider = imitated)
 * - allowlisted sender, anything else → that wallet's kind (debit, otp, ..., unknown)
 * - otherwise → unknown with provider null
 */
/**
 * As parseSms, but a parser bug throws instead of reading as `unknown`: ingestion uses this
 * so the message is stored `unparsed` and parsed again at the next start, not lost as unknown.
 */
export function parseSmsStrict(input: { sender: string; body: string }, options?: ParseSmsOptions): SmsParse {
  const sender = typeof input?.sender === 'string' ? input.sender : '';
  const body = typeof input?.body === 'string' ? input.body : '';
  const allowed = providersForSender(sender, options?.extraSenders);
  let first: { provider: ProviderId; parse: WalletBodyParse } | null = null;
  for (const provider of allowed) {
    const r = parserFor(provider).parse(body);
    if (isMoneyIn(r)) return toSmsParse(provider, r, r.kind);
    if (first === null) first = { provider, parse: r };
  }
  // Another wallet's credit text is a forgery of that wallet whoever sent it, also from a wallet's
  // own header: the header's wallet reading it as its promo, OTP or failure must not hide it
  // (M-Pesa's "Congratulations! … confirmed" from bKash's header is no bKash promo).
  // A credit reading names the imitated wallet before a reversal reading does: a wallet that reads
  // another's credit as its own (assumed) reversal must not take the forgery's name.
  let reversalSpoof: SmsParse | null = null;
  for (const parser of WALLET_PARSERS) {
    if (allowed.includes(parser.provider)) continue;
    const r = parser.readMoneyIn(body);
    if (r === null || !isMoneyIn(r)) continue;
    if (r.kind === 'credit') return toSmsParse(parser.provider, r, 'spoof');
    reversalSpoof ??= toSmsParse(parser.provider, r, 'spoof');
  }
  if (reversalSpoof !== null) return reversalSpoof;
  return first !== null ? toSmsParse(first.provider, first.parse, first.parse.kind) : unknownParse(null);
}

export function parseSms(input: { sender: string; body: string }, options?: ParseSmsOptions): SmsParse {
  try {
    return parseSmsStrict(input, options);
  } catch {
    return unknownParse(null);
  }
}
