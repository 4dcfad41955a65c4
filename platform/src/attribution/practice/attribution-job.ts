import type { Task, WorkerUtils } from 'graphile-worker';
import { z } from 'zod';
import { withSystem } from '../../db/tenant-transaction.ts';
import { queuePracticeJob } from '../../jobs/queue-practice-job.ts';
import type { Platform } from '../../platform.ts';
import { runAttribution } from './attribute-practice.ts';
import { noteFullRunDue } from './attribution-changes.ts';

export const ATTRIBUTION_TASK = 'attribute_practice';

const Payload = z.object({ practiceId: z.uuid() });

/** Queues a practice's attribution run a few seconds on, so one minute's matching pass, sync and settings change are one run. */
export async function queueAttribution(jobs: Pick<WorkerUtils, 'addJob'>, practiceId: string, options: { delaySeconds?: number } = {}): Promise<void> {
  await queuePracticeJob(jobs, ATTRIBUTION_TASK, { practiceId }, { queue: 'attribution', delaySeconds: options.delaySeconds ?? 5 });
}

/** For hooks that must not fail what they follow (a sync, a matching pass): the nightly run catches what they miss. */
export async function queueAttributionAfter(platform: Platform, practiceId: string): Promise<void> {
  try {
    await queueAttribution(platform.jobs, practiceId);
  } catch (error) {
    platform.logger.warn({ practiceId, error: (error as Error).name }, 'attribution was not queued; the nightly run will catch up');
  }
}

export function attributionTask(platform: Platform): Task {
  return async (payload) => {
    const { practiceId } = Payload.parse(payload);
    const summary = await runAttribution(platform, practiceId);
    if (summary.mode !== 'unchanged') platform.logger.info({ practiceId, ...summary }, 'attributed new patients and revenue');
  };
}

/**
 * Nightly, after the matching refit: a full run for every practice with charts, so the Markov fit follows the day's
 * journeys and every patient's credit follows the fit; and for every practice with changes noted, so a practice
 * whose runs nothing queues (leads, no charts yet) has its leads counted and its notes drained.
 */
export async function queueNightlyAttribution(platform: Platform): Promise<number> {
  const practices = await withSystem(platform.db.owner, async (client) => {
    const ids = (await client.query<{ practice_id: string }>('SELECT practice_id FROM patients UNION SELECT practice_id FROM attribution_changes')).rows.map(
      (r) => r.practice_id,
    );
    for (const practiceId of ids) await noteFullRunDue(client, practiceId);
    return ids;
  });
  for (const practiceId of practices) await queueAttribution(platform.jobs, practiceId, { delaySeconds: 0 });
  return practices.length;
}
