import { randomUUID } from 'node:crypto';
import { generateWorld } from '@sourceline/sdk/testkit';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { sealSettings } from '../connections/connection-settings.ts';
import { queueSync } from '../connections/schedule-syncs.ts';
import { findConnector } from '../connections/registry.ts';
import { createPracticeKeys } from '../crypto/practice-keys.ts';
import { addToScope, withTenant } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { connectDemoLeadSources, DEMO_MARKETING_TASK } from './demo-marketing.ts';
import { startDemoSimulators } from './demo-simulators.ts';
import { readDemoState, writeDemoState, type DemoState } from './demo-state.ts';
import { DEMO_AGENCY_NAME, demoWorldSpec } from './demo-world.ts';

/**
 * First start: a demo agency with three practices (one with three locations), the administrator as its admin, an
 * Open Dental connection per practice whose "office" is a simulator serving 18 months of a seeded world, and the
 * practice's website forms and call tracking, whose 18 months of webhooks are replayed. The initial syncs and the replay
 * are queued, so the data arrives through the real connectors, webhook endpoints and jobs while the product starts.
 */
export async function seedDemo(platform: Platform, adminUserId: string, options: { scale?: number } = {}): Promise<DemoState> {
  const asOf = new Date().toISOString().slice(0, 10);
  const scale = options.scale ?? 1;
  const world = generateWorld(demoWorldSpec(asOf, scale));
  const agencyId = randomUUID();
  const entries = await withTenant(platform.db.prisma, { userId: adminUserId, platformAdmin: true }, async (tx) => {
    await addToScope(tx, 'agency', agencyId);
    await tx.agency.create({ data: { id: agencyId, name: DEMO_AGENCY_NAME } });
    await tx.membership.create({ data: { userId: adminUserId, agencyId, role: 'admin' } });
    const created: DemoState['practices'] = [];
    for (const practice of world.practices) {
      const row = await tx.practice.create({
        data: { agencyId, name: practice.name, timeZone: practice.timeZone, areaCode: practice.areaCodes[0] ?? null },
      });
      await addToScope(tx, 'practice', row.id);
      await createPracticeKeys(tx, platform.ring, row.id);
      for (const location of practice.locations) {
        await tx.location.create({ data: { practiceId: row.id, name: location.name, timeZone: practice.timeZone } });
      }
      const cipher = await platform.keys.cipherFor(tx, row.id);
      const settings = {
        baseUrl: 'http://127.0.0.1:9/api/v1',
        developerKey: 'sim-developer-key',
        customerKey: 'sim-customer-key',
        mode: 'service',
        timeZone: practice.timeZone,
      };
      const connection = await tx.connection.create({
        data: {
          practiceId: row.id,
          connectorId: 'open-dental',
          displayName: 'Open Dental (demo office simulator)',
          settingsSealed: new Uint8Array(sealSettings(cipher, settings)),
          createdBy: adminUserId,
        },
      });
      const marketing = await connectDemoLeadSources(tx, cipher, { practiceId: row.id, practice, adminUserId });
      created.push({ worldIndex: practice.index, practiceId: row.id, connectionId: connection.id, marketing });
    }
    await recordAuditEvent(tx, { action: 'demo.seeded', agencyId, actor: { userId: adminUserId, label: 'start' }, details: { practices: created.length } });
    return created;
  });
  const state: DemoState = { asOf, scale, adminUserId, practices: entries };
  await writeDemoState(platform, state);
  return state;
}

/** Starts the demo offices (every start) and, right after seeding, queues their first syncs. */
export async function runDemoOffices(platform: Platform, options: { queueInitialSync: boolean }) {
  const state = await readDemoState(platform);
  if (!state) return [];
  const simulators = await startDemoSimulators(platform, state);
  if (options.queueInitialSync) {
    const connector = findConnector('open-dental')!;
    for (const entry of state.practices) {
      for (const stream of connector.streams) {
        await queueSync(platform.jobs, connector.id, { connectionId: entry.connectionId, practiceId: entry.practiceId, stream: stream.name, trigger: 'manual' });
      }
      // The charts first: leads replayed a minute later find them to match.
      await platform.jobs.addJob(DEMO_MARKETING_TASK, { practiceId: entry.practiceId }, { jobKey: `demo-marketing:${entry.practiceId}`, runAt: new Date(Date.now() + 60_000), maxAttempts: 3 });
    }
  }
  return simulators;
}
