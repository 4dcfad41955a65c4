import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { deliverOutbox } from '../src/mail/deliver-outbox.ts';
import { sendMonthlyReports } from '../src/reports/monthly-report-mail.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { smallPractice } from '../src/matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection, landLeads } from './leads.ts';
import { chartRecord, landCharts, leadRecord, storedId } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';
import { pdfText } from './pdf-text.ts';

let platform: TestPlatform;
let agencyId: string;
let practiceId: string;
let pms: RecordTarget;
let analyst: GraphQLClient;
let viewer: GraphQLClient;
let admin: GraphQLClient;
const world = smallPractice(20);
/** Every household's caller came from a Google ad; even households' callers also answered a newsletter a week before. */
const FEE = 25_000;

const PERFORMANCE = `query($p: ID!, $from: String!, $to: String!, $model: AttributionModel) {
  node(id: $p) { ... on Practice { performance(from: $from, to: $to, model: $model) {
    model from to previousFrom previousTo
    totals { leads newPatients creditedPatients productionCents spendCents costPerPatientCents returnOnSpend }
    previous { leads newPatients creditedPatients productionCents spendCents costPerPatientCents returnOnSpend }
    channels { channel name figures { leads newPatients creditedPatients productionCents spendCents } }
    campaigns(channel: PAID_SEARCH) { campaign figures { creditedPatients spendCents } }
  } } }
}`;

type Figures = { leads: number; newPatients: number; creditedPatients: number; productionCents: number; spendCents: number; costPerPatientCents: number | null; returnOnSpend: number | null };
type Performance = {
  model: string;
  previousFrom: string;
  previousTo: string;
  totals: Figures;
  previous: Figures;
  channels: { channel: string; name: string; figures: Figures }[];
  campaigns: { campaign: string | null; figures: Figures }[];
};

async function performance(client: GraphQLClient, model?: string, range = { from: '2024-01-01', to: '2024-12-31' }): Promise<Performance> {
  const data = await client.data<{ node: { performance: Performance } }>(PERFORMANCE, { p: globalId('Practice', practiceId), ...range, model });
  return data.node.performance;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Attribution Agency', ['Attribution Dental']);
  agencyId = tenant.agencyId;
  practiceId = tenant.practiceIds[0]!;
  pms = await addConnection(platform, practiceId, 'open-dental');
  await landCharts(platform, pms, world.patients.map(chartRecord));
  const calls = await addConnection(platform, practiceId, 'callrail');
  const forms = await addConnection(platform, practiceId, 'gravity-forms');
  await landLeads(platform, calls, world.leads.map((l) => ({ ...leadRecord(l), source: 'google', medium: 'cpc', campaign: 'Implants' })));
  await landLeads(
    platform,
    forms,
    world.leads
      .filter((l) => l.id.startsWith('L') && Number(l.id.slice(1)) % 2 === 0)
      .map((l) => {
        // The caller's e-mail, from the newsletter: no phone, so the form is an episode of its own.
        const chart = world.patients.find((p) => p.id === `A${l.id.slice(1)}`)!;
        const occurredAt = new Date(Date.parse(l.occurredAt) - 7 * 86_400_000).toISOString();
        return {
          ...leadRecord({ ...l, id: `form-${l.id}`, occurredAt, name: `${chart.firstName} ${chart.lastName}`, phone: '', email: chart.email }),
          kind: 'form' as const,
          source: 'newsletter',
          medium: 'email',
        };
      }),
  );
  // Every first-visit chart gets one completed procedure on its first visit.
  const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, pms, cipher, 'procedure', world.patients.filter((p) => p.firstVisitDate).map((p) => ({
      id: `proc-${p.id}`, patientId: p.id, appointmentId: null, providerId: null, locationId: null, status: 'completed' as const,
      performedOn: p.firstVisitDate, code: 'D0150', description: null, unitFeeCents: FEE, quantity: 1, feeCents: FEE, discountCents: 0, sourceUpdatedAt: null,
    }))),
  );
  const ads = await addConnection(platform, practiceId, 'google-ads');
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, ads, cipher, 'spend', [
      { id: 'spend-1', date: '2024-03-01', source: 'google', medium: 'cpc', campaign: 'Implants', adGroup: null, costCents: 500_000, currency: 'USD', clicks: 100, impressions: 1_000 },
    ]),
  );
  await runMatching(platform, practiceId, false);
  await attributeStoredPractice(platform, practiceId);
  analyst = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email);
  viewer = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email);
  admin = await signIn(platform, (await createUser(platform, { agencies: [[agencyId, 'admin']] })).email);
});
afterAll(() => platform.close());

describe('attribution of a practice’s stored records', () => {
  it('counts every new patient once and every dollar of their production once, under every model', async () => {
    const inYear = world.patients.filter((p) => p.firstVisitDate.startsWith('2024'));
    for (const model of ['FIRST_TOUCH', 'LAST_TOUCH', 'LINEAR', 'TIME_DECAY', 'POSITION_BASED', 'MARKOV']) {
      const { totals, channels } = await performance(viewer, model);
      expect(totals.newPatients).toBe(inYear.length);
      expect(totals.creditedPatients).toBeCloseTo(inYear.length, 9);
      expect(totals.productionCents).toBe(inYear.length * FEE);
      expect(channels.reduce((sum, c) => sum + c.figures.productionCents, 0)).toBe(totals.productionCents);
    }
  });

  it('writes only the rollups a run changed: a run over unchanged records leaves every row in place', async () => {
    const rows = async () =>
      withSystem(platform.db.owner, async (c) =>
        (await c.query<{ id: string }>('SELECT id FROM attribution_rollups WHERE practice_id = $1 ORDER BY id', [practiceId])).rows.map((r) => r.id),
      );
    const before = await rows();
    expect(before.length).toBeGreaterThan(0);
    await attributeStoredPractice(platform, practiceId);
    expect(await rows()).toEqual(before);
  });

  it('splits credit by model: first touch gives the web form its patients, last touch the ad call', async () => {
    const first = await performance(viewer, 'FIRST_TOUCH');
    const last = await performance(viewer, 'LAST_TOUCH');
    const patientsOf = (p: Performance, channel: string) => p.channels.find((c) => c.channel === channel)?.figures.creditedPatients ?? 0;
    expect(patientsOf(first, 'EMAIL')).toBeGreaterThan(0);
    expect(patientsOf(last, 'EMAIL')).toBe(0);
    expect(patientsOf(last, 'PAID_SEARCH')).toBeGreaterThan(patientsOf(first, 'PAID_SEARCH'));
    expect(first.totals.leads).toBe(last.totals.leads);
  });

  it('sets spend against the channel and campaign it bought, and gives cost per patient and return on spend', async () => {
    const p = await performance(viewer, 'LAST_TOUCH');
    const paid = p.channels.find((c) => c.channel === 'PAID_SEARCH')!;
    expect(paid.name).toBe('Paid Search');
    expect(paid.figures.spendCents).toBe(500_000);
    expect(p.totals.spendCents).toBe(500_000);
    expect(p.totals.costPerPatientCents).toBeCloseTo(500_000 / p.totals.creditedPatients, 6);
    expect(p.totals.returnOnSpend).toBeCloseTo(p.totals.productionCents / 500_000, 9);
    expect(p.campaigns.find((c) => c.campaign === 'Implants')?.figures.spendCents).toBe(500_000);
    expect([p.previousFrom, p.previousTo]).toEqual(['2022-12-31', '2023-12-31']);
  });

  it('gives the previous period the figures that period has as a range of its own', async () => {
    for (const model of ['FIRST_TOUCH', 'MARKOV']) {
      const later = await performance(viewer, model, { from: '2025-01-01', to: '2025-12-31' });
      const { totals } = await performance(viewer, model, { from: later.previousFrom, to: later.previousTo });
      expect(totals.newPatients).toBeGreaterThan(0);
      expect(totals.spendCents).toBe(500_000);
      const { leads, newPatients, creditedPatients, productionCents, spendCents, costPerPatientCents, returnOnSpend } = totals;
      expect(later.previous).toEqual({ leads, newPatients, creditedPatients, productionCents, spendCents, costPerPatientCents, returnOnSpend });
    }
  });

  it('shows an analyst a patient’s touchpoints and every model’s credit', async () => {
    const data = await analyst.data<{ node: { attribution: { primaryChannel: string; summary: string; touchpoints: { channel: string; origin: string; credits: { model: string; weight: number }[] }[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Patient { attribution { primaryChannel summary touchpoints { channel origin credits { model weight } } } } } }`,
      { id: globalId('Patient', await storedId(platform, 'patients', 'A4')) },
    );
    const { attribution } = data.node;
    expect(attribution.touchpoints.map((t) => t.channel)).toEqual(['EMAIL', 'PAID_SEARCH']);
    const weights = (model: string) => attribution.touchpoints.map((t) => t.credits.find((c) => c.model === model)!.weight);
    expect(weights('FIRST_TOUCH')).toEqual([1, 0]);
    expect(weights('LINEAR')).toEqual([0.5, 0.5]);
    expect(attribution.summary).toMatch(/^Primary channel: /);
  });

  it('drills into a channel: the new patients it touched, what it did for each, sorted and paged; viewers may not', async () => {
    const DRILL = `query($p: ID!, $c: ReportChannel!, $order: AttributedPatientOrder, $first: Int, $offset: Int) {
      node(id: $p) { ... on Practice { attributedPatients(channel: $c, from: "2024-01-01", to: "2024-12-31", model: LINEAR, orderBy: $order, first: $first, offset: $offset) {
        total items { patient { sourceId } firstContactOn share campaigns stage confidence productionCents } } } }
    }`;
    type Page = { node: { attributedPatients: { total: number; items: { patient: { sourceId: string }; firstContactOn: string; share: number; campaigns: string[]; stage: string; confidence: number | null; productionCents: number }[] } } };
    const email = (await analyst.data<Page>(DRILL, { p: globalId('Practice', practiceId), c: 'EMAIL' })).node.attributedPatients;
    // The newsletter reached the even households' callers, and through them the children registered with them.
    expect(email.items.map((i) => i.patient.sourceId).sort()).toEqual(
      world.patients.filter((p) => /^[AC]\d+$/.test(p.id) && Number(p.id.slice(1)) % 2 === 0 && p.firstVisitDate.startsWith('2024')).map((p) => p.id).sort(),
    );
    expect(email.items.every((i) => i.share === 0.5 && i.stage === 'SEEN' && i.confidence! > 0.5 && i.productionCents === FEE)).toBe(true);

    const paid = (await analyst.data<Page>(DRILL, { p: globalId('Practice', practiceId), c: 'PAID_SEARCH', order: 'FIRST_CONTACT', first: 5, offset: 0 })).node.attributedPatients;
    expect(paid.total).toBeGreaterThan(email.total);
    expect(paid.items).toHaveLength(5);
    expect(paid.items.every((i) => i.campaigns.includes('Implants'))).toBe(true);
    const contacts = paid.items.map((i) => i.firstContactOn);
    expect(contacts).toEqual([...contacts].sort().reverse());
    const next = (await analyst.data<Page>(DRILL, { p: globalId('Practice', practiceId), c: 'PAID_SEARCH', order: 'FIRST_CONTACT', first: 5, offset: 5 })).node.attributedPatients;
    expect(next.items.map((i) => i.patient.sourceId)).not.toContain(paid.items[0]!.patient.sourceId);
    // Match confidence sorts too, surest first.
    const byConfidence = (await analyst.data<Page>(DRILL, { p: globalId('Practice', practiceId), c: 'PAID_SEARCH', order: 'CONFIDENCE', first: 100 })).node.attributedPatients;
    const confidences = byConfidence.items.map((i) => i.confidence ?? -1);
    expect(new Set(confidences).size).toBeGreaterThan(1);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));

    expect(await viewer.error(DRILL, { p: globalId('Practice', practiceId), c: 'EMAIL' })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('gives a chart its completed production', async () => {
    const withVisit = world.patients.find((p) => p.firstVisitDate)!;
    const withoutVisit = world.patients.find((p) => !p.firstVisitDate);
    const production = async (id: string) =>
      (await analyst.data<{ node: { productionCents: number } }>(`query($id: ID!) { node(id: $id) { ... on Patient { productionCents } } }`, {
        id: globalId('Patient', await storedId(platform, 'patients', id)),
      })).node.productionCents;
    expect(await production(withVisit.id)).toBe(FEE);
    if (withoutVisit) expect(await production(withoutVisit.id)).toBe(0);
  });

  it('reads the PMS’s “how did you hear about us” as a touch in its channel, and keeps the typed text sealed', async () => {
    const chart = world.patients.find((p) => p.firstVisitDate && p.id === 'A9') ?? world.patients.find((p) => p.firstVisitDate)!;
    const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
    const land = (sourceName: string) =>
      withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
        upsertRecords(client, pms, cipher, 'referral-source', [
          // Typed by the front desk, not one of the office's named marketing sources: it could name a person.
          { id: `ref-${chart.id}`, patientId: chart.id, sourceName, sourceKind: 'other', referringPatientId: null, referredOn: null, rank: 0 },
        ]),
      );
    await land('Saw your ad on Facebook Ads');
    await attributeStoredPractice(platform, practiceId);
    const touches = async () =>
      (await analyst.data<{ node: { attribution: { touchpoints: { origin: string; channel: string }[] } } }>(
        `query($id: ID!) { node(id: $id) { ... on Patient { attribution { touchpoints { origin channel } } } } }`,
        { id: globalId('Patient', await storedId(platform, 'patients', chart.id)) },
      )).node.attribution.touchpoints;
    expect(await touches()).toContainEqual({ origin: 'referral-source', channel: 'PAID_SOCIAL' });
    expect(await dumpAllTables(platform.db.owner)).not.toContain('Facebook Ads');
    await land('none');
    await attributeStoredPractice(platform, practiceId);
    expect((await touches()).map((t) => t.origin)).not.toContain('referral-source');
  });

  it('counts a touch staff entered by hand, until they take it back; viewers may not add one', async () => {
    const a7 = world.patients.find((p) => p.id === 'A7')!;
    const patient = globalId('Patient', await storedId(platform, 'patients', 'A7'));
    const day = new Date(Date.parse(`${a7.firstVisitDate}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
    const ADD = `mutation($p: ID!, $d: String!, $n: String) { addManualTouchpoint(patientId: $p, occurredOn: $d, channel: OFFLINE_OTHER, campaign: "Spring health fair", note: $n) { id occurredOn hasNote } }`;
    expect(await viewer.error(ADD, { p: patient, d: day })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await analyst.error(ADD, { p: patient, d: '2999-01-01' })).toMatchObject({ code: 'BAD_USER_INPUT', message: 'A touch cannot be in the future.' });
    const added = (await analyst.data<{ addManualTouchpoint: { id: string; occurredOn: string; hasNote: boolean } }>(ADD, { p: patient, d: day, n: 'her sister works at the fair booth' })).addManualTouchpoint;
    expect(added).toMatchObject({ occurredOn: day, hasNote: true });

    await attributeStoredPractice(platform, practiceId);
    const touches = async () =>
      (await analyst.data<{ node: { attribution: { touchpoints: { origin: string; channel: string; campaign: string | null }[] } } }>(
        `query($id: ID!) { node(id: $id) { ... on Patient { attribution { touchpoints { origin channel campaign } } } } }`,
        { id: patient },
      )).node.attribution.touchpoints;
    expect(await touches()).toContainEqual({ origin: 'manual', channel: 'OFFLINE_OTHER', campaign: 'Spring health fair' });
    expect(await dumpAllTables(platform.db.owner)).not.toContain('fair booth');

    await analyst.data(`mutation($id: ID!) { removeManualTouchpoint(id: $id) }`, { id: added.id });
    await attributeStoredPractice(platform, practiceId);
    expect((await touches()).map((t) => t.origin)).not.toContain('manual');
    const audited = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT action FROM audit_log WHERE action LIKE 'attribution.touchpoint%' ORDER BY seq`)).rows.map((r) => r.action));
    expect(audited).toEqual(['attribution.touchpoint_added', 'attribution.touchpoint_removed']);
  });

  it('keeps the day totals the console reads equal to the rollups summed by day, through runs, updates and deletes', async () => {
    const measures = `leads, linked_leads, new_patients, credited_patient_millionths, production_level1_cents, production_level2_cents,
      production_level3_cents, collections_level1_cents, collections_level2_cents`;
    const summed = measures.split(',').map((m) => `sum(${m.trim()})::text AS ${m.trim()}`).join(', ');
    const inStep = async () =>
      withSystem(platform.db.owner, async (c) => {
        const totals = (await c.query(`SELECT model, day::text, ${measures.replace(/\w+/g, '$&::text')} FROM attribution_day_totals
                                        WHERE practice_id = $1 AND (leads, new_patients, credited_patient_millionths, production_level1_cents,
                                              production_level2_cents, collections_level1_cents, collections_level2_cents) <> (0, 0, 0, 0, 0, 0, 0)
                                        ORDER BY 1, 2`, [practiceId])).rows;
        const rollups = (await c.query(`SELECT model, day::text, ${summed} FROM attribution_rollups WHERE practice_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [practiceId])).rows;
        return { totals, rollups };
      });
    // After the runs of the tests above (a manual touch added, then taken back).
    const before = await inStep();
    expect(before.totals.length).toBeGreaterThan(0);
    expect(before.totals).toEqual(before.rollups);
    await withSystem(platform.db.owner, async (c) => {
      await c.query(`UPDATE attribution_rollups SET leads = leads + 2, production_level1_cents = production_level1_cents + 5 WHERE practice_id = $1 AND model = 'linear'`, [practiceId]);
      await c.query(`DELETE FROM attribution_rollups WHERE id = (SELECT min(id) FROM attribution_rollups WHERE practice_id = $1 AND model = 'markov')`, [practiceId]);
    });
    const edited = await inStep();
    expect(edited.totals).not.toEqual(before.totals);
    expect(edited.totals).toEqual(edited.rollups);
    // The next run puts the rollups back, and the totals with them.
    await attributeStoredPractice(platform, practiceId);
    expect((await inStep()).totals).toEqual(before.totals);
  });

  it('lets an admin change the default model; dashboards follow, and viewers may not change it', async () => {
    expect(await viewer.error(`mutation($p: ID!) { updateAttributionSettings(practiceId: $p, defaultModel: LINEAR) { defaultModel } }`, { p: globalId('Practice', practiceId) })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await admin.error(`mutation($p: ID!) { updateAttributionSettings(practiceId: $p, lookbackDays: -3) { defaultModel } }`, { p: globalId('Practice', practiceId) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/lookback/),
    });
    await admin.data(`mutation($p: ID!) { updateAttributionSettings(practiceId: $p, defaultModel: FIRST_TOUCH, lookbackDays: 120) { defaultModel } }`, { p: globalId('Practice', practiceId) });
    await attributeStoredPractice(platform, practiceId);
    expect((await performance(viewer)).model).toBe('FIRST_TOUCH');
    const audited = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT details FROM audit_log WHERE action = 'attribution.settings_updated'`)).rows);
    expect(audited).toEqual([{ details: expect.objectContaining({ defaultModel: 'first-touch', lookbackDays: 120, previousDefaultModel: 'position-based' }) }]);
  });

  it('gives the agency console each practice’s figures, match rate, sync health and trend', async () => {
    const data = await admin.data<{ node: { practicePerformance: { practice: { name: string }; figures: Figures; matchRate: number; syncHealth: string; trend: number[] }[] } }>(
      `query($a: ID!) { node(id: $a) { ... on Agency { practicePerformance(from: "2024-01-01", to: "2024-12-31") { practice { name } figures { newPatients productionCents } matchRate syncHealth trend } } } }`,
      { a: globalId('Agency', agencyId) },
    );
    const [row] = data.node.practicePerformance;
    expect(row!.practice.name).toBe('Attribution Dental');
    expect(row!.figures.newPatients).toBe(world.patients.filter((p) => p.firstVisitDate.startsWith('2024')).length);
    expect(row!.matchRate).toBeGreaterThan(0.3);
    expect(row!.syncHealth).toBe('NEW');
    expect(row!.trend).toHaveLength(12);
    expect(row!.trend.reduce((a, b) => a + b, 0)).toBe(row!.figures.newPatients);
  });

  it('exports the channels for everyone, and a channel’s patients with their names only for analysts, audited', async () => {
    const exportAs = (client: GraphQLClient | null, path: string) =>
      fetch(`${platform.url}/exports/${practiceId}/${path}`, { headers: client ? { cookie: `sl_session=${client.cookie('sl_session')}` } : {} });
    const channels = await exportAs(viewer, 'channels.csv?from=2024-01-01&to=2024-12-31&model=last-touch');
    expect(channels.status).toBe(200);
    expect(channels.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(channels.headers.get('content-disposition')).toContain('sourceline-channels-2024-01-01-to-2024-12-31.csv');
    const lines = (await channels.text()).trim().split('\n');
    expect(lines[0]).toBe('channel,leads,new_patients,credited_patients,production,collections,spend,cost_per_lead,cost_per_patient,return_on_spend');
    expect(lines.find((l) => l.startsWith('Paid Search,'))?.split(',')[6]).toBe('5000.00');

    expect((await exportAs(viewer, 'patients.csv?from=2024-01-01&to=2024-12-31&channel=email')).status).toBe(403);
    expect((await exportAs(null, 'channels.csv?from=2024-01-01&to=2024-12-31')).status).toBe(401);
    const bad = await exportAs(analyst, 'patients.csv?from=2024-01-01&to=2024-12-31&channel=carrier-pigeon');
    expect([bad.status, await bad.text()]).toEqual([400, expect.stringContaining('Unknown channel: use one of')]);

    const patients = await exportAs(analyst, 'patients.csv?from=2024-01-01&to=2024-12-31&channel=email');
    const rows = (await patients.text()).trim().split('\n');
    expect(rows[0]).toBe('chart,first_name,last_name,first_contact,first_visit,campaigns,ad_groups,keywords,production,stage,credit,match_confidence');
    const a0 = world.patients.find((p) => p.id === 'A0')!;
    expect(rows.find((r) => r.startsWith('A0,'))).toMatch(new RegExp(`^A0,${a0.firstName},${a0.lastName},`));
    const audited = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT fields, details FROM audit_log WHERE action = 'export.csv' AND practice_id = $1 ORDER BY seq`, [practiceId])).rows,
    );
    expect(audited.map((a) => a.details.report)).toEqual(['channels', 'patients']);
    expect(audited[1].fields).toEqual(['patient.firstName', 'patient.lastName']);
  });

  it('freezes a month for good, shows what late data changed since, and reports it as a PDF naming the practice and period on every page', async () => {
    const FREEZE = `mutation($p: ID!, $m: String!) { freezeMonth(practiceId: $p, month: $m) { month snapshot { contentHash intact totals { productionCents newPatients } drift { productionCents newPatients } } } }`;
    const p = globalId('Practice', practiceId);
    expect(await viewer.error(FREEZE, { p, m: '2024-06' })).toMatchObject({ code: 'FORBIDDEN' });
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(await admin.error(FREEZE, { p, m: thisMonth })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/not over yet/) });
    const frozen = (await admin.data<{ freezeMonth: { snapshot: { contentHash: string; intact: boolean; totals: { productionCents: number }; drift: { productionCents: number } } } }>(FREEZE, { p, m: '2024-06' })).freezeMonth.snapshot;
    expect(frozen.intact).toBe(true);
    expect(frozen.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(frozen.drift.productionCents).toBe(0);
    expect(await admin.error(FREEZE, { p, m: '2024-06' })).toMatchObject({ code: 'CONFLICT' });
    // Not even the system role may change or remove a frozen month (and a trigger stops a superuser).
    await expect(withSystem(platform.db.owner, (c) => c.query(`UPDATE month_snapshots SET figures = '{}' WHERE practice_id = $1`, [practiceId]))).rejects.toThrow(/permission denied/);
    await expect(withSystem(platform.db.owner, (c) => c.query(`DELETE FROM month_snapshots WHERE practice_id = $1`, [practiceId]))).rejects.toThrow(/permission denied/);

    // A late procedure for a patient whose first visit was in June.
    const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
    await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
      upsertRecords(client, pms, cipher, 'procedure', [{
        id: 'late-crown', patientId: 'A5', appointmentId: null, providerId: null, locationId: null, status: 'completed', performedOn: '2024-06-20',
        code: 'D2740', description: null, unitFeeCents: 10_000, quantity: 1, feeCents: 10_000, discountCents: 0, sourceUpdatedAt: null,
      }]),
    );
    await attributeStoredPractice(platform, practiceId);
    const months = await viewer.data<{ node: { monthEnd: { month: string; snapshot: { totals: { productionCents: number }; drift: { productionCents: number } } | null; live: { productionCents: number } }[] } }>(
      `query($p: ID!) { node(id: $p) { ... on Practice { monthEnd(last: 36) { month snapshot { totals { productionCents } drift { productionCents } } live { productionCents } } } } }`,
      { p },
    );
    const june = months.node.monthEnd.find((m) => m.month === '2024-06')!;
    expect(june.snapshot!.totals.productionCents).toBe(frozen.totals.productionCents);
    expect(june.snapshot!.drift.productionCents).toBe(10_000);
    expect(june.live.productionCents).toBe(frozen.totals.productionCents + 10_000);

    const pdfAs = async (client: GraphQLClient) => {
      const response = await fetch(`${platform.url}/exports/${practiceId}/month-report.pdf?month=2024-06`, { headers: { cookie: `sl_session=${client.cookie('sl_session')}` } });
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/pdf']);
      return pdfText(Buffer.from(await response.arrayBuffer()));
    };
    const pages = (await pdfAs(analyst)).split('\f').filter((page) => page.trim());
    for (const page of pages) expect(page).toMatch(/Attribution Dental[\s\S]*June 2024 · 2024-06-01 to 2024-06-30/);
    const text = pages.join('\n');
    expect(text).toContain('Month-end report: June 2024');
    expect(text).toMatch(/Since close: \+\$100/);
    const a5 = world.patients.find((x) => x.id === 'A5')!;
    expect(text).toContain(`${a5.firstName} ${a5.lastName}`);
    expect(await pdfAs(viewer)).not.toContain(a5.lastName);
  });

  it('mails last month’s report to the practice’s admins on the 1st, with the PDF and without patient names', async () => {
    const result = await sendMonthlyReports(platform, '2024-06');
    expect(result).toEqual({ practices: 1, emails: 1 });
    const outbox = await mkdtemp(path.join(tmpdir(), 'sourceline-outbox-'));
    try {
      expect(await deliverOutbox({ ...platform, config: { ...platform.config, dataDir: outbox } })).toEqual({ sent: 1, failed: 0 });
      const [file] = await readdir(path.join(outbox, 'outbox'));
      const message = await readFile(path.join(outbox, 'outbox', file!), 'utf8');
      expect(message).toMatch(/^Subject: Attribution Dental: month-end report for June 2024/m);
      expect(message).toMatch(/Content-Type: application\/pdf; name=sourceline-month-report-2024-06\.pdf/);
      // The attachment: the part after the PDF's headers, up to the closing boundary.
      const part = message.slice(message.indexOf('Content-Type: application/pdf'));
      const pdf = Buffer.from(part.slice(part.search(/\r?\n\r?\n/)).split('----_')[0]!.replace(/\s/g, ''), 'base64');
      const text = pdfText(pdf);
      expect(text).toContain('Month-end report: June 2024');
      const a5 = world.patients.find((x) => x.id === 'A5')!;
      expect(text).not.toContain(a5.lastName);
      expect(message).not.toContain(a5.lastName);
    } finally {
      await rm(outbox, { recursive: true, force: true });
    }
  });

  it('points out what undermines a range’s figures: here, a year whose leads fell to nothing', async () => {
    const QUALITY = `query($p: ID!, $from: String!, $to: String!) { node(id: $p) { ... on Practice { dataQuality(from: $from, to: $to) { kind severity count title action } } } }`;
    type Quality = { node: { dataQuality: { kind: string; severity: string; count: number; title: string; action: string }[] } };
    const busy = (await viewer.data<Quality>(QUALITY, { p: globalId('Practice', practiceId), from: '2024-01-01', to: '2024-12-31' })).node.dataQuality;
    expect(busy.map((i) => i.kind)).not.toContain('lead-drop');
    const quiet = (await viewer.data<Quality>(QUALITY, { p: globalId('Practice', practiceId), from: '2025-01-01', to: '2025-12-31' })).node.dataQuality;
    const drop = quiet.find((i) => i.kind === 'lead-drop');
    expect(drop).toMatchObject({ severity: 'warning', title: 'Leads fell 100% against the previous period' });
    expect(drop!.count).toBeGreaterThan(20);
  });

  it('names a bad range', async () => {
    const error = await viewer.error(PERFORMANCE, { p: globalId('Practice', practiceId), from: '2024-12-31', to: '2024-01-01' });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', message: '`to` must not be before `from`.' });
  });
});
