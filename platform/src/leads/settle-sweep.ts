import { withSystem } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { queueLeadHistoryJob } from './lead-history-job.ts';
import { settleLandedLeads } from './settle-pending-leads.ts';

/**
 * The safety net behind the landing hooks, every few minutes: settles leads a process left pending (it died after
 * the records committed, or settling failed), and queues history runs whose job was never queued (the process died
 * between the commit and the enqueue). Finding them spans practices, so it runs as the system role; only practice ids
 * leave that transaction, and each practice is then settled in its own scope.
 */
export async function settleLeadsLeftPending(platform: Platform): Promise<{ practices: number; runsRequeued: number }> {
  const { pending, waiting } = await withSystem(platform.db.owner, async (client) => {
    // Matches the predicate of leads_unsettled_idx, so this reads that small index, not the leads.
    const leads = await client.query<{ practice_id: string }>(
      'SELECT DISTINCT practice_id FROM leads WHERE settle_pending',
    );
    const runs = await client.query<{ practice_id: string }>(
      `SELECT DISTINCT practice_id FROM lead_reprocessing_runs WHERE status = 'queued' AND requested_at < now() - interval '2 minutes'`,
    );
    return { pending: leads.rows.map((r) => r.practice_id), waiting: runs.rows.map((r) => r.practice_id) };
  });
  for (const practiceId of pending) await settleLandedLeads(platform, practiceId);
  for (const practiceId of waiting) await queueLeadHistoryJob(platform.jobs, practiceId);
  return { practices: pending.length, runsRequeued: waiting.length };
}
