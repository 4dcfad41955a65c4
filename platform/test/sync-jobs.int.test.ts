import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import openDental from '@sourceline/connector-open-dental';
import { startOpenDentalSimulator, type OpenDentalSimulator, type SimulatorFaults } from '@sourceline/connector-open-dental/simulator';
import { Logger as WorkerLogger, run, type Runner, type WorkerEvents } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSettings } from '../src/connections/connection-settings.ts';
import type { SyncRequest } from '../src/connections/run-sync.ts';
import { queueSync, scheduleDueSyncs, syncTaskName } from '../src/connections/schedule-syncs.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { taskList } from '../src/jobs/worker.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

/**
 * The sync engine's promises at the job level: real PostgreSQL, a real graphile-worker runner running the production
 * sync tasks, and the Open Dental simulator as the source. The runner is started here rather than with `startWorker`
 * because that one also runs the crontab, whose minutely `schedule_syncs` would queue more syncs into the connections
 * under test at whichever minute boundary a test straddles (see the backoff test at the end for what that does).
 */

let platform: TestPlatform;
let practiceId: string;
let runner: Runner;
const sims: OpenDentalSimulator[] = [];
/** Wall-clock spans of every sync job the runner executed, from its own events: the truth sync_runs is checked against. */
const jobSpans: { connectionId: string; stream: string; start: number; end: number }[] = [];

const streams = openDental.streams.map((s) => s.name);

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Jobs Agency', ['Jobs Dental'])).practiceIds[0]!;
  runner = await startSyncRunner();
});
afterAll(async () => {
  await runner?.stop();
  for (const sim of sims) await sim.close();
  await platform?.close();
});

/** graphile-worker with the production sync tasks (only those: matching and attribution jobs they queue stay queued). */
async function startSyncRunner(): Promise<Runner> {
  const events = new EventEmitter() as WorkerEvents;
  const started = new Map<string, number>();
  events.on('job:start', ({ job }) => started.set(job.id, Date.now()));
  events.on('job:complete', ({ job }) => {
    const payload = job.payload as SyncRequest;
    if (job.task_identifier.startsWith('sync_stream:')) {
      jobSpans.push({ connectionId: payload.connectionId, stream: payload.stream, start: started.get(job.id)!, end: Date.now() });
    }
  });
  const tasks = Object.fromEntries(Object.entries(taskList(platform)).filter(([name]) => name.startsWith('sync_stream:')));
  return run({
    pgPool: platform.db.owner,
    events,
    concurrency: platform.config.WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: 200,
    taskList: tasks,
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger: new WorkerLogger(() => () => {}),
  });
}

async function startSimulator(faults: Partial<SimulatorFaults> = {}): Promise<OpenDentalSimulator> {
  const sim = await startOpenDentalSimulator({ seed: 33, patients: 40, faults: { retryAfterSeconds: 0, ...faults } });
  sims.push(sim);
  return sim;
}

async function connect(sim: OpenDentalSimulator, overrides: Record<string, unknown> = {}): Promise<string> {
  const settings = {
    baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone,
    pageSize: 10, reconcileEveryHours: 0, ...overrides,
  };
  return withTenant(platform.db.prisma, { practiceIds: [practiceId] }, async (tx) => {
    const cipher = await platform.keys.cipherFor(tx, practiceId);
    const row = await tx.connection.create({
      data: { practiceId, connectorId: openDental.id, displayName: 'Open Dental', settingsSealed: new Uint8Array(sealSettings(cipher, settings)) },
    });
    return row.id;
  });
}

const syncNow = (connectionId: string, stream: string) =>
  queueSync(platform.jobs, openDental.id, { connectionId, practiceId, stream, trigger: 'manual' });

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withSystem(platform.db.owner, async (c) => (await c.query(sql, params)).rows as T[]);
}

interface JobRow { task_identifier: string; attempts: number; run_at: Date; locked_at: Date | null; last_error: string | null }
/** graphile-worker's own schema is the owner's, outside the system role's grants. */
const jobsOf = async (connectionId: string) =>
  (await platform.db.owner.query<JobRow>('SELECT task_identifier, attempts, run_at, locked_at, last_error FROM graphile_worker.jobs WHERE queue_name = $1 ORDER BY id', [`connection:${connectionId}`])).rows;

interface RunRow { stream: string; status: string; started_at: Date; finished_at: Date | null; failure: string | null }
const runsOf = (connectionId: string) =>
  query<RunRow>('SELECT stream, status, started_at, finished_at, failure FROM sync_runs WHERE connection_id = $1 ORDER BY started_at', [connectionId]);

const connectionRow = async (connectionId: string) =>
  (await query<{ status: string; status_message: string | null }>('SELECT status, status_message FROM connections WHERE id = $1', [connectionId]))[0]!;

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, diagnose: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; state: ${JSON.stringify(await diagnose())}`);
    await sleep(50);
  }
}

const state = async (connectionId: string) => ({ jobs: await jobsOf(connectionId), runs: await runsOf(connectionId) });

/** Until the connection has `n` finished runs and no job of it is running (a finished job is then deleted or rescheduled). */
async function untilRunsFinished(connectionId: string, n: number, timeoutMs: number): Promise<void> {
  await until(`${n} finished runs of ${connectionId}`, timeoutMs, async () => {
    const [runs, jobs] = [await runsOf(connectionId), await jobsOf(connectionId)];
    return runs.filter((r) => r.finished_at).length >= n && jobs.every((j) => j.locked_at === null);
  }, () => state(connectionId));
}

/** Pairs of runs (or job spans) whose time intervals intersect. */
function overlapping<T>(spans: T[], start: (s: T) => number, end: (s: T) => number): [T, T][] {
  const pairs: [T, T][] = [];
  for (const [i, a] of spans.entries()) {
    for (const b of spans.slice(i + 1)) if (start(a) < end(b) && start(b) < end(a)) pairs.push([a, b]);
  }
  return pairs;
}

/** What `scheduleDueSyncs` would queue right now, as `connection:stream`, without queueing anything. */
async function scheduledNow(): Promise<string[]> {
  const queued: string[] = [];
  await scheduleDueSyncs(platform, {
    addJob: async (_task, payload) => {
      const request = payload as SyncRequest;
      queued.push(`${request.connectionId}:${request.stream}`);
      return undefined as never;
    },
  }, 'schedule');
  return queued;
}

const secondsBetween = (later: Date, earlier: Date) => (later.getTime() - earlier.getTime()) / 1000;

describe('sync jobs on graphile-worker', () => {
  it('runs at most one stream of a connection at a time, while two connections sync side by side', async () => {
    // Without a second slot the cross-connection overlap below could not happen, and the test would prove nothing.
    expect(platform.config.WORKER_CONCURRENCY).toBeGreaterThanOrEqual(2);
    // Every page held back: a run spans several slow pages, long enough that a second run of the same connection
    // started on a free slot would visibly collide with it.
    const sim = await startSimulator({ slowPageRate: 1, slowPageMs: 40 });
    const [first, second] = [await connect(sim), await connect(sim)];
    for (const stream of streams) {
      await syncNow(first, stream);
      await syncNow(second, stream);
    }
    await untilRunsFinished(first, streams.length, 30_000);
    await untilRunsFinished(second, streams.length, 30_000);

    for (const connectionId of [first, second]) {
      const runs = await runsOf(connectionId);
      expect(runs.map((r) => `${r.stream}:${r.status}`).sort()).toEqual(streams.map((s) => `${s}:succeeded`).sort());
      expect(overlapping(runs, (r) => r.started_at.getTime(), (r) => r.finished_at!.getTime())).toEqual([]);
      // The runner's own clock agrees: sync_runs could understate a run, job spans cannot.
      const spans = jobSpans.filter((s) => s.connectionId === connectionId);
      expect(spans).toHaveLength(streams.length);
      expect(overlapping(spans, (s) => s.start, (s) => s.end)).toEqual([]);
    }
    // Concurrency was there to take: the two connections' runs did run at the same time.
    const both = [...(await runsOf(first)), ...(await runsOf(second))];
    expect(overlapping(both, (r) => r.started_at.getTime(), (r) => r.finished_at!.getTime()).length).toBeGreaterThan(0);
  }, 40_000);

  it('retries a sync the source failed with 500s, waiting longer after each attempt, and succeeds once the source recovers', async () => {
    const sim = await startSimulator({ rate500: 1 });
    const connectionId = await connect(sim);
    await syncNow(connectionId, 'providers');

    // Each attempt ends (after the HTTP client's own retries) with the task throwing; graphile-worker keeps the job
    // and pushes its run_at out by e^attempts seconds.
    const gaps: number[] = [];
    const dueAt: Date[] = [];
    for (const attempt of [1, 2]) {
      await untilRunsFinished(connectionId, attempt, 15_000);
      const [job] = await jobsOf(connectionId);
      const runs = await runsOf(connectionId);
      expect(job).toMatchObject({ task_identifier: syncTaskName(openDental.id, 'providers'), attempts: attempt, locked_at: null });
      expect(job!.last_error).toMatch(/will be retried: HTTP 500/);
      expect(runs.map((r) => r.status)).toEqual(Array(attempt).fill('failed'));
      gaps.push(secondsBetween(job!.run_at, runs.at(-1)!.finished_at!));
      dueAt.push(job!.run_at);
      // The retry waited for its run_at rather than running as soon as a slot was free.
      if (attempt === 2) expect(runs[1]!.started_at.getTime()).toBeGreaterThanOrEqual(dueAt[0]!.getTime());
    }
    expect(await connectionRow(connectionId)).toMatchObject({ status: 'error', status_message: expect.stringMatching(/HTTP 500/) });
    expect(gaps[0]).toBeGreaterThan(2); // e^1 ≈ 2.7 s
    expect(gaps[1]! / gaps[0]!).toBeGreaterThan(2); // e^2 / e^1 ≈ 2.7: exponential, not fixed

    sim.setFaults({ rate500: 0 });
    await until('the retried job to succeed', 15_000, async () => (await jobsOf(connectionId)).length === 0, () => state(connectionId));
    expect((await runsOf(connectionId)).map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(await connectionRow(connectionId)).toEqual({ status: 'ok', status_message: null });
  }, 40_000);

  it('stops at the first 401: the connection is flagged auth_failed, no job is retried, and the schedule leaves it alone', async () => {
    const sim = await startSimulator();
    const connectionId = await connect(sim, { customerKey: 'revoked-customer-key' });
    const ofThis = (queued: string[]) => queued.filter((entry) => entry.startsWith(`${connectionId}:`));
    // Never synced, so due: the schedule skipping it later is down to its status, not its timing.
    expect(ofThis(await scheduledNow())).toHaveLength(streams.length);

    for (const stream of streams) await syncNow(connectionId, stream);
    await untilRunsFinished(connectionId, streams.length, 15_000);

    // A retried job would still be here, with attempts 1 and a run_at in the future.
    expect(await jobsOf(connectionId)).toEqual([]);
    const runs = await runsOf(connectionId);
    expect(runs.map((r) => `${r.stream}:${r.status}`).sort()).toEqual(streams.map((s) => `${s}:failed`).sort());
    expect(runs.every((r) => /rejected the customer key \(401\)/.test(r.failure ?? ''))).toBe(true);
    expect(await connectionRow(connectionId)).toMatchObject({ status: 'auth_failed', status_message: expect.stringMatching(/customer key \(401\)/) });
    expect(ofThis(await scheduledNow())).toEqual([]);
  }, 30_000);

  it('flags a connection rate_limited with the reason while Open Dental answers 429, and clears it once a retry gets through', async () => {
    // Retry-After: 0 keeps the HTTP client's five attempts instant; every one of them is refused.
    const sim = await startSimulator({ rate429: 1, retryAfterSeconds: 0 });
    const connectionId = await connect(sim);
    await syncNow(connectionId, 'providers');
    await untilRunsFinished(connectionId, 1, 15_000);

    expect(await connectionRow(connectionId)).toMatchObject({ status: 'rate_limited', status_message: expect.stringMatching(/HTTP 429 from .*\/providers/) });
    // Being throttled is no reason to give up: the job waits to be retried.
    const [job] = await jobsOf(connectionId);
    expect(job).toMatchObject({ attempts: 1, locked_at: null });
    expect(job!.run_at.getTime()).toBeGreaterThan(Date.now());

    sim.setFaults({ rate429: 0 });
    await until('the retried job to succeed', 15_000, async () => (await jobsOf(connectionId)).length === 0, () => state(connectionId));
    expect(await connectionRow(connectionId)).toEqual({ status: 'ok', status_message: null });
  }, 30_000);

  it('leaves a job waiting out its retry back-off alone when the schedule comes round', async () => {
    const sim = await startSimulator({ rate500: 1 });
    const connectionId = await connect(sim);
    try {
      await syncNow(connectionId, 'providers');
      await untilRunsFinished(connectionId, 1, 15_000);
      const [waiting] = await jobsOf(connectionId);
      expect(waiting).toMatchObject({ attempts: 1, locked_at: null });

      // What the minutely cron does, narrowed to this stream so no other sync lands in the worker.
      const requeued: JobRow[] = [];
      await scheduleDueSyncs(platform, {
        addJob: async (task, payload, spec) => {
          const request = payload as SyncRequest;
          if (request.connectionId !== connectionId || request.stream !== 'providers') return undefined as never;
          const job = await platform.jobs.addJob(task, payload, spec);
          requeued.push(job as unknown as JobRow);
          return job;
        },
      }, 'schedule');
      // Queueing it again would reset graphile-worker's attempts and make it due at once: the schedule skips it.
      expect(requeued).toHaveLength(0);
      const [after] = await jobsOf(connectionId);
      expect(after).toMatchObject({ attempts: 1, run_at: waiting!.run_at });
    } finally {
      // The re-queued job runs at once; let it succeed so the runner stops without waiting on HTTP retries.
      sim.setFaults({ rate500: 0 });
    }
  }, 30_000);
});
