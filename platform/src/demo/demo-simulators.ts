import { startOpenDentalSimulator, type OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { generateWorld } from '@sourceline/sdk/testkit';
import { openSettings, sealSettings } from '../connections/connection-settings.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import type { DemoState } from './demo-state.ts';
import { demoWorldSpec } from './demo-world.ts';

/**
 * The demo practices' "offices": one Open Dental simulator per practice, serving the same seeded world every start,
 * on a free loopback port. Each demo connection's base URL is pointed at its simulator, so scheduled syncs keep
 * running through the real connector for as long as the product runs.
 */
export async function startDemoSimulators(platform: Platform, state: DemoState): Promise<OpenDentalSimulator[]> {
  const world = generateWorld(demoWorldSpec(state.asOf, state.scale));
  const connector = connectorOrThrow('open-dental');
  const simulators: OpenDentalSimulator[] = [];
  for (const entry of state.practices) {
    const sim = await startOpenDentalSimulator({ world, practiceIndex: entry.worldIndex, mode: 'service', host: '127.0.0.1', port: 0 });
    simulators.push(sim);
    await withTenant(platform.db.prisma, { practiceIds: [entry.practiceId] }, async (tx) => {
      const connection = await tx.connection.findUnique({ where: { id: entry.connectionId } });
      if (!connection) return;
      const cipher = await platform.keys.cipherFor(tx, entry.practiceId);
      const settings = { ...openSettings(cipher, connector, connection.settingsSealed), baseUrl: sim.baseUrl };
      await tx.connection.update({ where: { id: connection.id }, data: { settingsSealed: new Uint8Array(sealSettings(cipher, settings)) } });
    });
  }
  return simulators;
}
