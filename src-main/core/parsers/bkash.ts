import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Formats: see test/fixtures/sms/README.md (bKash) and test/fixtures/sms/real/bkash.json, where each
// real format names the public place it was seen. Bangla variants arrive with Bangla digits, which
// prepareBody maps to ASCII before these patterns run.
const TK = String.raw`(?:Tk\.?|৳)\s?`;
// The payer's number or name ends at the first ". " (bKash puts "Ref"/"Fee" next).
const PARTY = String.raw`(?<party>[^.]{2,40}?)\s?\.(?=\s|[A-Z]|$)`;
const PHONE = String.raw`(?<party>\+?\d{6,15})`;
// bKash pays cashback as an ordinary "You have received Tk 5.00 from DM0000. … at 09/02/2023 20:42.
// Cashback on Special Offer Send Money": the trailer after the time says it is a cashback (a promo).
const NOT_CASHBACK = String.raw`(?![\s\S]*\d{2}:\d{2}\.?\s?cash ?back on\b)`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  // A TrxID and a word every credit or reversal head starts with; debits and notices skip the heads.
  gate: /^(?=[\s\S]*?trx\s?id)[\s\S]*?(?:received|cash in|remittance|interest|reserved|revers|থেকে)/i,
  // Assumed: no public bKash reversal SMS was found.
  reversal: [re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMT}`)],
  // Money that raised the wallet's balance with a TrxID, whoever sent it.
  credit: [
    // Send money, merchant payment received, deposit from a bank account, a card or internet
    // banking, commission, digital loan: "You have received [payment |a deposit |deposit |deposit
    // from iBanking |Digital Loan ][of ]Tk X [as Commission ]from P."
    re(
      String.raw`\byou have received ${NOT_CASHBACK}(?:payment |(?:a )?deposit |digital loan |deposit from [a-z-]{2,20} )?(?:of )?${TK}${AMT} (?:as commission )?from ${PARTY}`,
    ),
    // Remittance, on one line or several: "You have received remittance. Total: Tk X Govt. incentive: …"
    re(String.raw`\byou have received remittance\.?\s?total\s?:\s?${TK}${AMT}`),
    re(String.raw`\bremittance fund withdrawal from (?<party>[^.]{2,40}?) account is successful\.\s?total amount ${TK}${AMT}`),
    // Agent cash-in to this wallet, and seed 000's contract example "Cash In Tk 500.00 successful.
    // TrxID: BKX92H1 from 01712345678" (payer after the TrxID). The agent's own copy says "Cash In
    // Tk X to 01… successful" and is not matched (the agent's balance went down).
    re(
      String.raw`\bcash in ${TK}${AMT} (?:from ${PHONE} )?successful\b(?:\.\s?trx\s?id\s?:?\s?(?<txn>[A-Z0-9]{4,24}) from (?<name>\+?\d{6,15})\b)?`,
    ),
    // Savings interest, in Banglish: "Apni bKash-e Tk 0.98 Interest peyechhen."
    re(String.raw`\bapni bkash-e ${TK}${AMT} interest peyechhen\b`),
    // A held payment given back: "Reserved amount Tk X for <merchant> has been released."
    re(String.raw`\breserved amount ${TK}${AMT} for (?<party>[^.]{2,60}?) has been released\b`),
    // Assumed (no public sample): আপনি 01712345678 থেকে ৳500.00 পেয়েছেন / টাকা গ্রহণ করেছেন
    // "পেয়েছেন" (received) in either spelling of য়; "পেমেন্ট" (payment) is not a credit.
    re(String.raw`(?<party>\+?(?:88)?01\d{9})\s?(?:নম্বর\s?)?থেকে\s?(?:${TK})?${AMT}\s?(?:টাকা\s?)?(?:পে(?:\u09DF|\u09AF\u09BC)েছেন|গ্রহণ)`),
  ],
  debit: [
    re(
      String.raw`\b(?:you have sent|send money|cash ?out|payment (?:of )?|you have paid|bill pay(?:ment)?|mobile recharge|recharge request of|transfer(?:red)?|bkash to bank of)\s?${TK}${AMT}`,
    ),
    re(String.raw`\b${TK}${AMT} (?:sent|paid|transferred|debited)\b`),
    // Labelled lines: "Bill successfully paid.\nBiller: …\nAmount: Tk 500.00 \nFee: Tk 5.00 \nTrxID: …"
    re(String.raw`\bbill successfully paid\b[\s\S]{0,200}?\bamount\s?:\s?${TK}${AMT}`),
  ],
  // "Ref <text>" runs to the genuine ". Fee" / ". Balance" that follow it (the last ones). Only the
  // FIRST "Ref" may start it (the lookbehind, checked only where a "Ref" stands, reaches back to the
  // previous "Ref" at most): a later "Ref" could only start a shorter copy of the same segment, and
  // trying each one to the end of the text made a text repeating "Ref x" quadratic.
  payerText: [/\bRef\b(?<=^(?:(?!\bRef\b)[\s\S])*Ref)[\s\S]*(?=\.\s*(?:Fee|Balance)\b)/i],
  txnid: [/\btrx\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`(?:\bbalance|ব্যালেন্স)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  // Debits: "Fee Tk 18.50" (send money, cash out), "Fee: Tk 5.00" (bill pay).
  fee: [re(String.raw`\bfee\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [
    /(?:\bat|সম\S{1,3})\s(?<v>\d{1,2}\/\d{1,2}\/\d{4}\s\d{1,2}:\d{2}(?::\d{2})?)/gi,
    /\bat\s(?<v>\d{4}-\d{2}-\d{2}\s\d{1,2}:\d{2}(?::\d{2})?)/gi,
  ],
};

export const bkash: WalletParser = {
  provider: 'bkash',
  country: 'BD',
  currency: 'BDT',
  // bKash: every public sample. Not 16247: bKash's helpline, found only in other developers'
  // allow-lists, with no public SMS showing it as the sender (a shop adds it per gateway).
  senderIds: ['bKash'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
