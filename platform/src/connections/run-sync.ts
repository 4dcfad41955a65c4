import {
  createHttpClient,
  FatalError,
  type HttpClientOptions,
  isRetryable,
  type RecordKind,
  type SyncContext,
  type SyncReason,
} from '@sourceline/sdk';
import { withTenant, withTenantClient } from '../db/tenant-transaction.ts';
import { isTransientDatabaseError } from '../db/transient-errors.ts';
import { landingIdentifierKeys } from '../leads/lead-identifier-keys.ts';
import { settleLandedLeads } from '../leads/settle-pending-leads.ts';
import { queueMatchingAfterLanding } from '../matching/practice/matching-job.ts';
import { queueAttributionAfter } from '../attribution/practice/attribution-job.ts';
import type { Platform } from '../platform.ts';
import type { IdentifierKeys } from '../records/write-records.ts';
import { BatchWriter, type KindCounts } from './batch-writer.ts';
import { openSettings } from './connection-settings.ts';
import { refusedCredentials, setConnectionStatus } from './connection-status.ts';
import { connectorLogger } from './connector-logger.ts';
import { connectorOrThrow } from './connections.ts';

/** Why a run happens, as connectors see it (`ctx.reason`). */
export type SyncTrigger = SyncReason;

export interface SyncRequest {
  connectionId: string;
  practiceId: string;
  stream: string;
  trigger: SyncTrigger;
}

export interface SyncOutcome {
  runId: string;
  status: 'succeeded' | 'failed';
  /** Whether running again later may help (the source was busy or unreachable); false when a person must act. */
  retryable: boolean;
  counts: Partial<Record<RecordKind, KindCounts>>;
  errorCount: number;
  failure: string | null;
}

export interface SyncOptions {
  signal?: AbortSignal;
  /** Blocking keys per record kind (the matcher's), stored as blind digests with the record. */
  identifierKeys?: { [K in RecordKind]?: IdentifierKeys<K> };
  /** Records buffered before they are written (still uncommitted) to bound memory. */
  batchSize?: number;
  /** Retry and timeout tuning of the connector's HTTP client (tests shorten the backoff). */
  http?: Omit<HttpClientOptions, 'signal' | 'log'>;
}

/**
 * Runs one stream of one connection: the platform's side of the SDK's SyncContext. Records are written inside a
 * transaction that commits only together with the stream's next cursor (`cursor.set`) or at the end of the run, so a
 * process killed at any moment resumes from the last committed cursor with nothing lost and nothing doubled (upserts
 * are idempotent). Invalid records are skipped and reported by id and field; the rest of the batch lands.
 */
export async function runSync(platform: Platform, request: SyncRequest, options: SyncOptions = {}): Promise<SyncOutcome> {
  const { db, keys, logger } = platform;
  const scope = { practiceIds: [request.practiceId] };
  const connection = await withTenant(db.prisma, scope, (tx) => tx.connection.findUnique({ where: { id: request.connectionId } }));
  if (!connection) throw new FatalError(`connection ${request.connectionId} does not exist in practice ${request.practiceId}`);
  const connector = connectorOrThrow(connection.connectorId);
  const stream = connector.streams.find((s) => s.name === request.stream);
  if (!stream) throw new FatalError(`connector ${connector.id} has no stream "${request.stream}"`);

  const setup = await withTenant(db.prisma, scope, async (tx) => {
    const cipher = await keys.cipherFor(tx, request.practiceId);
    const cursorRow = await tx.syncCursor.findUnique({ where: { connectionId_stream: { connectionId: request.connectionId, stream: stream.name } } });
    // A run still marked running for this stream was cut off (the worker died): say so instead of leaving it open.
    await tx.syncRun.updateMany({
      where: { connectionId: request.connectionId, stream: stream.name, status: 'running' },
      data: { status: 'failed', finishedAt: new Date(), failure: INTERRUPTED },
    });
    const run = await tx.syncRun.create({
      data: {
        practiceId: request.practiceId,
        connectionId: request.connectionId,
        stream: stream.name,
        trigger: request.trigger,
        cursorBefore: cursorRow?.cursor ?? undefined,
      },
    });
    return { cipher, cursor: cursorRow?.cursor, runId: run.id };
  });

  const log = connectorLogger(logger.child({ connectionId: request.connectionId, stream: stream.name, runId: setup.runId }));
  const parsedCursor = setup.cursor === undefined ? undefined : stream.cursor.schema.safeParse(setup.cursor);
  if (parsedCursor && !parsedCursor.success) log.warn('stored cursor no longer valid for this stream; starting a full sync');
  const engine = new BatchWriter(platform, {
    target: { practiceId: request.practiceId, connectionId: request.connectionId },
    runId: setup.runId,
    stream: stream.name,
    emits: stream.emits,
    cipher: setup.cipher,
    identifierKeys: { ...landingIdentifierKeys, ...options.identifierKeys },
    batchSize: options.batchSize ?? 2_000,
  });
  let lastCursor: unknown = parsedCursor?.success ? parsedCursor.data : undefined;
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;

  const ctx: SyncContext<Record<string, unknown>, unknown> = {
    connectionId: request.connectionId,
    reason: request.trigger,
    settings: openSettings(setup.cipher, connector, connection.settingsSealed),
    emit: (kind, records) => engine.emit(kind, records),
    remove: (kind, ids) => engine.remove(kind, ids),
    reconcile: (kind, liveIds) => engine.reconcile(kind, liveIds),
    cursor: {
      get: () => (lastCursor === undefined ? undefined : structuredClone(lastCursor)),
      async set(next) {
        const parsed = stream.cursor.schema.parse(next);
        if (lastCursor !== undefined && stream.cursor.compare(lastCursor, parsed) > 0) {
          throw new FatalError(`stream ${stream.name} tried to move its cursor backwards`);
        }
        await engine.commit(parsed);
        lastCursor = parsed;
      },
    },
    http: createHttpClient({ ...options.http, signal, log }),
    log,
    reject: (issues) => engine.reject(issues),
    progress: (done, total) => engine.progress(done, total),
    signal,
    now: () => new Date(),
  };

  try {
    await engine.begin();
    await stream.sync(ctx);
    await engine.finish(lastCursor);
    await setConnectionStatus(platform, request, 'ok', null);
    if (engine.counts.lead) await settleLandedLeads(platform, request.practiceId);
    if (changed(engine.counts.lead) || changed(engine.counts.patient)) await queueMatchingAfterLanding(platform, request.practiceId);
    // A click names the campaign of the leads whose gclid it carries (leads/ad-click-names.ts).
    if (changed(engine.counts.procedure) || changed(engine.counts.payment) || changed(engine.counts['referral-source']) || changed(engine.counts['ad-click'])) {
      await queueAttributionAfter(platform, request.practiceId);
    }
    return { runId: setup.runId, status: 'succeeded', retryable: false, counts: engine.counts, errorCount: engine.errorCount, failure: null };
  } catch (error) {
    abort.abort();
    await engine.abandon();
    // A run its worker cut short as it stopped (a shutdown, or a restart after losing the database) failed with
    // whatever the abort broke first; the job must run again, or the stream would wait for its next schedule.
    const stopped = options.signal?.aborted === true;
    const failure = stopped ? INTERRUPTED : describeFailure(error);
    // The database restarting under a run is as passing as a source's 503: the job retries it from the cursor.
    const retryable = stopped || isRetryable(error) || isTransientDatabaseError(error);
    const status = !retryable && refusedCredentials(error)
      ? 'auth_failed'
      : retryable && (error as { status?: number }).status === 429 ? 'rate_limited' : 'error';
    await withTenantClient(db.app, scope, (client) =>
      client.query(
        `UPDATE sync_runs SET status = 'failed', finished_at = clock_timestamp(), failure = $2, counts = $3, error_count = $4 WHERE id = $1`,
        [setup.runId, failure, JSON.stringify(engine.counts), engine.errorCount],
      ),
    );
    await setConnectionStatus(platform, request, status, failure);
    log.warn('sync run failed', { retryable, status });
    return { runId: setup.runId, status: 'failed', retryable, counts: engine.counts, errorCount: engine.errorCount, failure };
  }
}

const INTERRUPTED = 'interrupted: the worker stopped before the run finished; resumed from the last committed cursor';

const changed = (counts: KindCounts | undefined) => Boolean(counts && counts.inserted + counts.updated + counts.deleted > 0);

/** Connector errors are written to name record ids and statuses; anything else is reduced to its class. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'RetryableError' || error instanceof FatalError)) return error.message.slice(0, 1_000);
  return `unexpected ${error instanceof Error ? error.name : 'error'} in the connector (see the server log by run id)`;
}
