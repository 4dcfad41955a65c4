import { afterAll, beforeAll, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { dataQuality } from '../src/reports/data-quality.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { addConnection, landLeads, lead, storedLeads } from './leads.ts';
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
