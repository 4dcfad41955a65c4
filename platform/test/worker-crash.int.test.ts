import { setTimeout as sleep } from 'node:timers/promises';
import openDental from '@sourceline/connector-open-dental';
import { startOpenDentalSimulator, type OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sealSettings } from '../src/connections/connection-settings.ts';
import { queueSync } from '../src/connections/schedule-syncs.ts';
import { appRoleUrl } from '../src/db/app-role.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { spawnCli } from './cli.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let sim: OpenDentalSimulator;
let practiceId: string;
let connectionId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Crash Agency', ['Crash Dental'])).practiceIds[0]!;
  // Small, slow pages so the worker can be killed between commits.
  sim = await startOpenDentalSimulator({ seed: 21, patients: 300, faults: { slowPageRate: 1, slowPageMs: 40 } });
  connectionId = await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, async (tx) => {
    const cipher = await platform.keys.cipherFor(tx, practiceId);
    const settings = { baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone, pageSize: 25, reconcileEveryHours: 0 };
    return (await tx.connection.create({ data: { practiceId, connectorId: 'open-dental', displayName: 'OD', settingsSealed: new Uint8Array(sealSettings(cipher, settings)) } })).id;
  });
});
afterAll(async () => {
  await sim.close();
  await platform.close();
});

const workerEnv = () => ({
  DATABASE_URL: platform.db.ownerUrl,
  APP_DATABASE_URL: appRoleUrl(platform.db.ownerUrl, inject('pgAppPassword')),
  SOURCELINE_MASTER_KEY: platform.masterKey,
  DATA_DIR: '.data/test-worker',
  WORKER_STALE_SECONDS: '2',
});

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withSystem(platform.db.owner, async (c) => (await c.query(sql, params)).rows as T[]);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

it('loses and duplicates nothing when the worker is killed with SIGKILL mid-sync and started again', async () => {
  for (const stream of openDental.streams) await queueSync(platform.jobs, openDental.id, { connectionId, practiceId, stream: stream.name, trigger: 'manual' });
  const first = spawnCli(['worker'], workerEnv());
  // Wait until the procedures stream has committed some batches but not finished, then kill without warning.
  await until(async () => {
    const rows = await query<{ n: number }>(`SELECT count(*)::int AS n FROM procedures WHERE connection_id = $1`, [connectionId]);
    return rows[0]!.n > 0;
  }, 60_000, 'the first committed procedures');
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const partial = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM procedures WHERE connection_id = $1`, [connectionId]))[0]!.n;
  expect(partial).toBeLessThan(sim.state.tables.procedurelogs.size);

  await sleep(2_500);
  const second = spawnCli(['worker'], workerEnv());
  try {
    await until(async () => {
      const jobs = await platform.db.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier LIKE 'sync_stream:%'`);
      return jobs.rows[0].n === 0;
    }, 90_000, 'every sync job to finish');
  } finally {
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
  }

  const t = sim.state.tables;
  const stored = await query<{ kind: string; n: number; d: number }>(
    `SELECT 'procedure' AS kind, count(*)::int AS n, count(DISTINCT source_id)::int AS d FROM procedures WHERE connection_id = $1 AND deleted_at IS NULL
     UNION ALL SELECT 'patient', count(*)::int, count(DISTINCT source_id)::int FROM patients WHERE connection_id = $1 AND deleted_at IS NULL
     UNION ALL SELECT 'appointment', count(*)::int, count(DISTINCT source_id)::int FROM appointments WHERE connection_id = $1 AND deleted_at IS NULL
     ORDER BY 1`,
    [connectionId],
  );
  expect(stored).toEqual([
    { kind: 'appointment', n: t.appointments.size, d: t.appointments.size },
    { kind: 'patient', n: t.patients.size, d: t.patients.size },
    { kind: 'procedure', n: t.procedurelogs.size, d: t.procedurelogs.size },
  ]);
  const fees = await query<{ total: string }>(`SELECT sum(fee_cents)::text AS total FROM procedures WHERE connection_id = $1`, [connectionId]);
  const expected = t.procedurelogs.all().reduce((sum, r) => sum + Math.round(Number(r.ProcFee) * 100) * (Number(r.UnitQty) + Number(r.BaseUnits)), 0);
  expect(Number(fees[0]!.total)).toBe(expected);
  const interrupted = await query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_runs WHERE connection_id = $1 AND failure LIKE 'interrupted%'`, [connectionId]);
  expect(interrupted[0]!.n).toBeGreaterThanOrEqual(1);
}, 180_000);
