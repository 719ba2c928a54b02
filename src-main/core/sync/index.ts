/**
 * Cloud sync, the counter's side (issue 13; docs/sync.md): the worker that sends the `sync`
 * outbox events to the merchant's cloud, and the settings that say where.
 */
export { SyncWorker, type SyncWorkerDeps } from './sync-worker';
export {
  isSyncSetUp,
  readSyncSettings,
  writeSyncSettings,
  removeSyncSettings,
  tokenHint,
  SYNC_FILE_NAME,
  type SyncSettings,
} from './sync-settings';
