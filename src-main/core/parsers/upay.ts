import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Upay's formats are only the ones seen in public samples (see the fixtures README and
// test/fixtures/sms/real/upay.json): "Tk. X has been received from <number or bank>", "Received
// Payment of Tk.X from", the agent's "You have received Cash-out of Tk. X" and "Send money of Tk. X
// to … is successful". Nothing is assumed: bKash's and Nagad's sentences ("You have received Tk …",
// "Money Received.\nAmount: Tk …") are theirs, so from the `upay` header they are forgeries of
// those wallets, never Upay credits, and from a phone number they name bKash or Nagad. Anything
// else stays `unknown`.
const TK = String.raw`(?:Tk\.?|৳)\s?`;

const spec: WalletSpec = {
  currency: 'BDT',
  txnidPattern: /^[A-Z0-9]{8,12}$/,
  gate: /\bt(?:xn|rx|rnx)\.?\s?id/i,
  // No public Upay reversal exists: any text saying "reversed" matches here without an amount and
  // comes back `unknown`, never a credit and never an assumed reversal amount.
  reversal: [/\brevers(?:ed|al)\b/i],
  credit: [
    // Seen: from a number ("… from 01540669293. Ref-. Balance Tk. …") and from a bank when money is
    // added ("Tk.150.00 has been received from BRAC Bank Limited…"). The payer ends at the first dot.
    re(String.raw`\b${TK}${AMT} has been received from (?<party>[^.]{2,40})\.`),
    // Seen: Bangla QR merchant receipt.
    re(String.raw`\breceived payment of ${TK}${AMT} from (?<party>\+?\d{6,15})\b`),
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
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
