import { describe, expect, it } from 'vitest';
import { SMS_KINDS, type SmsParse } from '../../../src-shared/sms';
import {
  WALLET_PARSERS,
  isSenderAllowed,
  normalizeTxnid,
  parseSms,
  parserFor,
  type ExtraSenders,
} from '../../../src-main/core/parsers/index';
import { ANY_TXNID_SHAPE } from '../../../src-main/core/parsers/kit';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROVIDER_IDS, type ProviderId } from '../../../src-shared/providers';
import { loadAllFixtures, loadRealFixtures } from './fixture-loader';

/** mulberry32: tiny, fast, and deterministic for a fixed seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITERATIONS = 100_000;
const AMOUNT = /^\d+\.\d{2}$/;
const KINDS = new Set<string>(SMS_KINDS);
const ODD_CHARS = [
  '\u0000',
  '\u0007',
  '\r',
  '\n',
  '\t',
  '\u200b',
  '\ufeff',
  '\u00a0',
  '০',
  '৯',
  '۵',
  '₹',
  '₱',
  '৳',
  '😀',
  '\ud800',
  '.',
  ',',
  ' ',
];

const fixtures = loadAllFixtures();
const bodies = fixtures.map((f) => f.body);
const senders = [
  ...new Set([
    ...fixtures.map((f) => f.sender),
    ...WALLET_PARSERS.flatMap((p) => p.senderIds),
    'VM-HDFCBK-T',
    'AD-AXISBK-S',
    'JD-SBIUPI',
    'BZ-KOTAKB-P',
    'VM-HDFCBN',
    '+8801712345678',
    '03001234567',
    '+639171234567',
    '+254712345678',
    '+919876543210',
    'SHOP-BKASH',
    '',
    '  ',
  ]),
];
const EXTRA: ExtraSenders = { bkash: ['SHOP-BKASH'], mpesa: ['+254700000000'] };

function mutate(rand: () => number, input: string): string {
  let s = input;
  const steps = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < steps; i++) {
    const pos = Math.floor(rand() * (s.length + 1));
    switch (Math.floor(rand() * 8)) {
      case 0: // drop
        s = s.slice(0, pos) + s.slice(pos + 1 + Math.floor(rand() * 3));
        break;
      case 1: // duplicate
        s = s.slice(0, pos) + s.slice(pos, pos + 1 + Math.floor(rand() * 8)) + s.slice(pos);
        break;
      case 2: // swap neighbours
        if (pos + 1 < s.length) s = s.slice(0, pos) + s[pos + 1] + s[pos] + s.slice(pos + 2);
        break;
      case 3: {
        // change a digit
        const digits = [...s.matchAll(/\d/g)];
        const hit = digits[Math.floor(rand() * digits.length)];
        if (hit?.index !== undefined) s = s.slice(0, hit.index) + String(Math.floor(rand() * 10)) + s.slice(hit.index + 1);
        break;
      }
      case 4: // odd or control character
        s = s.slice(0, pos) + ODD_CHARS[Math.floor(rand() * ODD_CHARS.length)] + s.slice(pos);
        break;
      case 5: // splice another fixture in
        s = s.slice(0, pos) + bodies[Math.floor(rand() * bodies.length)] + s.slice(pos);
        break;
      case 6: // truncate
        s = s.slice(0, pos);
        break;
      default: // random bytes
        s =
          s.slice(0, pos) +
          String.fromCharCode(...Array.from({ length: 1 + Math.floor(rand() * 6) }, () => Math.floor(rand() * 0x3000))) +
          s.slice(pos);
    }
  }
  return s;
}

function makeBody(rand: () => number): string {
  const roll = rand();
  const base = bodies[Math.floor(rand() * bodies.length)] ?? '';
  if (roll < 0.01) return base.repeat(Math.ceil(100_000 / Math.max(1, base.length))).slice(0, 100_000 + Math.floor(rand() * 1000));
  if (roll < 0.02) return '9'.repeat(100_000);
  if (roll < 0.05) return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 0xffff)));
  if (roll < 0.15) return base;
  return mutate(rand, base);
}

function violation(sender: string, extra: ExtraSenders | undefined, r: SmsParse): string | null {
  if (!KINDS.has(r.kind)) return `bad kind ${r.kind}`;
  if (r.amount !== null && !AMOUNT.test(r.amount)) return `bad amount ${r.amount}`;
  if (r.balance !== null && !AMOUNT.test(r.balance)) return `bad balance ${r.balance}`;
  if (r.kind === 'credit' || r.kind === 'reversal' || r.kind === 'spoof') {
    if (r.amount === null || r.txnid === null || r.txnid_normalized === null || r.provider === null) {
      return `${r.kind} with holes`;
    }
    if (normalizeTxnid(r.txnid) !== r.txnid_normalized) return 'txnid_normalized mismatch';
    // The wallet's usual shape, or the engine's wider one (payments holds an unusual one for a person).
    if (!parserFor(r.provider).txnidPattern.test(r.txnid_normalized) && !ANY_TXNID_SHAPE.test(r.txnid_normalized)) {
      return 'txnid fails the wallet pattern and any TxnID shape';
    }
  }
  if ((r.kind === 'credit' || r.kind === 'reversal') && (r.provider === null || !isSenderAllowed(sender, r.provider, extra))) {
    return `${r.kind} from a sender not allowlisted for ${String(r.provider)}`;
  }
  if (r.kind === 'spoof' && r.provider !== null && isSenderAllowed(sender, r.provider, extra)) {
    return 'spoof attributed to the wallet that sent it';
  }
  return null;
}

describe('parseSms fuzz', () => {
  it(`holds its invariants over ${ITERATIONS} random and mutated messages`, () => {
    const rand = mulberry32(0xc0ffee);
    const failures: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 0; i < ITERATIONS; i++) {
      const sender =
        rand() < 0.9
          ? (senders[Math.floor(rand() * senders.length)] ?? '')
          : mutate(rand, senders[Math.floor(rand() * senders.length)] ?? '');
      const body = makeBody(rand);
      const extra = rand() < 0.3 ? EXTRA : undefined;
      let r: SmsParse;
      try {
        r = parseSms({ sender, body }, extra ? { extraSenders: extra } : undefined);
      } catch (err) {
        failures.push(`threw ${String(err)} for ${JSON.stringify(sender)} / ${JSON.stringify(body.slice(0, 120))}`);
        continue;
      }
      seen.set(r.kind, (seen.get(r.kind) ?? 0) + 1);
      const v = violation(sender, extra, r);
      if (v !== null && failures.length < 20) failures.push(`${v}: ${JSON.stringify(sender)} / ${JSON.stringify(body.slice(0, 160))}`);
    }
    expect(failures).toEqual([]);
    // The corpus must actually exercise the dangerous paths, not just produce `unknown`.
    expect(seen.get('credit') ?? 0).toBeGreaterThan(1000);
    expect(seen.get('spoof') ?? 0).toBeGreaterThan(1000);
  }, 120_000);
});

/**
 * Real and invented non-credits (debits, OTPs, offers, failures, reversals, and the `unknown`
 * ones such as an agent's cash-in or a bank's refund) from their own sender. Mutations that a
 * phone, a forwarder or an operator can cause without changing what the message says must never
 * turn one into a credit: a changed digit, an inserted control, invisible or space character,
 * native digits, the case of the whole text, a cut tail.
 */
const HOLDOUT_DIR = fileURLToPath(new URL('../../fixtures/sms/holdout/', import.meta.url));
const NON_CREDIT_KINDS = new Set(['debit', 'otp', 'promo', 'failed', 'reversal', 'unknown']);

interface Base {
  origin: string;
  provider: ProviderId;
  sender: string;
  body: string;
}

function holdout(provider: ProviderId): { name: string; sender: string; body: string; expect: { kind: string } }[] {
  const file = `${HOLDOUT_DIR}${provider}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof holdout>) : [];
}

const nonCredits: Base[] = [
  ...fixtures.filter((f) => NON_CREDIT_KINDS.has(f.expect.kind)).map((f) => ({ origin: `fixtures/${f.provider}: ${f.name}`, ...f })),
  ...PROVIDER_IDS.flatMap((p) =>
    loadRealFixtures(p)
      .filter((f) => NON_CREDIT_KINDS.has(f.expect.kind))
      .map((f) => ({ origin: `real/${p}: ${f.name}`, provider: p, sender: f.sender, body: f.body })),
  ),
  ...PROVIDER_IDS.flatMap((p) =>
    holdout(p)
      .filter((e) => NON_CREDIT_KINDS.has(e.expect.kind))
      .map((e) => ({ origin: `holdout/${p}: ${e.name}`, provider: p, sender: e.sender, body: e.body })),
  ),
];

// What a space can become on its way (controls and other whitespace fold to one space); the
// invisibles are dropped wherever they stand. A cut tail is not harmless: it can take away the
// words that make a message a cashback ("… TrxID … at 09/02/2023 20:42. Cashback on …").
const SPACE_LIKE = ['\u0000', '\u0007', '\r', '\n', '\r\n', '\t', '\u00a0', '  ', ' \n '];
const INVISIBLE = ['\u200b', '\ufeff', '\u00ad', '\u2060'];
const NATIVE_DIGITS = ['\u09e6', '\u0660', '\u06f0', '\u0966'];

function harmlessMutate(rand: () => number, input: string): string {
  let s = input;
  const steps = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < steps; i++) {
    const pos = Math.floor(rand() * (s.length + 1));
    switch (Math.floor(rand() * 5)) {
      case 0: {
        // change a digit
        const digits = [...s.matchAll(/\d/g)];
        const hit = digits[Math.floor(rand() * digits.length)];
        if (hit?.index !== undefined) s = s.slice(0, hit.index) + String(Math.floor(rand() * 10)) + s.slice(hit.index + 1);
        break;
      }
      case 1: {
        // a space becomes a control, a line break or a run of whitespace
        const spaces = [...s.matchAll(/ /g)];
        const hit = spaces[Math.floor(rand() * spaces.length)];
        if (hit?.index !== undefined)
          s = s.slice(0, hit.index) + SPACE_LIKE[Math.floor(rand() * SPACE_LIKE.length)] + s.slice(hit.index + 1);
        break;
      }
      case 2: {
        // every ASCII digit in one native script
        const zero = (NATIVE_DIGITS[Math.floor(rand() * NATIVE_DIGITS.length)] ?? '0').charCodeAt(0);
        s = s.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));
        break;
      }
      case 3:
        s = rand() < 0.5 ? s.toUpperCase() : s.toLowerCase();
        break;
      default: // an invisible character anywhere
        s = s.slice(0, pos) + (INVISIBLE[Math.floor(rand() * INVISIBLE.length)] ?? '') + s.slice(pos);
    }
  }
  return s;
}

describe('parseSms fuzz: non-credits stay non-credits', () => {
  const NON_CREDIT_ITERATIONS = 40_000;

  it('draws on real and held-out non-credits, not only invented ones', () => {
    expect(nonCredits.filter((b) => b.origin.startsWith('real/')).length).toBeGreaterThan(100);
    expect(nonCredits.filter((b) => b.origin.startsWith('holdout/')).length).toBeGreaterThan(100);
  });

  it(`no non-credit becomes a credit under ${NON_CREDIT_ITERATIONS} harmless mutations`, () => {
    const rand = mulberry32(0x5eed10);
    const failures: string[] = [];
    for (let i = 0; i < NON_CREDIT_ITERATIONS; i++) {
      const base = nonCredits[Math.floor(rand() * nonCredits.length)];
      if (base === undefined) continue;
      const body = rand() < 0.1 ? base.body : harmlessMutate(rand, base.body);
      // As the shop runs it: the message's own header trusted (held-out senders may be a header
      // the built-in list lacks, which a shop adds per gateway).
      const r = parseSms({ sender: base.sender, body }, { extraSenders: { [base.provider]: [base.sender] } });
      if (r.kind === 'credit' && failures.length < 20)
        failures.push(`${base.origin} -> credit ${String(r.amount)}: ${JSON.stringify(body)}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
