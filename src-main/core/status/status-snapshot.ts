import type { StatusSnapshot } from '../../../src-shared/contract/admin';
import type { ListenerName } from '../../../src-shared/contract/api';
import { APP_VERSION } from '../../../src-shared/version';
import { databasePath, type Db } from '../db';
import { readCounts } from '../db/repos/stats-repo';

export function statusSnapshot(
  db: Db,
  info: { dataDir: string; startedAt: number; listeners: Record<ListenerName, string> },
): StatusSnapshot {
  return {
    version: APP_VERSION,
    started_at: new Date(info.startedAt).toISOString(),
    data_dir: info.dataDir,
    database_path: databasePath(info.dataDir),
    listeners: info.listeners,
    counts: readCounts(db),
  };
}
