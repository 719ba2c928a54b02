import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Easypaisa (short code 3737). Formats and their sources: test/fixtures/sms/real/easypaisa.json.
// Most receipts lead with the TxnID ("Trx ID 5944229251. You have Received Rs 10.00 from NAME
// with Easypaisa Account 9233… and your new Easypaisa account balance is Rs. 10.49."); Raast
// receipts put it last ("… via Raast Payment on 22-06-2026 at 04:18:31. Trx ID: 51649571871").
// Fields are therefore searched from the start of the message.
const RS = String.raw`(?:Rs\.?|PKR)\s?`;
// Credits are printed in "Rs"; "PKR" is the banks' form (and the app's, for transfers out).
const RS_CREDIT = String.raw`Rs\.?\s?`;
const NAME = String.raw`[A-Za-z][A-Za-z .'&-]{0,60}?`;

const spec: WalletSpec = {
  currency: 'PKR',
  txnidPattern: /^\d{8,14}$/,
  gate: /\btrx\s?id\b/i,
  fieldsFromStart: true,
  reversal: [re(String.raw`\b${RS}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${RS}${AMT}`)],
  credit: [
    // From an Easypaisa account, from TMFB, or from a bank (", Bank BAF"); "Rs" is sometimes absent.
    re(
      String.raw`\byou have received (?:${RS_CREDIT})?${AMT} from (?<name>[^.]{1,60}?) (?:with easypaisa account(?: (?<party>[\d*X-]{6,16}))?|in your easypaisa account(?: No\.?\s?(?<acct>\d{6,15}))?)`,
    ),
    // Cash deposited at a retailer.
    re(String.raw`\byou have successfully deposited ${RS_CREDIT}${AMT}\b`),
    // Raast: "You have received Rs.1 in your Easypaisa account ***********0101 from NAME PK**UNILPKKARTG****7613 via Raast Payment".
    re(
      String.raw`\byou have received ${RS_CREDIT}${AMT} in your easypaisa account (?<acct>[\d*]{4,20}) from (?<name>${NAME})(?: (?<party>PK[A-Z0-9*]{6,34}))? via Raast\b`,
    ),
    // The same receipt with the payer's name before the amount (seen forged from a personal
    // number): "You have Received NAME Rs.10000 from with Easypaisa Account 0340-…".
    re(String.raw`\byou have received (?<name>${NAME}) ${RS_CREDIT}${AMT} from with easypaisa account (?<party>[\d*X-]{6,16})`),
    re(
      String.raw`\b${RS_CREDIT}${AMT} (?:has been )?received from (?<name>[A-Za-z][A-Za-z .']{0,50}?)(?: with easypaisa account)?(?: (?<party>[\d*X-]{6,16}))?(?=[.,]|\s(?:on|via|trx)\b|$)`,
    ),
  ],
  debit: [
    // "Rs. 1.0 sent to NAME with easypaisa account …", "Rs. 2000.0 paid for Monthly Supreme …",
    // "PKR 1,000.00 has been successfully transferred to 0333…".
    re(String.raw`\b${RS}${AMT} (?:has been )?(?:successfully )?(?:sent|transferred|paid|debited|withdrawn)\b`),
    // "You have paid Rs. 330.00 at THE FAST MART …" (debit card), "You have sent Rs 500 to 0345…".
    re(String.raw`\byou have (?:successfully )?(?:sent|paid|transferred|withdrawn)\s?${RS}${AMT}`),
    // Raast out: "An amount of Rs. 1000.0 has been successfully sent to NAME in *******0917 via Raast Payment".
    re(String.raw`\ban amount of ${RS}${AMT} has been (?:successfully )?(?:sent|transferred|debited)\b`),
  ],
  // "Trx ID 5944229251", "Trx ID: 51649571871", debit card "Txn ID 51695745211".
  txnid: [/\b(?:trx|txn)\s?id\s?[:#.]?\s?(?<v>\d{6,20})\b/gi],
  balance: [re(String.raw`\bbalance is\s?(?:${RS})?${NUM}`, 'gi')],
  // The shop's own wallet as Raast receipts mask it: "your Easypaisa account ***********0101".
  account: [/\byour easypaisa account\s?(?<v>\*{2,}\d{2,6})\b/gi],
  // "Fee for this transaction is Rs. 0.00", "Fee: Rs. 0.0.", "Transaction Fee: Rs. 0.00".
  fee: [re(String.raw`\bfee(?: for this transaction)?(?: is)?\s?:?\s?(?:${RS})?${NUM}`, 'gi')],
  time: [
    /(?<v>\b\d{1,2}[-/](?:\d{1,2}|[A-Za-z]{3})[-/]\d{2,4}\s(?:at\s)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)/gi,
    /(?<v>\b\d{4}-\d{2}-\d{2}\s(?:at\s)?\d{1,2}:\d{2}(?::\d{2})?)/gi,
  ],
};

export const easypaisa: WalletParser = {
  provider: 'easypaisa',
  country: 'PK',
  currency: 'PKR',
  // Not `easypaisa`: found only in another developer's allow-list (README); a shop adds it per gateway.
  senderIds: ['3737'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readMoneyIn: (body) => runSpecMoneyIn(spec, body),
  readFee: (body) => readFee(spec, body),
};
