import { createHash } from 'node:crypto';
import openDental from '@sourceline/connector-open-dental';
import { startOpenDentalSimulator, typicalFaults, type OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSettings } from '../src/connections/connection-settings.ts';
import { runSync, type SyncOptions } from '../src/connections/run-sync.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let sim: OpenDentalSimulator;
let practiceId: string;

const fast: SyncOptions = { http: { baseBackoffMs: 2, maxBackoffMs: 20, maxAttempts: 8 } };

async function connect(settings: Record<string, unknown>, practice = practiceId): Promise<string> {
  return withTenant(platform.db.prisma, { practiceIds: [practice] }, async (tx) => {
    const cipher = await platform.keys.cipherFor(tx, practice);
    const row = await tx.connection.create({
      data: { practiceId: practice, connectorId: 'open-dental', displayName: 'Open Dental', settingsSealed: new Uint8Array(sealSettings(cipher, settings)) },
    });
    return row.id;
  });
}

async function syncAll(connectionId: string, options: SyncOptions = fast) {
  const outcomes = [];
  for (const stream of openDental.streams) {
    outcomes.push(await runSync(platform, { connectionId, practiceId, stream: stream.name, trigger: 'manual' }, options));
  }
  return outcomes;
}

const digest = (lines: string[]) => ({ count: lines.length, checksum: createHash('sha256').update(lines.sort().join('\n')).digest('hex') });
const cents = (value: unknown) => Math.round(Number(value) * 100);

/** Non-PHI projections of what the office holds and what Sourceline stored: equal means nothing lost or doubled. */
function simulatorTruth() {
  const t = sim.state.tables;
  return {
    patients: digest(t.patients.all().map((r) => `${r.PatNum}`)),
    appointments: digest(t.appointments.all().map((r) => `${r.AptNum}|${r.PatNum}`)),
    procedures: digest(t.procedurelogs.all().map((r) => `${r.ProcNum}|${r.PatNum}|${cents(r.ProcFee) * (Number(r.UnitQty) + Number(r.BaseUnits))}`)),
    payments: digest(t.payments.all().map((r) => `${r.PayNum}|${r.PatNum}|${cents(r.PayAmt)}`)),
  };
}

async function storedTruth(connectionId: string) {
  return withSystem(platform.db.owner, async (c) => {
    const q = async (sql: string) => (await c.query<{ line: string }>(sql, [connectionId])).rows.map((r) => r.line);
    return {
      patients: digest(await q(`SELECT source_id AS line FROM patients WHERE connection_id = $1 AND deleted_at IS NULL`)),
      appointments: digest(await q(`SELECT source_id || '|' || patient_source_id AS line FROM appointments WHERE connection_id = $1 AND deleted_at IS NULL`)),
      procedures: digest(await q(`SELECT source_id || '|' || patient_source_id || '|' || fee_cents AS line FROM procedures WHERE connection_id = $1 AND deleted_at IS NULL`)),
      payments: digest(await q(`SELECT source_id || '|' || patient_source_id || '|' || amount_cents AS line FROM payments WHERE connection_id = $1 AND deleted_at IS NULL`)),
    };
  });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Sync Agency', ['Sync Dental'])).practiceIds[0]!;
  sim = await startOpenDentalSimulator({ seed: 5, patients: 250, faults: typicalFaults, clockSkewMs: -5 * 60_000 });
});
afterAll(async () => {
  await sim.close();
  await platform.close();
});

describe('syncing Open Dental into the platform', () => {
  it('ends with exactly the simulator’s data despite faults, and a quiet re-run writes nothing', async () => {
    const connectionId = await connect({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone, reconcileEveryHours: 0 });
    expect((await syncAll(connectionId)).every((o) => o.status === 'succeeded')).toBe(true);
    sim.setFaults({ churnPerPage: 0 });
    await syncAll(connectionId);
    expect(await storedTruth(connectionId)).toEqual(simulatorTruth());
    expect(sim.stats.byStatus[429] ?? 0).toBeGreaterThan(0);

    const quiet = await syncAll(connectionId);
    const written = quiet.flatMap((o) => Object.values(o.counts)).reduce((sum, c) => sum + (c?.inserted ?? 0) + (c?.updated ?? 0) + (c?.deleted ?? 0), 0);
    expect(written).toBe(0);
    const runs = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT count(*)::int AS n FROM sync_runs WHERE connection_id = $1 AND status = 'succeeded'`, [connectionId])).rows[0].n);
    expect(runs).toBe(openDental.streams.length * 3);
  });

  it('keeps every patient’s name, phone, e-mail and birthdate out of a full dump of the database and out of the logs', async () => {
    const phi = new Set<string>();
    for (const row of sim.state.tables.patients.all()) {
      for (const field of ['LName', 'FName', 'Preferred', 'Email', 'WirelessPhone', 'HmPhone', 'WkPhone', 'Birthdate', 'Address']) {
        const value = String(row[field] ?? '').trim();
        // Short values ("Li", area-code fragments) occur by chance in hashes and ids; distinctive ones cannot.
        if (value.length >= 6 && value !== '0001-01-01') phi.add(value);
      }
    }
    // Providers are staff, stored readable; a patient who shares a first or last name with one is not a leak.
    for (const provider of sim.state.tables.providers.all()) for (const field of ['FName', 'LName']) phi.delete(String(provider[field] ?? '').trim());
    expect(phi.size).toBeGreaterThan(500);
    const dump = await dumpAllTables(platform.db.owner);
    const logs = platform.logs.join('\n');
    expect([...phi].filter((value) => dump.includes(value))).toEqual([]);
    expect([...phi].filter((value) => logs.includes(value))).toEqual([]);
  });

  it('skips a row the connector cannot map, lists it with the run by id and field, and lands the rest', async () => {
    const connectionId = await connect({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone, reconcileEveryHours: 0 });
    sim.setFaults({ churnPerPage: 0, rate429: 0, rate500: 0 });
    const broken: Record<string, string | number> = { ...sim.state.tables.procedurelogs.all()[3]!, ProcDate: '2024-02-30' };
    sim.state.tables.procedurelogs.upsert(broken);
    const outcome = await runSync(platform, { connectionId, practiceId, stream: 'procedures', trigger: 'manual' }, fast);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.errorCount).toBe(1);
    const run = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT errors FROM sync_runs WHERE id = $1', [outcome.runId])).rows[0]);
    expect(run.errors).toEqual([expect.objectContaining({ record: `ProcNum ${broken.ProcNum}`, field: 'ProcDate' })]);
    const stored = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT count(*)::int AS n FROM procedures WHERE connection_id = $1', [connectionId])).rows[0].n);
    expect(stored).toBe(sim.state.tables.procedurelogs.size - 1);
  });

  it('asks attribution for full runs after an initial sync instead of a note per record, and notes a later change by patient', async () => {
    const practice = (await createAgencyWithPractices(platform, 'Bulk Agency', ['Bulk Dental'])).practiceIds[0]!;
    const connectionId = await connect({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone, reconcileEveryHours: 0 }, practice);
    sim.setFaults({ churnPerPage: 0, rate429: 0, rate500: 0 });
    const sync = (stream: string) => runSync(platform, { connectionId, practiceId: practice, stream, trigger: 'manual' }, { ...fast, batchSize: 50 });
    const notes = () => withSystem(platform.db.owner, async (c) =>
      (await c.query<{ patient_id: string | null; episode_id: string | null }>('SELECT patient_id, episode_id FROM attribution_changes WHERE practice_id = $1', [practice])).rows);
    for (const stream of ['patients', 'procedures']) expect((await sync(stream)).status).toBe('succeeded');

    const initial = await notes();
    expect(initial.length).toBeGreaterThan(0);
    expect(initial.filter((n) => n.patient_id !== null || n.episode_id !== null)).toEqual([]);

    const [visited] = await withSystem(platform.db.owner, async (c) => (await c.query<{ id: string; source_id: string }>(
      `SELECT p.id, p.source_id FROM patients p WHERE p.connection_id = $1 AND p.first_visit_on IS NOT NULL
          AND EXISTS (SELECT 1 FROM procedures r WHERE r.connection_id = $1 AND r.patient_source_id = p.source_id) LIMIT 1`, [connectionId])).rows);
    await withSystem(platform.db.owner, (c) => c.query('DELETE FROM attribution_changes WHERE practice_id = $1', [practice]));
    const procedure = sim.state.tables.procedurelogs.all().find((r) => String(r.PatNum) === visited!.source_id.split(':').pop())!;
    sim.state.tables.procedurelogs.upsert({ ...procedure, ProcFee: (Number(procedure.ProcFee) + 10).toFixed(2), DateTStamp: sim.clock.nowText() });
    expect((await sync('procedures')).counts.procedure).toMatchObject({ inserted: 0, updated: 1 });
    expect(await notes()).toEqual([{ patient_id: visited!.id, episode_id: null }]);
  });

  it('has a run its worker cut short as it stopped retried, and the next run finishes it', async () => {
    const connectionId = await connect({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', timeZone: sim.clock.timeZone });
    const request = { connectionId, practiceId, stream: 'procedures', trigger: 'manual' } as const;
    // graphile-worker aborts the jobs of a runner it stops; whatever the abort breaks first is no fault of the run.
    const stopping = new AbortController();
    const cut = runSync(platform, request, { ...fast, signal: stopping.signal });
    stopping.abort();
    expect(await cut).toMatchObject({ status: 'failed', retryable: true, failure: expect.stringMatching(/^interrupted: the worker stopped/) });
    expect(await runSync(platform, request, fast)).toMatchObject({ status: 'succeeded' });
  });

  it('flags the connection and does not retry when Open Dental rejects the keys', async () => {
    const connectionId = await connect({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'wrong-key', timeZone: sim.clock.timeZone });
    const [outcome] = await syncAll(connectionId);
    expect(outcome).toMatchObject({ status: 'failed', retryable: false });
    const connection = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT status, status_message FROM connections WHERE id = $1', [connectionId])).rows[0]);
    expect(connection.status).toBe('auth_failed');
    expect(connection.status_message).toMatch(/customer key|401/i);
  });
});
