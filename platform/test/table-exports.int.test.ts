import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { smallPractice } from '../src/matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection, landLeads } from './leads.ts';
import { chartRecord, landCharts, leadRecord, storedId } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

/**
 * The CSV exports of the app's tables beyond the dashboard's (see attribution.int.test.ts for channels, campaigns and
 * patients): the agency console, leads, the review queue, spend, month-end snapshots, sync runs and the audit logs.
 */
let platform: TestPlatform;
let agencyId: string;
let practiceId: string;
let pms: RecordTarget;
let otherConnectionId: string;
let otherAgencyId: string;
let admin: GraphQLClient;
let analyst: GraphQLClient;
let viewer: GraphQLClient;
let practiceAdmin: GraphQLClient;
let outsider: GraphQLClient;
const world = smallPractice(12);
const RANGE = 'from=2024-01-01&to=2024-12-31';

const exportAs = async (client: GraphQLClient | null, path: string) => {
  const response = await fetch(`${platform.url}/exports/${path}`, { headers: client ? { cookie: `sl_session=${client.cookie('sl_session')}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), file: response.headers.get('content-disposition'), text: await response.text() };
};
const lines = (text: string) => text.trimEnd().split('\n');

/** The `export.csv` events of a tenant since a sequence number, oldest first. */
const exportEvents = (where: 'practice_id' | 'agency_id', id: string) =>
  withSystem(platform.db.owner, async (c) =>
    (await c.query(`SELECT practice_id, agency_id, fields, details FROM audit_log WHERE action = 'export.csv' AND ${where} = $1 ORDER BY id`, [id])).rows,
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Export Agency', ['Export Dental']);
  agencyId = tenant.agencyId;
  practiceId = tenant.practiceIds[0]!;
  const other = await createAgencyWithPractices(platform, 'Other Agency', ['Other Dental']);
  otherAgencyId = other.agencyId;
  otherConnectionId = (await addConnection(platform, other.practiceIds[0]!, 'open-dental')).connectionId;

  pms = await addConnection(platform, practiceId, 'open-dental');
  const calls = await addConnection(platform, practiceId, 'callrail');
  await landCharts(platform, pms, world.patients.map(chartRecord));
  await landLeads(
    platform,
    calls,
    // One campaign named like a formula: the file must show it as text.
    world.leads.map((l) => ({ ...leadRecord(l), source: 'google', medium: 'cpc', campaign: l.id === 'L1' ? '=HYPERLINK("http://evil.example")' : 'Implants' })),
  );
  const ads = await addConnection(platform, practiceId, 'google-ads');
  const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, ads, cipher, 'spend', [
      { id: 'spend-1', date: '2024-03-01', source: 'google', medium: 'cpc', campaign: 'Implants', adGroup: null, costCents: 123_456, currency: 'USD', clicks: 40, impressions: 900 },
      { id: 'spend-2', date: '2024-03-02', source: 'google', medium: 'cpc', campaign: 'Implants', adGroup: null, costCents: 50_000, currency: 'USD', clicks: null, impressions: null },
    ]),
  );
  await runMatching(platform, practiceId, false);
  await attributeStoredPractice(platform, practiceId);
  await withSystem(platform.db.owner, async (c) => {
    // A pair left for review, and a finished sync run with a rejected record.
    await c.query(
      `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method) VALUES ($1, $2, $3, 'review', 0.4, 'name_date')
       ON CONFLICT (lead_id, patient_id) DO UPDATE SET decision = 'review'`,
      [await storedId(platform, 'leads', 'P2'), await storedId(platform, 'patients', 'N2'), practiceId],
    );
    await c.query(
      `INSERT INTO sync_runs (practice_id, connection_id, stream, trigger, status, finished_at, counts, errors, error_count, progress_done)
       VALUES ($1, $2, 'patients', 'schedule', 'succeeded', now(), '{"patient":{"inserted":5,"updated":2},"appointment":{"inserted":1}}',
               '[{"record":"patient:77","field":"birthDate","message":"not a date"}]', 1, 8)`,
      [practiceId, pms.connectionId],
    );
  });

  admin = await signIn(platform, (await createUser(platform, { agencies: [[agencyId, 'admin']] })).email);
  analyst = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email);
  viewer = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email);
  practiceAdmin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
  outsider = await signIn(platform, (await createUser(platform, { agencies: [[other.agencyId, 'admin']] })).email);
  await admin.data(`mutation($p: ID!) { freezeMonth(practiceId: $p, month: "2024-06") { month } }`, { p: globalId('Practice', practiceId) });
});
afterAll(() => platform.close());

describe('CSV exports of the app’s tables', () => {
  it('exports the agency console: every practice the caller sees, with its figures; audited on the agency', async () => {
    const file = await exportAs(admin, `agencies/${agencyId}/practices.csv?${RANGE}&model=linear`);
    expect([file.status, file.type, file.file]).toEqual([200, expect.stringMatching(/^text\/csv/), 'attachment; filename="sourceline-practices-2024-01-01-to-2024-12-31.csv"']);
    const [header, ...rows] = lines(file.text);
    expect(header).toBe('practice,time_zone,leads,new_patients,credited_patients,production,collections,spend,cost_per_lead,cost_per_patient,return_on_spend,match_rate,sync_health,last_synced_at');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^Export Dental,America\/New_York,\d+,\d+,[\d.]+,[\d.]+,[\d.]+,1734\.56,/);
    // A practice member reaches the agency's console through their practice: aggregates, so viewers too.
    expect((await exportAs(viewer, `agencies/${agencyId}/practices.csv?${RANGE}`)).status).toBe(200);
    expect((await exportAs(admin, `agencies/${agencyId}/practices.csv`)).status).toBe(400);
    const details = { report: 'practices', from: '2024-01-01', to: '2024-12-31' };
    expect(await exportEvents('agency_id', agencyId)).toEqual([{ practice_id: null, agency_id: agencyId, fields: [], details }]);
    // The viewer has no place in the agency's log: their practice's records it.
    expect((await exportEvents('practice_id', practiceId)).filter((e) => e.details.report === 'practices')).toEqual([{ practice_id: practiceId, agency_id: null, fields: [], details }]);
  });

  it('exports the leads with the screen’s filters; analysts get who got in touch and whom matching linked, audited', async () => {
    const all = await exportAs(analyst, `${practiceId}/leads.csv`);
    expect([all.status, all.file]).toEqual([200, 'attachment; filename="sourceline-leads-all.csv"']);
    const [header, ...rows] = lines(all.text);
    expect(header).toBe('occurred_at,kind,channel,channel_rule,source,medium,campaign,ad_group,keyword,referrer_host,duration_seconds,contact,stage,name,phone,email,matched_to');
    expect(rows).toHaveLength(world.leads.length);
    // Newest first, as the screen.
    const times = rows.map((r) => r.split(',')[0]!);
    expect(times).toEqual([...times].sort().reverse());
    const l3 = world.leads.find((l) => l.id === 'L3')!;
    const a3 = world.patients.find((p) => p.id === 'A3')!;
    expect(rows.find((r) => r.includes(l3.name))).toMatch(new RegExp(`${a3.firstName} ${a3.lastName} \\(A3, link [01]\\.\\d\\d\\)`));
    // How far each lead got: L3's caller came in.
    expect(rows.find((r) => r.includes(l3.name))).toMatch(/,(seen|treatment),/);
    expect(all.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

    const unmatched = lines((await exportAs(analyst, `${practiceId}/leads.csv?status=UNMATCHED`)).text).slice(1);
    expect(unmatched.length).toBeGreaterThan(0);
    expect(unmatched.length).toBeLessThan(rows.length);
    expect(unmatched.every((r) => !/\(\w+, link /.test(r))).toBe(true);
    expect((await exportAs(analyst, `${practiceId}/leads.csv?status=repeat`)).status).toBe(200);
    // The channel drill-down's pipeline: one channel's new leads no patient has come in from yet.
    const pipelineFile = await exportAs(analyst, `${practiceId}/leads.csv?status=NOT_SEEN&channel=paid-search`);
    expect([pipelineFile.status, pipelineFile.text.slice(0, 120)]).toEqual([200, expect.stringMatching(/^occurred_at,/)]);
    const pipeline = lines(pipelineFile.text).slice(1);
    expect(pipeline.length).toBeGreaterThan(0);
    expect(pipeline.every((r) => r.split(',')[2] === 'Paid Search' && /,(lead|scheduled),/.test(r))).toBe(true);
    // The drill-down's days: whole days in the practice's zone.
    const march = lines((await exportAs(analyst, `${practiceId}/leads.csv?from=2024-03-01&to=2024-03-31`)).text).slice(1);
    const inMarch = await withSystem(platform.db.owner, async (c) =>
      (await c.query(
        `SELECT count(*)::int AS n FROM leads l JOIN practices p ON p.id = l.practice_id
          WHERE l.practice_id = $1 AND l.deleted_at IS NULL
            AND l.occurred_at >= ('2024-03-01'::timestamp AT TIME ZONE p.time_zone) AND l.occurred_at < ('2024-04-01'::timestamp AT TIME ZONE p.time_zone)`,
        [practiceId],
      )).rows[0].n,
    );
    expect(inMarch).toBeGreaterThan(0);
    expect(march).toHaveLength(inMarch);
    expect((await exportAs(analyst, `${practiceId}/leads.csv?from=2024-03-31&to=2024-03-01`)).status).toBe(400);
    const bad = await exportAs(analyst, `${practiceId}/leads.csv?status=hot`);
    expect([bad.status, bad.text]).toEqual([400, 'Unknown status: use one of all, unmatched, not-seen, repeat.']);
    expect((await exportAs(analyst, `${practiceId}/leads.csv?channel=unattributed`)).status).toBe(400);

    const audited = (await exportEvents('practice_id', practiceId)).filter((e) => e.details.report === 'leads');
    expect(audited.map((e) => e.details.status)).toEqual(['all', 'unmatched', 'repeat', 'not-seen', 'all']);
    expect(audited[0].fields).toEqual(['lead.name', 'lead.phone', 'lead.email', 'patient.firstName', 'patient.lastName']);
  });

  it('gives a viewer the same leads without the people columns: no name, phone or e-mail anywhere in the file', async () => {
    const file = await exportAs(viewer, `${practiceId}/leads.csv`);
    expect(file.status).toBe(200);
    const [header, ...rows] = lines(file.text);
    expect(header).toBe('occurred_at,kind,channel,channel_rule,source,medium,campaign,ad_group,keyword,referrer_host,duration_seconds,contact');
    // Nor the pipeline: whether people came in for care is about patients.
    expect((await exportAs(viewer, `${practiceId}/leads.csv?status=NOT_SEEN`)).status).toBe(403);
    expect(rows).toHaveLength(world.leads.length);
    for (const lead of world.leads) {
      expect(file.text).not.toContain(lead.name);
      expect(file.text).not.toContain(lead.phone.slice(-7));
    }
    for (const p of world.patients) expect(file.text).not.toContain(p.lastName);
    const [event] = (await exportEvents('practice_id', practiceId)).filter((e) => e.details.report === 'leads').slice(-1);
    expect(event.fields).toEqual([]);
  });

  it('exports the review queue by name for analysts; viewers are refused, as on the screen', async () => {
    const file = await exportAs(analyst, `${practiceId}/review-queue.csv`);
    expect(file.status).toBe(200);
    const [header, ...rows] = lines(file.text);
    expect(header).toBe('lead_occurred_at,lead_kind,lead_channel,lead_campaign,lead_name,lead_phone,lead_email,chart,patient_first_name,patient_last_name,confidence,method,evidence,revenue_at_stake');
    const n2 = world.patients.find((p) => p.id === 'N2')!;
    const p2 = world.leads.find((l) => l.id === 'P2')!;
    expect(rows.find((r) => r.includes(`,N2,${n2.firstName},${n2.lastName},`))).toMatch(new RegExp(`^[^,]+,call,Paid Search,Implants,${p2.name},${p2.phone},,N2,.*,0\\.4,name_date,`));
    const refused = await exportAs(viewer, `${practiceId}/review-queue.csv`);
    expect([refused.status, refused.text]).toEqual([403, 'You do not have permission to export this report.']);
  });

  it('exports spend for the range, to the cent, for everyone; a range longer than the screen reads is a 400', async () => {
    const file = await exportAs(viewer, `${practiceId}/spend.csv?${RANGE}`);
    expect(file.status).toBe(200);
    expect(lines(file.text)).toEqual([
      'date,channel,channel_origin,source,medium,campaign,ad_group,amount,currency,clicks,impressions,recorded_from',
      '2024-03-02,Paid Search,classified,google,cpc,Implants,,500.00,USD,,,google-ads',
      '2024-03-01,Paid Search,classified,google,cpc,Implants,,1234.56,USD,40,900,google-ads',
    ]);
    const tooLong = await exportAs(viewer, `${practiceId}/spend.csv?from=2022-01-01&to=2024-12-31`);
    expect([tooLong.status, tooLong.text]).toEqual([400, 'Ask for 1 to 366 days of spend at a time.']);
  });

  it('exports the frozen months with their figures, hash and drift', async () => {
    const file = await exportAs(viewer, `${practiceId}/month-snapshots.csv`);
    const [header, ...rows] = lines(file.text);
    expect(header).toBe('month,model,frozen_at,content_hash,intact,leads,new_patients,credited_patients,production,collections,spend,cost_per_lead,cost_per_patient,return_on_spend,drift_leads,drift_new_patients,drift_production,drift_spend');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^2024-06,position-based,\d{4}-\d\d-\d\dT[\d:.]+Z,[0-9a-f]{64},true,\d+,\d+,[\d.]+,[\d.]+,[\d.]+,0\.00,,,,0,0,0,0$/);
  });

  it('exports a connection’s run history; another practice’s connection is not found', async () => {
    const file = await exportAs(viewer, `${practiceId}/sync-runs.csv?connection=${pms.connectionId}`);
    expect([file.status, file.file]).toEqual([200, `attachment; filename="sourceline-sync-runs-${pms.connectionId}.csv"`]);
    const [header, run] = lines(file.text);
    expect(header).toBe('started_at,finished_at,stream,trigger,status,progress_done,progress_total,inserted,updated,deleted,skipped,error_count,errors,failure');
    expect(run).toMatch(/^[\d-]+T[\d:.]+Z,[\d-]+T[\d:.]+Z,patients,schedule,succeeded,8,,6,2,0,0,1,"\[\{.*""record"":""patient:77"".*\}\]",$/);
    expect((await exportAs(admin, `${practiceId}/sync-runs.csv?connection=${otherConnectionId}`)).status).toBe(404);
    expect((await exportAs(admin, `${practiceId}/sync-runs.csv`)).status).toBe(404);
  });

  it('exports a practice’s and an agency’s audit log to their admins, with the screen’s filters', async () => {
    const file = await exportAs(practiceAdmin, `${practiceId}/audit-log.csv?action=export.&from=2024-01-01`);
    expect([file.status, file.file]).toEqual([200, 'attachment; filename="sourceline-audit-log-export..csv"']);
    const [header, ...rows] = lines(file.text);
    expect(header).toBe('occurred_at,action,actor,actor_email,via_api_token,target_type,target_id,fields,ip,user_agent,details');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => /^[^,]+,export\.csv,/.test(r))).toBe(true);
    // Its own event comes first: written before the first byte.
    expect(rows[0]).toContain('""report"":""audit-log""');
    expect(lines((await exportAs(practiceAdmin, `${practiceId}/audit-log.csv?to=2020-01-01`)).text)).toHaveLength(1);
    expect((await exportAs(analyst, `${practiceId}/audit-log.csv`)).status).toBe(403);
    expect((await exportAs(practiceAdmin, `${practiceId}/audit-log.csv?from=2024-02-01&to=2024-01-01`)).status).toBe(400);

    const agency = await exportAs(admin, `agencies/${agencyId}/audit-log.csv`);
    expect(agency.status).toBe(200);
    expect(lines(agency.text)[1]).toMatch(/,export\.csv,Test user\d+-\d+,user\d+-\d+@example\.test,false,/);
    // A practice admin reaches the agency only through the practice: its console, not its log.
    expect((await exportAs(practiceAdmin, `agencies/${agencyId}/audit-log.csv`)).status).toBe(403);
  });

  it('refuses another tenant’s practice and agency, strangers, and unknown files, auditing nothing', async () => {
    const before = (await exportEvents('practice_id', practiceId)).length;
    for (const file of ['leads.csv', 'review-queue.csv', `spend.csv?${RANGE}`, 'month-snapshots.csv', `sync-runs.csv?connection=${pms.connectionId}`, 'audit-log.csv']) {
      const refused = await exportAs(outsider, `${practiceId}/${file}`);
      expect([file, refused.status, refused.text]).toEqual([file, 404, 'That practice does not exist, or is not yours to see.']);
      expect((await exportAs(null, `${practiceId}/${file}`)).status).toBe(401);
    }
    for (const file of [`practices.csv?${RANGE}`, 'audit-log.csv']) {
      expect((await exportAs(outsider, `agencies/${agencyId}/${file}`)).status).toBe(404);
      expect((await exportAs(admin, `agencies/${otherAgencyId}/${file}`)).status).toBe(404);
    }
    expect((await exportAs(admin, `${practiceId}/everything.csv`)).status).toBe(404);
    expect((await exportEvents('practice_id', practiceId)).length).toBe(before);
    expect(await exportEvents('agency_id', otherAgencyId)).toEqual([]);
  });
});
