import { setTimeout as sleep } from 'node:timers/promises';
import { Logger as WorkerLogger, run, type Runner, type TaskList } from 'graphile-worker';
import { allSyncTaskNames, scheduleDueSyncs } from '../connections/schedule-syncs.ts';
import { leadHistoryTask, LEAD_HISTORY_TASK } from '../leads/lead-history-job.ts';
import { settleLeadsLeftPending } from '../leads/settle-sweep.ts';
import { ATTRIBUTION_TASK, attributionTask, queueNightlyAttribution } from '../attribution/practice/attribution-job.ts';
import { adConversionUploadTask } from '../conversions/ad-conversion-upload-job.ts';
import { AD_CONVERSION_UPLOAD_TASK } from '../conversions/request-ad-conversion-upload.ts';
import { DEMO_MARKETING_TASK, demoMarketingTask } from '../demo/demo-marketing.ts';
import { deliverOutbox } from '../mail/deliver-outbox.ts';
import { MONTHLY_REPORTS_TASK, monthlyReportsTask } from '../reports/monthly-report-mail.ts';
import { MATCHING_TASK, matchingTask, queueNightlyRefits, queuePendingMatching } from '../matching/practice/matching-job.ts';
import type { Platform } from '../platform.ts';
import { completePlaceholdersTask, COMPLETE_PLACEHOLDERS_TASK } from '../webhooks/complete-placeholders.ts';
import { processPendingDeliveriesTask, PROCESS_WEBHOOKS_TASK } from '../webhooks/process-deliveries.ts';
import { requeueStalledDeliveries } from '../webhooks/requeue-stalled-deliveries.ts';
import { syncTask } from './sync-task.ts';
import { recoverStaleWorkers, trackWorkerLiveness } from './worker-liveness.ts';

/**
 * Every background job runs on graphile-worker. The queue lives in the owner's database connection; each task that
 * touches tenant data opens its own scoped transaction as the app role.
 */
export function taskList(platform: Platform, worker: { alivePools(): string[] } = { alivePools: () => [] }): TaskList {
  return {
    deliver_outbox: async () => {
      const result = await deliverOutbox(platform);
      if (result.sent + result.failed > 0) platform.logger.debug(result, 'outbox delivery pass');
    },
    ...Object.fromEntries(allSyncTaskNames().map((name) => [name, syncTask(platform)])),
    schedule_syncs: async (_payload, helpers) => {
      await scheduleDueSyncs(platform, helpers, 'schedule');
    },
    schedule_reconcile: async (_payload, helpers) => {
      await scheduleDueSyncs(platform, helpers, 'reconcile');
    },
    recover_stale_workers: () => releaseJobsOfDeadWorkers(platform, worker.alivePools()),
    [PROCESS_WEBHOOKS_TASK]: processPendingDeliveriesTask(platform),
    [COMPLETE_PLACEHOLDERS_TASK]: completePlaceholdersTask(platform),
    webhooks_sweep: async () => {
      const connections = await requeueStalledDeliveries(platform);
      if (connections) platform.logger.warn({ connections }, 'queued again the processing of webhook deliveries left waiting');
    },
    [LEAD_HISTORY_TASK]: leadHistoryTask(platform),
    [MATCHING_TASK]: matchingTask(platform),
    matching_sweep: async () => {
      const practices = await queuePendingMatching(platform);
      if (practices) platform.logger.debug({ practices }, 'queued matching for practices with records pending');
    },
    matching_refit: async () => {
      const practices = await queueNightlyRefits(platform);
      platform.logger.info({ practices }, 'queued the nightly full match of every practice');
    },
    [ATTRIBUTION_TASK]: attributionTask(platform),
    [AD_CONVERSION_UPLOAD_TASK]: adConversionUploadTask(platform),
    [DEMO_MARKETING_TASK]: demoMarketingTask(platform),
    [MONTHLY_REPORTS_TASK]: monthlyReportsTask(platform),
    attribution_nightly: async () => {
      const practices = await queueNightlyAttribution(platform);
      platform.logger.info({ practices }, 'queued the nightly attribution of every practice');
    },
    settle_pending_leads: async () => {
      const result = await settleLeadsLeftPending(platform);
      if (result.practices + result.runsRequeued > 0) platform.logger.info(result, 'settled leads the landing hooks had left pending');
    },
  };
}

/**
 * Every minute: mail out, due syncs queued, webhook deliveries left waiting queued again. Every five: leads and charts left pending are settled and matched. Nightly:
 * every connection fully reconciled at 03:00 UTC, every practice matched afresh with a refitted model at 04:30, and
 * attributed again at 05:30. On the 1st at 09:00 UTC, last month's report is mailed to every practice's admins.
 */
export const CRONTAB = [
  '* * * * * deliver_outbox ?max=1',
  '* * * * * schedule_syncs ?max=1',
  '* * * * * recover_stale_workers ?max=1',
  '* * * * * webhooks_sweep ?max=1',
  '*/5 * * * * settle_pending_leads ?max=1',
  '0 3 * * * schedule_reconcile ?max=1',
  '*/5 * * * * matching_sweep ?max=1',
  '30 4 * * * matching_refit ?max=1',
  '30 5 * * * attribution_nightly ?max=1',
  '0 9 1 * * monthly_reports ?max=1',
].join('\n');

async function releaseJobsOfDeadWorkers(platform: Platform, alivePools: readonly string[] = []): Promise<void> {
  const freed = await recoverStaleWorkers(platform.db.owner, platform.jobs, platform.config.WORKER_STALE_SECONDS, alivePools);
  if (freed.length) platform.logger.warn({ workers: freed }, 'released jobs held by workers that stopped without finishing');
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/** Waits between attempts to bring the runner back after it failed: the database may still be away. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Runs graphile-worker and keeps it running. Completing and failing jobs go through graphile-worker's batching path:
 * unbatched, a lost connection as a job finished surfaced as an unhandled rejection and killed the whole process (API
 * included). When the pool reports a fatal error (the database went away mid-job) or the runner stops by itself, the
 * runner is given up for dead — its shutdown can wait minutes on retries — and a new one started, with back-off,
 * after releasing the old one's locks; jobs are at-least-once, so a job the old one was still finishing is safe to
 * run again. Until `stop()`.
 */
export async function startWorker(platform: Platform): Promise<RunningWorker> {
  const log = platform.logger.child({ component: 'worker' });
  // Jobs a killed process left locked are released before this one starts taking work.
  await releaseJobsOfDeadWorkers(platform);
  const liveness = trackWorkerLiveness(platform.db.owner, log, platform.config.WORKER_STALE_SECONDS);
  let stopping = false;
  let runner: Runner | null = null;
  let restarting: Promise<void> | null = null;

  const start = async () => {
    const started = await run({
      pgPool: platform.db.owner,
      events: liveness.events,
      concurrency: platform.config.WORKER_CONCURRENCY,
      noHandleSignals: true,
      pollInterval: 1_000,
      taskList: taskList(platform, { alivePools: liveness.alive }),
      crontab: CRONTAB,
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      logger: new WorkerLogger(() => (level, message) => {
        if (level === 'error') log.error(message);
        else if (level === 'warning') log.warn(message);
        else log.debug(message);
      }),
    });
    started.promise.then(
      () => started === runner && restart('the worker stopped by itself'),
      (error: unknown) => started === runner && restart('the worker stopped on an error', error),
    );
    return started;
  };

  const restart = (why: string, error?: unknown) => {
    if (stopping || restarting) return;
    log.error({ err: error }, `${why}; starting it again`);
    const dead = runner;
    runner = null;
    // Taken before the dead runner winds down: its pool stops being tracked when its shutdown ends, locks or not.
    const locked = liveness.forget();
    void dead?.stop().catch(() => {});
    restarting = (async () => {
      for (let attempt = 0; !runner && !stopping; attempt += 1) {
        await sleep(RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!);
        if (stopping) break;
        try {
          locked.push(...liveness.forget());
          if (locked.length) await platform.jobs.forceUnlockWorkers(locked);
          locked.length = 0;
          runner = await start();
          log.warn({ attempt: attempt + 1 }, 'the worker is running again');
        } catch (failure) {
          log.warn({ err: failure, attempt: attempt + 1 }, 'the worker could not start yet');
        }
      }
    })().finally(() => {
      restarting = null;
    });
  };

  // Only the current pool's errors count: a pool given up for dead goes on failing while it winds down.
  let currentPool: string | null = null;
  liveness.events.on('pool:create', ({ workerPool }) => {
    currentPool = workerPool.id;
  });
  liveness.events.on('pool:fatalError', ({ workerPool, error }) => {
    if (workerPool.id === currentPool) restart('the worker lost the database mid-job', error);
  });
  runner = await start();
  return {
    async stop() {
      stopping = true;
      await restarting;
      await runner?.stop().catch(() => {});
      await liveness.stop();
    },
  };
}
