import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Nagad sends labelled multi-line receipts ("Money Received.\nAmount: Tk 500.00\nSender: ...").
// prepareBody has already folded the line breaks into single spaces.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;
const AMOUNT_LABEL = String.raw`\.?\s?(?:amount|amt)\s?:\s?${TK}${AMT}`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,10}$/,
  gate: /\bt(?:xn|rx|rnx)\.?\s?id/i,
  reversal: [
    re(String.raw`\brevers(?:ed|al)\b.{0,80}?(?:amount|amt)\s?:\s?${TK}${AMT}`),
    re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`),
  ],
  credit: [
    re(String.raw`\bmoney received${AMOUNT_LABEL}\s?(?:sender|from)\s?:\s?(?<party>\S{3,20})`),
    re(String.raw`\bcash ?in received${AMOUNT_LABEL}\s?(?:uddokta|agent|from)\s?:\s?(?<party>\S{3,20})`),
    re(String.raw`\bpayment received${AMOUNT_LABEL}\s?(?:customer|sender|from)\s?:\s?(?<party>\S{3,20})`),
    // Bangla QR: "Payment - Bangla QR Successfully Received.\nAmount: Tk 1.00\nTxn ID: 0001U735"
    re(String.raw`\bbangla qr successfully received${AMOUNT_LABEL}`),
    re(String.raw`^received ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
  ],
  debit: [re(String.raw`\b(?:send money|cash ?out|payment to|mobile recharge|bill pay(?:ment)?)\b.{0,80}?${TK}${AMT}`)],
  // "Ref: <text>" is the payer's line, up to the genuine TxnID line after it.
  payerText: [/\bRef\s?:[\s\S]*(?=\s*T(?:xn|rx|rnx)\.?\s?ID\s?:)/i],
  txnid: [/\bt(?:xn|rx|rnx)\.?\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|bal)\s?:?\s?${TK}${NUM}`, 'gi')],
  // Debits: "Fee: Tk 5.00"; some print "Charge".
  fee: [re(String.raw`\b(?:fee|charge)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [/(?<v>\b\d{2}\/\d{2}\/\d{4}\s\d{2}:\d{2}\b)/g],
};

export const nagad: WalletParser = {
  provider: 'nagad',
  country: 'BD',
  currency: 'BDT',
  senderIds: ['NAGAD', '16167'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
