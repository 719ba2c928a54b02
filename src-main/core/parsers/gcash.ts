import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// GCash: "You have received PHP 200.00 of GCash from JU*N D. 09171234567 w/ MSG: hi. Your
// new balance is PHP 447.74. Ref. No. 8012262033422." The MSG part is written by the
// payer; the kit reads balance and Ref. No. from their last occurrence, after that text.
const PHP = String.raw`(?:PHP|P|₱)\s?`;
const PH_MOBILE = String.raw`(?:\+?63|0)9\d{2}[\d*•]{7}`;

const spec: WalletSpec = {
  currency: 'PHP',
  txnidPattern: /^\d{10,15}$/,
  gate: /\bref\b/i,
  reversal: [re(String.raw`\b${PHP}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${PHP}${AMT}`)],
  credit: [
    re(String.raw`\byou have received (?:${PHP})?${AMT} of gcash from (?<name>.{1,60}?)\s(?<party>${PH_MOBILE})(?=[\s.,]|$)`),
    re(String.raw`\byou have received (?:${PHP})?${AMT} of gcash from (?<name>[^.]{1,60}?)(?:\.|\sw\/)`),
  ],
  // "w/ MSG: <text>" is the payer's note, up to the genuine balance and Ref. No. that end the SMS.
  payerText: [/\bw\/\s?MSG\s?:[\s\S]*(?=\.\s*Your new balance is\b[^.]*(?:\.\d{2})?\.\s*Ref\.?\s?No\.?\s?\d+\.?\s*$)/i],
  debit: [
    re(String.raw`\byou have (?:sent|paid|successfully paid|transferred)\s?(?:${PHP})?${AMT}`),
    re(String.raw`\b(?:cash ?out|payment) of\s?${PHP}${AMT}`),
  ],
  txnid: [/\bref\.?\s?no\.?\s?:?\s?(?<v>\d{6,20})\b/gi],
  balance: [re(String.raw`\bnew balance is\s?${PHP}${NUM}`, 'gi')],
  // Assumed (no public debit sample prints one): "Fee: PHP 15.00".
  fee: [re(String.raw`\b(?:fee|charge)(?: of)?\s?:?\s?(?:${PHP})?${NUM}`, 'gi')],
  time: [/\bon\s(?<v>\d{1,2}-\d{1,2}-\d{2,4}\s\d{1,2}:\d{2}(?::\d{2})?\s?[AP]M)/gi],
};

export const gcash: WalletParser = {
  provider: 'gcash',
  country: 'PH',
  currency: 'PHP',
  senderIds: ['GCash'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
