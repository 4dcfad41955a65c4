import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributePractice } from '../src/attribution/engine.ts';
import { attributeStoredPractice, runAttribution } from '../src/attribution/practice/attribute-practice.ts';
import { readAttributionInputs } from '../src/attribution/practice/attribution-inputs.ts';
import { queueNightlyAttribution } from '../src/attribution/practice/attribution-job.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { smallPractice } from '../src/matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { addConnection, landLeads } from './leads.ts';
import { chartRecord, landCharts, leadRecord, storedId } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

// A run recomputes only what changed, with the last full run's Markov fit. What it leaves in the rollups must equal
// a recompute of the whole practice with that fit: checked after each kind of change the triggers note.
let platform: TestPlatform;
let practiceId: string;
let pms: RecordTarget;
let calls: RecordTarget;
const world = smallPractice(12);

const MEASURES = `leads, linked_leads, new_patients, credited_patient_millionths, production_level1_cents, production_level2_cents,
  production_level3_cents, collections_level1_cents, collections_level2_cents`;

/** The stored rollups, one line per row, in a stable order. */
async function storedRollups(): Promise<string[]> {
  return withSystem(platform.db.owner, async (c) =>
    (await c.query<{ row: string }>(
      `SELECT concat_ws('|', model, day, location_id, channel, campaign, ${MEASURES}) AS row FROM attribution_rollups WHERE practice_id = $1`,
      [practiceId],
    )).rows.map((r) => r.row).sort(),
  );
}

/** The whole practice recomputed in memory from its stored records, with the stored run's fit and settings. */
async function recomputedWithStoredFit(): Promise<string[]> {
  const { input, run } = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => ({
    input: await readAttributionInputs(client, await platform.keys.cipherForClient(client, practiceId)),
    run: (await client.query('SELECT markov, settings FROM attribution_runs WHERE practice_id = $1', [practiceId])).rows[0],
  }));
  const { rollups } = attributePractice({ ...input, settings: run.settings, markovFit: run.markov });
  return rollups
    .map((r) => [r.model, r.day, r.locationId ?? '', r.channel, r.campaign ?? '', r.leads, r.linkedLeads, r.newPatients, r.creditedPatientMillionths,
      r.productionLevel1Cents, r.productionLevel2Cents, r.productionLevel3Cents, r.collectionsLevel1Cents, r.collectionsLevel2Cents]
      .filter((v, i) => !(i === 2 || i === 4) || v !== '').join('|'))
    .sort();
}

async function pendingNotes(): Promise<number> {
  return withSystem(platform.db.owner, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM attribution_changes WHERE practice_id = $1', [practiceId])).rows[0]!.n);
}

async function procedure(chartId: string, id: string, performedOn: string, feeCents: number): Promise<void> {
  const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, pms, cipher, 'procedure', [{
      id, patientId: chartId, appointmentId: null, providerId: null, locationId: null, status: 'completed' as const, performedOn, code: 'D6010',
      description: null, unitFeeCents: feeCents, quantity: 1, feeCents, discountCents: 0, sourceUpdatedAt: null,
    }]),
  );
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Changes Agency', ['Changes Dental']);
  practiceId = tenant.practiceIds[0]!;
  pms = await addConnection(platform, practiceId, 'open-dental');
  calls = await addConnection(platform, practiceId, 'callrail');
  await landCharts(platform, pms, world.patients.map(chartRecord));
  await landLeads(platform, calls, world.leads.map((l) => ({ ...leadRecord(l), source: 'google', medium: 'cpc', campaign: 'Implants' })));
  for (const chart of world.patients.filter((p) => p.firstVisitDate)) await procedure(chart.id, `proc-${chart.id}`, chart.firstVisitDate, 20_000);
  await runMatching(platform, practiceId, false);
  expect((await runAttribution(platform, practiceId)).mode).toBe('full');
});
afterAll(() => platform.close());

describe('attribution runs that recompute only what changed', () => {
  it('does nothing when nothing changed since the last run', async () => {
    expect(await pendingNotes()).toBe(0);
    const before = await storedRollups();
    expect(await runAttribution(platform, practiceId)).toMatchObject({ mode: 'unchanged' });
    expect(await storedRollups()).toEqual(before);
  });

  it('recomputes one patient when a procedure lands on their chart, and leaves the rollups a full recompute would', async () => {
    const before = await storedRollups();
    await procedure('A3', 'implant-A3', world.patients.find((p) => p.id === 'A3')!.firstVisitDate, 350_000);
    expect(await runAttribution(platform, practiceId)).toMatchObject({ mode: 'changes', patientsRecomputed: 1, episodesRecomputed: 0 });
    const after = await storedRollups();
    expect(after).not.toEqual(before);
    expect(after).toEqual(await recomputedWithStoredFit());
    expect(await pendingNotes()).toBe(0);
  });

  it('follows a new lead matched to a chart: its episode, and the patients it now touches', async () => {
    const chart = world.patients.find((p) => p.id === 'A5')!;
    const occurredAt = new Date(Date.parse(`${chart.firstVisitDate}T00:00:00Z`) - 20 * 86_400_000).toISOString();
    await landLeads(platform, calls, [{ ...leadRecord({ id: 'late-call', occurredAt, name: `${chart.lastName} ${chart.firstName}`.toUpperCase(), phone: `+1${chart.mobilePhone}`, email: '' }), source: 'google', medium: 'cpc', gclid: 'gclid-late-call' }]);
    await runMatching(platform, practiceId, false);
    const summary = await runAttribution(platform, practiceId);
    expect(summary.mode).toBe('changes');
    expect(summary.episodesRecomputed).toBeGreaterThanOrEqual(1);
    expect(summary.patientsRecomputed).toBeGreaterThanOrEqual(1);
    expect(await storedRollups()).toEqual(await recomputedWithStoredFit());
  });

  it('follows the names Google Ads gives a click to its lead’s campaign, when the click is pulled after the lead', async () => {
    const ads = await addConnection(platform, practiceId, 'google-ads');
    await withSystem(platform.db.owner, (c) =>
      c.query(
        `INSERT INTO ad_clicks (practice_id, connection_id, source_id, content_hash, network, account_id, click_id, clicked_on, campaign_source_id, campaign_name)
         VALUES ($1, $2, 'gads:click:late', '\\x01', 'google-ads', '1234567890', 'gclid-late-call', '2024-01-01', 'cmp9', 'Spring Implants')`,
        [practiceId, ads.connectionId],
      ),
    );
    expect(await runAttribution(platform, practiceId)).toMatchObject({ mode: 'changes', episodesRecomputed: 1 });
    const after = await storedRollups();
    expect(after.some((row) => row.includes('|Spring Implants|'))).toBe(true);
    expect(after).toEqual(await recomputedWithStoredFit());
  });

  it('takes a withdrawn lead, a hand-entered touch and a deleted procedure back out', async () => {
    const leadId = await storedId(platform, 'leads', 'L7');
    const patientId = await storedId(platform, 'patients', 'A8');
    await withSystem(platform.db.owner, async (c) => {
      await c.query('UPDATE leads SET deleted_at = now() WHERE id = $1', [leadId]);
      await c.query(`INSERT INTO manual_touchpoints (practice_id, patient_id, occurred_on, channel, campaign) VALUES ($1, $2, '2024-08-01', 'offline-other', 'Health fair')`,
        [practiceId, patientId]);
    });
    await withSystem(platform.db.owner, (c) => c.query(`DELETE FROM procedures WHERE source_id = 'proc-A9'`));
    expect((await runAttribution(platform, practiceId)).mode).toBe('changes');
    expect(await storedRollups()).toEqual(await recomputedWithStoredFit());
    const touches = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ origins: string[] }>(`SELECT array(SELECT t->>'origin' FROM jsonb_array_elements(touchpoints) t) AS origins FROM patient_attributions WHERE patient_id = $1`, [patientId])).rows[0]!.origins);
    expect(touches).toContain('manual');
  });

  it('runs in full, refitting, when the settings change or a chart with a stored attribution is deleted', async () => {
    await withSystem(platform.db.owner, (c) => c.query(`INSERT INTO attribution_settings (practice_id, lookback_days) VALUES ($1, 30)`, [practiceId]));
    expect((await runAttribution(platform, practiceId)).mode).toBe('full');
    expect(await storedRollups()).toEqual(await recomputedWithStoredFit());
    await withSystem(platform.db.owner, (c) => c.query(`DELETE FROM patients WHERE practice_id = $1 AND source_id = 'A2'`, [practiceId]));
    expect((await runAttribution(platform, practiceId)).mode).toBe('full');
    expect(await pendingNotes()).toBe(0);
  });

  it('runs in full when a stored attribution is too old to take back out', async () => {
    const patientId = await storedId(platform, 'patients', 'A6');
    await withSystem(platform.db.owner, (c) => c.query('UPDATE patient_attributions SET revenue_days = NULL WHERE patient_id = $1', [patientId]));
    await procedure('A6', 'crown-A6', world.patients.find((p) => p.id === 'A6')!.firstVisitDate, 90_000);
    expect((await runAttribution(platform, practiceId)).mode).toBe('full');
    expect(await storedRollups()).toEqual(await recomputedWithStoredFit());
  });

  it('agrees with a full run over the same records when the fit stays the same', async () => {
    await procedure('C4', 'crown-C4', world.patients.find((p) => p.id === 'C4')!.firstVisitDate, 120_000);
    expect((await runAttribution(platform, practiceId)).mode).toBe('changes');
    const incremental = await storedRollups();
    await attributeStoredPractice(platform, practiceId);
    const markovless = (rows: string[]) => rows.filter((r) => !r.startsWith('markov|'));
    expect(markovless(await storedRollups())).toEqual(markovless(incremental));
  });

  it('counts the leads of a practice without charts yet on the nightly run, which drains its notes', async () => {
    const { practiceIds } = await createAgencyWithPractices(platform, 'Leads Only Agency', ['Leads Only Dental']);
    const leadsOnly = practiceIds[0]!;
    const forms = await addConnection(platform, leadsOnly, 'gravity-forms');
    await landLeads(platform, forms, [{ ...leadRecord({ id: 'first-form', occurredAt: '2024-05-02T15:00:00Z', name: 'Dana Prospect', phone: '', email: 'dana@example.org' }), kind: 'form' as const, source: 'google', medium: 'organic' }]);
    const notes = async () => withSystem(platform.db.owner, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM attribution_changes WHERE practice_id = $1', [leadsOnly])).rows[0]!.n);
    expect(await notes()).toBeGreaterThan(0);
    expect(await queueNightlyAttribution(platform)).toBeGreaterThanOrEqual(2);
    expect(await runAttribution(platform, leadsOnly)).toMatchObject({ mode: 'full', newPatients: 0 });
    expect(await notes()).toBe(0);
    const leads = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ n: number }>(`SELECT coalesce(sum(leads), 0)::int AS n FROM attribution_rollups WHERE practice_id = $1 AND model = 'linear'`, [leadsOnly])).rows[0]!.n);
    expect(leads).toBe(1);
  });
});
