import { callAdmin } from './admin-channel';
import { readLock } from './dir-lock';
import { openDatabase, type DatabaseTarget } from './open-database';
import { addShop, listShops, resetStream } from './shops';

/** One `cloud shop …` operation. */
export type ShopOp = { kind: 'add'; name: string } | { kind: 'list' } | { kind: 'reset'; id: string };

/**
 * Runs a shop operation wherever the data is: on a PostgreSQL server directly (any number of
 * processes may), on PGlite files directly when no cloud is running, or through the running
 * cloud's admin channel when one holds the files (src-cloud/admin-channel.ts).
 */
export async function runShopOp(target: DatabaseTarget, op: ShopOp): Promise<unknown> {
  if (!target.databaseUrl) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const holder = readLock(target.dataDir);
      if (holder?.holder === 'server' && holder.admin_url && holder.admin_token) {
        return callAdmin(holder.admin_url, holder.admin_token, op);
      }
      try {
        // Free, or held by another command (wait it out) or by a server still starting (it will publish its channel).
        return await direct(target, op, 2_000);
      } catch (err) {
        if (Date.now() >= deadline || !/is in use by/.test((err as Error).message)) throw err;
      }
    }
  }
  return direct(target, op, 0);
}

async function direct(target: DatabaseTarget, op: ShopOp, waitMs: number): Promise<unknown> {
  const opened = await openDatabase(target, 'cli', waitMs);
  try {
    if (op.kind === 'add') return await addShop(opened.db, op.name);
    if (op.kind === 'list') return await listShops(opened.db);
    if (!(await resetStream(opened.db, op.id))) throw new Error(`No shop ${op.id}.`);
    return { ok: true };
  } finally {
    await opened.close();
  }
}
