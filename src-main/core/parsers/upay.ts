import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Public Upay samples are few (see the fixtures README): "Tk. X has been received from" and
// "Received Payment of Tk.X from" were seen; the others follow the shape shared by the other
// Bangladeshi wallets. Anything else stays `unknown`.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /\bt(?:xn|rx|rnx)\.?\s?id/i,
  reversal: [re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMT}`)],
  credit: [
    re(String.raw`\b(?:you have )?received ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\b${TK}${AMT} has been received from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\breceived payment of ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\bcash ?in (?:of )?${TK}${AMT} (?:successful )?from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\bmoney received\.?\s?amount\s?:\s?${TK}${AMT}\s?(?:sender|from)\s?:\s?(?<party>\S{3,20})`),
  ],
  debit: [re(String.raw`\b(?:you have sent|send money|sent|cash ?out|payment(?: of)?|paid|recharge|bill pay(?:ment)?)\s?${TK}${AMT}`)],
  txnid: [/\bt(?:xn|rx|rnx)\.?\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|bal)\s?:?\s?${TK}${NUM}`, 'gi')],
  // Debits: "Fee Tk 5.00".
  fee: [re(String.raw`\b(?:fee|charge)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [/(?<v>\b\d{2}\/\d{2}\/\d{4}\s\d{1,2}:\d{2}(?::\d{2})?\b)/g],
};

export const upay: WalletParser = {
  provider: 'upay',
  country: 'BD',
  currency: 'BDT',
  senderIds: ['upay'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
