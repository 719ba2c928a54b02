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
  });

  it('the table names no sender ID that is not built in (it describes the code)', () => {
    const built = new Set(WALLET_PARSERS.flatMap((p) => p.senderIds.map((id) => `${p.provider}:${id}`)));
    expect([...sourced.keys()].filter((k) => !built.has(k))).toEqual([]);
  });

  it("does not trust Safaricom's look-alike `M-PESA` (it sends as `MPESA`)", () => {
    expect(WALLET_PARSERS.find((p) => p.provider === 'mpesa')?.senderIds).not.toContain('M-PESA');
  });
});
