import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import openDental from '@sourceline/connector-open-dental';
import type { OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpFirstStart, type FirstStart } from '../src/cli/first-start.ts';
import { runSync } from '../src/connections/run-sync.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { DEMO_MARKETING_TASK } from '../src/demo/demo-marketing.ts';
import { DEMO_AGENCY_NAME } from '../src/demo/demo-world.ts';
import { startOfficesAndWorker } from '../src/cli/actions/start.ts';
import { queueSync } from '../src/connections/schedule-syncs.ts';
import type { RunningWorker } from '../src/jobs/worker.ts';
import type { Platform } from '../src/platform.ts';
import { signIn } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';
import { scratchDirectory } from './product-process.ts';

/**
 * A tenth of the demo's patients, and so of its visits and leads; the same practices, locations, 18 months, channels
 * and spend. The whole demo takes about 90 s to settle on a two-core machine (the charts' minute of head start, then
 * ~5,800 webhooks replayed), at least a minute even without the head start: too long for every CI run, where this scale
 * takes about 25 s. `sourceline start` seeds it whole.
 */
const SCALE = 0.1;

let testPlatform: TestPlatform;
/** The platform as `sourceline start` holds it, with DEMO on and its own DATA_DIR for the demo's state file. */
let platform: Platform;
let dataDir: string;
let utils: WorkerUtils;
let worker: RunningWorker | null = null;
let offices: OpenDentalSimulator[] = [];
let first: FirstStart;
let demoQueuedAt: number;

/** Tenant tables, read across every tenant as the system role. */
const sql = async <T>(text: string, params: unknown[] = []) =>
  withSystem(platform.db.owner, async (client) => (await client.query(text, params)).rows as T[]);
/** The job queue, which belongs to the owner. */
const queue = async <T>(text: string, params: unknown[] = []) => (await platform.db.owner.query(text, params)).rows as T[];
const jobsOf = (task: string) => queue<{ id: string; run_at: Date }>('SELECT id, run_at FROM graphile_worker.jobs WHERE task_identifier = $1', [task]);

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const jobs = await queue('SELECT task_identifier, attempts, max_attempts, run_at, last_error FROM graphile_worker.jobs');
      throw new Error(`timed out waiting for ${what}; jobs left: ${JSON.stringify(jobs, null, 1).slice(0, 3_000)}`);
    }
    await sleep(250);
  }
}

const monthsBefore = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
};
const daysBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** The first `sourceline start`: the administrator, the demo, the worker and the demo offices, as start.ts runs them. */
beforeAll(async () => {
  testPlatform = await startTestPlatform();
  dataDir = await scratchDirectory('test-demo-');
  platform = { ...testPlatform, config: { ...testPlatform.config, DEMO: true, dataDir } };
  utils = await makeWorkerUtils({ pgPool: platform.db.owner });

  const started = await setUpFirstStart(platform, { onAdminCreated: () => {}, demoScale: SCALE });
  if (!started) throw new Error('the test database already had a user, so this was not a first start');
  first = started;
  demoQueuedAt = Date.now();
  ({ worker, demoOffices: offices } = await startOfficesAndWorker(platform, { worker: true, queueInitialSync: first.demo !== null }));
}, 30_000);

afterAll(async () => {
  await worker?.stop();
  await Promise.all(offices.map((office) => office.close()));
  await utils?.release();
  await testPlatform?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the first start of Sourceline with DEMO on', () => {
  it('creates one demo agency with three practices, one of them a group with three locations, run by the administrator', async () => {
    expect(first.demo?.practices).toHaveLength(3);
    expect(await sql('SELECT a.name, m.role FROM agencies a JOIN memberships m ON m.agency_id = a.id WHERE m.user_id = $1', [first.admin!.userId])).toEqual([
      { name: DEMO_AGENCY_NAME, role: 'admin' },
    ]);
    expect(await sql('SELECT count(*)::int AS n FROM agencies')).toEqual([{ n: 1 }]);
    expect(await sql('SELECT p.name, count(l.id)::int AS locations FROM practices p JOIN locations l ON l.practice_id = p.id GROUP BY p.name ORDER BY p.name')).toEqual([
      { name: 'Buckeye Family Dental', locations: 1 },
      { name: 'Desert Bloom Dentistry', locations: 3 },
      { name: 'Silver State Smiles', locations: 1 },
    ]);
  });

  it('syncs every practice’s Open Dental office through the real connector before the lead replay begins', { timeout: 45_000 }, async () => {
    const connectionIds = first.demo!.practices.map((p) => p.connectionId);
    // The replay waits a minute so the leads find charts to match; the test waits for the charts, then skips the rest.
    const replays = await jobsOf(DEMO_MARKETING_TASK);
    expect(replays).toHaveLength(3);
    for (const job of replays) expect(job.run_at.getTime()).toBeGreaterThanOrEqual(demoQueuedAt + 59_000);
    await until('every Open Dental stream of the three offices to sync', 30_000, async () => {
      const [row] = await sql<{ n: number }>(
        "SELECT count(DISTINCT (connection_id, stream))::int AS n FROM sync_runs WHERE connection_id = ANY($1) AND status = 'succeeded'",
        [connectionIds],
      );
      return row!.n === openDental.streams.length * connectionIds.length;
    });
    await utils.rescheduleJobs(replays.map((job) => job.id), { runAt: new Date() });

    for (const [i, entry] of first.demo!.practices.entries()) {
      const office = offices[i]!.state.tables;
      const [stored] = await sql<{ patients: number; procedures: number; status: string }>(
        `SELECT (SELECT count(*)::int FROM patients WHERE connection_id = c.id AND deleted_at IS NULL) AS patients,
                (SELECT count(*)::int FROM procedures WHERE connection_id = c.id AND deleted_at IS NULL) AS procedures,
                c.status
           FROM connections c WHERE c.id = $1`,
        [entry.connectionId],
      );
      expect(stored).toEqual({ patients: office.patients.all().length, procedures: office.procedurelogs.all().length, status: 'ok' });
      expect(stored!.patients).toBeGreaterThan(50);
    }
  });

  it('replays 18 months of website forms and calls through the webhook endpoints, in several channels, and matches and attributes them', { timeout: 90_000 }, async () => {
    await until('the lead replay, matching and attribution to settle', 80_000, async () => {
      const [jobs] = await queue<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs');
      const [pending] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM leads WHERE match_pending OR settle_pending');
      return jobs!.n === 0 && pending!.n === 0;
    });
    // 18 months of history up to today: every practice's first lead and visit more than 17 months back, the last recent.
    const asOf = first.demo!.asOf;
    const historyBegan = monthsBefore(asOf, 17);
    const recently = daysBefore(asOf, 14);

    expect(await sql("SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status")).toEqual([{ status: 'processed', n: expect.any(Number) }]);
    for (const entry of first.demo!.practices) {
      const [leads] = await sql<{ forms: number; calls: number; channels: number; first: string; last: string }>(
        `SELECT count(*) FILTER (WHERE kind = 'form')::int AS forms, count(*) FILTER (WHERE kind = 'call')::int AS calls,
                count(DISTINCT classified_channel)::int AS channels,
                min(occurred_at)::date::text AS first, max(occurred_at)::date::text AS last
           FROM leads WHERE practice_id = $1 AND deleted_at IS NULL`,
        [entry.practiceId],
      );
      expect(leads!.forms).toBeGreaterThan(0);
      expect(leads!.calls).toBeGreaterThan(0);
      expect(leads!.channels).toBeGreaterThanOrEqual(3);
      expect(leads!.first <= historyBegan, `first lead ${leads!.first}`).toBe(true);
      // At this scale the smallest office has a few leads a month, so its last one may be weeks old.
      expect(leads!.last >= daysBefore(asOf, 60), `last lead ${leads!.last}`).toBe(true);

      const [visits] = await sql<{ first: string; last: string }>(
        'SELECT min(performed_on)::text AS first, max(performed_on)::text AS last FROM procedures WHERE practice_id = $1',
        [entry.practiceId],
      );
      expect(visits!.first <= historyBegan, `first visit ${visits!.first}`).toBe(true);
      expect(visits!.last >= recently, `last visit ${visits!.last}`).toBe(true);

      const [results] = await sql<{ links: number; rollups: number; spend: number }>(
        `SELECT (SELECT count(*)::int FROM lead_matches WHERE practice_id = $1 AND decision = 'link') AS links,
                (SELECT count(*)::int FROM attribution_rollups WHERE practice_id = $1) AS rollups,
                (SELECT count(*)::int FROM spend WHERE practice_id = $1 AND deleted_at IS NULL) AS spend`,
        [entry.practiceId],
      );
      expect(results!.links).toBeGreaterThan(0);
      expect(results!.rollups).toBeGreaterThan(0);
      expect(results!.spend).toBeGreaterThan(0);
    }
    const [agency] = await sql<{ channels: number; last: string }>('SELECT count(DISTINCT classified_channel)::int AS channels, max(occurred_at)::date::text AS last FROM leads');
    expect(agency!.channels).toBeGreaterThanOrEqual(5);
    expect(agency!.last >= recently, `last lead ${agency!.last}`).toBe(true);
    // Not one job of the first start failed, not even an attempt a retry then made good.
    expect(testPlatform.logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it('lets the administrator sign in with the one-time password and see every practice’s figures on the agency console', async () => {
    const admin = await signIn(testPlatform, first.admin!.email, first.admin!.oneTimePassword);
    const asOf = first.demo!.asOf;
    type Row = { practice: { name: string }; figures: Record<string, number>; matchRate: number | null };
    const data = await admin.data<{ agencies: { edges: { node: { name: string; practicePerformance: Row[] } }[] } }>(
      `query($from: String!, $to: String!) { agencies(first: 10) { edges { node { name practicePerformance(from: $from, to: $to) {
        practice { name } figures { leads newPatients productionCents spendCents } matchRate } } } } }`,
      { from: monthsBefore(asOf, 18), to: asOf },
    );
    expect(data.agencies.edges.map((e) => e.node.name)).toEqual([DEMO_AGENCY_NAME]);
    const rows = data.agencies.edges[0]!.node.practicePerformance;
    expect(rows.map((r) => r.practice.name).sort()).toEqual(['Buckeye Family Dental', 'Desert Bloom Dentistry', 'Silver State Smiles']);
    for (const row of rows) {
      for (const [figure, value] of Object.entries(row.figures)) expect(value, `${row.practice.name}: ${figure}`).toBeGreaterThan(0);
      expect(row.matchRate).toBeGreaterThan(0);
    }
  });

  it('is seeded once: a second start creates no administrator and no demo, and the offices it restarts keep syncing', async () => {
    const counts = () =>
      sql(`SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM agencies) AS agencies,
                  (SELECT count(*)::int FROM practices) AS practices, (SELECT count(*)::int FROM locations) AS locations,
                  (SELECT count(*)::int FROM connections) AS connections, (SELECT count(*)::int FROM patients) AS patients,
                  (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM spend) AS spend`);
    const before = await counts();
    await worker!.stop();
    worker = null;
    await Promise.all(offices.map((office) => office.close()));

    const second = await setUpFirstStart(platform, { onAdminCreated: () => expect.fail('a second start created an administrator'), demoScale: SCALE });
    expect(second).toBeNull();
    // A sync the last run left due: the restarted worker takes it at once, and must find the connection already
    // pointed at its office's new port.
    const entry = first.demo!.practices[0]!;
    const restartedAt = (await queue<{ now: Date }>('SELECT now()'))[0]!.now;
    await queueSync(utils, 'open-dental', { connectionId: entry.connectionId, practiceId: entry.practiceId, stream: 'patients', trigger: 'manual' });
    ({ worker, demoOffices: offices } = await startOfficesAndWorker(platform, { worker: true, queueInitialSync: false }));
    expect(offices).toHaveLength(3);
    expect(await jobsOf(DEMO_MARKETING_TASK)).toEqual([]);
    await until('the due sync to run', 20_000, async () => (await queue("SELECT 1 FROM graphile_worker.jobs WHERE task_identifier LIKE 'sync%'")).length === 0);
    // The due sync alone, at its first attempt: the start queued no sync of its own.
    expect(await sql('SELECT connection_id, stream, status, failure FROM sync_runs WHERE started_at >= $1', [restartedAt])).toEqual([
      { connection_id: entry.connectionId, stream: 'patients', status: 'succeeded', failure: null },
    ]);

    // Each start serves the offices on new ports: the connections follow them, so syncs still reach the office.
    const outcome = await runSync(platform, { connectionId: entry.connectionId, practiceId: entry.practiceId, stream: 'patients', trigger: 'manual' });
    expect(outcome.status).toBe('succeeded');
    expect(await counts()).toEqual(before);
  });
});
