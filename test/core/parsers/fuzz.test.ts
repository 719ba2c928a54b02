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
import { loadAllFixtures } from './fixture-loader';

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
