export { enqueueSessionChange, enqueueTransactionReversed, type ReversalReport, type SessionChangeCause } from './enqueue';
export { dispatchPending, countUndispatched, type OutboxEvent } from './dispatch';
export {
  numberSyncEvents,
  pendingSyncEvents,
  acknowledgeSyncEvents,
  forgetSyncNumbers,
  hasUnnumberedSyncEvents,
  syncBacklog,
  type QueuedSyncEvent,
} from './sync-queue';
