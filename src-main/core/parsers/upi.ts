import { normalizeSender, prepareBody } from './normalize';
import { AMT, NUM, blank, re, runSpec, type WalletSpec } from './kit';
import type { WalletBodyParse, WalletParser } from './types';
import { UPI_BANK_HEADERS } from './upi/banks';
import { UPI_TXNID, readCredit, withoutVpas } from './upi/grammar';

export { UPI_BANK_HEADERS } from './upi/banks';

// Indian banks announce UPI/IMPS/NEFT credits in their own wording; upi/grammar.ts reads the
// grammar they share (amount, credit verb, masked account, reference, payer) for every bank at
// once, so a bank outside the big five reads too. This module adds what is not a credit: the
// debit wordings (the balance chain needs their amounts), failures, OTPs and offers.
// Formats and their sources: test/fixtures/sms/real/upi.json and test/fixtures/sms/README.md.

const CUR = String.raw`(?:Rs\.?|Rs:|INR|₹)`;
const MONEY = String.raw`(?<![A-Za-z])(?:INR\s?)?${CUR}\s?${AMT}`;

const FAILED =
  /\b(?:failed|unsuccessful|not successful|could not be (?:processed|completed|approved)|declined|rejected|insufficient (?:balance|funds?))\b/i;
/** A debit announced for later ("will be debited", "Upcoming mandate") has not happened. */
const NOT_YET = /\b(?:will be (?:auto )?debited|upcoming|scheduled|is due|due (?:on|by|date))\b/i;

/**
 * Parts of a genuine alert the PAYER writes: the note of a YES Bank UPI credit ("…/To:<vpa>/Payment
 * from PhonePe Tot Avbl Bal…") and the remark an Axis or Punjab & Sind narration ends with. Blanked
 * before anything is read, so a payer cannot turn their payment into "failed" or plant a balance.
 */
const PAYER_TEXT: readonly RegExp[] = [
  /(?<=\/To:[^/\s]{1,64}\/)[^\n]*?(?=\s?Tot Avbl Bal|$)/gi,
  /(?<=\bUPI\/P2[AM]\/\d{6,16}\/[^/]{0,40}\/[^/]{0,24}\/)[^/]*?(?=\s-\sAxis Bank|$)/gi,
  /(?<=\bUPI\/CR\/\d{6,16}\/[^/]{0,40}\/[^/]{0,24}\/[^/]{0,30}\/)[^(]*?(?=\s?\(CLR|$)/gi,
];

const spec: WalletSpec = {
  currency: 'INR',
  txnidPattern: UPI_TXNID,
  failed: FAILED,
  credit: [],
  payerText: PAYER_TEXT,
  debit: [
    // "Rs.500 debited from A/c", "INR 20000.00 debited\nA/c no.", "Rs.243.20 paid thru A/C", "INR 630.00 spent
    // using ICICI Bank Card", "Rs.29 transferred from A/c", "Rs.80.00 Dr. from A/c", "Rs500w/d@SBI ATM",
    // "IMPS INR 20,000.00 sent from HDFC Bank A/c"
    re(String.raw`${MONEY}\s?(?:has been |is |was )?(?:debited|spent|paid|withdrawn|sent|transferred|deducted|dr\.|w\/d)`),
    // "Sent Rs.334.00", "Amt Sent Rs.250.00", "Debit INR 2750.00", "Used Rs30.00", "Txn Rs.10.00", "UPI debit:Rs.599.00",
    // "Spent INR 131", "You've spent Rs.196900", "withdrawn Rs.8000.00", "Debited Rs 6000", "Dr. INR 260.00"
    re(String.raw`\b(?:sent|debit|paid|spent|used|txn|withdrawn|debited|deducted!?|dr\.)\s?:?\s?${MONEY}`),
    // "A/C X5334 debited by 2000.0", "is debited for Rs.1000.00", "debited with INR 10,000.00", "debited INR 25.00"
    re(String.raw`\bdebited;?\s?(?:(?:by|for|with)\s?(?:INR\s?)?(?:${CUR})?|(?:INR\s?)?${CUR})\s?${AMT}(?![\d/-])`),
    // "Money Transferred - INR 75,000.00", "IMPS from Ac X5706 for Rs.10,000.00", "Spent\nCard no. XX7441\nINR 562"
    // "Your A/C … has a debit by transfer of Rs 118.00", "transaction number 1234 for Rs.383.00 by SBI Debit Card"
    re(String.raw`\b(?:Money Transferred\s?-|IMPS from Ac \S{3,20} for|Spent\sCard no\.\s\S{3,12}|debit by transfer of)\s?${MONEY}`),
    re(String.raw`\bfor\s${MONEY}\sby\s(?:[A-Z]{2,6}\s)?Debit Card\b`),
  ],
  // Debits: the reference after the amount, the last one (after any payee text).
  txnid: [
    /\b(?:UPI|IMPS)\/(?:P2A|P2M|DR|CR)\/(?<v>\d{9,16})\b/gi,
    /\bUPI\s?(?:Ref(?:erence)?\.?)?\s?(?:No|ID)?\.?\s?[:#-]?\s?(?<v>\d{9,16})\b/gi,
    /\bIMPS\s?(?:Ref(?:erence)?\.?\s?(?:No\.?)?)?\s?[:#]?\s?(?<v>\d{9,16})\b/gi,
    // "Ref 4087…", "RRN: 5655…", Airtel Payments Bank "Txn ID 1045…", FamPay "with txn ID FMPIB…"
    /\b(?:Ref(?:erence)?(?:\s?No|no)?|RRN|UTR|Txn\s?ID|Transaction\sID)\.?\s?[:#-]?\s?(?<v>(?=[A-Z]*\d)[A-Z0-9]{6,24})\b/gi,
  ],
  balance: [
    re(
      String.raw`\b(?:(?:avl|avbl|avb|aval|avail|available|total|tot avbl|final|clear|clr|new|updated|current)\.?\s?)?(?:bal|balance)\b\.?\s?(?:is\s)?[:-]?\s?(?:INR\s?)?(?:Rs\.?|Rs:|₹)?\s?${NUM}(?!\.\d)(?=(?:CR)?(?:[^\w@]|$))`,
      'gi',
    ),
  ],
  time: [],
};

const notYetSpec: WalletSpec = { ...spec, debit: [] };

/**
 * A text that reports money credited or received, in any order the grammar does not read ("Received Rs.750.00
 * … View balance: https://kotk.in/…", "Chk Bal https://ccm.axbk.in/…"). Banks put balance and fraud links in
 * their alerts, so here a link alone does not make it an offer: it is `unknown` (or a debit), never a promo.
 */
const SOME_MONEY = String.raw`(?<![A-Za-z])${CUR}\s?\d[\d,]*(?:\.\d+)?`;
const CREDIT_SHAPED = new RegExp(
  String.raw`${SOME_MONEY}\s?(?:has been |is |was )?(?:credited|received|deposited)\b|\b(?:credited|received|deposited)\b[^.]{0,40}?${SOME_MONEY}`,
  'i',
);
/** The engine's offer words without its link rules (a URL, "www.", "visit"): banks' own links are no offer. */
const PROMO_WORDS =
  /(?:\b(?:offers?|cash ?back|discount|congrat\w*|win|won|bonus|deals?|download|free|gifts?|campaign|lucky|rewards?|enjoy|pre-approved|apply now)\b|\d\s?%)/i;
const creditShapedSpec: WalletSpec = { ...spec, promo: PROMO_WORDS };

function blankPayerText(text: string): string {
  let out = text;
  for (const pattern of PAYER_TEXT) out = out.replace(pattern, (segment) => ' '.repeat(segment.length));
  return out;
}

function parse(raw: string): WalletBodyParse {
  if (typeof raw !== 'string') return blank('unknown');
  const text = blankPayerText(prepareBody(raw));
  if (text === '') return blank('unknown');
  // A payer's VPA ("failed@ybl") cannot turn their payment into a failure.
  if (!FAILED.test(withoutVpas(text))) {
    const credit = readCredit(text);
    if (credit !== null) return credit;
    if (NOT_YET.test(text)) return runSpec(notYetSpec, raw);
    if (CREDIT_SHAPED.test(text)) return runSpec(creditShapedSpec, raw);
  }
  return runSpec(spec, raw);
}

/** parse's answer when it is money in: the grammar's credit (the only money in a UPI alert reads), else null. */
function readMoneyIn(raw: string): WalletBodyParse | null {
  if (typeof raw !== 'string') return null;
  const text = blankPayerText(prepareBody(raw));
  if (text === '' || FAILED.test(withoutVpas(text))) return null;
  const credit = readCredit(text);
  return credit !== null && (credit.kind === 'credit' || credit.kind === 'reversal') ? credit : null;
}

export type UpiBank = keyof typeof UPI_BANK_HEADERS;

const BANK_BY_HEADER = new Map<string, UpiBank>(
  (Object.entries(UPI_BANK_HEADERS) as [UpiBank, readonly string[]][]).flatMap(([bank, ids]) => ids.map((id) => [id, bank] as const)),
);
const BANK_HEADERS = [...BANK_BY_HEADER.keys()];
// DLT headers: two-letter operator/circle prefix, the bank's 6-character ID, and since
// 2025 an optional -S/-P/-T/-G category suffix (VM-HDFCBK, AD-AXISBK-S, VM-HDFCBK-T).
const DLT_HEADER = /^[A-Z]{2}-([A-Z0-9]{6})(?:-[SPTG])?$/;

/** The 6-character header ID inside a sender ("VM-SBIUPI-S" → "SBIUPI"), or the sender itself. */
export function headerId(sender: string): string {
  const normalized = normalizeSender(sender);
  return DLT_HEADER.exec(normalized)?.[1] ?? normalized;
}

/** The bank whose header sent this SMS ("AD-HDFCBK" → "HDFC"), or null for any other sender. */
export function bankOfSender(sender: string): UpiBank | null {
  return BANK_BY_HEADER.get(headerId(sender)) ?? null;
}

export const upi: WalletParser = {
  provider: 'upi',
  country: 'IN',
  currency: 'INR',
  senderIds: BANK_HEADERS,
  matchesSender(sender: string): boolean {
    const m = DLT_HEADER.exec(normalizeSender(sender));
    return m !== null && m[1] !== undefined && BANK_BY_HEADER.has(m[1]);
  },
  txnidPattern: UPI_TXNID,
  parse,
  readMoneyIn,
};
