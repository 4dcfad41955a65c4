import type { Tx } from '../db/tenant-transaction.ts';
import type { SyncRun } from '../generated/prisma/client.ts';

/**
 * A connection's sync runs, newest first, a page at a time: the run history of the connection page (by offset) and its
 * export, which pages after the last run it wrote (`before`), so runs starting meanwhile neither repeat nor push any out.
 */
export function listSyncRuns(
  tx: Tx,
  connectionId: string,
  page: { limit: number; offset?: number; before?: Pick<SyncRun, 'startedAt' | 'id'> | null },
): Promise<SyncRun[]> {
  const { before } = page;
  return tx.syncRun.findMany({
    where: { connectionId, ...(before && { OR: [{ startedAt: { lt: before.startedAt } }, { startedAt: before.startedAt, id: { lt: before.id } }] }) },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: page.limit,
    skip: page.offset ?? 0,
  });
}
