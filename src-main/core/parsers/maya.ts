import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Maya (formerly PayMaya). No public Maya receipt SMS with a reference was found (see the
// fixtures README); the only public Maya texts are app pushes without one ("You received 500.00
// in your wallet via InstaPay"), which stay `unknown`. The patterns accept the assumed "You have
// received PHP X from NAME (+639...)" sentence with a "Ref No."/"Ref ID" and leave anything else
// `unknown`. GCash's own wording ("Ref. No.", "w/ MSG", "of GCash") never passes the gate, so a
// genuine GCash receipt is never read as a Maya payment or a Maya forgery.
const PHP = String.raw`(?:PHP|P|₱)\s?`;
const PH_MOBILE = String.raw`(?:\+?63|0)9\d{2}[\d*•]{7}`;

const spec: WalletSpec = {
  currency: 'PHP',
  txnidPattern: /^[A-Z0-9]{8,20}$/,
  gate: /^(?![\s\S]*\b(?:g ?cash|w\/\s?msg)\b)[\s\S]*?\bref\s?(?:no|id)\b/i,
  reversal: [re(String.raw`\b${PHP}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${PHP}${AMT}`)],
  credit: [
    re(String.raw`\byou(?: have|'ve)? received\s?${PHP}${AMT} from (?<name>[^()]{0,60}?)\s?\(?(?<party>${PH_MOBILE})\)?`),
    re(String.raw`\byou(?: have|'ve)? received\s?${PHP}${AMT} from (?<name>[^.]{1,60}?)(?=\son\s|\.)`),
  ],
  debit: [
    re(String.raw`\byou(?: have|'ve)? (?:sent|paid|transferred)\s?${PHP}${AMT}`),
    re(String.raw`\b(?:cash ?out|payment) of\s?${PHP}${AMT}`),
  ],
  txnid: [/\bref\s?(?:no\.?|id)\s?:?\s?(?<v>[A-Z0-9]{6,20})\b/gi],
  balance: [re(String.raw`\bbalance is\s?${PHP}${NUM}`, 'gi')],
  // Assumed (no public debit sample prints one): "Fee: PHP 15.00".
  fee: [re(String.raw`\b(?:fee|charge)(?: of)?\s?:?\s?(?:${PHP})?${NUM}`, 'gi')],
  time: [/\bon\s(?<v>(?:\d{1,2}\s[A-Za-z]{3,9}|[A-Za-z]{3,9}\s\d{1,2}),?\s\d{4},?\s\d{1,2}:\d{2}\s?[AP]M)/gi],
};

export const maya: WalletParser = {
  provider: 'maya',
  country: 'PH',
  currency: 'PHP',
  senderIds: ['Maya', 'PayMaya'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
