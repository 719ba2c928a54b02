import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROVIDER_IDS, type CurrencyCode, type ProviderId } from '../../../src-shared/providers';
import type { SmsKind } from '../../../src-shared/sms';

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
