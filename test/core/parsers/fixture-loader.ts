import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROVIDER_IDS, type CurrencyCode, type ProviderId } from '../../../src-shared/providers';
import type { SmsKind } from '../../../src-shared/sms';
import { parseSms } from '../../../src-main/core/parsers/index';

export interface SmsFixture {
  provider: ProviderId;
  name: string;
  sender: string;
  body: string;
  expect: {
    kind: SmsKind;
    amount: string | null;
    currency: CurrencyCode | null;
    txnid: string | null;
    counterparty: string | null;
    balance: string | null;
    account_hint: string | null;
    /** Present only when it differs from the file's wallet (e.g. null for plain chat). */
    provider?: ProviderId | null;
  };
}

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/sms/', import.meta.url));

export function loadFixtures(provider: ProviderId): SmsFixture[] {
  const raw: unknown = JSON.parse(readFileSync(`${FIXTURE_DIR}${provider}.json`, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`${provider}.json is not an array`);
  return raw.map((item) => ({ ...(item as Omit<SmsFixture, 'provider'>), provider }));
}

export function loadAllFixtures(): SmsFixture[] {
  return PROVIDER_IDS.flatMap((p) => loadFixtures(p));
}

const COMPARED = ['provider', 'kind', 'amount', 'currency', 'txnid', 'counterparty', 'balance', 'account_hint'] as const;

/** What the parser reads from a fixture and what the fixture expects, field for field (compare with toEqual). */
export function parsedAndExpected(fixture: SmsFixture): { got: Record<string, unknown>; want: Record<string, unknown> } {
  const parsed = parseSms({ sender: fixture.sender, body: fixture.body });
  const want = fixture.expect;
  const expected = { ...want, provider: 'provider' in want ? want.provider : fixture.provider };
  return {
    got: Object.fromEntries(COMPARED.map((k) => [k, parsed[k]])),
    want: Object.fromEntries(COMPARED.map((k) => [k, expected[k]])),
  };
}

/** A real receipt format (test/fixtures/sms/real/), with the public place it was seen. */
export interface RealFixture extends SmsFixture {
  source: string;
  family?: string;
}

const REAL_DIR = fileURLToPath(new URL('../../fixtures/sms/real/', import.meta.url));

export function loadRealFixtures(provider: ProviderId): RealFixture[] {
  const file = `${REAL_DIR}${provider}.json`;
  if (!existsSync(file)) return [];
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`real/${provider}.json is not an array`);
  return raw.map((item) => ({ ...(item as Omit<RealFixture, 'provider'>), provider }));
}
