import type { SessionView } from '../../../src-shared/contract/payments';
import type { Db } from '../db';
import type { SessionRow } from '../db/repos/session-repo';
import type { NewTransaction } from '../db/repos/transaction-repo';
import type { SessionService } from '../sessions';
import { enqueueSessionChange } from '../outbox/enqueue';
import { AppError } from '../errors';

/** Constraint failures from SQLite that mean "someone else got there first". */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Inserts an attempt; a lost race on the TxnID claim or the SMS (another session took it
 * between our read and our write) comes back as txnid_already_used, never as a 500.
 */
export function insertAttempt(sessions: SessionService, row: NewTransaction): number {
  try {
    return sessions.transactions.insert(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('txnid_already_used', undefined, { cause: err });
    throw err;
  }
}

/** Marks a session paid inside the caller's transaction; the schema refuses it without a successful attempt. */
export function markSessionPaid(db: Db, sessions: SessionService, session: SessionRow, now: number): SessionView {
  if (!sessions.sessions.finish(session.id, 'success', now)) {
    throw new AppError('session_not_pending', `Session ${session.id} is no longer pending.`);
  }
  const view = sessions.view(sessions.sessions.byId(session.id) as SessionRow);
  enqueueSessionChange(db, session.merchant_id, view, now);
  return view;
}

export function changedView(sessions: SessionService, id: string | null): SessionView | null {
  if (!id) return null;
  const row = sessions.sessions.byId(id);
  return row ? sessions.view(row) : null;
}
