import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { withSystem, withTenant, withTenantClient } from '../src/db/tenant-transaction.ts';
import { listLeads } from '../src/leads/list-leads.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { chartRecord, patient } from '../src/matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { addConnection, landLeads, lead } from './leads.ts';
import { landCharts } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

// A lead that carried only Google's click id (a form on a page without UTMs) gets the campaign, ad group and keyword
// of the click Google Ads reports for it; a lead whose UTMs name the campaign differently takes Google's name, the
// one spend is reported under.
let platform: TestPlatform;
let practiceId: string;
let ads: RecordTarget;

const CLICK = { network: 'google-ads' as const, accountId: '1234567890', clickedOn: '2024-03-01', campaignId: 'c-1', adGroupId: 'g-1', matchType: 'PHRASE', campaignType: 'SEARCH' };

async function practiceLeads(): Promise<Map<string, { campaign: string | null; adGroup: string | null; keyword: string | null }>> {
  const rows = await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => listLeads(tx, practiceId, {}, { limit: 50, inverted: false }));
  const sourceIds = await withSystem(platform.db.owner, async (c) => new Map((await c.query<{ id: string; source_id: string }>('SELECT id, source_id FROM leads WHERE practice_id = $1', [practiceId])).rows.map((r) => [r.id, r.source_id])));
  return new Map(rows.map((r) => [sourceIds.get(r.id)!, { campaign: r.campaign, adGroup: r.adGroup, keyword: r.keyword }]));
}

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Click Agency', ['Click Dental'])).practiceIds[0]!;
  const pms = await addConnection(platform, practiceId, 'open-dental');
  await landCharts(platform, pms, [
    chartRecord(patient({ id: 'P1', firstName: 'Nadia', lastName: 'Okafor', email: 'nadia.okafor@example.com', createdAt: '2024-03-02T16:00:00Z', firstVisitDate: '2024-03-05' })),
    chartRecord(patient({ id: 'P2', firstName: 'Tomas', lastName: 'Reyes', email: 'tomas.reyes@example.com', createdAt: '2024-03-02T17:00:00Z', firstVisitDate: '2024-03-06' })),
  ]);
  const cipher = await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => platform.keys.cipherFor(tx, practiceId));
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, pms, cipher, 'procedure', ['P1', 'P2'].map((p) => ({
      id: `proc-${p}`, patientId: p, appointmentId: null, providerId: null, locationId: null, status: 'completed' as const,
      performedOn: '2024-03-06', code: 'D0150', description: null, unitFeeCents: 20_000, quantity: 1, feeCents: 20_000, discountCents: 0, sourceUpdatedAt: null,
    }))),
  );
  ads = await addConnection(platform, practiceId, 'google-ads');
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, ads, cipher, 'ad-click', [
      { ...CLICK, id: 'gads:click:GCLID-A', clickId: 'GCLID-A', campaignName: 'Implants | Search', adGroupName: 'All-on-4', keyword: 'dental implants near me' },
      { ...CLICK, id: 'gads:click:GCLID-B', clickId: 'GCLID-B', campaignName: 'Brand | Search', adGroupName: 'Brand', keyword: null },
    ]),
  );
  const forms = await addConnection(platform, practiceId, 'gravity-forms');
  await landLeads(platform, forms, [
    lead('form-1', { occurredAt: '2024-03-01T18:00:00Z', name: 'Nadia Okafor', email: 'nadia.okafor@example.com', gclid: 'GCLID-A' }),
    lead('form-2', { occurredAt: '2024-03-01T19:00:00Z', name: 'Tomas Reyes', email: 'tomas.reyes@example.com', gclid: 'GCLID-B', source: 'google', medium: 'cpc', campaign: 'brand_2024', keyword: 'sunrise dental' }),
    lead('form-3', { occurredAt: '2024-03-01T20:00:00Z', name: 'Someone Else', email: 'someone@example.com', gclid: 'GCLID-UNKNOWN', campaign: 'from-utm' }),
  ]);
  await runMatching(platform, practiceId, false);
  await attributeStoredPractice(platform, practiceId);
});
afterAll(() => platform.close());

describe('a lead’s Google Ads click names its campaign', () => {
  it('fills campaign, ad group and keyword from the click, prefers Google’s names, and keeps the lead’s own without a click', async () => {
    const leads = await practiceLeads();
    expect(leads.get('form-1')).toEqual({ campaign: 'Implants | Search', adGroup: 'All-on-4', keyword: 'dental implants near me' });
    // The click has no keyword (a Performance Max or broad-match gap): the lead's own term stays.
    expect(leads.get('form-2')).toEqual({ campaign: 'Brand | Search', adGroup: 'Brand', keyword: 'sunrise dental' });
    expect(leads.get('form-3')).toEqual({ campaign: 'from-utm', adGroup: null, keyword: null });
  });

  it('credits the click’s campaign in attribution, its touchpoints and its rollups', async () => {
    const touchpoints = await withSystem(platform.db.owner, async (c) => (await c.query<{ touchpoints: { campaign: string | null; adGroup: string | null; keyword: string | null }[] }>(
      'SELECT touchpoints FROM patient_attributions WHERE practice_id = $1', [practiceId],
    )).rows.flatMap((r) => r.touchpoints.map((t) => [t.campaign, t.adGroup, t.keyword])));
    expect(touchpoints).toEqual(expect.arrayContaining([
      ['Implants | Search', 'All-on-4', 'dental implants near me'],
      ['Brand | Search', 'Brand', 'sunrise dental'],
    ]));
    const campaigns = await withSystem(platform.db.owner, async (c) => (await c.query<{ campaign: string }>(
      `SELECT DISTINCT campaign FROM attribution_rollups WHERE practice_id = $1 AND new_patients > 0 ORDER BY campaign`, [practiceId],
    )).rows.map((r) => r.campaign));
    expect(campaigns).toEqual(['Brand | Search', 'Implants | Search']);
  });
});
