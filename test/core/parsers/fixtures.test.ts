import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import { parseSms } from '../../../src-main/core/parsers/index';
import { loadFixtures } from './fixture-loader';

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
    const got = parseSms({ sender: fixture.sender, body: fixture.body });
    const want = fixture.expect;
    const expectedProvider = 'provider' in want ? want.provider : fixture.provider;
    expect({
      provider: got.provider,
      kind: got.kind,
      amount: got.amount,
      currency: got.currency,
      txnid: got.txnid,
      counterparty: got.counterparty,
      balance: got.balance,
      account_hint: got.account_hint,
    }).toEqual({
      provider: expectedProvider,
      kind: want.kind,
      amount: want.amount,
      currency: want.currency,
      txnid: want.txnid,
      counterparty: want.counterparty,
      balance: want.balance,
      account_hint: want.account_hint,
    });
  });
});
