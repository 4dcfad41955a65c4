import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { runSync, type SyncOptions } from '../connections/run-sync.ts';
import type { Platform } from '../platform.ts';

const SyncPayload = z.object({
  connectionId: z.uuid(),
  practiceId: z.uuid(),
  stream: z.string().min(1),
  trigger: z.enum(['schedule', 'manual', 'reconcile']),
});

export class RetryLater extends Error {
  override name = 'RetryLater';
}

/**
 * One stream's run as a graphile-worker job. A failure the source may recover from is thrown, so graphile-worker
 * retries with exponential backoff; one a person must fix (bad credentials) is recorded and not retried.
 */
export function syncTask(platform: Platform, options: Pick<SyncOptions, 'identifierKeys'> = {}): Task {
  return async (payload, helpers) => {
    const request = SyncPayload.parse(payload);
    const outcome = await runSync(platform, request, { ...options, signal: helpers.abortSignal });
    if (outcome.status === 'failed' && outcome.retryable) {
      throw new RetryLater(`sync run ${outcome.runId} failed and will be retried: ${outcome.failure}`);
    }
  };
}
