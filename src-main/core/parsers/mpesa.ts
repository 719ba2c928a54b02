import { AMT, NUM, re, readFee, runSpec, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// M-Pesa (Safaricom, sender "MPESA") opens every receipt with its transaction code:
// "SGH7K2L9QX Confirmed. You have received Ksh1,500.00 from JOHN DOE 0712345678 on 5/6/24
// at 3:04 PM New M-PESA balance is Ksh2,300.00." The code is captured at the very start.
const CODE = String.raw`^(?<txn>[A-Z0-9]{8,12}) confirmed\.?\s?`;
const KSH = String.raw`(?:Ksh|KES)\s?`;
const WHEN = String.raw`\d{1,2}\/\d{1,2}\/\d{2,4} at \d{1,2}:\d{2}\s?[AP]M`;
const KE_MOBILE = String.raw`(?:\+?254|0)\s?[17]\d{2}[\d*]{6}`;

const spec: WalletSpec = {
  currency: 'KES',
  txnidPattern: /^(?=[0-9]*[A-Z])[A-Z0-9]{8,10}$/,
  gate: /\bconfirmed\b/i,
  reversal: [
    re(
      String.raw`^[A-Z0-9]{8,12} confirmed\.?\s?reversal of transaction (?<txn>[A-Z0-9]{8,12}) has been successfully reversed on (?<time>${WHEN})\s?and ${KSH}${AMT} is debited`,
    ),
  ],
  credit: [
    re(String.raw`${CODE}you have received ${KSH}${AMT} from (?<name>.{1,60}?)(?:\s(?<party>${KE_MOBILE}))?\s?on (?<time>${WHEN})`),
    re(
      String.raw`${CODE}(?:on (?<time>${WHEN})\s?)?${KSH}${AMT} received from (?<name>.{1,60}?)(?:\s(?<party>${KE_MOBILE}))?(?=\s?on\s|\.\s|\.?$|\s?new\s)`,
    ),
    re(String.raw`${CODE}on (?<time>${WHEN})\s?give ${KSH}${AMT} cash to (?<name>.{1,80}?)(?=\s?new m-pesa balance)`),
  ],
  debit: [re(String.raw`\b${KSH}${AMT} (?:sent|paid) to\b`), re(String.raw`\b(?:withdraw|you bought|you have paid)\s?${KSH}${AMT}`)],
  txnid: [],
  balance: [re(String.raw`\bnew (?:m-pesa |account |business )?(?:account )?balance (?:is|was)\s?${KSH}${NUM}`, 'gi')],
  // Sends, payments and withdrawals end with "Transaction cost, Ksh28.00.".
  fee: [re(String.raw`\btransaction cost,?\s?${KSH}${NUM}`, 'gi')],
  time: [],
};

export const mpesa: WalletParser = {
  provider: 'mpesa',
  country: 'KE',
  currency: 'KES',
  senderIds: ['MPESA', 'M-PESA'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, body),
  readFee: (body) => readFee(spec, body),
};
