import { describe, expect, it } from 'vitest';
import { attemptsOf, bkashTxnid, body, usePayCore, type PayCore } from './helpers';

describe('concurrent submits of one TxnID', () => {
  let pc: PayCore;
  usePayCore((started) => (pc = started));

  it('50 sessions at once, SMS already ingested: exactly one success, 49 × 409, one success row', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => pc.newSession()));
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const results = await Promise.all(ids.map((id) => pc.submit(id, { txnid })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.status === 409)) expect(body(r).code).toBe('txnid_already_used');
    const winner = ids[statuses.indexOf(200)] as string;
    expect(pc.sql("SELECT session_id FROM transactions WHERE txnid_normalized = ? AND status = 'success'", txnid)).toEqual([
      { session_id: winner },
    ]);
    const views = await Promise.all(ids.map((id) => pc.view(id)));
    expect(views.filter((v) => v.status === 'success').map((v) => v.id)).toEqual([winner]);
    expect(views.filter((v) => v.status === 'pending')).toHaveLength(49);
    expect(
      pc.sql("SELECT count(*) AS n FROM sessions WHERE id IN (SELECT value FROM json_each(?)) AND status = 'success'", JSON.stringify(ids)),
    ).toEqual([{ n: 1 }]);
  });

  it('50 at once to ONE session: one attempt row, the session succeeds once, nobody gets an error', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid });
    const results = await Promise.all(Array.from({ length: 50 }, () => pc.submit(id, { txnid })));
    for (const r of results) {
      expect(r.status, r.text).toBe(200);
      expect(body(r).status).toBe('success');
    }
    const attempts = attemptsOf(pc, id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 'success', result_source: 'sms_inbound' });
    expect(pc.sql('SELECT count(*) AS n FROM transactions WHERE txnid_normalized = ?', txnid)).toEqual([{ n: 1 }]);
    expect((await pc.view(id)).status).toBe('success');
  });

  it('50 at once to ONE session before the SMS: one waiting attempt; the SMS then pays it once', async () => {
    const id = await pc.newSession();
    const txnid = bkashTxnid();
    const results = await Promise.all(Array.from({ length: 50 }, () => pc.submit(id, { txnid })));
    for (const r of results) expect(r.status, r.text).toBe(202);
    expect(attemptsOf(pc, id)).toHaveLength(1);
    await pc.bkashCredit({ txnid });
    const attempts = attemptsOf(pc, id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 'success', result_source: 'sms_late_match' });
    expect((await pc.view(id)).status).toBe('success');
  });

  it('submits racing the SMS across 20 sessions: at most one success ever, and the SMS pays exactly one', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => pc.newSession()));
    const txnid = bkashTxnid();
    const submits = Promise.all(ids.map((id) => pc.submit(id, { txnid })));
    const sms = pc.bkashCredit({ txnid });
    const [results] = await Promise.all([submits, sms]);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    const success = pc.sql<{ session_id: string }>(
      "SELECT session_id FROM transactions WHERE txnid_normalized = ? AND status = 'success'",
      txnid,
    );
    expect(success).toHaveLength(1);
    const views = await Promise.all(ids.map((id) => pc.view(id)));
    expect(views.filter((v) => v.status === 'success').map((v) => v.id)).toEqual([success[0]?.session_id]);
  });
});
