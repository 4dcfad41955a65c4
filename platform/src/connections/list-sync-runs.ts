import type { Tx } from '../db/tenant-transaction.ts';
import type { SyncRun } from '../generated/prisma/client.ts';

/** A connection's sync runs, newest first, a page at a time: the run history of the connection page and its export. */
export function listSyncRuns(tx: Tx, connectionId: string, page: { limit: number; offset: number }): Promise<SyncRun[]> {
  return tx.syncRun.findMany({ where: { connectionId }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take: page.limit, skip: page.offset });
}
