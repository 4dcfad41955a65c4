import { startGoogleAdsFake, type GoogleAdsFake } from '@sourceline/connector-google-ads/fake';
import type { Lead } from '@sourceline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { conversionOrderId } from '../src/conversions/conversion-order-id.ts';
import { runQueuedAdConversionUploads } from '../src/conversions/ad-conversion-upload-job.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { patient } from '../src/matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection, landLeads, lead } from './leads.ts';
import { chartRecord, landCharts, storedId } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

/**
 * A practice in Chicago whose new patients came, or did not come, through Google ads:
 * - A1: a newsletter e-mail, then a Google ad click (gclid), then a plain call: position based gives the click 20%;
 * - A2: an iOS click (gbraid only), first visit in summer, with follow-on treatment;
 * - A3: a call, then a form with a gclid from the same phone four days later: one episode, so the click is a repeat
 *   contact, not a touch of its own;
 * - A4: clicked an ad two days after the first visit;
 * - A5: Google saw the click after the first visit (the lead's time says before): Google refuses the conversion;
 * - A6: a gclid Google's account does not know;
 * - A7: matched to a lead without a click id; A8: a gclid patient whose first visit is before the range.
 */
let platform: TestPlatform;
let fake: GoogleAdsFake;
let practiceId: string;
let admin: GraphQLClient;
let analyst: GraphQLClient;
let viewer: GraphQLClient;
let googleAds: string;
const RANGE = { from: '2025-01-01', to: '2025-07-31' };
const patientIds = new Map<string, string>();

const charts = [
  patient({ id: 'A1', firstName: 'Annika', lastName: 'Zellweger', firstVisitDate: '2025-01-20', createdAt: '2025-01-16T15:00:00Z' }),
  patient({ id: 'A2', firstName: 'Bartholomew', lastName: 'Quenneville', firstVisitDate: '2025-07-15', createdAt: '2025-07-10T15:00:00Z' }),
  patient({ id: 'A3', firstName: 'Cordelia', lastName: 'Vantongeren', firstVisitDate: '2025-03-10', createdAt: '2025-03-06T15:00:00Z' }),
  patient({ id: 'A4', firstName: 'Desmond', lastName: 'Oyelaran', firstVisitDate: '2025-02-10', createdAt: '2025-02-01T15:00:00Z' }),
  patient({ id: 'A5', firstName: 'Evangeline', lastName: 'Prud’homme', firstVisitDate: '2025-04-01', createdAt: '2025-03-28T15:00:00Z' }),
  patient({ id: 'A6', firstName: 'Fitzgerald', lastName: 'Nakashima', firstVisitDate: '2025-05-05', createdAt: '2025-05-02T15:00:00Z' }),
  patient({ id: 'A7', firstName: 'Georgiana', lastName: 'Lindqvist', firstVisitDate: '2025-06-10', createdAt: '2025-06-01T15:00:00Z' }),
  patient({ id: 'A8', firstName: 'Horatio', lastName: 'Blackwood', firstVisitDate: '2024-12-20', createdAt: '2024-12-10T15:00:00Z' }),
];
const PHONES = { a1ad: '+16145350101', a1call: '+16145350199', a2: '+16145350102', a3: '+16145350103', a4: '+16145350104', a5: '+16145350105', a6: '+16145350106', a8: '+16145350108' };
const ad = (id: string, occurredAt: string, fields: Partial<Lead>): Lead => lead(id, { occurredAt, source: 'google', medium: 'cpc', campaign: 'Implants', ...fields });
/** [lead, patient] pairs a person links by hand. */
const LEADS: [Lead, string][] = [
  [lead('L1-email', { occurredAt: '2025-01-02T15:00:00Z', email: 'annika.z@example.test', source: 'newsletter', medium: 'email' }), 'A1'],
  [ad('L1-ad', '2025-01-08T16:00:00Z', { phone: PHONES.a1ad, gclid: 'Cj0KCQiA_A1click' }), 'A1'],
  [lead('L1-call', { occurredAt: '2025-01-15T17:00:00Z', kind: 'call', phone: PHONES.a1call }), 'A1'],
  [ad('L2-ios', '2025-07-01T16:00:00Z', { phone: PHONES.a2, clickIds: { gbraid: 'GBRAIDa2click' } }), 'A2'],
  [lead('L3-call', { occurredAt: '2025-03-01T15:00:00Z', kind: 'call', phone: PHONES.a3 }), 'A3'],
  [ad('L3-ad', '2025-03-05T15:00:00Z', { phone: PHONES.a3, gclid: 'Cj0KCQiA_A3repeat' }), 'A3'],
  [ad('L4-ad', '2025-02-12T15:00:00Z', { phone: PHONES.a4, gclid: 'Cj0KCQiA_A4late' }), 'A4'],
  [ad('L5-ad', '2025-03-25T15:00:00Z', { phone: PHONES.a5, gclid: 'Cj0KCQiA_A5early' }), 'A5'],
  [ad('L6-ad', '2025-05-01T15:00:00Z', { phone: PHONES.a6, gclid: 'Cj0KCQiA_A6unknown' }), 'A6'],
  [lead('L7-email', { occurredAt: '2025-06-01T15:00:00Z', email: 'georgiana@example.test', source: 'newsletter', medium: 'email' }), 'A7'],
  [ad('L8-ad', '2024-12-15T15:00:00Z', { phone: PHONES.a8, gclid: 'Cj0KCQiA_A8before' }), 'A8'],
];
/** Completed production: [chart, day, cents]. */
const PRODUCTION: [string, string, number][] = [
  ['A1', '2025-01-20', 120_000], ['A2', '2025-07-15', 45_000], ['A2', '2025-08-01', 30_000], ['A3', '2025-03-10', 50_000], ['A4', '2025-02-10', 30_000],
  ['A5', '2025-04-01', 60_000], ['A6', '2025-05-05', 20_000], ['A7', '2025-06-10', 10_000], ['A8', '2024-12-20', 10_000],
];
/** Everything identifying in the world above: none of it may leave in a file or an upload. */
const PHI = [...charts.flatMap((c) => [c.firstName, c.lastName]), ...Object.values(PHONES), ...Object.values(PHONES).map((p) => p.slice(2)), 'annika.z@example.test', 'georgiana@example.test'];

const orderIdOf = (chart: string) => conversionOrderId('new_patient', patientIds.get(chart)!);
const actionId = (model: string) => fake.account.conversionActions.find((a) => a.attributionModel === model)!.id;
const EXTERNAL = () => actionId('EXTERNAL');
const GOOGLE = () => actionId('GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN');

beforeAll(async () => {
  platform = await startTestPlatform();
  fake = await startGoogleAdsFake({
    seed: 17,
    clicks: [
      { clickId: 'Cj0KCQiA_A1click', clickedAt: '2025-01-08T15:59:00Z' },
      { clickId: 'GBRAIDa2click', clickedAt: '2025-07-01T15:59:00Z' },
      { clickId: 'Cj0KCQiA_A3repeat', clickedAt: '2025-03-05T14:59:00Z' },
      { clickId: 'Cj0KCQiA_A4late', clickedAt: '2025-02-12T14:59:00Z' },
      // Google's click is later than the lead's own time: the first visit precedes it.
      { clickId: 'Cj0KCQiA_A5early', clickedAt: '2025-04-03T15:00:00Z' },
      { clickId: 'Cj0KCQiA_A8before', clickedAt: '2024-12-15T14:59:00Z' },
    ],
  });
  const tenant = await createAgencyWithPractices(platform, 'Conversions Agency', ['Lakeside Dental']);
  practiceId = tenant.practiceIds[0]!;
  await withSystem(platform.db.owner, (c) => c.query(`UPDATE practices SET time_zone = 'America/Chicago' WHERE id = $1`, [practiceId]));
  const pms = await addConnection(platform, practiceId, 'open-dental');
  await landCharts(platform, pms, charts.map(chartRecord));
  await landProduction(pms);
  const forms = await addConnection(platform, practiceId, 'gravity-forms');
  await landLeads(platform, forms, LEADS.map(([l]) => l));
  for (const c of charts) patientIds.set(c.id, await storedId(platform, 'patients', c.id));

  admin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
  analyst = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email);
  viewer = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email);
  for (const [l, chart] of LEADS) {
    await analyst.data('mutation($l: ID!, $p: ID!) { decideMatch(leadId: $l, patientId: $p, verdict: LINK) { decision } }', {
      l: globalId('Lead', await storedId(platform, 'leads', l.id)), p: globalId('Patient', patientIds.get(chart)!),
    });
  }
  await attributeStoredPractice(platform, practiceId);

  const created = await admin.data<{ createConnection: { id: string } }>(
    'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "google-ads", settings: $s) { id } }',
    {
      p: globalId('Practice', practiceId),
      s: JSON.stringify({
        apiBaseUrl: fake.apiBaseUrl, tokenUrl: fake.tokenUrl, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret,
        refreshToken: fake.oauth.refreshToken, developerToken: fake.developerToken, customerId: fake.account.customer.id,
      }),
    },
  );
  googleAds = created.createConnection.id;
});
afterAll(async () => {
  await fake?.close();
  await platform?.close();
});

async function landProduction(pms: RecordTarget): Promise<void> {
  const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, pms, cipher, 'procedure', PRODUCTION.map(([chart, day, cents], i) => ({
      id: `proc-${i}`, patientId: chart, appointmentId: null, providerId: null, locationId: null, status: 'completed' as const, performedOn: day,
      code: 'D2740', description: null, unitFeeCents: cents, quantity: 1, feeCents: cents, discountCents: 0, sourceUpdatedAt: null,
    }))),
  );
}

const exportAs = (client: GraphQLClient | null, query: string) =>
  fetch(`${platform.url}/exports/${practiceId}/google-ads-conversions.csv?${query}`, { headers: client ? { cookie: `sl_session=${client.cookie('sl_session')}` } : {} });

const UPLOAD = `mutation($c: ID!, $a: String!, $from: String!, $to: String!, $dry: Boolean) {
  uploadGoogleAdsConversions(connectionId: $c, conversionActionId: $a, from: $from, to: $to, validateOnly: $dry) { id status from to }
}`;
const UPLOADS = `query($p: ID!) { node(id: $p) { ... on Practice { googleAdsConversionUploads(first: 1) {
  id status attribution conversionActionName selected sent accepted alreadyUploaded rejected skipped { reason count } rejections { orderId code } googleJobIds failure
} } } }`;
interface Upload {
  id: string; status: string; attribution: string | null; conversionActionName: string | null; selected: number; sent: number; accepted: number;
  alreadyUploaded: number; rejected: number; skipped: { reason: string; count: number }[]; rejections: { orderId: string; code: string }[]; googleJobIds: string[];
  failure: string | null;
}

/** Asks for an upload as the admin, runs the practice's upload job, and reads what it recorded. */
async function upload(conversionActionId: string, options: { validateOnly?: boolean } = {}): Promise<Upload> {
  await admin.data(UPLOAD, { c: googleAds, a: conversionActionId, ...RANGE, dry: options.validateOnly ?? false });
  await runQueuedAdConversionUploads(platform, practiceId, { http: { baseBackoffMs: 1, maxBackoffMs: 5 }, now: () => new Date('2025-09-01T00:00:00Z') });
  return (await admin.data<{ node: { googleAdsConversionUploads: Upload[] } }>(UPLOADS, { p: globalId('Practice', practiceId) })).node.googleAdsConversionUploads[0]!;
}
const sortedSkips = (u: Upload) => [...u.skipped].sort((a, b) => a.reason.localeCompare(b.reason));
const sortedRejections = (u: Upload) => [...u.rejections].sort((a, b) => a.code.localeCompare(b.code));
const lastRequest = () => fake.conversions.requests.at(-1) as { conversions: Record<string, unknown>[] };
const keptFor = (action: string) => fake.conversions.uploaded.filter((u) => u.conversionActionId === action);

describe('Google Ads offline conversions of matched patients', () => {
  it('exports Google’s externally attributed import file: each gclid patient’s credit under the default model and credited production, in the practice’s zone', async () => {
    const response = await exportAs(analyst, `from=${RANGE.from}&to=${RANGE.to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain('sourceline-google-ads-conversions-2025-01-01-to-2025-07-31.csv');
    const [model, zone, header, ...rows] = (await response.text()).trimEnd().split('\n');
    expect([model, zone, header]).toEqual([
      'Parameters:Attribution Model = Sourceline Position based (40/20/40)',
      'Parameters:TimeZone=America/Chicago',
      'Google Click ID,Conversion Name,Conversion Time,Attributed Credit,Conversion Value,Conversion Currency',
    ]);
    // A2's click is a gbraid (API only), A3's a repeat contact (no credit), A4's after the visit: none of them is here.
    expect(rows.sort()).toEqual([
      'Cj0KCQiA_A1click,New patient – first visit,2025-01-20 23:59:59,0.2,240.00,USD',
      'Cj0KCQiA_A5early,New patient – first visit,2025-04-01 23:59:59,1,600.00,USD',
      'Cj0KCQiA_A6unknown,New patient – first visit,2025-05-05 23:59:59,1,200.00,USD',
    ]);
  });

  it('exports the plain template for Google’s own attribution: whole production, repeat-contact clicks included', async () => {
    const response = await exportAs(admin, `from=${RANGE.from}&to=${RANGE.to}&attribution=google&conversionName=${encodeURIComponent('Booked, first visit')}&currency=CAD`);
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Parameters:TimeZone=America/Chicago', 'Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency']);
    expect(lines.slice(2).sort()).toEqual([
      'Cj0KCQiA_A1click,"Booked, first visit",2025-01-20 23:59:59,1200.00,CAD',
      'Cj0KCQiA_A3repeat,"Booked, first visit",2025-03-10 23:59:59,500.00,CAD',
      'Cj0KCQiA_A5early,"Booked, first visit",2025-04-01 23:59:59,600.00,CAD',
      'Cj0KCQiA_A6unknown,"Booked, first visit",2025-05-05 23:59:59,200.00,CAD',
    ]);
  });

  it('audits each export before its first byte, naming the report and range; refuses viewers, strangers and bad parameters', async () => {
    const audited = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT fields, details FROM audit_log WHERE action = 'export.csv' AND practice_id = $1 ORDER BY seq`, [practiceId])).rows,
    );
    expect(audited).toEqual([
      { fields: ['lead.gclid'], details: { report: 'google-ads-conversions', from: RANGE.from, to: RANGE.to, channel: null } },
      { fields: ['lead.gclid'], details: { report: 'google-ads-conversions', from: RANGE.from, to: RANGE.to, channel: null } },
    ]);
    const refused = await exportAs(viewer, `from=${RANGE.from}&to=${RANGE.to}`);
    expect([refused.status, await refused.text()]).toEqual([403, 'You do not have permission to export this report.']);
    expect((await exportAs(null, `from=${RANGE.from}&to=${RANGE.to}`)).status).toBe(401);
    const bad = await exportAs(analyst, `from=${RANGE.from}&to=${RANGE.to}&attribution=linear`);
    expect([bad.status, await bad.text()]).toEqual([400, expect.stringContaining('attribution must be external')]);
    const formula = await exportAs(analyst, `from=${RANGE.from}&to=${RANGE.to}&conversionName=${encodeURIComponent('=HYPERLINK("x")')}`);
    expect(formula.status).toBe(400);
    // Refused requests leave no audit event: nothing was exported.
    const count = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.csv'`)).rows[0].n);
    expect(count).toBe(2);
  });

  it('uploads exactly the expected conversions to a Google-attributed action, and reports Google’s partial failures by order id', async () => {
    const result = await upload(GOOGLE());
    expect(result).toMatchObject({ status: 'succeeded', attribution: 'google', conversionActionName: 'New patient (Google attribution)', selected: 6, sent: 5, accepted: 3, alreadyUploaded: 0, rejected: 2, failure: null });
    expect(sortedSkips(result)).toEqual([{ reason: 'click-after-visit', count: 1 }]);
    expect(sortedRejections(result)).toEqual([{ orderId: orderIdOf('A5'), code: 'CONVERSION_PRECEDES_EVENT' }, { orderId: orderIdOf('A6'), code: 'EVENT_NOT_FOUND' }]);
    expect(result.googleJobIds).toHaveLength(1);

    const action = `customers/${fake.account.customer.id}/conversionActions/${GOOGLE()}`;
    const sent = (chart: string, click: Record<string, string>, time: string, value: number) => ({
      ...click, conversionAction: action, conversionDateTime: time, conversionValue: value, currencyCode: 'USD', orderId: orderIdOf(chart),
    });
    expect(lastRequest().conversions.sort((a, b) => String(a.orderId).localeCompare(String(b.orderId)))).toEqual(
      [
        sent('A1', { gclid: 'Cj0KCQiA_A1click' }, '2025-01-20 23:59:59-06:00', 1200),
        sent('A2', { gbraid: 'GBRAIDa2click' }, '2025-07-15 23:59:59-05:00', 750),
        sent('A3', { gclid: 'Cj0KCQiA_A3repeat' }, '2025-03-10 23:59:59-05:00', 500),
        sent('A5', { gclid: 'Cj0KCQiA_A5early' }, '2025-04-01 23:59:59-05:00', 600),
        sent('A6', { gclid: 'Cj0KCQiA_A6unknown' }, '2025-05-05 23:59:59-05:00', 200),
      ].sort((a, b) => a.orderId.localeCompare(b.orderId)),
    );
    expect(keptFor(GOOGLE()).map((u) => u.orderId).sort()).toEqual([orderIdOf('A1'), orderIdOf('A2'), orderIdOf('A3')].sort());
  });

  it('sends the same order ids again on a second upload of the range, and Google keeps one conversion per order', async () => {
    const firstOrders = lastRequest().conversions.map((c) => c.orderId).sort();
    const again = await upload(GOOGLE());
    expect(again).toMatchObject({ status: 'succeeded', sent: 5, accepted: 0, alreadyUploaded: 3, rejected: 2 });
    expect(lastRequest().conversions.map((c) => c.orderId).sort()).toEqual(firstOrders);
    expect(keptFor(GOOGLE())).toHaveLength(3);
  });

  it('gives an externally attributed action Sourceline’s credit and the credited production, without order ids', async () => {
    const result = await upload(EXTERNAL());
    expect(result).toMatchObject({ status: 'succeeded', attribution: 'external', selected: 6, sent: 4, accepted: 2, rejected: 2 });
    expect(sortedSkips(result)).toEqual([{ reason: 'click-after-visit', count: 1 }, { reason: 'no-credit-under-model', count: 1 }]);
    const model = 'Sourceline Position based (40/20/40)';
    expect(keptFor(EXTERNAL()).map(({ clickId, conversionValue, orderId, externalAttribution }) => ({ clickId, conversionValue, orderId, externalAttribution }))
      .sort((a, b) => a.clickId.value.localeCompare(b.clickId.value))).toEqual([
      { clickId: { kind: 'gclid', value: 'Cj0KCQiA_A1click' }, conversionValue: 240, orderId: null, externalAttribution: { credit: 0.2, model } },
      { clickId: { kind: 'gbraid', value: 'GBRAIDa2click' }, conversionValue: 750, orderId: null, externalAttribution: { credit: 1, model } },
    ]);
    // Again: Google has them by click and time, so nothing is doubled.
    expect(await upload(EXTERNAL())).toMatchObject({ accepted: 0, alreadyUploaded: 2, rejected: 2 });
    expect(keptFor(EXTERNAL())).toHaveLength(2);
  });

  it('checks a dry run with Google without anything kept', async () => {
    const kept = fake.conversions.uploaded.length;
    const dry = await upload(GOOGLE(), { validateOnly: true });
    expect(dry).toMatchObject({ status: 'succeeded', sent: 5 });
    expect(fake.conversions.uploaded).toHaveLength(kept);
  });

  it('fails an upload to an action that cannot take offline conversions, saying what to use instead', async () => {
    const failed = await upload(actionId('GOOGLE_ADS_LAST_CLICK'));
    expect(failed).toMatchObject({ status: 'failed', sent: 0, failure: expect.stringMatching(/WEBPAGE action.*UPLOAD_CLICKS/) });
    expect((await upload('424242')).failure).toMatch(/has no conversion action 424242/);
  });

  it('sends no names, phones or e-mails, in the file or the upload, and keeps no click id in its records', async () => {
    const file = await (await exportAs(analyst, `from=${RANGE.from}&to=${RANGE.to}&attribution=google`)).text();
    const sentBodies = JSON.stringify(fake.conversions.requests);
    for (const value of PHI) {
      expect(file).not.toContain(value);
      expect(sentBodies).not.toContain(value);
    }
    const stored = await withSystem(platform.db.owner, async (c) => JSON.stringify((await c.query('SELECT * FROM google_ads_conversion_uploads')).rows));
    expect(stored).not.toMatch(/Cj0KCQiA_|GBRAID/);
    const audits = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'google_ads.%' GROUP BY action ORDER BY action`)).rows,
    );
    // Two uploads to the Google-attributed action, two to the external one, a dry run and two that failed.
    expect(audits).toEqual([{ action: 'google_ads.conversion_upload_requested', n: 7 }, { action: 'google_ads.conversions_uploaded', n: 7 }]);
  });

  it('puts an upload back in the queue when Google cannot be reached, and fails it on the job’s last attempt', async () => {
    const unreachable = await admin.data<{ createConnection: { id: string } }>(
      'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "google-ads", displayName: "Unreachable", settings: $s) { id } }',
      {
        p: globalId('Practice', practiceId),
        s: JSON.stringify({ apiBaseUrl: 'http://127.0.0.1:1', tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', clientSecret: 's', refreshToken: 'r', developerToken: 'd', customerId: '1234567890' }),
      },
    );
    await admin.data(UPLOAD, { c: unreachable.createConnection.id, a: GOOGLE(), ...RANGE });
    const run = (finalAttempt: boolean) => runQueuedAdConversionUploads(platform, practiceId, { finalAttempt, http: { baseBackoffMs: 1, maxBackoffMs: 2, maxAttempts: 2 } });
    await expect(run(false)).rejects.toThrow(/network error/);
    const latest = async () => (await admin.data<{ node: { googleAdsConversionUploads: Upload[] } }>(UPLOADS, { p: globalId('Practice', practiceId) })).node.googleAdsConversionUploads[0]!;
    expect(await latest()).toMatchObject({ status: 'queued', failure: expect.stringMatching(/^will retry: network error/) });
    await run(true);
    expect(await latest()).toMatchObject({ status: 'failed', sent: 0, failure: expect.stringMatching(/^network error/) });
  });

  it('lets only admins upload, and queues the practice’s upload job', async () => {
    const variables = { c: googleAds, a: GOOGLE(), ...RANGE };
    expect(await analyst.error(UPLOAD, variables)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await viewer.error(UPLOAD, variables)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await admin.error(UPLOAD, { ...variables, a: 'ctId=1' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const forms = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT id FROM connections WHERE practice_id = $1 AND connector_id = 'gravity-forms'`, [practiceId])).rows[0].id as string,
    );
    expect(await admin.error(UPLOAD, { ...variables, c: globalId('Connection', forms) })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/Google Ads connection/) });
    await admin.data(UPLOAD, variables);
    const jobs = await platform.db.owner.query(
      `SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'upload_google_ads_conversions'`,
    );
    expect(jobs.rows).toEqual([{ payload: { practiceId } }]);
  });
});
