import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WALLET_PARSERS } from '../../../src-main/core/parsers/index';

/**
 * The spoof check asks every other wallet whether a message reads as its money in, through
 * `readMoneyIn` (a third of parse time saved: the debit, OTP and offer rules are skipped). It must
 * answer exactly what `parse` answers when that is a credit or a reversal, and null otherwise,
 * for every wallet on every message the project holds (fixtures, real formats, held-out sets).
 */
const ROOT = fileURLToPath(new URL('../../fixtures/sms/', import.meta.url));
const bodies = ['', 'real/', 'holdout/', 'holdout-fresh/'].flatMap((sub) => {
  const dir = `${ROOT}${sub}`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const raw: unknown = JSON.parse(readFileSync(`${dir}${f}`, 'utf8'));
      return Array.isArray(raw) ? (raw as { body?: unknown }[]).map((m) => (typeof m.body === 'string' ? m.body : '')) : [];
    });
});

describe('readMoneyIn is parse, for money in only', () => {
  it('holds enough messages to mean something', () => {
    expect(bodies.length).toBeGreaterThan(900);
  });

  for (const parser of WALLET_PARSERS) {
    it(`${parser.provider}: agrees with parse on every stored message`, () => {
      const disagreements: string[] = [];
      for (const body of bodies) {
        const full = parser.parse(body);
        const expected = full.kind === 'credit' || full.kind === 'reversal' ? full : null;
        const fast = parser.readMoneyIn(body);
        if (JSON.stringify(fast) !== JSON.stringify(expected)) disagreements.push(body.slice(0, 80));
      }
      expect(disagreements).toEqual([]);
    });
  }
});
