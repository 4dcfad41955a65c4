import { countUsers, createPlatformAdmin, type CreatedAdmin } from '../auth/create-admin.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import type { DemoState } from '../demo/demo-state.ts';
import type { Platform } from '../platform.ts';

const FIRST_ADMIN_EMAIL = 'admin@sourceline.local';

export interface FirstStart {
  admin: CreatedAdmin;
  /** Null when DEMO is off. */
  demo: DemoState | null;
}

/**
 * What only the very first start does: create the administrator and, with DEMO on, seed the demo agency in their name.
 * "First" means the database has no user yet, so every later start returns null and never seeds the demo again. The
 * administrator is shown (`onAdminCreated`) before the demo is seeded, so a seed that fails still leaves a password
 * someone has seen.
 */
export async function setUpFirstStart(
  platform: Platform,
  options: { onAdminCreated: (admin: CreatedAdmin) => void; demoScale?: number },
): Promise<FirstStart | null> {
  if ((await countUsers(platform.db.owner)) > 0) return null;
  const admin = await createPlatformAdmin(platform.db.owner, { email: FIRST_ADMIN_EMAIL, displayName: 'Administrator' });
  options.onAdminCreated(admin);
  const demo = platform.config.DEMO ? await seedDemo(platform, admin.userId, { scale: options.demoScale }) : null;
  return { admin, demo };
}
