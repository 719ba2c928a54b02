import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// JazzCash (short code 8558) receipts name the payer by number and/or name and carry an
// 11-digit TID, sometimes before the amount, so fields are searched from the start.
const RS = String.raw`(?:Rs\.?|PKR)\s?`;
const PK_MOBILE = String.raw`(?:\+?92|0)3\d{2}-?\d{7}`;

const spec: WalletSpec = {
  currency: 'PKR',
  txnidPattern: /^\d{8,14}$/,
  gate: /\b(?:tid|trx\s?id|transaction id)\b/i,
  fieldsFromStart: true,
  reversal: [re(String.raw`\b${RS}${AMT}[^.]{0,80}?\brevers(?:ed|al)\b`), re(String.raw`\brevers(?:ed|al)\b[^.]{0,80}?${RS}${AMT}`)],
  credit: [
    re(String.raw`\byou have received ${RS}${AMT} from (?:(?<party>${PK_MOBILE})\s?)?(?<name>[^.]{0,60}?)\.(?=\s|$)`),
    re(
      String.raw`\b${RS}${AMT} (?:has been )?received from (?<name>[A-Za-z][A-Za-z .']{0,50}?)(?:\s(?:(?:AC|A\/C|account)\s?:?\s?)?(?<party>[\d*X+-]{6,20}))?(?=\s(?:via|on|TID)\b|[.,]|$)`,
    ),
  ],
  debit: [
    re(String.raw`\b${RS}${AMT} (?:has been )?(?:successfully )?(?:sent|transferred|paid|debited)\b`),
    re(String.raw`\byou have (?:successfully )?(?:sent|paid|transferred)\s?${RS}${AMT}`),
  ],
  txnid: [/\b(?:tid|trx\s?id|transaction id)\s?[:#.]?\s?(?<v>\d{6,20})\b/gi],
  balance: [re(String.raw`\b(?:balance|bal)(?: is)?\s?:?\s?${RS}${NUM}`, 'gi')],
  // Assumed (no public debit sample prints one): "Fee: Rs 10.00", "Charges Rs. 10".
  fee: [re(String.raw`\b(?:fee|charges?)(?: for this transaction)?(?: is)?\s?:?\s?(?:${RS})?${NUM}`, 'gi')],
  time: [/(?<v>\b\d{1,2}[-/](?:\d{1,2}|[A-Za-z]{3})[-/]\d{2,4}\s\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)/gi],
};

export const jazzcash: WalletParser = {
  provider: 'jazzcash',
  country: 'PK',
  currency: 'PKR',
  senderIds: ['8558', 'JazzCash'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
