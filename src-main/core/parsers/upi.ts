import { normalizeSender } from './normalize';
import { AMT, NUM, re, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Indian banks announce UPI/IMPS credits in their own wording; the TxnID is the 12-digit
// UPI Ref / RRN. One pattern per bank template (HDFC, SBI, ICICI, Axis, Kotak), each
// anchored on the bank's fixed phrases, so a generic "Rs X credited" never counts.
const INR = String.raw`(?:Rs\.?|INR|₹)\s?`;
const DDMMYY = String.raw`\d{2}-(?:\d{2}|[A-Za-z]{3})-\d{2,4}`;

const spec: WalletSpec = {
  currency: 'INR',
  txnidPattern: /^\d{12}$/,
  gate: /\b(?:upi|imps|ref)/i,
  reversal: [
    re(
      String.raw`\b${INR}${AMT}[^.]{0,80}?\brevers(?:ed|al) of (?:upi |imps )?credit\b[^.]{0,60}?\b(?:ref|rrn)\b[^\d]{0,12}(?<txn>\d{12})`,
    ),
  ],
  credit: [
    // HDFC: Credit Alert! Rs.500.00 credited to HDFC Bank A/c XX1234 on 12-05-26 from VPA a@okaxis (UPI 612345678901)
    re(
      String.raw`\bRs\.?\s?${AMT} credited to HDFC Bank A\/c (?<acct>[X*]*\d{3,6}) on (?<time>${DDMMYY}) (?:from|by) (?:A\/c linked to )?(?:UPI )?VPA (?<party>[\w.-]{1,60}@[\w.-]{1,30}?)\.?\s?\(UPI(?: Ref No\.?)?\s?(?<txn>\d{12})\)`,
    ),
    // SBI: Dear SBI User, your A/c X4321-credited by Rs.500 on 02Aug26 transfer from NAME Ref No 612345678901 -SBI
    re(
      String.raw`\byour A\/c (?<acct>X?\d{3,6})\s?-?\s?credited by Rs\.?\s?${AMT} on (?<time>\w{5,9}) transfer from (?<party>.{1,60}?) Ref No\.?\s?(?<txn>\d{12})`,
    ),
    // SBI: Dear UPI user A/C X9876 credited by Rs320 on 02Mar23 by NAME (Ref no 612345678901)
    re(
      String.raw`\bA\/C\s?(?<acct>[X*]?\d{3,6}) credited by (?:Rs\.?\s?)?${AMT} on (?:date )?(?<time>\w{5,9}) by (?<party>[^()]{0,60}?)\s?\(Ref no\.?\s?(?<txn>\d{12})\)`,
    ),
    // SBI IMPS: Your a/c no. XXXXXXXX6495 is credited by Rs.1977.00 on 07-01-26 by a/c linked to mobile 9XXXXXX999-NAME (IMPS Ref no 600723215965)
    re(
      String.raw`\byour a\/c no\.?\s?(?<acct>[X*]*\d{3,6}) is credited by Rs\.?\s?${AMT} on (?<time>\d{2}-\d{2}-\d{2,4}) by (?<party>[^()]{1,80}?)\s?\((?:IMPS |UPI )?Ref no\.?\s?(?<txn>\d{12})\)`,
    ),
    // ICICI: Dear Customer, Acct XX123 is credited with Rs 500.00 on 12-May-26 from NAME. UPI:612345678901-ICICI Bank.
    re(
      String.raw`\bAcc(?:oun)?t (?<acct>XX\d{3,6}) is credited with ${INR}${AMT} on (?<time>${DDMMYY}) from (?<party>.{1,60}?)\. UPI\s?:\s?(?<txn>\d{12})`,
    ),
    // ICICI IMPS: ICICI Bank Account XX022 is credited with Rs 1,925.00 on 29-Jul-23 by Account linked to ... IMPS Ref. no. 612345678901.
    re(
      String.raw`\bICICI Bank Account (?<acct>XX\d{3,6}) (?:is )?credited with ${INR}${AMT} on (?<time>${DDMMYY}) by (?<party>[^.]{1,80}?)\. IMPS Ref\.? no\.?\s?(?<txn>\d{12})`,
    ),
    // Axis: INR 500.00 credited\nA/c no. XX1234\n05-01-26, 16:15:41 IST\nUPI/P2A/612345678901/NAME/BANK - Axis Bank
    re(
      String.raw`\bINR\s?${AMT} credited (?:to )?A\/c no\.? (?<acct>XX\d{3,6})(?: on)? (?<time>\d{2}-\d{2}-\d{2,4}(?:,? (?:at )?\d{2}:\d{2}:\d{2})?)(?: IST)?\.?(?: Info-?)? UPI\/P2[AM]\/(?<txn>\d{12})\/(?<party>[^/]{1,40}?)(?=\/| - | Not you|\.? ?$)`,
    ),
    // Kotak: Received Rs.750.00 in your Kotak Bank AC X4455 from a@ybl on 12-09-26.UPI Ref:612345678901.
    re(
      String.raw`\bReceived Rs\.?\s?${AMT} in your Kotak Bank A\/?C (?<acct>X?\d{3,6}) from (?<party>.{1,60}?) on (?<time>\d{2}-\d{2}-\d{2,4})\.?\s?UPI Ref\s?:?\s?(?<txn>\d{12})`,
    ),
    // Kotak IMPS: Received Rs. 10000.00 on 01-12-25 in your Kotak Bank A/C x2285 by an A/C linked to mobile x522. IMPS Ref no 612345678901.
    re(
      String.raw`\bReceived Rs\.?\s?${AMT} on (?<time>\d{2}-\d{2}-\d{2,4}) in your Kotak Bank A\/?C (?<acct>X?\d{3,6}) by (?<party>[^.]{1,60}?)\. IMPS Ref no\.?\s?(?<txn>\d{12})`,
    ),
  ],
  debit: [
    re(String.raw`\b${INR}${AMT}\s(?:has been |is )?(?:debited|spent|paid|withdrawn|sent)\b`),
    re(String.raw`\b(?:sent|debit|paid|spent)\s${INR}${AMT}`),
    re(String.raw`\bdebited (?:by|for|with)\s(?:${INR})?${AMT}`),
  ],
  txnid: [/\b(?:upi ref|ref|rrn)\s?(?:no)?\.?\s?:?\s?(?<v>\d{12})\b/gi],
  // "Avl Bal: INR", "Avl Bal- INR" (Axis one-line form), "Available Balance is Rs."
  balance: [re(String.raw`\b(?:avl\.? bal|available balance|bal)\s?(?:[:-]|is)?\s?${INR}${NUM}`, 'gi')],
  time: [],
};

/**
 * Which bank each DLT header belongs to. The balance chain keys UPI accounts on the bank as well
 * as the account digits: a forger who spoofs another bank's header must not open a second,
 * trusted chain for the shop's account. Every header the wallet accepts is listed here.
 *
 * Sources (checked with the code search): SBI, HDFC, ICICI, Axis and Kotak as in
 * test/fixtures/sms/README.md; SBIBNK from prash077/SHIELD shield/knowledge_base/legitimate/
 * sender_ids.md and sarim2000/pennywiseai-tracker SBIBankParser.kt; the others from the parser
 * tests of sarim2000/pennywiseai-tracker (parser-core/src/test/kotlin): PNB "VM-PNBSMS-S",
 * IndusInd "JD-INDUSB-S", Canara "VK-CANBNK-S", Bank of Baroda "VM-BOBTXN-S" / "VM-BOBSMS",
 * Yes Bank "CP-YESBNK-S", IDFC First "JM-IDFCFB-S" / "BM-IDFCBK-S", Federal "AX-FEDBNK-S",
 * ICICI "AX-ICICIT-S"; India Post Payments Bank "XX-IPBMSG-S" (IPPBParser.kt) and Union Bank
 * "XX-UNIONB-S" (UnionBankParser.kt) from its parsers. Look-alikes stay out (VM-HDFCBN).
 */
export const UPI_BANK_HEADERS = {
  SBI: ['SBIUPI', 'SBIINB', 'SBIPSG', 'CBSSBI', 'ATMSBI', 'SBIBNK'],
  HDFC: ['HDFCBK'],
  ICICI: ['ICICIB', 'ICICIT'],
  AXIS: ['AXISBK'],
  KOTAK: ['KOTAKB'],
  PNB: ['PNBSMS'],
  INDUSIND: ['INDUSB'],
  IPPB: ['IPBMSG'],
  CANARA: ['CANBNK'],
  BOB: ['BOBTXN', 'BOBSMS'],
  UNION: ['UNIONB'],
  YES: ['YESBNK'],
  IDFCFIRST: ['IDFCFB', 'IDFCBK'],
  FEDERAL: ['FEDBNK'],
} as const satisfies Record<string, readonly string[]>;

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
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
};
