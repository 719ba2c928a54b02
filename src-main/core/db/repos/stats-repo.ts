import type { Db } from '../open-database';

export interface Counts {
  sms: number;
  sessions: number;
  sessions_pending: number;
  transactions: number;
  gateways: number;
  devices: number;
}

export function readCounts(db: Db): Counts {
  return db
    .prepare(
      `SELECT
        (SELECT count(*) FROM sms) AS sms,
        (SELECT count(*) FROM sessions) AS sessions,
        (SELECT count(*) FROM sessions WHERE status = 'pending') AS sessions_pending,
        (SELECT count(*) FROM transactions) AS transactions,
        (SELECT count(*) FROM gateways) AS gateways,
        (SELECT count(*) FROM devices WHERE unbound_at IS NULL) AS devices`,
    )
    .get() as Counts;
}
