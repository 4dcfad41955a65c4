import type { Task, WorkerUtils } from 'graphile-worker';
import { z } from 'zod';
import { queueAttributionAfter } from '../../attribution/practice/attribution-job.ts';
import { withSystem } from '../../db/tenant-transaction.ts';
import { queuePracticeJob } from '../../jobs/queue-practice-job.ts';
import type { Platform } from '../../platform.ts';
import { matchPendingRecords, matchPracticeFully, type MatchRunSummary } from './match-practice.ts';

export const MATCHING_TASK = 'match_practice';

const Payload = z.object({ practiceId: z.uuid(), full: z.boolean().default(false) });

/** Queues matching for a practice (full: a refit), a couple of seconds on unless told otherwise. */
export async function queueMatching(jobs: Pick<WorkerUtils, 'addJob'>, practiceId: string, options: { full?: boolean; delaySeconds?: number } = {}): Promise<void> {
  const full = options.full ?? false;
  await queuePracticeJob(jobs, MATCHING_TASK, { practiceId, full }, { queue: 'matching', key: full ? 'matching-full' : 'matching', delaySeconds: options.delaySeconds ?? 2 });
}

/**
 * Called where records land (a sync, a batch of webhooks). It never fails the landing: what it could not queue, the
 * `matching_sweep` finds pending within minutes.
 */
export async function queueMatchingAfterLanding(platform: Platform, practiceId: string): Promise<void> {
  try {
    await queueMatching(platform.jobs, practiceId);
  } catch (error) {
    platform.logger.warn({ practiceId, error: (error as Error).name }, 'records landed but matching was not queued; the sweep will queue it');
  }
}

/** Matches a practice: incrementally with its stored model, or fully (first time, on request, or when much changed). */
export async function runMatching(platform: Platform, practiceId: string, full: boolean): Promise<MatchRunSummary[]> {
  const runs: MatchRunSummary[] = [];
  if (!full) {
    const incremental = await matchPendingRecords(platform, practiceId);
    if (incremental !== 'needs-full-run') return [incremental];
  }
  runs.push(await matchPracticeFully(platform, practiceId));
  // What landed while the full run was reading.
  const after = await matchPendingRecords(platform, practiceId);
  if (after !== 'needs-full-run' && after.charts + after.leads > 0) runs.push(after);
  return runs;
}

export function matchingTask(platform: Platform): Task {
  return async (payload) => {
    const { practiceId, full } = Payload.parse(payload);
    let changed = false;
    for (const run of await runMatching(platform, practiceId, full)) {
      if (run.mode === 'full' || run.charts + run.leads > 0) {
        changed = true;
        platform.logger.info({ practiceId, ...run }, 'matched leads to patients');
      }
    }
    // Links are what attribution credits: it follows every pass that may have moved one.
    if (changed) await queueAttributionAfter(platform, practiceId);
  };
}

/**
 * The safety net behind the landing hooks: practices with records whose links lag their content. Finding them spans
 * practices, so it runs as the system role; only practice ids leave that transaction. Reads the small partial indexes
 * leads_match_pending_idx and patients_match_pending_idx.
 */
export async function queuePendingMatching(platform: Platform): Promise<number> {
  const practices = await withSystem(platform.db.owner, async (client) => {
    const { rows } = await client.query<{ practice_id: string }>(
      'SELECT practice_id FROM leads WHERE match_pending UNION SELECT practice_id FROM patients WHERE match_pending',
    );
    return rows.map((r) => r.practice_id);
  });
  for (const practiceId of practices) await queueMatching(platform.jobs, practiceId);
  return practices.length;
}

/** Nightly: every practice with charts is matched fully again, refitting its model to what it has become. */
export async function queueNightlyRefits(platform: Platform): Promise<number> {
  const practices = await withSystem(platform.db.owner, async (client) => {
    const { rows } = await client.query<{ practice_id: string }>('SELECT DISTINCT practice_id FROM match_models');
    return rows.map((r) => r.practice_id);
  });
  for (const practiceId of practices) await queueMatching(platform.jobs, practiceId, { full: true, delaySeconds: 0 });
  return practices.length;
}
