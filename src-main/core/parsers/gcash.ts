import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// GCash. Formats and their sources: test/fixtures/sms/real/gcash.json and the fixtures README.
// Person to person, old and new wording (the new one drops "of GCash"):
//   "You have received PHP 200.00 of GCash from JU*N D. 09171234567 w/ MSG: hi. Your new balance
//    is PHP 447.74. Ref. No. 8012262033422."
//   "You have received PHP 1000.00 from DO**A RO**F B. +639752505196 w/ MSG: . Your new balance …"
// Bank to GCash (a top-up is a credit): "… from MARIBANK 1597… via InstaPay. Ref. No. 104116.",
// "… via InstaPay from BDO on Sep 8, 2025 1:45 PM. Ref. No. …", and the older dated form
// "You have received P 500.00 on <date> from BPI account ending in 1234. Your new balance is
// P 1,500.00 with Ref No. …". The MSG part is written by the payer and blanked (payerText).
const PHP = String.raw`(?:PHP|P|₱)\s?`;
const PH_MOBILE = String.raw`(?:\+?63|0)9\d{2}[\d*•]{7}`;
const RAIL = String.raw`(?:instapay|pesonet)`;
// The head of every GCash credit: the amount, with or without currency and "of GCash".
const RECEIVED = String.raw`\byou have received (?:${PHP})?${AMT}(?: of gcash)?`;
// A bank's name ends before " on <date>", a sentence end, a comma or the end of the text.
const BANK_END = String.raw`(?=\son\s|\.(?:\s|$)|,|$)`;
// The payer's note starts at the first "w/ MSG:"; the genuine "Ref. No. …" ends the SMS.
const MSG = String.raw`\bw\/\s?MSG\s?:`;
const FIRST_MSG = String.raw`${MSG}(?<=^(?:(?!${MSG})[\s\S])*${MSG})`;
const REF_END = String.raw`Ref\.?\s?No\.?\s?\d+\s?\.?\s*$`;

const spec: WalletSpec = {
  currency: 'PHP',
  txnidPattern: /^\d{10,15}$/,
  // A credit needs a reference; a cashback ("You have received … cashback") is a promo, never a credit.
  gate: /^(?![\s\S]*\bcash ?back\b)[\s\S]*?\bref(?:erence)?\b/i,
  // The kit's default plus GCash's "You don't have enough balance to complete your payment of P…".
  failed:
    /\b(?:failed|unsuccessful|not successful|could not be (?:processed|completed)|declined|insufficient (?:balance|funds?)|do(?:n['’]?t| not) have enough balance)\b/i,
  reversal: [re(String.raw`\b${PHP}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${PHP}${AMT}`)],
  credit: [
    // from a person: "… of GCash from JU*N D. 0917…", "… from MA**A SA**S L. +639…", "M** CH****R U, 0949…"
    re(String.raw`${RECEIVED} from (?<name>.{1,60}?)\s(?<party>${PH_MOBILE})(?=[\s.,]|$)`),
    // from a bank, rail first: "… via InstaPay from BDO on Sep 8, 2025 1:45 PM. Ref. No. …"
    re(String.raw`${RECEIVED} via ${RAIL} from (?<name>[^.,]{1,60}?)${BANK_END}`),
    // from a bank, rail last: "… from MARIBANK 15976553427 via InstaPay. Ref. No. …"
    re(String.raw`${RECEIVED} from (?<name>[^.,]{1,60}?) via ${RAIL}\b`),
    // dated bank credit: "You have received P 500.00 on 06-15-2020 10:30 AM from BPI account ending in 1234."
    re(String.raw`${RECEIVED} on [^.]{6,40}? from (?<name>[^.]{1,60}?)(?=\.(?:\s|$))`),
    // name only: "… of GCash from JUAN DELA CRUZ." / "… from JU*N D. w/ MSG"
    re(String.raw`${RECEIVED} from (?<name>[^.()]{1,60}?)(?:\.|\sw\/)`),
  ],
  // "w/ MSG: <text>" is the payer's note, from the FIRST "w/ MSG:" up to the genuine balance and
  // Ref. No. that end the SMS. The second form (no balance sentence) only applies when the first
  // found nothing to blank. The lookbehind admits only the first "w/ MSG:", so a text repeating it
  // costs one pass, not one pass per repetition.
  payerText: [
    new RegExp(String.raw`${FIRST_MSG}[\s\S]*(?=\.\s*Your new balance is\b[^.]*(?:\.\d{2})?\.\s*${REF_END})`, 'i'),
    new RegExp(String.raw`${FIRST_MSG}[\s\S]*(?=\.\s*${REF_END})`, 'i'),
  ],
  debit: [
    // "You have sent PHP 500.00 of GCash to …", "You have paid P64.33 GCash to …",
    // "You have successfully withdrawn P1,216.00 from your GCash wallet …"
    re(String.raw`\byou have (?:sent|paid|successfully paid|transferred|successfully withdrawn)\s?(?:${PHP})?${AMT}`),
    // "Your payment of P1,102.00 to … has been successfully processed on …"
    re(String.raw`\b(?:cash ?out|payment) of\s?${PHP}${AMT}`),
  ],
  txnid: [/\bref(?:erence)?\.?\s?no\.?\s?:?\s?(?<v>\d{6,20})\b/gi],
  balance: [re(String.raw`\bnew balance is\s?${PHP}${NUM}`, 'gi')],
  // Assumed (no public debit sample prints one): "Fee: PHP 15.00".
  fee: [re(String.raw`\b(?:fee|charge)(?: of)?\s?:?\s?(?:${PHP})?${NUM}`, 'gi')],
  time: [
    /\bon\s(?<v>\d{1,2}-\d{1,2}-\d{2,4}\s\d{1,2}:\d{2}(?::\d{2})?\s?[AP]M)/gi,
    /\bon\s(?<v>[A-Z][a-z]{2,8}\s\d{1,2},\s\d{4}\s\d{1,2}:\d{2}\s?[AP]M)/g,
  ],
};

export const gcash: WalletParser = {
  provider: 'gcash',
  country: 'PH',
  currency: 'PHP',
  senderIds: ['GCash'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
