import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Formats: see test/fixtures/sms/README.md (bKash). Bangla variants arrive with Bangla
// digits, which prepareBody maps to ASCII before these patterns run.
const TK = String.raw`(?:Tk\.?|BDT|৳)\s?`;
// The payer's number or name ends at the first ". " (bKash puts "Ref"/"Fee" next).
const PARTY = String.raw`(?<party>[^.]{2,40}?)\s?\.(?=\s|[A-Z]|$)`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /trx\s?id/i,
  reversal: [re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMT}`)],
  credit: [
    re(String.raw`\byou have received (?:payment |deposit )?(?:of )?${TK}${AMT} from ${PARTY}`),
    re(String.raw`\bcash in ${TK}${AMT} from (?<party>\+?\d{6,15}) successful`),
    // আপনি 01712345678 থেকে ৳500.00 পেয়েছেন / টাকা গ্রহণ করেছেন
    // "পেয়েছেন" (received) in either spelling of য়; "পেমেন্ট" (payment) is not a credit.
    re(String.raw`(?<party>\+?(?:88)?01\d{9})\s?(?:নম্বর\s?)?থেকে\s?(?:${TK})?${AMT}\s?(?:টাকা\s?)?(?:পে(?:\u09DF|\u09AF\u09BC)েছেন|গ্রহণ)`),
  ],
  debit: [
    re(
      String.raw`\b(?:you have sent|send money|cash ?out|payment (?:of )?|you have paid|bill pay(?:ment)?|mobile recharge|recharge request of|transfer(?:red)?)\s?${TK}${AMT}`,
    ),
    re(String.raw`\b${TK}${AMT} (?:sent|paid|transferred|debited)\b`),
  ],
  // "Ref <text>" runs to the genuine ". Fee" / ". Balance" that follow it (the last ones).
  payerText: [/\bRef\b[\s\S]*(?=\.\s*(?:Fee|Balance)\b)/i],
  txnid: [/\btrx\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`(?:\bbalance|ব্যালেন্স)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  // Debits: "Fee Tk 18.50" (send money, cash out).
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
  senderIds: ['bKash', '16247'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
