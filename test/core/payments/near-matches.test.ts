import { afterAll, describe, expect, it } from 'vitest';
import { txnidNeighbours } from '../../../src-main/core/payments/near-matches';
import { startPayCore, type PayCore } from './helpers';

/**
 * Issue 14, item 2: on a miss, the counter offers near matches for staff to choose — unclaimed
 * credits whose TxnID is one slip away (a character off, O/0, I/1, S/5…) or of the same amount
 * in the last minutes — and never matches any of them by itself.
 */

const cores: PayCore[] = [];
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop()));
});

interface Lookup {
  verdict: string;
  can_accept: boolean;
  near_matches?: { sms_id: number; txnid: string; amount: string | null; why: string }[];
}

async function lookup(pc: PayCore, txnid: string, amount?: string): Promise<Lookup> {
  const res = await pc.rpc('txnid.lookup', amount === undefined ? { txnid } : { txnid, amount });
  expect(res.status, res.text).toBe(200);
  return (res.json as { result: Lookup }).result;
}

describe('near matches on a miss', () => {
  it('neighbours: every one-character slip and the look-alikes read the other way', () => {
    const n = txnidNeighbours('BK7O9Q2M4P');
    expect(n.has('BK709Q2M4P')).toBe(true); // O read as 0
    expect(n.has('BK7O9QZM4P')).toBe(true); // 2 read as Z
    expect(n.has('BK7O9Q2M4')).toBe(true); // a character dropped
    expect(n.has('BK7O9Q2M4PP')).toBe(true); // one added
    expect(n.has('BK7O9Q2MP4')).toBe(true); // two swapped
    expect(n.has('BK7O9Q2M4P')).toBe(false);
    expect(txnidNeighbours('S0I1').has('5O1I')).toBe(true); // several look-alikes at once
    expect(txnidNeighbours('A'.repeat(30)).size).toBe(0);
  });

  it('a TxnID typed one character off, or with O/0 confused, lists the unclaimed credit; nothing is matched by itself', async () => {
    const pc = await startPayCore();
    cores.push(pc);
    await pc.bkashCredit({ txnid: 'BK7O9Q2M4P', amount: '450.00' });
    for (const typed of ['BK7O9Q2M4Q', 'BK709Q2M4P', 'BK7O9Q2M4', 'bk7o9q-2m4p0']) {
      const r = await lookup(pc, typed);
      expect(r.verdict, typed).toBe('not_found');
      expect(r.can_accept).toBe(false);
      expect(
        r.near_matches?.map((m) => [m.txnid, m.why]),
        typed,
      ).toEqual([['BK7O9Q2M4P', 'similar_txnid']]);
    }
    expect(pc.sql('SELECT * FROM transactions')).toHaveLength(0);
    // Far from anything stored: no near match.
    expect((await lookup(pc, 'ZZZZZZZZZZ')).near_matches).toEqual([]);
  });

  it('with the amount typed: credits of that amount from the last 15 minutes, never a claimed one', async () => {
    const pc = await startPayCore();
    cores.push(pc);
    await pc.bkashCredit({ txnid: 'BKAAAAAAA1', amount: '120.00' });
    await pc.bkashCredit({ txnid: 'BKBBBBBBB2', amount: '99.00' });
    await pc.bkashCredit({ txnid: 'BKCCCCCCC3', amount: '120.00' });
    // One of the two 120.00 credits is claimed at the counter.
    expect((await pc.rpc('txnid.accept', { txnid: 'BKCCCCCCC3', amount: '120.00' })).status).toBe(200);
    const r = await lookup(pc, 'BKQQQQQQQ9', '120.00');
    expect(r.verdict).toBe('not_found');
    expect(r.near_matches?.map((m) => [m.txnid, m.why, m.amount])).toEqual([['BKAAAAAAA1', 'same_amount', '120.00']]);
    // Twenty minutes later it is no longer "just now".
    pc.advance(20 * 60_000);
    expect((await lookup(pc, 'BKQQQQQQQ9', '120.00')).near_matches).toEqual([]);
  });
});
