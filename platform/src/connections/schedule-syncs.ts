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
/** The job key of one stream's sync: a second request while one waits replaces it instead of queueing twice. */
function syncJobKey(connectionId: string, stream: string): string {
  return `sync:${connectionId}:${stream}`;
}

export async function queueSync(utils: Pick<WorkerUtils, 'addJob'>, connectorId: string, request: SyncRequest): Promise<void> {
  await utils.addJob(syncTaskName(connectorId, request.stream), request, {
    queueName: `connection:${request.connectionId}`,
    jobKey: syncJobKey(request.connectionId, request.stream),
    jobKeyMode: 'preserve_run_at',
    maxAttempts: 8,
  });
}

interface DueConnection {
  id: string;
  practice_id: string;
  connector_id: string;
  sync_interval_minutes: number;
}

/**
 * Keys of sync jobs waiting out a retry back-off. Queueing one again under its key would reset graphile-worker's
 * attempts and make it due at once: a failing office would be retried every minute, forever. "Sync now" may.
 */
async function syncJobsRetrying(platform: Platform): Promise<Set<string>> {
  const { rows } = await platform.db.owner.query<{ key: string }>(
    `SELECT key FROM graphile_worker.jobs WHERE key LIKE 'sync:%' AND attempts > 0 AND attempts < max_attempts`,
  );
  return new Set(rows.map((r) => r.key));
}

/** The longest interval any stream declares: how far back a stream's last run can matter. */
function longestStreamIntervalMinutes(): number {
  return Math.max(0, ...allConnectors().flatMap((c) => c.streams.map((s) => s.defaultIntervalMinutes ?? 0)));
}

/** When each stream of these connections last succeeded, within the longest stream interval: `${connection}:${stream}`. */
async function lastSucceededRuns(platform: Platform, connectionIds: string[]): Promise<Map<string, Date>> {
  const horizon = longestStreamIntervalMinutes();
  if (connectionIds.length === 0 || horizon === 0) return new Map();
  const rows = await withSystem(platform.db.owner, async (client) => (await client.query<{ key: string; started_at: Date }>(
    `SELECT connection_id || ':' || stream AS key, max(started_at) AS started_at FROM sync_runs
      WHERE connection_id = ANY($1::uuid[]) AND status = 'succeeded' AND started_at > now() - make_interval(mins => $2)
      GROUP BY connection_id, stream`,
    [connectionIds, horizon],
  )).rows);
  return new Map(rows.map((r) => [r.key, r.started_at]));
}

/**
 * Queues every stream of every connection whose interval has passed (or, for the nightly reconcile, of every
 * connection); a stream with a longer `defaultIntervalMinutes` than its connection's interval waits for its own. Connections waiting for someone to fix their credentials, or paused, are left alone. Runs as the system
 * role: choosing what is due spans every practice, and only ids leave this function.
 */
export async function scheduleDueSyncs(platform: Platform, utils: Pick<WorkerUtils, 'addJob'>, trigger: SyncTrigger): Promise<number> {
  const due = await withSystem(platform.db.owner, async (client) => {
    const { rows } = await client.query<DueConnection>(
      `SELECT id, practice_id, connector_id, sync_interval_minutes FROM connections
        WHERE paused_at IS NULL AND status <> 'auth_failed'
          AND ($1 OR last_synced_at IS NULL OR last_synced_at < now() - make_interval(mins => sync_interval_minutes))`,
      [trigger === 'reconcile'],
    );
    return rows;
  });
  // A stream that declares a longer interval than its connection's (a daily reconcile, a list that rarely changes)
  // runs that often on the schedule; sync now and the nightly reconcile run every stream.
  const lastRuns = trigger === 'schedule' ? await lastSucceededRuns(platform, due.map((c) => c.id)) : new Map<string, Date>();
  const retrying = await syncJobsRetrying(platform);
  const now = Date.now();
  let queued = 0;
  for (const connection of due) {
    const connector = findConnector(connection.connector_id);
    if (!connector || connector.status !== 'available') continue;
    for (const stream of connector.streams) {
      const everyMinutes = Math.max(connection.sync_interval_minutes, stream.defaultIntervalMinutes ?? 0);
      const last = lastRuns.get(`${connection.id}:${stream.name}`);
      if (last && now - last.getTime() < everyMinutes * 60_000) continue;
      if (retrying.has(syncJobKey(connection.id, stream.name))) continue;
      await queueSync(utils, connector.id, { connectionId: connection.id, practiceId: connection.practice_id, stream: stream.name, trigger });
      queued += 1;
    }
  }
  return queued;
}
