import { AMT, ANY_TXNID_SHAPE, blank } from '../kit';
import { cleanField, isPositiveAmount, normalizeTxnid, toAmount } from '../normalize';
import type { WalletBodyParse } from '../types';

/**
 * The credit grammar Indian banks share. Every bank words its UPI/IMPS/NEFT credit alert
 * differently, but each one says the same five things: an amount in rupees, a credit verb, the
 * shop's masked account, a UPI/IMPS/NEFT reference, and who paid (a VPA, a name, or "a/c linked
 * to mobile …"). This module reads those parts, in the three orders banks put them in:
 *
 *   amount first   "Rs.500.00 credited to HDFC Bank A/c XX1234 …", "INR 1.00 credited\nA/c no. XX9624",
 *                  "Rs. 2,000 received in slice A/c xx9294", "Rs 2.0 was credited to your account with transaction ID …"
 *   verb first     "Money Received - INR 2,088.00 in your HDFC Bank A/c xx7815", "Received Rs.750.00 in your Kotak Bank AC X4455",
 *                  "Received Rs.750.00 from NAME in your Kotak811 a/c XX4821", "We have credited your ICICI Bank Account XX572 with INR …"
 *   account first  "Acct XX910 is credited with Rs 1.00", "your A/c X6495-credited by Rs.7000", "A/C *XX4873 credited by Rs 10000.00"
 *
 * and then the reference after it (see TAILS). A credit needs all of it; a message that
 * has the head but no readable reference is `unknown`, never a credit with holes. Every pattern
 * is linear: alternations of fixed words and bounded character classes, no nested quantifiers
 * over the same characters.
 */

/** The TxnID banks print for UPI and IMPS: the 12-digit RRN. NEFT/RTGS UTRs are read too (kit ANY_TXNID_SHAPE). */
export const UPI_TXNID = /^\d{12}$/;

const CUR = String.raw`(?:Rs\.?|Rs:|INR|₹)`;
/** "Rs.500", "Rs 1,00,000.00", "INR 2,088.00", "Rs:1.00", "₹ 99", "INR Rs.15000.00". */
const MONEY = String.raw`(?<![A-Za-z])(?:INR\s?)?${CUR}\s?${AMT}`;
/** "A/c", "A/C No", "a/c no.", "Acct", "Account", "Acc", "Ac", "AC" ("A/cX1711" has no space). */
const ACC = String.raw`\b(?:a\/c|acct|account|acc|ac)(?![a-wyz])\.?(?:\s?no\b\.?)?(?:\s?ending(?:\swith)?)?`;
/**
 * The account as printed: XX1234, X1234, xx2285, **1234, *8175, *XX4873, XXXXXXXX1598,
 * 15XXXXX0000, NN75453, ...5494, and the bare digits older Axis/Kotak alerts print (814478, 2849).
 */
const MASK = String.raw`(?<acct>(?:NN|\.{2,4}|\*?[X*•]{0,16})(?:\d{2}[X*]{2,12})?\d{3,8})(?![\w@])`;
/**
 * An account the bank hides whole ("a/c no. XXXXXXXXXXXXXXX", as a user pasted City Union Bank's alert): read as
 * an account, never as its hint.
 */
const BLIND_MASK = String.raw`[X*]{4,20}(?![\w@])`;
/**
 * Words between "to your" and "A/c" ("HDFC Bank", "Kotak Bank", "YES BANK", "Kotak811", "slice", "Airtel Payments
 * Bank"), never a card, loan, wallet or FASTag.
 */
const BANK_WORDS = String.raw`(?:(?!(?:loan|card|credit|wallet|fastag|tag|deposit|fd|rd|ppf|nps|demat|gold|beneficiary|payee)\b)[A-Za-z][A-Za-z0-9&]{1,13}\s){0,4}`;
/** A payer's name as banks print it before the account ("from Ms USHA DAS in your …", "from Daksh with txn ID"). */
const NAME = String.raw`(?<party>[A-Za-z][A-Za-z0-9 .&'-]{0,58}?)`;

const HEADS: readonly RegExp[] = [
  // amount first: "Rs.1.00 credited to HDFC Bank A/c XX1245", "INR 1,13,319.00 deposited in A/c XX1260",
  // "INR 1.00 credited A/c no. XX9624" (Axis, line breaks folded), "INR 13,30,614.75 has been credited to XXXX6785",
  // "Rs. 2,000 received in slice A/c xx9294". The account may be unprinted: Axis "INR 50000.00 credited to A/c on
  // 06-02-26. Info-SAK/CASH DEP/…", FamPay "Rs 2.0 was credited to your account with transaction ID FMPIB…".
  new RegExp(
    String.raw`${MONEY}\s?(?:has been |is |was |have been )?(?:(?:credited|deposited)\b(?:\s(?:to|in|into)\b)?|received\s(?:in|into|to)\b)\s(?:${BANK_WORDS}${ACC}(?:\s?(?:${MASK}|${BLIND_MASK}))?(?![\w/])|(?<xacct>[X*]{2,16}\d{3,8})\b)`,
    'i',
  ),
  // verb first: "Money Received - INR 2,088.00 in your HDFC Bank A/c xx7815", "Received Rs. 10000.00 on
  // 01-12-25 in your Kotak Bank A/C x2285", "You have received a payment of Rs. 190.00 in a/c X9571",
  // "UPI Credit:INR Rs.15000.00 in A/c X2468", "Received Rs.750.00 from NAME in your Kotak811 a/c XX4821"
  new RegExp(
    String.raw`\b(?:received|credited|credit)\b(?:\s?[-:]\s?|\s)(?:a payment of\s)?${MONEY}(?:\sfrom\s${NAME})?(?:\son\s[\w/-]{6,11})?\s(?:in|into|to)\s${BANK_WORDS}${ACC}\s?${MASK}`,
    'i',
  ),
  // verb first, account before the amount: ICICI "We have credited your ICICI Bank Account XX572 with INR 5,067.00"
  new RegExp(String.raw`\bcredited\s${BANK_WORDS}${ACC}\s?${MASK}\swith\s${MONEY}`, 'i'),
  // account first: "Acct XX910 is credited with Rs 1.00", "Account XX378 credited:Rs. 6,000.00",
  // "A/c X6495-credited by Rs.7000", "ur A/cX1711 credited by Rs25000", "Account 15XXXXX0000 has been
  // credited for INR 116.56", "A/c *1111 Credited for Rs:1.00", "Acct is credited with Rs 3188.00",
  // "Airtel Payments Bank a/c is credited with Rs.4000.00", City Union "a/c no. XXXXXXXXXXXXXXX is credited for",
  // the NPCI beneficiary template "Your a/c no. X linked to Aadhar No.Y is credited for Rs.", and IDFC FIRST's
  // unfilled "Your a/c no. TxnToAccount is credited by Rs. 300.00" (a word where the account belongs; no hint).
  new RegExp(
    String.raw`${ACC}\s?(?:${MASK}|${BLIND_MASK}|[A-Za-z]{4,20}(?=\s(?:is|has been)\scredited\b))?(?:\slinked to Aadhaa?r No\.?\s?[X*\d]{4,14})?\s?-?\s?(?:is |has been |had been |been )?credited\b;?\s?(?:(?:with|by|for)\s?)?:?\s?${MONEY}`,
    'i',
  ),
  // payer first, no account (FamPay): "You received Rs.1250.0 from NAME with txn ID FMPIB…". Only with the
  // wallet's own "with txn ID" after the payer, so other wallets' "You have received Rs… from" stay theirs.
  new RegExp(String.raw`\byou(?:\shave)?\sreceived\s${MONEY}\sfrom\s${NAME}\swith\s(?=(?:txn|transaction)\sid\b)`, 'i'),
  // payer first (Federal Bank NEFT): "RTTISPLTD has sent INR 197,402.00 to you."
  new RegExp(String.raw`\b(?<party>[A-Z][A-Z0-9 .&]{1,40}?) has sent ${MONEY} to you\b`, 'i'),
];

/**
 * The reference after the head. The last one wins (the one ending last; of two ending together,
 * the longer): what a payer writes (a VPA, a name) comes before it, and the notes some banks print
 * after it are blanked (PAYER_TEXT in upi.ts). A reference is never read inside a VPA
 * ("ref612345678901@ybl"). Each captures `txn` and, where the bank puts the payer there, `party`.
 */
const TAILS: readonly RegExp[] = [
  // Axis "UPI/P2A/<ref>/<NAME>/<BANK>", "IMPS/P2A/<ref>/<mobile>/", P&S "UPI/CR/<ref>/<NAME>/",
  // South Indian "IMPS/FDRL/<ref>/<NAME>.", IPPB "UPI/CREDIT/ <ref>."
  /\b(?:UPI|IMPS)\/(?:P2A|P2M|CR|CREDIT|[A-Z]{4})\/\s?(?<txn>\d{9,16})(?![\w.-]*@)\b(?:\/\s?(?<party>[^/]{1,40}?)\s?(?=\/|\.\s|\.?$|\s-\s|\s\(|\son\s|\sAvl\b))?/gi,
  // IndusInd "Ref-UPI/<ref>/CR/<name>/<BANK>/<vpa>/"
  /\bRef-UPI\/(?<txn>\d{9,16})(?![\w.-]*@)\/CR\/[^/]{0,24}\/[^/]{0,12}\/(?<party>[\w.-]{1,64}@[\w.-]{1,40})/gi,
  // YES Bank "-UPI/<ref>/From:<vpa>/To:<vpa>/"
  /\bUPI\/(?<txn>\d{9,16})(?![\w.-]*@)\/From:(?<party>[^/\s]{1,64})/gi,
  // HDFC "NEFT Cr-<IFSC>-<REMITTER>-<BENEFICIARY>-<UTR>"
  /\bNEFT\sCr-(?:[A-Z]{4}0[A-Z0-9]{6}-)?(?<party>[^-]{1,80}?)(?:-[^-]{0,80}?)*?-(?<txn>(?=[A-Z]*\d)[A-Z0-9]{8,24})(?![\w.-]*@)(?=[.\s]|$)/gi,
  // ICICI "Info NEFT-<UTR>-<NAME>."
  /\bInfo:?\s?NEFT-(?<txn>(?=[A-Z]*\d)[A-Z0-9]{8,24})(?![\w.-]*@)-(?<party>[^.]{0,50}?)\s?(?=\.|$)/gi,
  // ICICI internal transfer "Info INF*<ref>*<NAME>.", older "Info:INF*INFT*<ref>*<remark>." (ref "52154000067G" too)
  /\bInfo:?\s?INF\*(?:INFT\*)?(?<txn>(?=[A-Z]*\d)[A-Z0-9]{9,16})(?![\w.-]*@)\*(?<party>[^.*]{1,40}?)\s?(?=\.|$)/gi,
  // Axis narrations: internal transfer "Info - IFT/<ref>/<n>", branch cash deposit "Info-SAK/CASH DEP/<ref>"
  /\bInfo\s?[-:]\s?(?:IFT|[A-Z]{3}\/CASH DEP)\/(?<txn>(?=[A-Z]*\d)[A-Z0-9]{6,24})(?![\w.-]*@)\b/gi,
  // Axis "Info- NEFT/<UTR>/<NAME>.", P&S "NEFT/<UTR>/<NAME> (", IDFC "Info: NEFT/<UTR>/<NAME>."
  /\b(?:NEFT|RTGS)\/(?<txn>(?=[A-Z]*\d)[A-Z0-9]{8,24})(?![\w.-]*@)\b(?:\/(?<party>[^.(]{1,50}?)\s?(?=\.\s|\.?$|\s\(|\s-\s))?/gi,
  // IndusInd "towards IMPS/<ref>.", Bank of Baroda "via IMPS/<ref> by NAME"
  /\b(?:IMPS|UPI)\/(?<txn>\d{9,16})(?![\w.-]*@)\b/gi,
  // PNB "thru RTGS <UTR>", SBI "through NEFT with UTR <UTR>"
  /\b(?:thru|through|via)\s(?:RTGS|NEFT)\s(?:with\sUTR\s)?(?<txn>(?=[A-Z]*\d)[A-Z0-9]{10,24})(?![\w.-]*@)\b/gi,
  // "(UPI 612345678901)", "UPI Ref No 6…", "UPI Ref:6…", "UPI Ref ID: 1…", "UPI:6…", "(UPI: R ID 3…)"
  /\bUPI\s?(?:Ref(?:erence)?\.?)?\s?(?:No|ID)?\.?\s?[:#-]?\s?(?:R\sID\s)?(?<txn>\d{9,16})(?![\w.-]*@)\b/gi,
  // "IMPS Ref No. 5…", "IMPS Ref. no. 3…", "IMPS Ref# 6…"
  /\bIMPS\s?Ref(?:erence)?\.?\s?(?:No\.?)?\s?[:#]?\s?(?<txn>\d{6,16})(?![\w.-]*@)\b/gi,
  // "Ref No 5…", "Refno 5…", "Ref:9…", "ref no 1…", "RRN:6…", "UTR Ref. N18…", "UTR SDC2…",
  // "NEFT Ref: N09012", Federal "Ref No. 2:01072024:S14023163", slice "(Ref ID: 2…)", Airtel Payments Bank
  // "Txn ID:1…", FamPay "transaction ID FMPIB…" / "txn ID FMPIB…"
  /\b(?:Ref(?:erence)?(?:\s?No|\s?ID|no)?|RRN|UTR(?:\sRef)?|NEFT\sRef|Txn\s?ID|Transaction\sID)\.?\s?[:#-]?\s?(?<txn>(?=[A-Z0-9:]*\d)[A-Z0-9]{1,24}(?::[A-Z0-9]{1,24}){0,3})(?![\w.-]*@)\b/gi,
];

/** How far after the head the reference may be. Real alerts put it within ~150 characters. */
const TAIL_WINDOW = 320;

/** Who paid, read between the head and the reference, in this order. */
const PAYERS: readonly RegExp[] = [
  // a VPA: "from VPA 9848657887.wallet@phonepe", "from priya.k@okaxis", ICICI "thru.A/c linked to.9034334140@ybl"
  /(?:\blinked to\.|(?<![\w.-]))(?<party>[a-z0-9][\w.-]{0,63}@[a-z][a-z0-9]{1,30})\b/gi,
  // "by A/c linked to mobile no xx0761 (", "by an A/C linked to mobile x130.", "by a/c linked to mobile 9XXXXXX020-NAME- (",
  // NPCI's "by a/c linked to mobile 9XXXXXX012 is debited (" (the payer's side of the same transfer)
  /\bby\s(?<party>(?:an\s)?(?:a\/c|account)\slinked\sto\smob(?:ile)?\b[^()]{0,60}?)\s?(?=\(|\.\s|\.?$|\sis\sdebited\b)/gi,
  // IndusInd "received from account XXXXXXX4321/NAME ("
  /\bfrom\s(?<party>account\s[X*\d]{4,20}\/[^()]{1,40}?)\s?(?=\(|$)/gi,
  // Kotak "Beneficiary: NAME."
  /\bBeneficiary:\s(?<party>[^.]{1,60}?)\s?(?=\.|$)/gi,
  // SBI "transfer from NAME Ref No", "by NAME (Ref no", ICICI "from NAME. UPI:", IPPB "from NAME thru IPPB",
  // Canara "by Sender NAME,", Kotak "from beneficiary NAME. UTR"
  /\b(?:transfer from|trf from|from|by)\s(?:beneficiary\s|sender\s)?(?!(?:mob bk|imps|neft|rtgs|upi|transfer|cash|self|bank|a\/c|an|account|vpa|mobile)\b)(?<party>[a-z][a-z0-9 .&'*-]{0,58}?)\s?(?=\s?\((?:ref|upi|imps)|\s(?:ref|refno|rrn|thru|via)\b|\.\s?(?:upi|imps|utr|neft|ref)\b|,|\son\s\d|$)/gi,
];
/** After the reference (SBI "… with UTR <UTR> by NAME, INFO", Bank of Baroda "IMPS/<ref> by NAME."). */
const PAYER_AFTER =
  /^\s?(?:by|from)\s(?!(?:mob bk|imps|neft|rtgs|upi|transfer|cash|self|bank)\b)(?<party>[a-z][a-z0-9 .&'*-]{0,58}?)\s?(?=[,.](?:\s|$)|$)/i;

// The number must end there ("30987.99CR" may), so a VPA such as "bal.5000@ybl" is never a balance.
const BALANCE =
  /\b(?:(?:avl|avbl|avb|aval|avail|available|total|tot avbl|final|clear|clr|new|updated|current|a\/c)\.?\s?)?(?:bal|balance)\b\.?\s?(?:is\s)?[:-]?\s?(?:INR\s?)?(?:Rs\.?|Rs:|₹)?\s?(?<v>\d[\d,]*(?:\.\d{1,2})?)(?!\.\d)(?=(?:CR)?(?:[^\w@]|$))/gi;
const WALLET_TIME = [
  /\b(?:on|dt)\s(?<v>\d{1,2}[-/.](?:\d{1,2}|[a-z]{3})[-/.]\d{2,4}(?:,?\s(?:at\s)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?)/gi,
  /(?<v>\d{2}-\d{2}-\d{2,4},\s\d{2}:\d{2}:\d{2})/g,
];

/** Not a payment to the shop, whatever the verbs say: refunds and reversals of its own debits, requests, mandates, offers. */
const NOT_A_PAYMENT =
  /\b(?:revers(?:al|ed)|refund(?:ed)?|chargeback|requested money|has requested|collect request|mandate|auto-?pay|(?:will|to|can) be credited|pre-?approved)\b|\bcredited to (?:the )?beneficiary\b/i;
const CASHBACK = /\bcash ?back\b/gi;
const VPA_TOKEN = /[\w.-]{1,64}@[a-z][a-z0-9]{1,30}\b/gi;

/** The text with every VPA blanked in place: a VPA is the payer's own word ("refund@ybl", "failed@ybl"). */
export function withoutVpas(text: string): string {
  return text.includes('@') ? text.replace(VPA_TOKEN, (vpa) => ' '.repeat(vpa.length)) : text;
}
const CASHBACK_PAID = /\b(?:credited|received|added|sent to your)\b/i;
/** A debit said before the credit ("A/c XX debited for Rs 500 …; NAME credited") is the shop paying. */
const DEBIT_WORD = /\b(?:debited|debit|sent|withdrawn|spent|paid|transferred|deducted|used)\b|\bdr\.\s/i;
/** Cheap test before the heads run. */
const CREDIT_WORD = /credited|deposited|received|\bcredit\b|\bhas sent\b/i;

/** Whether "cashback" is said before `before` (withoutVpas keeps every index in place). */
function saysCashback(text: string, before: number): boolean {
  CASHBACK.lastIndex = 0;
  const m = CASHBACK.exec(text);
  CASHBACK.lastIndex = 0;
  return m !== null && m.index < before;
}

interface Found {
  index: number;
  end: number;
  groups: Partial<Record<string, string>>;
}

function lastTail(text: string, from: number, to: number): Found | null {
  let best: Found | null = null;
  for (const pattern of TAILS) {
    pattern.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text)) !== null && m.index < to) {
      const end = m.index + m[0].length;
      if (best === null || end > best.end || (end === best.end && m.index < best.index)) {
        best = { index: m.index, end, groups: m.groups ?? {} };
      }
      if (m[0].length === 0) pattern.lastIndex += 1;
    }
    pattern.lastIndex = 0;
  }
  return best;
}

function firstHead(text: string): Found | null {
  let best: Found | null = null;
  for (const pattern of HEADS) {
    const m = pattern.exec(text);
    if (m === null || (best !== null && m.index >= best.index)) continue;
    best = { index: m.index, end: m.index + m[0].length, groups: m.groups ?? {} };
  }
  return best;
}

function lastValue(pattern: RegExp, text: string, from: number): string | undefined {
  pattern.lastIndex = from;
  let found: string | undefined;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    found = m.groups?.v ?? found;
    if (m[0].length === 0) pattern.lastIndex += 1;
  }
  pattern.lastIndex = 0;
  return found;
}

function payerOf(text: string, head: Found, tail: Found): string | null {
  const named = cleanField(head.groups.party ?? tail.groups.party);
  if (named !== null) return named;
  for (const pattern of PAYERS) {
    pattern.lastIndex = head.end;
    const m = pattern.exec(text);
    pattern.lastIndex = 0;
    if (m !== null && m.index < tail.index) return cleanField(m.groups?.party);
  }
  const after = PAYER_AFTER.exec(text.slice(tail.end, tail.end + 90));
  return cleanField(after?.groups?.party);
}

function walletTime(text: string, from: number): string | null {
  for (const pattern of WALLET_TIME) {
    pattern.lastIndex = from;
    const m = pattern.exec(text);
    pattern.lastIndex = 0;
    if (m?.groups?.v) return cleanField(m.groups.v, 40);
  }
  return null;
}

/**
 * The credit a bank alert reports, or null when the text is no credit at all (the caller then
 * reads it as a debit, OTP, promo or unknown). A text that is a credit in form but not a
 * payment to the shop (a refund, a reversal, a request) or that lacks a readable amount or
 * reference is `unknown`; a cashback is a `promo`. Expects prepared, payer-blanked text.
 */
export function readCredit(text: string): WalletBodyParse | null {
  if (!CREDIT_WORD.test(text)) return null;
  const head = firstHead(text);
  const tail = head === null ? null : lastTail(text, head.end, head.end + TAIL_WINDOW);
  // A cashback the bank pays ("Cashback of Rs.50.00 has been sent to your … A/c", "Rs.50 credited to your
  // A/c … as cashback. Ref …") is an offer. A payer's VPA that says "cashback" changes nothing (VPAs are
  // blanked), nor does anything after the reference.
  if (CASHBACK_PAID.test(text) && saysCashback(withoutVpas(text), tail?.index ?? text.length)) return blank('promo');
  if (head === null) return null;
  const debit = DEBIT_WORD.exec(text);
  if (debit !== null && debit.index < head.index) return null;
  // VPAs are the payer's words ("refund@ybl"): they cannot make a payment a refund.
  if (NOT_A_PAYMENT.test(withoutVpas(text))) return blank('unknown');

  const amount = toAmount(head.groups.amt);
  const txnid = cleanField(tail?.groups.txn, 40);
  if (tail === null || amount === null || !isPositiveAmount(amount) || txnid === null) return blank('unknown');
  const normalized = normalizeTxnid(txnid);
  if (!UPI_TXNID.test(normalized) && !ANY_TXNID_SHAPE.test(normalized)) return blank('unknown');

  return {
    kind: 'credit',
    amount,
    currency: 'INR',
    txnid,
    counterparty: payerOf(text, head, tail),
    balance: toAmount(lastValue(BALANCE, text, head.end)),
    account_hint: cleanField(head.groups.acct ?? head.groups.xacct, 40),
    wallet_time: walletTime(text, head.index),
  };
}
