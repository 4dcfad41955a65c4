import type pg from 'pg';
import { withSystem } from '../db/tenant-transaction.ts';
import { NOT_UTF8_FAILURE } from './deliveries.ts';

export interface ReplayFilter {
  connectionId?: string | null;
  /** Which deliveries to run again: quarantined (unreadable), or also processed ones after a parser fix. */
  statuses: ('quarantined' | 'failed' | 'processed' | 'received')[];
  since?: Date | null;
}

/**
 * Queues stored deliveries to be parsed again — after a connector fix or a changed field mapping: marking them
 * `received` queues their connection's processing job (a trigger). Upserts by source id make this safe to repeat.
 * Runs as the system role: replay is an operator's command across practices.
 */
export async function replayDeliveries(owner: pg.Pool, filter: ReplayFilter): Promise<number> {
  return withSystem(owner, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE webhook_deliveries SET status = 'received', failure = NULL
        WHERE status = ANY($1::text[]) AND ($2::uuid IS NULL OR connection_id = $2) AND ($3::timestamptz IS NULL OR received_at >= $3)
          AND failure IS DISTINCT FROM $4`,
      [filter.statuses, filter.connectionId ?? null, filter.since ?? null, NOT_UTF8_FAILURE],
    );
    return rowCount ?? 0;
  });
}
