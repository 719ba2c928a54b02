import { writeTransaction } from '../db';
import { NOT_FOUND_REASON } from './checkout-submit';
import type { PaymentsStore } from './payments-store';
import { touchSession } from './settle';
import type { SmsArrival } from './sms-arrival';

/** Attempts whose SMS never came fail after the wait; the session stays open for a retry. */
export function failNotFound(store: PaymentsStore): number {
  const now = store.now();
  const cutoff = now - store.deps.config.matching.notFoundAfterMinutes * 60_000;
  const stale = store.transactions.pendingWithoutSmsOlderThan(cutoff, 500);
  const changed = writeTransaction(store.db, () =>
    stale.filter((t) => {
      const failed = store.transactions.fail(t.id, null, NOT_FOUND_REASON, now);
      if (failed && t.session_id) {
        store.sessions.addFailedGuess(t.session_id, now);
        touchSession(store, t.session_id, now, 'transaction_failed');
      }
      return failed;
    }),
  );
  for (const t of changed) {
    const view = store.viewOf(t.session_id);
    if (view) store.deps.onSessionChange(view);
  }
  if (changed.length > 0) store.deps.onVerificationsChange();
  return changed.length;
}

/** At start: SMS that arrived while matching was down (a crash between commit and match). */
export function catchUp(store: PaymentsStore, arrival: SmsArrival): void {
  for (const id of [...store.transactions.smsAwaitedByAttempts(), ...store.transactions.unappliedReversals()]) {
    const row = store.deps.sms.byId(id);
    if (row) arrival.onSmsStored({ row });
  }
  // Held attempts whose SMS a device delivered, or whose chain was re-linked, before a crash.
  arrival.reconsider(store.transactions.heldSmsIds(500));
}
