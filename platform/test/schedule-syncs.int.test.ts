import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleDueSyncs } from '../src/connections/schedule-syncs.ts';
import type { SyncRequest } from '../src/connections/run-sync.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { createAgencyWithPractices, createUser, globalId, localId, signIn } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let connectionId: string;

/** What the scheduler queued, by stream, without a worker to run it. */
async function scheduled(trigger: SyncRequest['trigger']): Promise<string[]> {
  const streams: string[] = [];
  await scheduleDueSyncs(platform, { addJob: async (_task, payload) => { streams.push((payload as SyncRequest).stream); return undefined as never; } }, trigger);
  return streams.sort();
}

/** One stream's only run: succeeded, started this many minutes ago; the connection last synced then too. */
async function ranMinutesAgo(stream: string, minutes: number): Promise<void> {
  await withSystem(platform.db.owner, async (client) => {
    await client.query('DELETE FROM sync_runs WHERE connection_id = $1 AND stream = $2', [connectionId, stream]);
    await client.query(
      `INSERT INTO sync_runs (practice_id, connection_id, stream, trigger, status, started_at, finished_at)
       SELECT practice_id, id, $2, 'schedule', 'succeeded', now() - make_interval(mins => $3), now() - make_interval(mins => $3) FROM connections WHERE id = $1`,
      [connectionId, stream, minutes],
    );
    await client.query(`UPDATE connections SET last_synced_at = now() - make_interval(mins => $2) WHERE id = $1`, [connectionId, minutes]);
  });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { practiceIds } = await createAgencyWithPractices(platform, 'Schedule Agency', ['Schedule Dental']);
  const admin = await signIn(platform, (await createUser(platform, { practices: [[practiceIds[0]!, 'admin']] })).email);
  const { createConnection } = await admin.data<{ createConnection: { id: string } }>(
    'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "open-dental", settings: $s) { id } }',
    { p: globalId('Practice', practiceIds[0]!), s: JSON.stringify({ developerKey: 'd', customerKey: 'c', timeZone: 'America/Chicago' }) },
  );
  connectionId = localId(createConnection.id);
});
afterAll(() => platform.close());

describe('the sync schedule', () => {
  it('runs each stream on the longer of its own interval and its connection’s, and the nightly reconcile runs them all', async () => {
    const every = ['appointments', 'locations', 'patients', 'payments', 'procedures', 'providers', 'referral-sources'];
    // Never synced: every stream is due.
    expect(await scheduled('schedule')).toEqual(every);

    // Twenty minutes after a full run: the 15-minute streams are due, the daily clinic listing is not.
    for (const stream of every) await ranMinutesAgo(stream, 20);
    expect(await scheduled('schedule')).toEqual(every.filter((s) => s !== 'locations'));
    expect(await scheduled('reconcile')).toEqual(every);

    // A day later the clinic listing is due again.
    await ranMinutesAgo('locations', 24 * 60 + 1);
    expect(await scheduled('schedule')).toContain('locations');
  });
});
