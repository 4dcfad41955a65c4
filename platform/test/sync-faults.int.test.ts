import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import openDental from '@sourceline/connector-open-dental';
import { startOpenDentalSimulator, type OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import type { RecordKind } from '@sourceline/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/passwords.ts';
import { createKeyRing, masterKeyFrom } from '../src/crypto/master-key.ts';
import { createPracticeKeys, PracticeKeyStore } from '../src/crypto/practice-keys.ts';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { recordTables } from '../src/records/record-tables.ts';
import { globalId, localId, PASSWORD } from './fixtures.ts';
import { GraphQLClient } from './graphql-client.ts';
import { compareWithOffice, readOfficeLines, readStoredLines } from './open-dental-office.ts';
import { startOwnCluster, startProductServer, type OwnCluster } from './product-process.ts';

// This file restarts PostgreSQL, so it runs on a cluster of its own rather than the suite's shared one.
const ADMIN_EMAIL = 'sync-faults-admin@example.test';
/**
 * From the fault to the last stream's success: the worker's restart back-off (1, 2, 5 s) while PostgreSQL comes back,
 * or the server's restart, plus the few seconds the rest of the sync takes; the minutely stale-worker sweep is no part
 * of it.
 */
const RECOVERY_MS = 30_000;

let own: OwnCluster;
let db: Database;
let env: Record<string, string>;
let sim: OpenDentalSimulator;
let practiceId: string;
let server: ChildProcess;
let api: GraphQLClient;
let officeLines: Map<RecordKind, string[]>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  own = await startOwnCluster('test-sync-faults-', 'sync_faults');
  db = own.db;
  const masterKey = randomBytes(32).toString('base64');
  const ring = createKeyRing(masterKeyFrom(masterKey));
  const passwordHash = await hashPassword(PASSWORD);
  practiceId = await withSystem(db.owner, async (c) => {
    const agency = await c.query<{ id: string }>(`INSERT INTO agencies (name) VALUES ('Sync Fault Agency') RETURNING id`);
    const practice = await c.query<{ id: string }>(`INSERT INTO practices (agency_id, name) VALUES ($1, 'Sync Fault Dental') RETURNING id`, [agency.rows[0]!.id]);
    // An existing user also keeps `sourceline start` from creating a first administrator.
    const user = await c.query<{ id: string }>(
      `INSERT INTO users (email, display_name, password_hash, is_platform_admin) VALUES ($1, 'Sync Fault Admin', $2, false) RETURNING id`,
      [ADMIN_EMAIL, passwordHash],
    );
    await c.query(`INSERT INTO memberships (user_id, practice_id, role) VALUES ($1, $2, 'admin')`, [user.rows[0]!.id, practice.rows[0]!.id]);
    return practice.rows[0]!.id;
  });
  const cipher = await withTenant(db.prisma, { practiceIds: [practiceId] }, async (tx) => {
    await createPracticeKeys(tx, ring, practiceId);
    return new PracticeKeyStore(ring).cipherFor(tx, practiceId);
  });

  sim = await startOpenDentalSimulator({ seed: 21, patients: 300 });
  officeLines = await readOfficeLines(sim, cipher);
  // Every page (Remote's 100 rows, committed one by one) held back 100 ms: a first sync of ~40 pages takes several
  // seconds, so a fault lands mid-stream.
  sim.setFaults({ slowPageRate: 1, slowPageMs: 100 });

  env = await own.productEnv(masterKey);
  // WORKER_STALE_SECONDS stays at its default here: with it short, the minutely stale-worker sweep would free what a
  // restarted worker fails to, hiding whether the worker recovers from a database restart by itself.
  server = await startServer();
  api = new GraphQLClient(`http://127.0.0.1:${env.PORT}`);
  await api.data('mutation($e: String!, $p: String!) { login(email: $e, password: $p) }', { e: ADMIN_EMAIL, p: PASSWORD });
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sim?.close();
  await own?.close();
});

/** `sourceline start`: API and worker in one process, as a user runs it. */
async function startServer(overrides: Record<string, string> = {}): Promise<ChildProcess> {
  const child = await startProductServer({ ...env, ...overrides }, { logs: !!process.env.FAULT_LOGS });
  children.push(child);
  return child;
}

async function connectAndSyncNow(displayName: string): Promise<string> {
  const settings = { baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone };
  const { createConnection } = await api.data<{ createConnection: { id: string } }>(
    'mutation($p: ID!, $n: String!, $s: String!) { createConnection(practiceId: $p, connectorId: "open-dental", displayName: $n, settings: $s) { id } }',
    { p: globalId('Practice', practiceId), n: displayName, s: JSON.stringify(settings) },
  );
  await api.data('mutation($id: ID!) { syncConnectionNow(id: $id) { id } }', { id: createConnection.id });
  return localId(createConnection.id);
}

async function storedCount(kind: RecordKind, connectionId: string): Promise<number> {
  return withSystem(db.owner, async (c) =>
    (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${recordTables[kind].table} WHERE connection_id = $1`, [connectionId])).rows[0]!.n,
  );
}

/** The connection's queued jobs and its runs per stream and status: what a timeout reports. */
async function syncState(connectionId: string) {
  const jobs = await db.owner.query(
    `SELECT task_identifier, attempts, round(extract(epoch FROM run_at - now())) AS due_in_s, locked_by, left(last_error, 160) AS last_error
       FROM graphile_worker.jobs WHERE queue_name = $1`,
    [`connection:${connectionId}`],
  );
  const runs = await withSystem(db.owner, async (c) =>
    (await c.query<{ stream: string; status: string; n: number }>(
      'SELECT stream, status, count(*)::int AS n FROM sync_runs WHERE connection_id = $1 GROUP BY 1, 2 ORDER BY 1, 2',
      [connectionId],
    )).rows,
  );
  return { jobs: jobs.rows, runs };
}

async function syncFinished(connectionId: string): Promise<boolean> {
  const { jobs, runs } = await syncState(connectionId);
  const succeeded = new Set(runs.filter((r) => r.status === 'succeeded').map((r) => r.stream));
  return jobs.length === 0 && succeeded.size === openDental.streams.length;
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, diagnose?: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // While PostgreSQL is away a look fails: that is "not yet", not a failure of the test.
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) {
      const state = diagnose ? `; state: ${JSON.stringify(await diagnose().catch((error: unknown) => String(error)))}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${state}`);
    }
    await sleep(200);
  }
}

/** Waits until `kind` has committed some but not all of its records, the middle of the connection's first sync. */
async function waitUntilMidSync(kind: RecordKind, connectionId: string): Promise<void> {
  await until(`the first committed ${kind} records`, 30_000, async () => (await storedCount(kind, connectionId)) > 0, () => syncState(connectionId));
  expect(await storedCount(kind, connectionId)).toBeLessThan(officeLines.get(kind)!.length);
}

/** Once the fault is over: the sync finished on its own, every stored record equals the office's, and a run was cut. */
async function expectRecoveredSync(connectionId: string, faultAt: number, annotate: (message: string) => Promise<unknown>): Promise<void> {
  await until('every stream of the sync to finish', RECOVERY_MS, () => syncFinished(connectionId), () => syncState(connectionId));
  await annotate(`recovered ${((Date.now() - faultAt) / 1000).toFixed(1)} s after the fault`);
  expect(compareWithOffice(officeLines, await readStoredLines(db, connectionId, officeLines.keys()))).toEqual(compareWithOffice(officeLines, officeLines));
  const { runs } = await syncState(connectionId);
  expect(runs.filter((r) => r.status === 'running')).toEqual([]);
  expect(runs.filter((r) => r.status === 'failed').length).toBeGreaterThanOrEqual(1);
}

it('finishes a sync with exactly the office’s records, none doubled, when PostgreSQL restarts mid-run', async ({ annotate }) => {
  const connectionId = await connectAndSyncNow('Open Dental (database restarted)');
  await waitUntilMidSync('appointment', connectionId);
  const faultAt = Date.now();
  await own.restart(1_000);
  await expectRecoveredSync(connectionId, faultAt, annotate);
}, 75_000);

it('finishes a sync with exactly the office’s records, none doubled, when the server is killed with SIGKILL mid-run', async ({ annotate }) => {
  const connectionId = await connectAndSyncNow('Open Dental (server killed)');
  await waitUntilMidSync('procedure', connectionId);
  const faultAt = Date.now();
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('exit', resolve));
  // A new server frees the jobs of one whose heartbeat is WORKER_STALE_SECONDS old (45 by default, which would only
  // make this test wait), so it starts once 2 s have passed, as a supervisor's restart delay would have it.
  await sleep(2_500);
  server = await startServer({ WORKER_STALE_SECONDS: '2' });
  await expectRecoveredSync(connectionId, faultAt, annotate);
}, 75_000);
