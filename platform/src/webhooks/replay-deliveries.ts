import type pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { withSystem } from '../db/tenant-transaction.ts';
import { PROCESS_WEBHOOK_TASK } from './process-webhook.ts';

export interface ReplayFilter {
  connectionId?: string | null;
  /** Which deliveries to run again: quarantined (unreadable), or also processed ones after a parser fix. */
  statuses: ('quarantined' | 'failed' | 'processed' | 'received')[];
  since?: Date | null;
}

/**
 * Queues stored deliveries to be parsed again — after a connector fix or a changed field mapping. Upserts by source id
 * make this safe to repeat. Runs as the system role: replay is an operator's command across practices.
 */
export async function replayDeliveries(owner: pg.Pool, jobs: Pick<WorkerUtils, 'addJob'>, filter: ReplayFilter): Promise<number> {
  const rows = await withSystem(owner, async (client) => {
    const { rows } = await client.query<{ id: string; practice_id: string }>(
      `UPDATE webhook_deliveries SET status = 'received', failure = NULL
        WHERE status = ANY($1::text[]) AND ($2::uuid IS NULL OR connection_id = $2) AND ($3::timestamptz IS NULL OR received_at >= $3)
        RETURNING id, practice_id`,
      [filter.statuses, filter.connectionId ?? null, filter.since ?? null],
    );
    return rows;
  });
  for (const row of rows) {
    await jobs.addJob(PROCESS_WEBHOOK_TASK, { deliveryId: row.id, practiceId: row.practice_id }, { maxAttempts: 10, jobKey: `webhook:${row.id}` });
  }
  return rows.length;
}

/** Deliveries stored but never queued (the process died between commit and enqueue) are queued again. */
export async function requeueStaleDeliveries(owner: pg.Pool, jobs: Pick<WorkerUtils, 'addJob'>): Promise<number> {
  const rows = await withSystem(owner, async (client) => {
    const { rows } = await client.query<{ id: string; practice_id: string }>(
      `SELECT id, practice_id FROM webhook_deliveries WHERE status = 'received' AND received_at < now() - interval '2 minutes' LIMIT 1000`,
    );
    return rows;
  });
  for (const row of rows) {
    await jobs.addJob(PROCESS_WEBHOOK_TASK, { deliveryId: row.id, practiceId: row.practice_id }, { maxAttempts: 10, jobKey: `webhook:${row.id}` });
  }
  return rows.length;
}
