import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WALLET_PARSERS } from '../../../src-main/core/parsers/index';

/**
 * Issue 10: a built-in sender ID is trusted to confirm payments, so each must have a cited public
 * source: a row of the "Built-in sender IDs" table in test/fixtures/sms/README.md. A look-alike
 * with no source (`M-PESA`, where Safaricom sends as `MPESA`) must not be built in; shops add
 * their own per gateway.
 */
/**
 * Listed exceptions to "no weak sender ID". Maya: no public Maya SMS exists at all (README), so its
 * only sources are allow-lists; without them no Maya receipt could ever be read.
 */
const WEAK_EXCEPTIONS: Record<string, string> = {
  'maya:Maya': 'no public Maya SMS exists; allow-lists are the only source (README)',
  'maya:PayMaya': 'no public Maya SMS exists; allow-lists are the only source (README)',
};

const README = fileURLToPath(new URL('../../fixtures/sms/README.md', import.meta.url));
const SECTION = '## Built-in sender IDs';

function sourcedIds(): Map<string, string> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) return new Map();
  const end = text.indexOf('\n## ', start + SECTION.length);
  const rows = text.slice(start, end < 0 ? undefined : end).split('\n');
  const out = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split('|').map((c) => c.trim());
    // | wallet | `ID` | source |
    const id = /^`([^`]+)`$/.exec(cells[2] ?? '')?.[1];
    const wallet = cells[1];
    const source = cells[3] ?? '';
    if (wallet && id) out.set(`${wallet}:${id}`, source);
  }
  return out;
}

describe('built-in sender IDs', () => {
  const sourced = sourcedIds();

  it.each(WALLET_PARSERS.flatMap((p) => p.senderIds.map((id) => [p.provider, id])))('%s `%s` has a cited source', (provider, id) => {
    const source = sourced.get(`${provider}:${id}`);
    expect(source, `no row "| ${provider} | \`${id}\` | <source> |" in ${SECTION}`).toBeTruthy();
    expect(source).not.toMatch(/^(?:-|–|none|assumed|unknown|\?)$/i);
    // A citation: a repository path, an issue, a page or a search phrase, not a bare claim.
    expect(source, `${provider} \`${id}\`: no citation`).toMatch(
      /[\w-]+\/[\w.-]+|issue|search|https?:|\.(?:kt|dart|ts|js|py|php|java|md)\b/i,
    );
    if (!WEAK_EXCEPTIONS[`${provider}:${id}`]) {
      expect(source, `${provider} \`${id}\` is marked weak (seen only in allow-lists): remove it from the built-in list`).not.toMatch(
        /\bweak\b|allow-lists? only/i,
      );
    }
  });

  it('keeps no helpline number or weakly sourced ID built in', () => {
    const built = WALLET_PARSERS.flatMap((p) => p.senderIds.map((id) => `${p.provider}:${id}`));
    for (const id of ['bkash:16247', 'nagad:16167', 'rocket:Rocket', 'easypaisa:easypaisa', 'jazzcash:JazzCash']) {
      expect(built).not.toContain(id);
    }
  });

  it('the table names no sender ID that is not built in (it describes the code)', () => {
    const built = new Set(WALLET_PARSERS.flatMap((p) => p.senderIds.map((id) => `${p.provider}:${id}`)));
    expect([...sourced.keys()].filter((k) => !built.has(k))).toEqual([]);
  });

  it("does not trust Safaricom's look-alike `M-PESA` (it sends as `MPESA`)", () => {
    expect(WALLET_PARSERS.find((p) => p.provider === 'mpesa')?.senderIds).not.toContain('M-PESA');
  });
});
