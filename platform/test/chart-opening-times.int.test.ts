import { afterAll, beforeAll, expect, it } from 'vitest';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { readCharts } from '../src/matching/practice/match-inputs.ts';
import { patient } from '../src/matching/testing.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { addConnection } from './leads.ts';
import { chartRecord, landCharts } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Opening Agency', ['Opening Dental'])).practiceIds[0]!;
  await withSystem(platform.db.owner, (c) => c.query(`UPDATE practices SET time_zone = 'America/Chicago' WHERE id = $1`, [practiceId]));
  const pms = await addConnection(platform, practiceId, 'open-dental');
  await withSystem(platform.db.owner, (c) => c.query(`UPDATE connections SET created_at = '2024-03-01T12:00:00Z' WHERE id = $1`, [pms.connectionId]));
  await landCharts(platform, pms, ['regular', 'evening', 'initial', 'old', 'late'].map((id) => chartRecord(patient({ id, firstName: id, lastName: 'Opening' }))));
  // Open Dental's day of opening (the office's day) and when Sourceline first saw each chart.
  const seen: Record<string, [string, string]> = {
    regular: ['2024-04-10', '2024-04-10T15:07:30Z'], // 10:07 in Chicago, the day it was opened: a regular sync saw it
    evening: ['2024-04-10', '2024-04-11T05:20:00Z'], // 00:20 the next night: a sync just after midnight saw it
    initial: ['2024-03-01', '2024-03-01T12:05:00Z'], // the connection's first day: the initial sync saw years at once
    old: ['2019-06-02', '2024-04-10T15:07:30Z'], // edited, and so listed again, years after it was opened
    late: ['2024-04-10', '2024-04-11T08:00:00Z'], // seen hours after its day ended: the time says nothing
  };
  await withSystem(platform.db.owner, async (c) => {
    for (const [id, [day, at]] of Object.entries(seen)) {
      await c.query(`UPDATE patients SET created_on = $3, first_seen_at = $4 WHERE connection_id = $1 AND source_id = $2`, [pms.connectionId, id, day, at]);
    }
  });
});
afterAll(() => platform.close());

it('reads a chart’s opening time from when the regular syncs first saw it on its day, and only the day otherwise', async () => {
  const charts = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => readCharts(client, await platform.keys.cipherForClient(client, practiceId)));
  const opened = Object.fromEntries(charts.map((c) => [c.input.firstName, c.input.createdAt]));
  expect(opened).toEqual({
    regular: '2024-04-10T15:07:30Z',
    evening: '2024-04-11T05:20:00Z',
    initial: '2024-03-01',
    old: '2019-06-02',
    late: '2024-04-10',
  });
});
