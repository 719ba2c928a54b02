import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Rocket (Dutch-Bangla Bank) writes "Tk410.00 received from A/C:017... Fee:Tk0, Your A/C
// Balance: Tk430.00 TxnId:... Date:09-APR-20 10:55:36 am." The payer is printed as an
// account reference ("A/C:***946", "Other Bank A/C:***00001", "bKash A/C ***648"), which is
// kept as printed. Formats and their public sources:
// test/fixtures/sms/README.md and test/fixtures/sms/real/rocket.json. DBBL's bank-account
// notices ("Dear Sir, your A/C ***123 credited (...) by Tk… C/B Tk…") share the short code
// 16216 but carry no TxnId: they are never read as a Rocket credit or debit.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;
// An amount is never the start of a date or a time.
const AMOUNT = String.raw`${AMT}(?![\d/:])`;
const ACCOUNT = String.raw`A\/C\s?:?\s?[*X\d]{3,20}`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /\btxn\s?id/i,
  // No public Rocket reversal notice was found; these stay narrow.
  reversal: [re(String.raw`\b${TK}${AMOUNT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMOUNT}`)],
  credit: [
    // "Tk410.00 received from A/C:…", "Tk 50.00 received from bKash A/C ***648 through NPSB."
    re(String.raw`\b${TK}${AMOUNT} received from (?<party>(?:[A-Za-z ]{0,30}?${ACCOUNT})|\+?\d{6,15}\b)`),
    // "Cash-In from A/C: ***332 Tk26,900.00 Fee: Tk.00, …" (from an agent) and
    // "B2B: Cash-In from A/C: … Tk…, Your A/C Balance: …" (from another agent or a distributor).
    re(String.raw`\bcash-?\s?in from (?<party>${ACCOUNT})\s?${TK}${AMOUNT}`),
  ],
  debit: [
    // "Tk303.00 debited to recharge mobile …", "Tk430.00 paid through e-Commerce gateway.",
    // "Tk2,000.00 transferred to A/C:…"
    re(String.raw`\b${TK}${AMOUNT} (?:sent|debited|paid|transferred)\b`),
    // "Cash-Out to A/C:***456Tk900.00Fee:…" (a customer's cash-out), "B2B: Cash-Out to A/C: …",
    // and an agent's "B2C: Cash-In to A/C: … Tk… Comm:…" (e-money handed to a customer).
    re(String.raw`\bcash-?\s?(?:out|in) to ${ACCOUNT}\s?${TK}${AMOUNT}`),
    // Assumed (no public sample): "Cash Out Tk…", "Bill Payment Tk…", "Send Money Tk…".
    re(String.raw`\b(?:cash ?out|bill payment|send money)\s?${TK}${AMOUNT}`),
  ],
  // "Ref No: <text>" in the newer receipt is written by the payer; it runs to the genuine "Fee:".
  payerText: [/\bRef No\s?:[\s\S]*(?=\sFee\s?:)/i],
  // Rocket's TxnId is ten digits, sometimes glued to the next label ("TxnId:5762726721Date:…").
  txnid: [/\btxn\s?id\s?[:.]?\s?(?<v>\d{8,12}(?!\d)|[A-Z0-9]{4,20}\b)/gi],
  balance: [re(String.raw`\b(?:balance|net\s?bal)\s?:?\s?${TK}${NUM}`, 'gi')],
  // Debits: "Charge Tk 16.00", "Fee:Tk0", "Fee: Tk.00".
  fee: [re(String.raw`\b(?:fee|charge)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [/(?:\b|(?<=\d))(?:date\s?:|at)\s?(?<v>\d{1,2}-[A-Z]{3}-\d{2,4}\s\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?)/gi],
};

export const rocket: WalletParser = {
  provider: 'rocket',
  country: 'BD',
  currency: 'BDT',
  // Not `Rocket`: found only in other developers' allow-lists (README); a shop adds it per gateway.
  senderIds: ['16216'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
