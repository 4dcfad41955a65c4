import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Platform } from '../platform.ts';

/** The demo's lead sources of one practice: where their webhooks are delivered, and the secrets they are signed with. */
export const DemoMarketing = z.object({
  gravityForms: z.object({ connectionId: z.uuid(), pathSecret: z.string(), webhookSecret: z.string() }),
  callRail: z.object({ connectionId: z.uuid(), pathSecret: z.string(), signingKey: z.string(), companyId: z.string() }),
});
export type DemoMarketing = z.infer<typeof DemoMarketing>;

/** What the demo remembers between starts: the world's date, and which connections serve which practice. */
const DemoState = z.object({
  asOf: z.string(),
  /** The share of the demo's patients seeded (see `demoWorldSpec`): 1, the whole demo, unless a test asked for less. */
  scale: z.number().positive().max(1).default(1),
  /** Who "started" the demo: the first administrator, in whose name its spend files are imported (absent before 0011). */
  adminUserId: z.uuid().optional(),
  practices: z.array(
    z.object({
      worldIndex: z.number().int(),
      practiceId: z.uuid(),
      connectionId: z.uuid(),
      /** The lead sources whose webhooks the demo replays (secrets stay in this 0600 file under DATA_DIR). */
      marketing: DemoMarketing.optional(),
    }),
  ),
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

