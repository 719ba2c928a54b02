import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, type ProviderId } from '../../../src-shared/providers';
import { WALLET_PARSERS, parseSms } from '../../../src-main/core/parsers/index';
import { loadRealFixtures } from './fixture-loader';

/**
 * Issue 10: every wallet's credit text from a sender that is not that wallet's is `spoof`, with
 * the wallet it imitates named. Every sourced credit (test/fixtures/sms/real/) is sent from every
 * OTHER wallet's built-in sender and from ordinary phone numbers. A genuine-looking credit from
 * another wallet's header must not be swallowed as that header's promo, OTP or failure, and must
 * not be read as that header's own credit or named after a third wallet.
 *
 * Deliberate exceptions: none. (UPI credits sent from another Indian bank's header are still UPI,
 * not a spoof: the shop's bank is the wallet, and UPI's headers are all one wallet's here.)
 */
const PHONES = ['+8801712345678', '01712345678', '03001234567', '+639171234567', '+254712345678', '+919876543210'];

const credits = PROVIDER_IDS.flatMap((provider) =>
  loadRealFixtures(provider)
    .filter((f) => f.expect.kind === 'credit')
    .map((f) => ({ provider, fixture: f })),
);

function foreignSenders(provider: ProviderId): string[] {
  return [...WALLET_PARSERS.filter((p) => p.provider !== provider).flatMap((p) => p.senderIds), ...PHONES];
}

describe('credit text from a sender that is not its wallet is a spoof naming that wallet', () => {
  it('has sourced credits of most wallets to send', () => {
    expect(new Set(credits.map((c) => c.provider)).size).toBeGreaterThanOrEqual(8);
  });

  it.each(credits.map(({ provider, fixture }) => [`${provider}: ${fixture.name}`, provider, fixture]))('%s', (_name, provider, fixture) => {
    const wrong: string[] = [];
    for (const sender of foreignSenders(provider)) {
      const r = parseSms({ sender, body: fixture.body });
      if (r.kind !== 'spoof' || r.provider !== provider || r.amount !== fixture.expect.amount || r.txnid !== fixture.expect.txnid) {
        wrong.push(`${sender}: ${r.kind} ${String(r.provider)} ${String(r.amount)} ${String(r.txnid)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
