import { withSystem } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { PROCESS_WEBHOOKS_TASK } from './process-deliveries.ts';

/** A delivery is queued with its insert; one still waiting this long has lost its job. */
const STALLED_AFTER = '30 seconds';

/**
 * Queues the processing job again for every connection with deliveries acknowledged but still waiting. The insert
 * trigger queues it in the same transaction, but graphile-worker abandons a keyed job that was running when a newer
 * delivery arrived (it makes a fresh one and gives the old one no further attempts); if the worker then dies, or the
 * database restarts, mid-run, the deliveries behind it would wait forever. Same job key, so a job already waiting
 * (or backing off after a failure) absorbs this one. Returns how many connections were queued.
 */
export async function requeueStalledDeliveries(platform: Platform): Promise<number> {
  const stalled = await withSystem(platform.db.owner, async (client) =>
    (await client.query<{ connectionId: string; practiceId: string }>(
      `SELECT DISTINCT connection_id AS "connectionId", practice_id AS "practiceId" FROM webhook_deliveries
        WHERE status = 'received' AND received_at < now() - interval '${STALLED_AFTER}'`,
    )).rows,
  );
  for (const target of stalled) {
    await platform.jobs.addJob(PROCESS_WEBHOOKS_TASK, target, { jobKey: `webhooks:${target.connectionId}`, jobKeyMode: 'preserve_run_at', maxAttempts: 25 });
  }
  return stalled.length;
}
