import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Rocket (Dutch-Bangla Bank) writes "Tk410.00 received from A/C:017... Fee:Tk0, Your A/C
// Balance: Tk430.00 TxnId:... Date:09-APR-20 10:55:36 am." The payer is printed as an
// account reference, which is kept as printed.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /\btxn\s?id/i,
  reversal: [re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMT}`)],
  credit: [
    re(String.raw`\b${TK}${AMT} received from (?<party>(?:[A-Za-z ]{0,30}?A\/C\s?:?\s?)?[*X\d+]{4,20})`),
    re(String.raw`\bcash ?in ${TK}${AMT}(?: successful)? from (?<party>(?:A\/C\s?:?\s?)?[*X\d+]{4,20})`),
  ],
  debit: [
    re(String.raw`\b${TK}${AMT} (?:sent|debited|paid|transferred)\b`),
    re(String.raw`\b(?:cash ?out|bill payment|send money)\s?${TK}${AMT}`),
  ],
  txnid: [/\btxn\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|net\s?bal)\s?:?\s?${TK}${NUM}`, 'gi')],
  // Debits: "Charge Tk 16.00", "Fee:Tk0", "Fee: Tk.00".
  fee: [re(String.raw`\b(?:fee|charge)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [/\bdate\s?:\s?(?<v>\d{1,2}-[A-Z]{3}-\d{2,4}\s\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?)/gi],
};

export const rocket: WalletParser = {
  provider: 'rocket',
  country: 'BD',
  currency: 'BDT',
  senderIds: ['16216', 'Rocket'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
