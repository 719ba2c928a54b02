/**
 * SMS bodies as the wallets print them (the formats of test/fixtures/sms/*.json), with amounts,
 * balances, TxnIDs and the wallet's own printed time filled in, and a seeded random source so a
 * generated year is the same year every time. Used by _year.ts and the push benchmarks.
 */

/** mulberry32: small, fast, seeded; good enough to pick traffic, not for secrets. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Picks a key by weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

export type Wallet = 'bkash' | 'nagad' | 'upi_hdfc' | 'upi_sbi' | 'mpesa';

export const WALLETS: readonly Wallet[] = ['bkash', 'nagad', 'upi_hdfc', 'upi_sbi', 'mpesa'];

/** The gateway each wallet pays into, as the shop configures it (addGateway input). */
export const GATEWAYS: Record<Wallet, { provider: string; account: string; balanceCheck: 'review' | 'warn' | 'off' }> = {
  bkash: { provider: 'bkash', account: '01711111111', balanceCheck: 'review' },
  // The shop chose "warn" for Nagad: a credit that breaks the chain settles and raises an alert.
  nagad: { provider: 'nagad', account: '01811111111', balanceCheck: 'warn' },
  upi_hdfc: { provider: 'upi', account: 'XX9400', balanceCheck: 'review' },
  upi_sbi: { provider: 'upi', account: 'X4321', balanceCheck: 'review' },
  mpesa: { provider: 'mpesa', account: '0722000000', balanceCheck: 'review' },
};

export const CURRENCY: Record<Wallet, 'BDT' | 'INR' | 'KES'> = {
  bkash: 'BDT',
  nagad: 'BDT',
  upi_hdfc: 'INR',
  upi_sbi: 'INR',
  mpesa: 'KES',
};

/** Wallets that print a balance on every money SMS (the chain, R6). UPI bank credits print none. */
export const CHAINED: Record<Wallet, boolean> = { bkash: true, nagad: true, upi_hdfc: false, upi_sbi: false, mpesa: true };

/** The wallet's printed local time is UTC + this (wallet-time.ts). */
const OFFSET_MIN: Record<Wallet, number> = { bkash: 360, nagad: 360, upi_hdfc: 330, upi_sbi: 330, mpesa: 180 };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

function local(wallet: Wallet, at: number): Date {
  return new Date(at + OFFSET_MIN[wallet] * 60_000);
}

/** bKash and Nagad: 12/05/2026 11:25 */
function dmyHm(wallet: Wallet, at: number): string {
  const d = local(wallet, at);
  return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}

/** M-Pesa: "5/6/24 at 3:04 PM" */
function mpesaWhen(at: number): string {
  const d = local('mpesa', at);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${String(d.getUTCFullYear()).slice(2)} at ${h12}:${p2(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** HDFC: 09-06-26 */
function dmyDash(at: number): string {
  const d = local('upi_hdfc', at);
  return `${p2(d.getUTCDate())}-${p2(d.getUTCMonth() + 1)}-${String(d.getUTCFullYear()).slice(2)}`;
}

/** SBI: 02Aug26 */
function sbiDate(at: number): string {
  const d = local('upi_sbi', at);
  return `${p2(d.getUTCDate())}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear()).slice(2)}`;
}

/** 150050 → "1,500.50" (bKash, Nagad, M-Pesa print thousands separators). */
export function grouped(minor: number): string {
  const whole = Math.floor(minor / 100);
  return `${whole.toLocaleString('en-US')}.${p2(minor % 100)}`;
}

/** 150050 → "1500.50" */
export function plain(minor: number): string {
  return `${Math.floor(minor / 100)}.${p2(minor % 100)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Unique TxnIDs in each wallet's shape, never repeated within one generator. */
export class TxnIds {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
  private chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i += 1) s += alphabet[Math.floor(this.rng.next() * alphabet.length)];
    return s;
  }
  next(wallet: Wallet): string {
    switch (wallet) {
      case 'bkash':
        return this.unique(() => this.chars(LETTERS, 1) + this.chars(ALNUM, 9));
      case 'nagad':
        return this.unique(() => String(this.rng.int(1, 9)) + this.chars(ALNUM, 7));
      case 'mpesa':
        return this.unique(() => this.chars('RSTU', 1) + this.chars(LETTERS, 2) + this.chars(ALNUM, 7));
      default:
        return this.unique(() => String(this.rng.int(1, 9)) + this.chars('0123456789', 11));
    }
  }
}

const FIRST = [
  'ANIKA',
  'RAHIM',
  'KARIM',
  'SUMAIYA',
  'JOHN',
  'MARY',
  'PETER',
  'GRACE',
  'RAVI',
  'PRIYA',
  'SURESH',
  'MEERA',
  'FATIMA',
  'ODHIAMBO',
];
const LAST = ['S', 'KHAN', 'AHMED', 'DOE', 'WANJIKU', 'KAMAU', 'KUMAR', 'SHARMA', 'ISLAM', 'OTIENO', 'MUTUA', 'PATEL'];
const SHOPS = ['Daraz Bangladesh Limit', 'Shwapno', 'Agora', 'Chaldal', 'KPLC PREPAID', 'NAIVAS', 'SWIGGY', 'ZOMATO', 'BigBasket'];

export function bdPhone(rng: Rng): string {
  return `01${rng.int(3, 9)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

export function kePhone(rng: Rng): string {
  return `07${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}

export function vpa(rng: Rng): string {
  return `${rng.pick(FIRST).toLowerCase()}.${rng.int(1, 9999)}@${rng.pick(['okicici', 'okaxis', 'ybl', 'okhdfcbank', 'paytm'])}`;
}

/** The phone number a wallet's customer pays from (what R4 compares), or null when the SMS names none. */
export function payerFor(wallet: Wallet, rng: Rng): string | null {
  if (wallet === 'bkash' || wallet === 'nagad') return bdPhone(rng);
  if (wallet === 'mpesa') return kePhone(rng);
  return null;
}

export interface Sms {
  sender: string;
  body: string;
}

/** A credit (money received). `payer` is the customer's phone (BD/KE wallets). */
export function creditSms(
  wallet: Wallet,
  o: { txnid: string; amountMinor: number; balanceMinor: number; at: number; payer: string | null; rng: Rng },
): Sms {
  const { txnid, amountMinor: a, balanceMinor: b, at, rng } = o;
  switch (wallet) {
    case 'bkash':
      return rng.chance(0.8)
        ? {
            sender: 'bKash',
            body: `You have received Tk ${grouped(a)} from ${o.payer ?? bdPhone(rng)}. Ref ${rng.int(1, 999)}. Fee Tk 0.00. Balance Tk ${grouped(b)}. TrxID ${txnid} at ${dmyHm(wallet, at)}`,
          }
        : {
            sender: 'bKash',
            body: `Cash In Tk ${grouped(a)} from ${o.payer ?? bdPhone(rng)} successful. Fee Tk 0.00. Balance Tk ${grouped(b)}. TrxID ${txnid} at ${dmyHm(wallet, at)}`,
          };
    case 'nagad':
      return {
        // Case varies by phone; 16167 (the helpline) is no trusted sender (test/fixtures/sms/README.md).
        sender: rng.chance(0.7) ? 'NAGAD' : 'Nagad',
        body: `Money Received.\nAmount: Tk ${grouped(a)}\nSender: ${o.payer ?? bdPhone(rng)}\nRef: ${rng.chance(0.6) ? 'N/A' : `order ${rng.int(1, 9999)}`}\nTxnID: ${txnid}\nBalance: Tk ${grouped(b)}\n${dmyHm(wallet, at)}`,
      };
    case 'upi_hdfc':
      return {
        sender: rng.pick(['AD-HDFCBK', 'VM-HDFCBK', 'VM-HDFCBK-S']),
        body: `Credit Alert!\nRs.${plain(a)} credited to HDFC Bank A/c XX9400 on ${dmyDash(at)} from VPA ${vpa(rng)} (UPI ${txnid})`,
      };
    case 'upi_sbi':
      return {
        sender: rng.pick(['JD-SBIUPI', 'AX-SBIUPI-S']),
        body: `Dear SBI User, your A/c X4321-credited by Rs.${plain(a)} on ${sbiDate(at)} transfer from ${personName(rng)} Ref No ${txnid} -SBI`,
      };
    case 'mpesa':
      return {
        sender: 'MPESA',
        body: `${txnid} Confirmed. You have received Ksh${grouped(a)} from ${personName(rng)} ${o.payer ?? kePhone(rng)} on ${mpesaWhen(at)} New M-PESA balance is Ksh${grouped(b)}.`,
      };
  }
}

/**
 * A debit: the amount and the fee or cost the wallet prints (what the chain subtracts).
 * Returns the fee used so the caller keeps the true balance.
 */
export function debitSms(
  wallet: Wallet,
  o: { txnid: string; amountMinor: number; balanceMinor: number; at: number; rng: Rng; kind: 'send' | 'cashout' | 'payment' },
): Sms {
  const { txnid, amountMinor: a, balanceMinor: b, at, rng } = o;
  switch (wallet) {
    case 'bkash':
      if (o.kind === 'payment')
        return {
          sender: 'bKash',
          body: `Payment of Tk ${grouped(a)} to ${rng.pick(SHOPS)} is successful. Balance Tk ${grouped(b)}. TrxID ${txnid} at ${dmyHm(wallet, at)}`,
        };
      return {
        sender: 'bKash',
        body:
          o.kind === 'send'
            ? `Send Money Tk ${grouped(a)} to ${bdPhone(rng)} successful. Ref . Fee Tk ${grouped(debitFee(wallet, o.kind, a))}. Balance Tk ${grouped(b)}. TrxID ${txnid} at ${dmyHm(wallet, at)}`
            : `Cash Out Tk ${grouped(a)} to ${bdPhone(rng)} successful. Fee Tk ${grouped(debitFee(wallet, o.kind, a))}. Balance Tk ${grouped(b)}. TrxID ${txnid} at ${dmyHm(wallet, at)}`,
      };
    case 'nagad':
      if (o.kind === 'payment')
        return {
          sender: 'NAGAD',
          body: `Payment to '${rng.pick(SHOPS)}' is Successful.\nAmount: Tk ${grouped(a)}\nTxnID: ${txnid}\nBalance: Tk ${grouped(b)}\n${dmyHm(wallet, at)}`,
        };
      return {
        sender: 'NAGAD',
        body: `Send Money Successful.\nAmount: Tk ${grouped(a)}\nReceiver: ${bdPhone(rng)}\nTxnID: ${txnid}\nFee: Tk ${grouped(debitFee(wallet, o.kind, a))}\nBalance: Tk ${grouped(b)}\n${dmyHm(wallet, at)}`,
      };
    case 'upi_hdfc':
      return {
        sender: 'VM-HDFCBK',
        body: `Sent Rs.${plain(a)}\nFrom HDFC Bank A/C *9400\nTo ${rng.pick(SHOPS)}\nOn ${dmyDash(at).replace(/-/g, '/')}\nRef ${txnid}\nNot You?\nCall 18002586161/SMS BLOCK UPI to 7308080808`,
      };
    case 'upi_sbi':
      return {
        sender: 'JD-SBIUPI',
        body: `Dear UPI user A/C X4321 debited by ${plain(a)} on date ${sbiDate(at)} trf to ${personName(rng)} Refno ${txnid}`,
      };
    case 'mpesa':
      return o.kind === 'payment'
        ? {
            sender: 'MPESA',
            body: `${txnid} Confirmed. Ksh${grouped(a)} paid to KPLC PREPAID. for account ${rng.int(10_000_000, 99_999_999)} on ${mpesaWhen(at)} New M-PESA balance is Ksh${grouped(b)}. Transaction cost, Ksh0.00.`,
          }
        : {
            sender: 'MPESA',
            body: `${txnid} Confirmed. Ksh${grouped(a)} sent to ${personName(rng)} ${kePhone(rng)} on ${mpesaWhen(at)}. New M-PESA balance is Ksh${grouped(b)}. Transaction cost, Ksh${grouped(debitFee(wallet, o.kind, a))}.`,
          };
  }
}

/** What each wallet charges the shop for a debit, in minor units (printed in the SMS; the chain subtracts it). */
export function debitFee(wallet: Wallet, kind: 'send' | 'cashout' | 'payment', amountMinor: number): number {
  if (kind === 'payment') return 0;
  switch (wallet) {
    case 'bkash':
      return kind === 'send' ? 500 : Math.round(amountMinor * 0.0185);
    case 'nagad':
      return 500;
    case 'mpesa':
      return amountMinor <= 10_000 ? 0 : amountMinor <= 100_000 ? 1_300 : 2_800;
    default:
      return 0;
  }
}

/** A wallet reversal of an earlier credit (M-Pesa's wording; the chain adds it back as a debit). */
export function mpesaReversalSms(o: { code: string; original: string; amountMinor: number; balanceMinor: number; at: number }): Sms {
  return {
    sender: 'MPESA',
    body: `${o.code} Confirmed. Reversal of transaction ${o.original} has been successfully reversed on ${mpesaWhen(o.at)} and Ksh${grouped(o.amountMinor)} is debited from your M-PESA account. New M-PESA account balance is Ksh${grouped(o.balanceMinor)}.`,
  };
}

/** bKash's reversal of a credit (the chain adds it back as a debit). */
export function bkashReversalSms(o: { original: string; amountMinor: number; balanceMinor: number; at: number; rng: Rng }): Sms {
  return {
    sender: 'bKash',
    body: `Tk ${grouped(o.amountMinor)} received from ${bdPhone(o.rng)} has been reversed. TrxID ${o.original}. Balance Tk ${grouped(o.balanceMinor)} at ${dmyHm('bkash', o.at)}`,
  };
}

/** Messages that carry no money: OTPs, promotions, failed attempts, a chat from a customer. */
export function noiseSms(wallet: Wallet, rng: Rng, at: number): Sms {
  const kind = rng.weighted({ otp: 5, promo: 4, failed: 1 });
  const code = String(rng.int(100_000, 999_999));
  const d = local(wallet, at);
  const day = `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}`;
  switch (wallet) {
    case 'bkash':
      if (kind === 'otp')
        return {
          sender: 'bKash',
          body: `<#> Your bKash verification code is ${code}. It expires in 2 minutes. Please do NOT share this code and PIN with anyone. UID: ${code.slice(0, 3)}x${rng.int(1000, 9999)}`,
        };
      if (kind === 'promo')
        return {
          sender: 'bKash',
          body: `bKash Amazing Deals till ${day}! Pay with bKash and get up to ${rng.int(5, 25)}% Instant Cashback at ${rng.int(1000, 5000)}+ outlets. For details, visit https://www.bkash.com/payment/`,
        };
      return {
        sender: 'bKash',
        body: `Send Money Tk ${grouped(rng.int(100, 5000) * 100)} to ${bdPhone(rng)} failed due to insufficient balance. Please try again.`,
      };
    case 'nagad':
      if (kind === 'otp')
        return {
          sender: 'NAGAD',
          body: `NEVER share your OTP or PIN with anyone. Nagad will never ask for these.\nYour OTP for Nagad ECOM payment is ${code}.\nValidity: 2 minutes.\nHelpline: 16167`,
        };
      if (kind === 'promo')
        return {
          sender: 'NAGAD',
          body: `Congrats! You have won cashback Tk ${rng.int(5, 99)}.00 for payment of Tk ${rng.int(100, 999)}.00\n${dmyHm(wallet, at)}\nPay with Nagad & get a chance to win a car.`,
        };
      return {
        sender: 'NAGAD',
        body: `Your Send Money request of Tk ${grouped(rng.int(100, 5000) * 100)} has failed. Please try again later. Helpline 16167`,
      };
    case 'upi_hdfc':
    case 'upi_sbi':
      if (kind === 'otp')
        return {
          sender: 'VM-HDFCBK-T',
          body: `${code} is OTP for txn of INR ${plain(rng.int(100, 9000) * 100)} at ${rng.pick(SHOPS).toUpperCase()} on HDFC Bank card ending 9400. Valid till ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}. Do not share OTP for security reasons`,
        };
      if (kind === 'promo')
        return {
          sender: 'VM-HDFCBK-P',
          body: `HDFC Bank: Enjoy freedom from high EMIs with a pre-approved Personal Loan at ${rng.int(10, 16)}.${rng.int(0, 99)}% till ${day}. Check EMI: https://hdfcbk.io/x${rng.int(100, 999)}`,
        };
      return {
        sender: 'VM-ICICIB',
        body: `Your UPI transaction of Rs ${plain(rng.int(100, 5000) * 100)} to ${vpa(rng)} has failed. Any amount debited will be refunded in 3-5 working days. -ICICI Bank`,
      };
    case 'mpesa':
      if (kind === 'otp') return { sender: 'MPESA', body: `Your M-PESA verification code is ${code}. Do not share this code with anyone.` };
      if (kind === 'promo')
        return {
          sender: 'MPESA',
          body: `Enjoy ${rng.int(10, 60)}% off on Bonga points offer till ${day}! Dial *126# to redeem. Ref ${code}.`,
        };
      return {
        sender: 'MPESA',
        body: `Failed. M-PESA is temporarily unable to authorise airtime purchase of Ksh${grouped(rng.int(10, 500) * 100)}. Please try again later.`,
      };
  }
}

/** Wallet-looking text from an ordinary number: the parsers call it a spoof. */
export function spoofSms(wallet: Wallet, o: { txnid: string; amountMinor: number; at: number; rng: Rng }): Sms {
  const real = creditSms(wallet, { ...o, balanceMinor: o.amountMinor + o.rng.int(1_000, 900_000), payer: null });
  const sender =
    wallet === 'mpesa'
      ? `+2547${o.rng.int(10_000_000, 99_999_999)}`
      : wallet.startsWith('upi')
        ? `+9198${o.rng.int(10_000_000, 99_999_999)}`
        : `+8801${o.rng.int(300_000_000, 999_999_999)}`;
  return { sender, body: real.body };
}

/** A chat message from a customer's own phone ("I sent the money"): not a wallet SMS at all. */
export function chatSms(rng: Rng): Sms {
  return {
    sender: `+8801${rng.int(300_000_000, 999_999_999)}`,
    body:
      rng.pick(['Bhai taka pathaisi, check koren please', 'Sent the money, please check', 'Payment done bhai', 'Apa taka dilam']) +
      ` (${rng.int(1, 9999)})`,
  };
}
