import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// JazzCash (short code 8558). Formats and their sources: test/fixtures/sms/real/jazzcash.json.
// Receipts print the amount first ("Rs 450.00 received in your JazzCash Mobile Account:03…
// via Raast. TID: 7…"), a 12-digit TID after it, and sometimes runs of spaces or line breaks,
// which prepareBody collapses. Fields are searched from the start because the TID can also
// lead ("TID: … Rs.300 received from …").
//
// Every credit rule names something only JazzCash prints (its "Mobile Account", the "AC"/"A/C:"
// payer label with its date layout, or the TID label): the registry tries this module on other
// senders' text to name forgeries, and a bank's own "PKR … received from …" must never come
// back as a JazzCash spoof.
const RS = String.raw`(?:Rs\.?|PKR)\s?`;
// Credits are printed in "Rs"; "PKR" is the banks' form.
const RS_CREDIT = String.raw`Rs\.?\s?`;
const PK_MOBILE = String.raw`(?:\+?92|0)3\d{2}-?\d{7}`;
// A payer's name as printed: letters, spaces and the odd initial punctuation, bounded.
const NAME = String.raw`[A-Za-z][A-Za-z .'&*-]{0,60}?`;
const OWN_ACCOUNT = String.raw`in your JazzCash Mobile Account\s?:?\s?(?<acct>[\d*]{6,15})`;
const DMY = String.raw`\d{1,2}\/\d{1,2}\/\d{4}`;

const spec: WalletSpec = {
  currency: 'PKR',
  // 12 digits today (7…, 0…); older receipts quote 10–11.
  txnidPattern: /^\d{8,14}$/,
  gate: /\b(?:tid|txid|transaction id)\b|\brefund of\b/i,
  fieldsFromStart: true,
  reversal: [
    // "Refund of PKR  Rs 1.00 against 083376694399 is successful." The TxnID is the refunded one.
    re(String.raw`\brefund of (?:PKR\s?)?${RS}${AMT} against (?<txn>\d{8,14}) is successful\b`),
    re(String.raw`\b${RS}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`),
    re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${RS}${AMT}`),
  ],
  credit: [
    // Raast into the shop's wallet, payer not named.
    re(String.raw`\b${RS_CREDIT}${AMT}\s?received ${OWN_ACCOUNT}`),
    // Raast from a named payer: "… received from NAME AC ********244200101 in your JazzCash Mobile Account:03…".
    re(String.raw`\b${RS_CREDIT}${AMT}\s?received from (?<name>${NAME}) AC (?<party>[\d*]{6,24}) ${OWN_ACCOUNT}`),
    // From another JazzCash account: "… received from NAME, JazzCash Mobile Account: 0313****595."
    re(String.raw`\b${RS_CREDIT}${AMT}\s?received from (?<name>[^,.]{1,60}), JazzCash Mobile Account\s?:?\s?(?<party>[\d*]{6,15})`),
    // From a bank (IBFT): "… received from NAME, A/C: *** on 16/06/2026 at 15:57:08. TID: … via IBFT".
    re(String.raw`\b${RS_CREDIT}${AMT}\s?received from (?<name>[^,.]{1,60}), A\/C\s?:\s?(?<party>[\dX*]{3,24}) on ${DMY}\b`),
    // Raast with the payer's account and no own account: "… received from NAME AC 0312… via Raast".
    re(String.raw`\b${RS_CREDIT}${AMT}\s?received from (?<name>${NAME}) AC (?<party>[\d*]{6,24}) via Raast\b`),
    re(String.raw`\byou have received ${RS_CREDIT}${AMT} from (?:(?<party>${PK_MOBILE})\s?)?(?<name>[^.]{0,60}?)\.(?=\s|$)`),
    // TID first: "TID: 1234567890 Rs.300 received from NAME [03…]".
    re(String.raw`^TID\s?:?\s?\d{6,20}\s${RS_CREDIT}${AMT} received from (?<name>${NAME})(?:\s(?<party>${PK_MOBILE}))?(?=[.,]|$)`),
  ],
  debit: [
    // "Rs 4,700.00 sent to …", "Rs 1.00 successfully transferred to your Salaam Wallet …",
    // "Rs 257.00 paid to …", "Rs 1.00 charged for ordering JazzCash Debit card …".
    re(String.raw`\b${RS}${AMT} (?:has been )?(?:successfully )?(?:sent|transferred|paid|debited|charged)\b`),
    re(String.raw`\byou have (?:successfully )?(?:sent|paid|transferred)\s?${RS}${AMT}`),
    re(String.raw`\ban amount of ${RS}${AMT} has been (?:successfully )?(?:sent|transferred|debited)\b`),
    // "Ufone Bundle for Prepaid number 9233… of Rs 100.00 has been purchased on …".
    re(String.raw`\bof ${RS}${AMT} has been purchased\b`),
  ],
  txnid: [/\b(?:tid|txid|transaction id)\s?[:#.]?\s?(?<v>\d{6,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|bal)(?: after refund)?(?: is)?\s?:?\s?${RS}${NUM}`, 'gi')],
  account: [/\byour JazzCash Mobile Account\s?:?\s?(?<v>[\d*]{6,15})/gi],
  // "Fee: Rs 1.55," on transfers; "Fee: Rs 0.00 ," on bundles.
  fee: [re(String.raw`\b(?:fee|charges?)(?: for this transaction)?(?: is)?\s?:?\s?(?:${RS})?${NUM}`, 'gi')],
  time: [
    /(?<v>\b\d{1,2}[-/](?:\d{1,2}|[A-Za-z]{3})[-/]\d{2,4}\s(?:at\s)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)/gi,
    /(?<v>\b\d{4}-\d{2}-\d{2}\s(?:at\s)?\d{1,2}:\d{2}(?::\d{2})?)/gi,
  ],
};

export const jazzcash: WalletParser = {
  provider: 'jazzcash',
  country: 'PK',
  currency: 'PKR',
  // Not `JazzCash`: found only in another developer's allow-list (README); a shop adds it per gateway.
  senderIds: ['8558'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
