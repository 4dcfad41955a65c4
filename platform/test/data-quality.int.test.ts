import { afterAll, beforeAll, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { dataQuality } from '../src/reports/data-quality.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { addConnection, landLeads, lead, storedLeads } from './leads.ts';
import { chartRecord, landCharts } from './matching.ts';
import { patient } from '../src/matching/testing.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Quality Agency', ['Quality Dental'])).practiceIds[0]!;
  await withSystem(platform.db.owner, (c) => c.query(`UPDATE practices SET time_zone = 'America/Chicago' WHERE id = $1`, [practiceId]));
  const calls = await addConnection(platform, practiceId, 'callrail');
  // A medium no rule knows: only the fallback rule (R19) classifies them. Days are Chicago's, not UTC's.
  const unknown = { source: 'yard-sign', medium: 'print' };
  await landLeads(platform, calls, [
    lead('feb-29-late', { occurredAt: '2024-03-01T05:30:00Z', phone: '+13125550101', ...unknown }), // 23:30 on Feb 29 in Chicago
    lead('mar-01-early', { occurredAt: '2024-03-01T06:30:00Z', phone: '+13125550102', ...unknown }), // 00:30 on Mar 1
    lead('mar-31-late', { occurredAt: '2024-04-01T04:30:00Z', phone: '+13125550103', ...unknown }), // 23:30 on Mar 31 (CDT)
    lead('mar-31-later', { occurredAt: '2024-04-01T04:45:00Z', phone: '+13125550106', ...unknown }),
    lead('apr-01-early', { occurredAt: '2024-04-01T05:30:00Z', phone: '+13125550104', ...unknown }), // 00:30 on Apr 1
    lead('tagged', { occurredAt: '2024-03-10T15:00:00Z', phone: '+13125550105', source: 'google', medium: 'cpc' }),
  ]);
  await attributeStoredPractice(platform, practiceId);
}, 60_000);
afterAll(() => platform.close());

const march = { from: '2024-03-01', to: '2024-03-31' };
const quality = () => withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => dataQuality(tx, practiceId, march));

it('counts leads without a source by the practice’s own days', async () => {
  const rules = [...(await storedLeads(platform, practiceId)).values()].map((l) => [l.source_id, l.channel_rule]);
  expect(rules.filter(([, rule]) => rule === 'R19').length).toBe(5);
  // March 1 00:30 and the two on March 31 evening; UTC days would say Feb 29's and March 1's instead.
  const sourceless = (await quality()).find((i) => i.kind === 'leads-without-source');
  expect(sourceless).toMatchObject({ count: 3, severity: 'warning' });
});

it('reads unmatched leads from the rollups: none of March’s four new leads is linked', async () => {
  expect((await quality()).find((i) => i.kind === 'unmatched-leads')).toMatchObject({ count: 4, title: '100% of new leads are linked to no patient' });
});

it('names the days leads stopped arriving, and a surge against the previous period', async () => {
  const busyId = (await createAgencyWithPractices(platform, 'Busy Agency', ['Busy Dental'])).practiceIds[0]!;
  const forms = await addConnection(platform, busyId, 'gravity-forms');
  const noon = (date: string, i: number) => `${date}T${String(14 + (i % 6)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z`;
  const days = (month: string, count: number) => Array.from({ length: count }, (_, i) => `2024-${month}-${String(i + 1).padStart(2, '0')}`);
  const weekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  // March: a lead a weekday (20 in April's previous period, March 2–31). April: eight a weekday, but none from
  // Monday the 15th to Wednesday the 17th (152).
  const stopped = ['2024-04-15', '2024-04-16', '2024-04-17'];
  const leads = [
    ...days('03', 31).filter(weekday).map((d) => lead(`mar-${d}`, { occurredAt: noon(d, 0), source: 'google', medium: 'organic' })),
    ...days('04', 30)
      .filter((d) => weekday(d) && !stopped.includes(d))
      .flatMap((d) => Array.from({ length: 8 }, (_, i) => lead(`apr-${d}-${i}`, { occurredAt: noon(d, i), source: 'google', medium: 'organic' }))),
  ];
  await landLeads(platform, forms, leads);
  await attributeStoredPractice(platform, busyId);
  const issues = await withTenant(platform.db.prisma, { practiceIds: [busyId] }, (tx) => dataQuality(tx, busyId, { from: '2024-04-01', to: '2024-04-30' }));
  expect(issues.filter((i) => i.kind === 'lead-gap')).toEqual([
    expect.objectContaining({ severity: 'warning', count: 3, title: 'No leads at all from Apr 15, 2024 to Apr 17, 2024', action: expect.stringMatching(/about 21 would have come in/) }),
  ]);
  expect(issues.find((i) => i.kind === 'lead-spike')).toMatchObject({ severity: 'info', count: 152 - 20, title: 'Leads rose 660% against the previous period' });
  // March's single weekday lead sets no pace a quiet weekday breaks.
  const march = await withTenant(platform.db.prisma, { practiceIds: [busyId] }, (tx) => dataQuality(tx, busyId, { from: '2024-03-01', to: '2024-03-31' }));
  expect(march.filter((i) => i.kind === 'lead-gap' || i.kind === 'lead-spike')).toEqual([]);
});

it('says when a connection that reports no error has stopped syncing', async () => {
  const stale = (await createAgencyWithPractices(platform, 'Stale Agency', ['Stale Dental'])).practiceIds[0]!;
  const pms = await addConnection(platform, stale, 'open-dental');
  const syncedAgo = (hours: number) =>
    withSystem(platform.db.owner, (c) => c.query(`UPDATE connections SET status = 'ok', last_synced_at = now() - make_interval(hours => $2) WHERE id = $1`, [pms.connectionId, hours]));
  const staleIssue = async () =>
    (await withTenant(platform.db.prisma, { practiceIds: [stale] }, (tx) => dataQuality(tx, stale, march))).find((i) => i.kind === 'sync-problem');
  await syncedAgo(2);
  expect(await staleIssue()).toBeUndefined();
  await syncedAgo(24 * 3 + 5);
  expect(await staleIssue()).toMatchObject({ severity: 'warning', title: 'A connection last synced 3 days ago' });
});

it('on a location’s dashboard, counts that location’s leads only', async () => {
  const twoSites = (await createAgencyWithPractices(platform, 'Two Sites Agency', ['Two Sites Dental'])).practiceIds[0]!;
  const [north, south] = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ id: string }>(`INSERT INTO locations (practice_id, name) VALUES ($1, 'North'), ($1, 'South') RETURNING id`, [twoSites])).rows.map((r) => r.id),
  );
  const northForms = await addConnection(platform, twoSites, 'gravity-forms');
  await withSystem(platform.db.owner, (c) => c.query(`UPDATE connections SET location_id = $2 WHERE id = $1`, [northForms.connectionId, north]));
  // Only North's form gets leads, and a third of them carry no marketing evidence.
  await landLeads(platform, northForms, Array.from({ length: 9 }, (_, i) =>
    lead(`north-${i}`, { occurredAt: `2024-03-${String(4 + i).padStart(2, '0')}T15:00:00Z`, ...(i % 3 === 0 ? { source: 'yard-sign', medium: 'print' } : { source: 'google', medium: 'organic' }) }),
  ));
  await attributeStoredPractice(platform, twoSites);
  const at = (locationId: string | null) => withTenant(platform.db.prisma, { practiceIds: [twoSites] }, (tx) => dataQuality(tx, twoSites, { ...march, locationId }));
  const sourceless = async (locationId: string | null) => (await at(locationId)).find((i) => i.kind === 'leads-without-source')?.count ?? 0;
  expect(await sourceless(null)).toBe(3);
  expect(await sourceless(north!)).toBe(3);
  expect(await sourceless(south!)).toBe(0);
  expect((await at(south!)).find((i) => i.kind === 'unmatched-leads')).toBeUndefined();
  expect((await at(north!)).find((i) => i.kind === 'unmatched-leads')).toMatchObject({ count: 9 });
});

it('says when most new patients have no recorded marketing touch, counted from the rollups', async () => {
  const walkIns = (await createAgencyWithPractices(platform, 'Walk-in Agency', ['Walk-in Dental'])).practiceIds[0]!;
  const pms = await addConnection(platform, walkIns, 'open-dental');
  // Three new patients in March, no lead of any kind: nothing explains them.
  await landCharts(platform, pms, ['w1', 'w2', 'w3'].map((id, i) =>
    chartRecord(patient({ id, firstName: `Walk${i}`, lastName: 'In', createdAt: `2024-03-0${i + 2}T15:00:00Z`, firstVisitDate: `2024-03-0${i + 4}` })),
  ));
  await attributeStoredPractice(platform, walkIns);
  const issues = await withTenant(platform.db.prisma, { practiceIds: [walkIns] }, (tx) => dataQuality(tx, walkIns, march));
  expect(issues.find((i) => i.kind === 'unattributed-patients')).toMatchObject({ count: 3, title: '100% of new patients have no recorded marketing touch' });
});
