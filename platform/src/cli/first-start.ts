import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { countUsers, createPlatformAdmin, type CreatedAdmin } from '../auth/create-admin.ts';
import { withSystem } from '../db/tenant-transaction.ts';
import { readDemoState, type DemoState } from '../demo/demo-state.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import type { Platform } from '../platform.ts';

const FIRST_ADMIN_EMAIL = 'admin@sourceline.local';

export interface FirstStart {
  /** Null when the administrator already existed: a start that only finished seeding the demo. */
  admin: CreatedAdmin | null;
  /** Null when DEMO is off. */
  demo: DemoState | null;
}

/**
 * What only the first start does: create the administrator and, with DEMO on, seed the demo agency in their name.
 * The administrator is shown (`onAdminCreated`) before the demo is seeded, so a seed that fails still leaves a password
 * someone has seen. The first start leaves a note under DATA_DIR that the demo is owed; the seed is one transaction,
 * so a start after a failed one finds the note and no agency, and seeds it then. An install whose first start had DEMO
 * off, or whose administrator came from `create-admin`, never owes a demo; nor one where anyone created an agency.
 */
export async function setUpFirstStart(
  platform: Platform,
  options: { onAdminCreated: (admin: CreatedAdmin) => void; demoScale?: number },
): Promise<FirstStart | null> {
  const owed = path.join(platform.config.dataDir, 'demo-owed');
  let admin: CreatedAdmin | null = null;
  if ((await countUsers(platform.db.owner)) === 0) {
    admin = await createPlatformAdmin(platform.db.owner, { email: FIRST_ADMIN_EMAIL, displayName: 'Administrator' });
    if (platform.config.DEMO) await writeFile(owed, 'The first start owes this install the demo agency until it is seeded.\n');
    options.onAdminCreated(admin);
  }
  const demoOwner = platform.config.DEMO && existsSync(owed) && (await demoNotSeeded(platform)) ? (admin?.userId ?? (await firstAdministrator(platform.db.owner))) : null;
  const demo = demoOwner ? await seedDemo(platform, demoOwner, { scale: options.demoScale }) : null;
  if (demo) await rm(owed, { force: true });
  return admin || demo ? { admin, demo } : null;
}

async function demoNotSeeded(platform: Platform): Promise<boolean> {
  if (await readDemoState(platform)) return false;
  return withSystem(platform.db.owner, async (client) => (await client.query('SELECT 1 FROM agencies LIMIT 1')).rowCount === 0);
}

/** The administrator the first start created, or else the oldest platform administrator. */
async function firstAdministrator(owner: pg.Pool): Promise<string | null> {
  return withSystem(owner, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM users WHERE is_platform_admin ORDER BY email = $1 DESC, created_at LIMIT 1`,
      [FIRST_ADMIN_EMAIL],
    );
    return rows[0]?.id ?? null;
  });
}
