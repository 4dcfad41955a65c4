import type { WorkerUtils } from 'graphile-worker';

/**
 * Queues a practice's run of a task: one queue per practice and task, so its runs never overlap, and one waiting job
 * per key, whose start later requests keep (not push back), so a burst of requests is one run a few seconds on.
 */
export async function queuePracticeJob(
  jobs: Pick<WorkerUtils, 'addJob'>,
  task: string,
  payload: { practiceId: string } & Record<string, unknown>,
  options: { queue: string; key?: string; delaySeconds: number },
): Promise<void> {
  await jobs.addJob(task, payload, {
    queueName: `${options.queue}:${payload.practiceId}`,
    jobKey: `${options.key ?? options.queue}:${payload.practiceId}`,
    jobKeyMode: 'preserve_run_at',
    runAt: new Date(Date.now() + options.delaySeconds * 1_000),
    maxAttempts: 5,
  });
}
