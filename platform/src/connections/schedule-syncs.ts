import type { WorkerUtils } from 'graphile-worker';
import { withSystem } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { allConnectors, findConnector } from './registry.ts';
import type { SyncRequest, SyncTrigger } from './run-sync.ts';

/**
 * One graphile-worker task kind per connector stream (`sync_stream:open-dental:patients`), so queue metrics, retries
 * and failures read per stream, and a stream can be paused or scaled on its own.
 */
export function syncTaskName(connectorId: string, stream: string): string {
  return `sync_stream:${connectorId}:${stream}`;
}

/** Every stream task the installed connectors need. */
export function allSyncTaskNames(): string[] {
  return allConnectors().flatMap((connector) => connector.streams.map((stream) => syncTaskName(connector.id, stream.name)));
}

/**
 * Queues one stream's run. The job key makes a second request for the same stream while one waits a no-op, and the
 * per-connection queue runs a connection's streams one at a time.
 */
export async function queueSync(utils: Pick<WorkerUtils, 'addJob'>, connectorId: string, request: SyncRequest): Promise<void> {
  await utils.addJob(syncTaskName(connectorId, request.stream), request, {
    queueName: `connection:${request.connectionId}`,
    jobKey: `sync:${request.connectionId}:${request.stream}`,
    jobKeyMode: 'preserve_run_at',
    maxAttempts: 8,
  });
}

interface DueConnection {
  id: string;
  practice_id: string;
  connector_id: string;
}

/**
 * Queues every stream of every connection whose interval has passed (or, for the nightly reconcile, of every
 * connection). Connections waiting for someone to fix their credentials, or paused, are left alone. Runs as the system
 * role: choosing what is due spans every practice, and only ids leave this function.
 */
export async function scheduleDueSyncs(platform: Platform, utils: Pick<WorkerUtils, 'addJob'>, trigger: SyncTrigger): Promise<number> {
  const due = await withSystem(platform.db.owner, async (client) => {
    const { rows } = await client.query<DueConnection>(
      `SELECT id, practice_id, connector_id FROM connections
        WHERE paused_at IS NULL AND status <> 'auth_failed'
          AND ($1 OR last_synced_at IS NULL OR last_synced_at < now() - make_interval(mins => sync_interval_minutes))`,
      [trigger === 'reconcile'],
    );
    return rows;
  });
  let queued = 0;
  for (const connection of due) {
    const connector = findConnector(connection.connector_id);
    if (!connector || connector.status !== 'available') continue;
    for (const stream of connector.streams) {
      await queueSync(utils, connector.id, { connectionId: connection.id, practiceId: connection.practice_id, stream: stream.name, trigger });
      queued += 1;
    }
  }
  return queued;
}
