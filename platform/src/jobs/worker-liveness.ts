import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { WorkerEvents, WorkerUtils } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../logging/logger.ts';

/**
 * Records a heartbeat for every graphile-worker pool this process runs, three times per stale threshold (at most every
 * ten seconds) so a live pool never looks stale between beats. Returns the events emitter to pass to `run()` and a
 * stop function for shutdown (which removes the rows: a clean stop leaves nothing to recover).
 */
export function trackWorkerLiveness(
  owner: pg.Pool,
  logger: Logger,
  staleAfterSeconds: number,
): { events: WorkerEvents; alive(): string[]; forget(): string[]; stop(): Promise<void> } {
  const heartbeatMs = Math.min(10_000, (staleAfterSeconds * 1_000) / 3);
  const events = new EventEmitter() as WorkerEvents;
  const ids = new Set<string>();
  const beat = async (poolIds: string[]) => {
    if (poolIds.length === 0) return;
    await owner
      .query(
        `INSERT INTO sourceline_meta.worker_heartbeats (worker_id, hostname, pid) SELECT unnest($1::text[]), $2, $3
         ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now()`,
        [poolIds, os.hostname(), process.pid],
      )
      .catch((error: Error) => logger.warn({ err: error }, 'worker heartbeat failed'));
  };
  // graphile-worker (0.16 and later) locks jobs and queues under the pool's id, not its workers': that is the id whose
  // heartbeat says the locks are held, and the one to unlock when the pool dies.
  events.on('pool:create', ({ workerPool }) => {
    ids.add(workerPool.id);
    void beat([workerPool.id]);
  });
  events.on('pool:release', ({ workerPool }) => ids.delete(workerPool.id));
  const timer = setInterval(() => void beat([...ids]), heartbeatMs);
  timer.unref();
  return {
    events,
    /** The pools this process runs now: alive, whatever their last heartbeat says. */
    alive: () => [...ids],
    /** The pools tracked so far, no longer beating: a runner given up for dead, whose locks are to be released. */
    forget() {
      const forgotten = [...ids];
      ids.clear();
      return forgotten;
    },
    async stop() {
      clearInterval(timer);
      await owner.query('DELETE FROM sourceline_meta.worker_heartbeats WHERE pid = $1 AND hostname = $2', [process.pid, os.hostname()]).catch(() => {});
    },
  };
}

/**
 * Frees the jobs and queues held by workers whose heartbeat stopped, or that never wrote one and have held a lock
 * for longer than the stale threshold (killed before their first beat). Safe to run from every process. The calling
 * process's own pools (`alive`) are never judged: a long synchronous job can delay its heartbeat past the threshold,
 * and releasing the jobs it is still running would hand them out again, each time spending one of their attempts.
 */
export async function recoverStaleWorkers(
  owner: pg.Pool,
  utils: Pick<WorkerUtils, 'forceUnlockWorkers'>,
  staleAfterSeconds: number,
  alive: readonly string[] = [],
): Promise<string[]> {
  const { rows } = await owner.query<{ worker_id: string }>(
    `WITH stale AS (
       DELETE FROM sourceline_meta.worker_heartbeats
        WHERE heartbeat_at < now() - make_interval(secs => $1) AND worker_id <> ALL($2::text[]) RETURNING worker_id
     )
     SELECT worker_id FROM stale
     UNION
     SELECT DISTINCT j.locked_by FROM graphile_worker._private_jobs j
      WHERE j.locked_by IS NOT NULL AND j.locked_by <> ALL($2::text[]) AND j.locked_at < now() - make_interval(secs => $1)
        AND NOT EXISTS (SELECT 1 FROM sourceline_meta.worker_heartbeats h WHERE h.worker_id = j.locked_by)`,
    [staleAfterSeconds, [...alive]],
  );
  const ids = rows.map((r) => r.worker_id);
  if (ids.length) await utils.forceUnlockWorkers(ids);
  return ids;
}
