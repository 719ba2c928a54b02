import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, type ProviderId } from '../../../src-shared/providers';
import { parsedAndExpected, type SmsFixture } from './fixture-loader';

/**
 * Issue 10: real receipt formats, each with the public place it was seen (test/fixtures/sms/real/).
 * Names, numbers and TxnIDs are replaced where the sample carried a person's data; the wording,
 * spacing, punctuation and line breaks are the wallet's own. Each file needs at least
 * MIN_PER_WALLET formats, UPI at least MIN_PER_WALLET per bank family it names, except where no
 * public sample exists (NO_PUBLIC_SAMPLES, said in test/fixtures/sms/README.md too).
 */
const MIN_PER_WALLET = 20;
const NO_PUBLIC_SAMPLES: Partial<Record<ProviderId, string>> = {
  maya: 'No public Maya receipt SMS was found; its parser stays narrow (README).',
  upay: 'Five real Upay formats exist in public sources; all of them are here (README).',
};
/** UPI's bank families, each with its own formats. */
const UPI_FAMILIES = ['HDFC', 'SBI', 'ICICI', 'AXIS', 'KOTAK', 'OTHER'] as const;

interface RealFixture extends SmsFixture {
  source: string;
  family?: string;
}

const DIR = fileURLToPath(new URL('../../fixtures/sms/real/', import.meta.url));
const files = new Set(readdirSync(DIR).filter((f) => f.endsWith('.json')));

function load(provider: ProviderId): RealFixture[] {
  if (!files.has(`${provider}.json`)) return [];
  const raw: unknown = JSON.parse(readFileSync(`${DIR}${provider}.json`, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`real/${provider}.json is not an array`);
  return raw.map((item) => ({ ...(item as Omit<RealFixture, 'provider'>), provider }));
}

describe.each(PROVIDER_IDS.map((p) => [p]))('%s: real formats', (provider) => {
  const fixtures = load(provider);

  it(`holds at least ${MIN_PER_WALLET} real formats${provider === 'upi' ? ' per bank family' : ''}, each with its source`, () => {
    // Only the count is exempt where no more public samples exist: sources and uniqueness hold for every wallet.
    if (!NO_PUBLIC_SAMPLES[provider] || fixtures.length >= MIN_PER_WALLET) {
      expect(fixtures.length).toBeGreaterThanOrEqual(MIN_PER_WALLET);
    }
    for (const f of fixtures) expect(f.source?.trim(), f.name).toBeTruthy();
    expect(new Set(fixtures.map((f) => f.name)).size, 'names are unique').toBe(fixtures.length);
    expect(new Set(fixtures.map((f) => `${f.sender}\n${f.body}`)).size, 'no message twice').toBe(fixtures.length);
    if (provider === 'upi') {
      for (const family of UPI_FAMILIES) {
        expect(fixtures.filter((f) => f.family === family).length, family).toBeGreaterThanOrEqual(MIN_PER_WALLET);
      }
    }
  });

  it.skipIf(fixtures.length === 0).each(fixtures.map((f) => [f.name, f]))('%s', (_name, fixture) => {
    const { got, want } = parsedAndExpected(fixture);
    expect(got).toEqual(want);
  });
});
