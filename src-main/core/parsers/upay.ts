import { AMT, NUM, re, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// No public sample of a Upay receipt was found (see the fixtures README); these patterns
// follow the shape shared by the other Bangladeshi wallets and accept both the bKash-like
// sentence and the labelled form. Anything else stays `unknown`.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /\bt(?:xn|rx|rnx)\.?\s?id/i,
  reversal: [
    re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`),
    re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMT}`),
  ],
  credit: [
    re(String.raw`\b(?:you have )?received ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\bcash ?in (?:of )?${TK}${AMT} (?:successful )?from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\bmoney received\.?\s?amount\s?:\s?${TK}${AMT}\s?(?:sender|from)\s?:\s?(?<party>\S{3,20})`),
  ],
  debit: [
    re(String.raw`\b(?:you have sent|send money|sent|cash ?out|payment(?: of)?|paid|recharge|bill pay(?:ment)?)\s?${TK}${AMT}`),
  ],
  txnid: [/\bt(?:xn|rx|rnx)\.?\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|bal)\s?:?\s?${TK}${NUM}`, 'gi')],
  time: [/(?<v>\b\d{2}\/\d{2}\/\d{4}\s\d{1,2}:\d{2}(?::\d{2})?\b)/g],
};

export const upay: WalletParser = {
  provider: 'upay',
  country: 'BD',
  currency: 'BDT',
  senderIds: ['upay'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
};
