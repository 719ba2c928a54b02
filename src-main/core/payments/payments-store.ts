import type { SessionView } from '../../../src-shared/contract/payments';
import type { Config } from '../config';
import type { Db } from '../db';
import { prepareAlertRepo, type AlertRepo } from '../db/repos/alert-repo';
import { balanceRepoOf, type BalanceRepo } from '../balance';
import { prepareSessionRepo, type SessionRepo, type SessionRow } from '../db/repos/session-repo';
import { prepareSessionViewRepo, type SessionViewRepo } from '../db/repos/session-view-repo';
import type { SmsRow } from '../db/repos/sms-repo';
import { prepareTransactionRepo, type TransactionRepo } from '../db/repos/transaction-repo';
import type { Logger } from '../logging';
import { toSessionView } from './session-view';

/** What payments reads of the stored SMS; the sms domain provides it (SmsIngestor). */
export interface SmsReader {
  byId(id: number): SmsRow | undefined;
  /** Every stored SMS carrying this TxnID (credits, spoofs, reversals, anything), oldest first. */
  byTxnid(merchantId: number, isTest: boolean, txnidNormalized: string): SmsRow[];
  deliveries(smsId: number): { source: string }[];
  /** Credits received since `since`, newest first (the counter's near matches). */
  creditsSince(merchantId: number, isTest: boolean, since: number, limit: number): SmsRow[];
}

export interface PaymentsDeps {
  db: Db;
  logger: Logger;
  merchantId: number;
  auditKey: string;
  config: Pick<Config, 'matching' | 'sessions' | 'webhooks'>;
  clock: () => number;
  sms: SmsReader;
  /** Told after commit of every session change (counter window, APK poll, merchant polls). */
  onSessionChange: (view: SessionView) => void;
  /** The set of attempts awaiting a person changed (APK poll, counter queue). */
  onVerificationsChange: () => void;
}

/**
 * The payments domain's private state: its repositories and its collaborators. Only the
 * modules of this folder see it; everything else goes through `Payments` (index.ts).
 */
export class PaymentsStore {
  readonly sessions: SessionRepo;
  /** A session with its success and latest attempt in one statement (the merchant's poll). */
  readonly sessionViews: SessionViewRepo;
  readonly transactions: TransactionRepo;
  readonly alerts: AlertRepo;
  readonly balances: BalanceRepo;

  constructor(readonly deps: PaymentsDeps) {
    this.sessions = prepareSessionRepo(deps.db);
    this.sessionViews = prepareSessionViewRepo(deps.db);
    this.transactions = prepareTransactionRepo(deps.db);
    this.alerts = prepareAlertRepo(deps.db);
    this.balances = balanceRepoOf(deps.db);
  }

  get db(): Db {
    return this.deps.db;
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  now(): number {
    return this.deps.clock();
  }

  view(row: SessionRow): SessionView {
    return toSessionView(row, this.transactions);
  }

  viewOf(id: string | null): SessionView | null {
    if (!id) return null;
    const row = this.sessions.byId(id);
    return row ? this.view(row) : null;
  }

  get skewMs(): number {
    return this.deps.config.matching.skewSeconds * 1000;
  }

  get maxSmsAgeMs(): number {
    return this.deps.config.matching.maxSmsAgeHours * 3_600_000;
  }
}
