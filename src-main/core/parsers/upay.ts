import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Public Upay samples are few (see the fixtures README and test/fixtures/sms/real/upay.json):
// "Tk. X has been received from <number or bank>", "Received Payment of Tk.X from", the agent's
// "You have received Cash-out of Tk. X" and "Send money of Tk. X to … is successful". The other
// shapes below are assumed, in the sentence shape shared by the other Bangladeshi wallets.
// Anything else stays `unknown`.
const TK = String.raw`(?:Tk\.?|৳)\s?`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /\bt(?:xn|rx|rnx)\.?\s?id/i,
  reversal: [re(String.raw`\b${TK}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${TK}${AMT}`)],
  credit: [
    // Seen: from a number ("… from 01540669293. Ref-. Balance Tk. …") and from a bank when money is
    // added ("Tk.150.00 has been received from BRAC Bank Limited…"). The payer ends at the first dot.
    re(String.raw`\b${TK}${AMT} has been received from (?<party>[^.]{2,40})\.`),
    // Seen: Bangla QR merchant receipt.
    re(String.raw`\breceived payment of ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
    // Assumed.
    re(String.raw`\b(?:you have )?received ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\bcash ?in (?:of )?${TK}${AMT} (?:successful )?from (?<party>\+?\d{6,15})\b`),
    re(String.raw`\bmoney received\.?\s?amount\s?:\s?${TK}${AMT}\s?(?:sender|from)\s?:\s?(?<party>\S{3,20})`),
  ],
  // Seen: "Send money of Tk. X to 01… is successful. Fee Tk. 0.0. Balance Tk. …". The agent's
  // "You have received Cash-out of Tk. X from 01…" matches nothing here and stays `unknown`.
  debit: [
    re(
      String.raw`\b(?:you have sent|send money|sent|cash ?out|(?<!received )payment|paid|recharge|bill pay(?:ment)?)(?: of)?\s?${TK}${AMT}`,
    ),
  ],
  // The payer's "Ref-<text>" runs to the genuine ". Balance" that follows it (the last one).
  payerText: [/\bRef-[\s\S]*(?=\.\s*Balance\b)/i],
  txnid: [/\bt(?:xn|rx|rnx)\.?\s?id\s?[:.]?\s?(?<v>[A-Z0-9]{4,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|bal)\s?:?\s?${TK}${NUM}`, 'gi')],
  // Debits: "Fee Tk. 0.0", "Fee Tk 5.00".
  fee: [re(String.raw`\b(?:fee|charge)\s?:?\s?(?:${TK})?${NUM}`, 'gi')],
  time: [/(?<v>\b\d{2}\/\d{2}\/\d{4}\s\d{1,2}:\d{2}(?::\d{2})?\b)/g],
};

export const upay: WalletParser = {
  provider: 'upay',
  country: 'BD',
  currency: 'BDT',
  // `upay`: the sender public SMS-forwarding code matches Upay receipts on (README table).
  senderIds: ['upay'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
