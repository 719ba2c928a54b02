import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import { loadFixtures, parsedAndExpected } from './fixture-loader';

const REQUIRED_NEGATIVES = ['debit', 'otp', 'promo', 'failed', 'spoof'] as const;

describe.each(PROVIDER_IDS.map((p) => [p]))('%s fixtures', (provider) => {
  const fixtures = loadFixtures(provider);

  it('has at least 12 messages covering credit and every negative kind', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    const kinds = new Set(fixtures.map((f) => f.expect.kind));
    expect(kinds.has('credit')).toBe(true);
    for (const kind of REQUIRED_NEGATIVES) expect(kinds, `missing ${kind}`).toContain(kind);
  });

  it.each(fixtures.map((f) => [f.name, f]))('%s', (_name, fixture) => {
    const { got, want } = parsedAndExpected(fixture);
    expect(got).toEqual(want);
  });
});
