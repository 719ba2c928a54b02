import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// Easypaisa (short code 3737) leads with the TxnID: "Trx ID 5944229251. You have Received
// Rs 10.00 from NAME with Easypaisa Account 923336126632 and your new Easypaisa account
// balance is Rs. 10.49." Fields are therefore searched from the start of the message.
const RS = String.raw`(?:Rs\.?|PKR)\s?`;

const spec: WalletSpec = {
  currency: 'PKR',
  txnidPattern: /^\d{8,14}$/,
  gate: /\btrx\s?id\b/i,
  fieldsFromStart: true,
  reversal: [re(String.raw`\b${RS}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${RS}${AMT}`)],
  credit: [
    re(
      String.raw`\byou have received (?:${RS})?${AMT} from (?<name>[^.]{1,60}?) (?:with easypaisa account(?: (?<party>[\d*X-]{6,16}))?|in your easypaisa account)`,
    ),
    re(String.raw`\byou have successfully deposited ${RS}${AMT}\b`),
    re(
      String.raw`\b${RS}${AMT} (?:has been )?received from (?<name>[A-Za-z][A-Za-z .']{0,50}?)(?: with easypaisa account)?(?: (?<party>[\d*X-]{6,16}))?(?=[.,]|\s(?:on|via|trx)\b|$)`,
    ),
  ],
  debit: [
    re(String.raw`\b${RS}${AMT} (?:has been )?(?:successfully )?(?:sent|transferred|paid|debited|withdrawn)\b`),
    re(String.raw`\byou have (?:successfully )?(?:sent|paid|transferred|withdrawn)\s?${RS}${AMT}`),
  ],
  txnid: [/\btrx\s?id\s?[:#.]?\s?(?<v>\d{6,20})\b/gi],
  balance: [re(String.raw`\bbalance is\s?(?:${RS})?${NUM}`, 'gi')],
  // "Fee for this transaction is Rs. 0.00", "The fee for this transaction is Rs. 2.50".
  fee: [re(String.raw`\bfee(?: for this transaction)?(?: is)?\s?:?\s?(?:${RS})?${NUM}`, 'gi')],
  time: [/(?<v>\b\d{1,2}[-/](?:\d{1,2}|[A-Za-z]{3})[-/]\d{2,4}\s\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)/gi],
};

export const easypaisa: WalletParser = {
  provider: 'easypaisa',
  country: 'PK',
  currency: 'PKR',
  senderIds: ['3737', 'easypaisa'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
