import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Nagad sends labelled multi-line receipts ("Money Received.\nAmount: Tk 500.00\nSender: ...").
// prepareBody has already folded the line breaks into single spaces. Formats and their public
// sources: test/fixtures/sms/README.md and test/fixtures/sms/real/nagad.json.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;
// An amount is never the start of a date or a time: "… of 30.00 Tk.\n15/06/2026 20:06" once
// gave "Tk. 15" as the amount of a cashback notice.
const AMOUNT = String.raw`${AMT}(?![\d/:])`;
const AMOUNT_LABEL = String.raw`\.?\s?\b(?:amount|amt)\s?:\s?${TK}${AMOUNT}`;
// Who paid, when the receipt names them ("Sender:", "Uddokta:" for an agent's cash-in,
// "Customer:" for a merchant receipt). A receipt without that line still reads.
const PAYER = String.raw`(?:\s?(?:sender|from|uddokta|agent|customer)\s?:\s?(?<party>\S{3,20}))?`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,10}$/,
  gate: /\bt(?:xn|rx|rnx)\.?\s?id/i,
  // No public Nagad reversal notice was found: any text saying "reversed" matches here without an
  // amount and comes back `unknown`, never a credit. (An assumed "Tk X … reversed" reading once took
  // a Rocket credit whose payer wrote "reversed Tk 9.00" for a Nagad reversal of Tk 500.)
  reversal: [/\brevers(?:ed|al)\b/i],
  // Money that raised the balance with a TxnID. "Cash Out Received" (an agent paying out cash)
  // and "Mobile Recharge Request Received" are not among them.
  credit: [
    re(String.raw`\b(?:money|b2b|cash ?in|payment) received${AMOUNT_LABEL}${PAYER}`),
    // "Payment - Bangla QR Successfully Received.\nAmount: Tk 1.00\nTxn ID: 0001U735"
    re(String.raw`\bbangla qr successfully received${AMOUNT_LABEL}`),
    // "Add Money from Bank is Successful.\nFrom: IBBL\nAmount: Tk 340.0\nTxnID: …"
    re(String.raw`\badd money from (?:bank|card)\b[^:]{0,20}?\bfrom\s?:\s?(?<party>[^:]{2,40}?)${AMOUNT_LABEL}`),
    // "Refund from Daraz BD\nAmount: Tk 239\nTrnxID: …\nBalance:TK 267.70"
    re(String.raw`\brefund from (?<party>[^:]{2,40}?)${AMOUNT_LABEL}`),
  ],
  // Every Nagad debit prints its amount on an "Amount:" line; only that line is read.
  debit: [
    re(
      String.raw`\b(?:payment to .{1,60}? is successful|send money successful|cash[ -]?out (?:successful|received)|mobile recharge (?:successful|request received)|b2b transfer successful|bill pay(?:ment)? successful|your request for .{1,60}? is accepted)\b.{0,80}?\b(?:amount|amt)\s?:\s?${TK}${AMOUNT}`,
    ),
  ],
  // "Ref: <text>" is the payer's line, up to the genuine TxnID line after it.
  payerText: [/\bRef\s?:[\s\S]*(?=\s*T(?:xn|rx|rnx)\.?\s?ID\s?:)/i],
  txnid: [/\bt(?:xn|rx|rnx)\.?\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  // "Balance: Tk 505.00", "Bal: Tk 823.95", "Balance:TK 267.70", and a cash-in's bare "Balance: 2957.58".
  balance: [re(String.raw`\b(?:balance|bal)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  // Debits: "Fee: Tk 5.00", "Fee:3.60"; some print "Charge".
  fee: [re(String.raw`\b(?:fee|charge)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [/(?<v>\b\d{2}\/\d{2}\/\d{4}\s\d{2}:\d{2}\b)/g],
};

export const nagad: WalletParser = {
  provider: 'nagad',
  country: 'BD',
  currency: 'BDT',
  // Not 16167: Nagad's helpline, found only in other developers' allow-lists, with no public SMS
  // showing it as the sender (a shop adds it per gateway).
  senderIds: ['NAGAD'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
