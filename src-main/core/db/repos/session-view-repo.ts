import type { Db } from '../open-database';
import type { SessionRow } from './session-repo';
import type { TransactionRow } from './transaction-repo';

/** The session columns its merchant view shows, plus what the caller check needs. */
export type SessionViewFields = Pick<
  SessionRow,
  'id' | 'brand_id' | 'order_id' | 'amount_minor' | 'currency' | 'status' | 'is_test' | 'expires_at' | 'created_at'
>;
/** The successful transaction as the view shows it. */
export type SuccessFields = Pick<TransactionRow, 'txnid_submitted' | 'verified_at' | 'result_source' | 'reversed_at'>;
/** The latest attempt as the view shows it. */
export type LatestFields = Pick<
  TransactionRow,
  | 'txnid_submitted'
  | 'provider'
  | 'variant'
  | 'account_number'
  | 'sender_account'
  | 'amount_minor'
  | 'status'
  | 'result_source'
  | 'failure_reason'
  | 'verified_at'
  | 'reversed_at'
>;

export interface SessionViewRow {
  session: SessionViewFields;
  success: SuccessFields | undefined;
  latest: LatestFields | undefined;
}

/**
 * A session, its successful transaction and its latest attempt, in one statement: what the
 * merchant's GET /api/payment/sessions/:id polls for. The same rows as sessions.byId,
 * transactions.successForSession and transactions.latestForSession (highest id), read in one
 * snapshot.
 */
export function prepareSessionViewRepo(db: Db) {
  const byId = db
    .prepare(
      `SELECT s.id, s.brand_id, s.order_id, s.amount_minor, s.currency, s.status, s.is_test, s.expires_at, s.created_at,
         w.id, w.txnid_submitted, w.verified_at, w.result_source, w.reversed_at,
         l.id, l.txnid_submitted, l.provider, l.variant, l.account_number, l.sender_account, l.amount_minor, l.status,
         l.result_source, l.failure_reason, l.verified_at, l.reversed_at
       FROM sessions s
       LEFT JOIN transactions w ON w.session_id = s.id AND w.status = 'success'
       LEFT JOIN transactions l ON l.id = (SELECT max(t.id) FROM transactions t WHERE t.session_id = s.id)
       WHERE s.id = ?
       LIMIT 1`,
    )
    .raw();
  return {
    byId(id: string): SessionViewRow | undefined {
      const r = byId.get(id) as unknown[] | undefined;
      if (!r) return undefined;
      return {
        session: {
          id: r[0] as string,
          brand_id: r[1] as number,
          order_id: r[2] as string,
          amount_minor: r[3] as number,
          currency: r[4] as string,
          status: r[5] as SessionRow['status'],
          is_test: r[6] as number,
          expires_at: r[7] as number,
          created_at: r[8] as number,
        },
        success:
          r[9] === null
            ? undefined
            : {
                txnid_submitted: r[10] as string,
                verified_at: r[11] as number | null,
                result_source: r[12] as TransactionRow['result_source'],
                reversed_at: r[13] as number | null,
              },
        latest:
          r[14] === null
            ? undefined
            : {
                txnid_submitted: r[15] as string,
                provider: r[16] as string,
                variant: r[17] as string | null,
                account_number: r[18] as string | null,
                sender_account: r[19] as string | null,
                amount_minor: r[20] as number | null,
                status: r[21] as TransactionRow['status'],
                result_source: r[22] as TransactionRow['result_source'],
                failure_reason: r[23] as string | null,
                verified_at: r[24] as number | null,
                reversed_at: r[25] as number | null,
              },
      };
    },
  };
}

export type SessionViewRepo = ReturnType<typeof prepareSessionViewRepo>;
