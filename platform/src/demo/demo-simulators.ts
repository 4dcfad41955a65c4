import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startOpenDentalSimulator, type OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { generateWorld } from '@sourceline/sdk/testkit';
import { z } from 'zod';
import { openSettings, sealSettings } from '../connections/connection-settings.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { demoWorldSpec } from './demo-world.ts';

/** What the demo remembers between starts: the world's date and which connection serves which practice. */
const DemoState = z.object({
  asOf: z.string(),
  practices: z.array(z.object({ worldIndex: z.number().int(), practiceId: z.uuid(), connectionId: z.uuid() })),
});
export type DemoState = z.infer<typeof DemoState>;

export const demoStateFile = (platform: Platform) => path.join(platform.config.dataDir, 'demo.json');

export async function readDemoState(platform: Platform): Promise<DemoState | null> {
  const file = demoStateFile(platform);
  return existsSync(file) ? DemoState.parse(JSON.parse(await readFile(file, 'utf8'))) : null;
}

export async function writeDemoState(platform: Platform, state: DemoState): Promise<void> {
  await writeFile(demoStateFile(platform), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The demo practices' "offices": one Open Dental simulator per practice, serving the same seeded world every start,
 * on a free loopback port. Each demo connection's base URL is pointed at its simulator, so scheduled syncs keep
 * running through the real connector for as long as the product runs.
 */
export async function startDemoSimulators(platform: Platform, state: DemoState): Promise<OpenDentalSimulator[]> {
  const world = generateWorld(demoWorldSpec(state.asOf));
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
