import { AMT, NUM, re, readFee, runSpec, runSpecMoneyIn, type WalletSpec } from './kit';
import type { WalletParser } from './types';

// M-Pesa (Safaricom, sender "MPESA"). Formats and their sources: test/fixtures/sms/README.md and
// test/fixtures/sms/real/mpesa.json. Every receipt opens with its transaction code, sometimes
// after "Congratulations! " (B2C payouts such as "… from LOOP B2C."):
// "TCG1XB2SQV Confirmed.You have received Ksh100.00 from NAME 07… on 16/3/25 at 4:55 PM New M-PESA
// balance is Ksh69.13." Spacing is loose ("Confirmed.on", "PMKsh40.00", "OX36I5RICGConfirmed."),
// so the patterns allow a missing space where Safaricom's own texts drop one.
const CODE = String.raw`^(?:congratulations!?\s?)?(?<txn>[A-Z0-9]{8,12})\s?confirmed[.,]?\s?`;
// "Ksh1,500.00", "KSH40.00", "KES 800.00", "Ksh.0.00" (M-Shwari cost), "Ksh Ksh4,870.00" (Ziidi).
const KSH = String.raw`(?:Ksh|KES)\.?\s?(?:Ksh\s?)?`;
// "5/6/24 at 3:04 PM", "24/4/14 at 3:56PM", "27/12/24 3:41 PM" (no "at").
const WHEN = String.raw`\d{1,2}\/\d{1,2}\/\d{2,4}\s?(?:at\s?)?\d{1,2}:\d{2}\s?[AP]M`;
// "0712345678", "254729901555", "+254…", masked "0722***456" / "2547******78".
const PHONE = String.raw`(?:\+?254|0)\s?[17][\d*]{6,9}(?![\d*])`;
// Where a payer's name ends in the Lipa na M-Pesa receipts.
const NAME_END = String.raw`(?=\.?\s?on\s|\.\s|\.?$|\.?\s?new\s|\.?\s?account number)`;

const spec: WalletSpec = {
  currency: 'KES',
  txnidPattern: /^(?=[0-9]*[A-Z])[A-Z0-9]{8,10}$/,
  // "confirmed" without a leading word boundary: "OX36I5RICGConfirmed." is a real rendering.
  gate: /confirmed/i,
  // "Failed. …", "Failed, you have entered the wrong PIN", and the Hakikisha cancellation
  // ("You have cancelled the transaction of KSH50.00 …"): the money never moved.
  failed:
    /\b(?:failed|unsuccessful|not successful|could not be (?:processed|completed)|declined|insufficient (?:balance|funds?)|you have cancelled the transaction)\b/i,
  // The reversed (original) transaction is the TxnID. "is debited": a payment the shop received was
  // taken back; "is credited": a payment the shop made came back. Both name the original code.
  reversal: [
    re(
      String.raw`^[A-Z0-9]{8,12}\s?confirmed\.?\s?reversal of transaction (?<txn>[A-Z0-9]{8,12}) has been successfully reversed\s?on\s?(?<time>${WHEN})\s?and ${KSH}${AMT} is (?:debited from|credited to) your m-pesa account`,
    ),
    // Any other text that says a transaction was reversed matches here without an amount, so it
    // comes back `unknown`: never read as a fresh credit ("Ksh500.00 received from … has been reversed").
    /\brevers(?:ed|al)\b/i,
  ],
  credit: [
    // Received from a person, a bank, a B2C payout (LOOP, Ziidi, NCBA…), an IMT partner, into
    // M-PESA or into Pochi la Biashara ("New business balance").
    re(String.raw`${CODE}you have received ${KSH}${AMT} from (?<name>.{1,60}?)(?:\s(?<party>${PHONE}))?\.?\s?on\s?(?<time>${WHEN})`),
    // Lipa na M-Pesa till: "Confirmed.on 18/1/22 at 3:57 PMKsh40.00 received from 2547… NAME. New Account balance".
    re(String.raw`${CODE}(?:on\s?(?<time>${WHEN})\s?)?${KSH}${AMT} received from (?<party>${PHONE})\s(?<name>.{1,60}?)\.?\s?${NAME_END}`),
    // Paybill and bank-to-till receipts that name the payer first ("… received from NAME 2547….").
    re(String.raw`${CODE}(?:on\s?(?<time>${WHEN})\s?)?${KSH}${AMT} received from (?<name>.{1,60}?)(?:\s(?<party>${PHONE}))?${NAME_END}`),
    // Cash deposit at an agent.
    re(String.raw`${CODE}on\s?(?<time>${WHEN})\s?give ${KSH}${AMT} cash to (?<name>.{1,80}?)(?=\s?new m-pesa balance)`),
    // Savings moved into M-PESA: M-Shwari, KCB M-PESA ("transfered" is Safaricom's spelling there).
    re(String.raw`${CODE}${KSH}${AMT} transferr?ed from (?<name>m-shwari|kcb m-pesa) account on\s?(?<time>${WHEN})`),
    re(String.raw`${CODE}you have transferred ${KSH}${AMT} from your (?<name>m-shwari) account on\s?(?<time>${WHEN})`),
    // Pochi la Biashara (business) balance moved into M-PESA.
    re(String.raw`${CODE}${KSH}${AMT} has been moved from your business account to your m-pesa account on\s?(?<time>${WHEN})`),
  ],
  debit: [
    // Sent, paid, saved into M-Shwari / KCB M-PESA, or taken for a Fuliza repayment.
    re(
      String.raw`\b${KSH}${AMT} (?:sent to\b|paid to\b|transferr?ed to (?:m-shwari|kcb m-pesa) account\b|from your m-pesa has been used to (?:fully |partially )?pay your outstanding fuliza)`,
    ),
    // Withdrawal ("PMWithdraw Ksh2,100.00" is run together in real receipts), airtime, and the
    // Fuliza overdraft that paid part of a purchase ("Fuliza M-PESA amount is Ksh 238.80").
    re(String.raw`(?:(?:\b|[AP]M)(?:withdraw|you bought|you have paid)\s?|\bfuliza m-pesa amount is )${KSH}${AMT}`),
  ],
  txnid: [],
  // The M-PESA (or till / utility / Pochi) balance; never the M-Shwari, KCB or Fuliza one.
  balance: [
    re(String.raw`\bnew (?:m-pesa |account |business |pochi |utility )?(?:account )?balance (?:is|was)\s?${KSH}${NUM}`, 'gi'),
    re(String.raw`\bm-pesa balance (?:is\s?)?(?:${KSH})?${NUM}`, 'gi'),
  ],
  // Sends, payments and withdrawals end with "Transaction cost, Ksh28.00." (M-Shwari: "Transaction cost Ksh.0.00").
  fee: [re(String.raw`\btransaction cost,?\s?${KSH}${NUM}`, 'gi')],
  time: [],
};

// Safaricom's own example (IMT FAQ) groups thousands as "Ksh5, 000" and "Ksh10, 500": the space
// after the comma is removed before parsing, only inside an amount that follows Ksh/KES.
const SPACED_GROUP = /\d, \d{3}(?!\d)/;
const SPACED_AMOUNT = /\b((?:Ksh|KES)\.?\s?)(\d{1,3}(?:, ?\d{3})+)(?!\d)/gi;

const REVERSAL_CREDITED = /\bis credited to your m-pesa account\b/i;

function joinSpacedThousands(body: string): string {
  if (typeof body !== 'string' || !SPACED_GROUP.test(body)) return body;
  return body.replace(SPACED_AMOUNT, (_m, ksh: string, digits: string) => ksh + digits.replace(/ /g, ''));
}

export const mpesa: WalletParser = {
  provider: 'mpesa',
  country: 'KE',
  currency: 'KES',
  // Safaricom's M-PESA SMS arrive from the alphanumeric sender "MPESA" (sources in the fixtures
  // README). The look-alike "M-PESA" has no source and is not trusted; a shop can add it.
  senderIds: ['MPESA'],
  txnidPattern: spec.txnidPattern,
  parse: (body) => runSpec(spec, joinSpacedThousands(body)),
  readMoneyIn: (body) => runSpecMoneyIn(spec, joinSpacedThousands(body)),
  readFee: (body) => readFee(spec, joinSpacedThousands(body)),
  reversalCredits: (body) => typeof body === 'string' && REVERSAL_CREDITED.test(body),
};
