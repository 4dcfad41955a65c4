import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAdmin, type CreatedAdmin } from '../src/auth/create-admin.ts';
import { setUpFirstStart } from '../src/cli/first-start.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { demoStateFile, readDemoState } from '../src/demo/demo-state.ts';
import type { Platform } from '../src/platform.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';
import { scratchDirectory } from './product-process.ts';

let testPlatform: TestPlatform;
let platform: Platform;
let dataDir: string;

const count = async (table: 'users' | 'agencies' | 'practices') =>
  withSystem(platform.db.owner, async (client) => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);

beforeAll(async () => {
  testPlatform = await startTestPlatform();
  dataDir = await scratchDirectory('test-first-start-');
  platform = { ...testPlatform, config: { ...testPlatform.config, DEMO: true, dataDir } };
});

afterAll(async () => {
  await testPlatform?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the first start', () => {
  it('seeds the demo on the next start when seeding failed after the administrator was created, and only then', async () => {
    // The seed's first write fails, as a full disk or a lost connection would make it.
    await platform.db.owner.query(`CREATE FUNCTION refuse_agency() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await platform.db.owner.query('CREATE TRIGGER refuse_agency BEFORE INSERT ON agencies FOR EACH ROW EXECUTE FUNCTION refuse_agency()');
    const shown: CreatedAdmin[] = [];
    await expect(setUpFirstStart(platform, { onAdminCreated: (admin) => shown.push(admin), demoScale: 0.02 })).rejects.toThrow(/disk full/);
    expect(shown).toHaveLength(1);
    expect([await count('users'), await count('agencies'), await readDemoState(platform)]).toEqual([1, 0, null]);

    await platform.db.owner.query('DROP TRIGGER refuse_agency ON agencies');
    const retried = await setUpFirstStart(platform, { onAdminCreated: () => expect.fail('the administrator was created twice'), demoScale: 0.02 });
    expect(retried?.admin).toBeNull();
    expect(retried?.demo?.practices).toHaveLength(3);
    expect([await count('users'), await count('agencies'), await count('practices')]).toEqual([1, 1, 3]);
    expect(existsSync(path.join(dataDir, 'demo-owed'))).toBe(false);
    // In the name of the administrator the failed start showed, who can sign in to it.
    const members = await withSystem(platform.db.owner, async (client) => (await client.query('SELECT user_id, role FROM memberships')).rows);
    expect(members).toEqual([{ user_id: shown[0]!.userId, role: 'admin' }]);

    expect(await setUpFirstStart(platform, { onAdminCreated: () => expect.fail('a third start created an administrator'), demoScale: 0.02 })).toBeNull();
    expect(await count('agencies')).toBe(1);
  });

  it('owes no demo to an install whose first start did not create the administrator', async () => {
    const other = await startTestPlatform();
    const otherDir = await scratchDirectory('test-first-start-');
    try {
      const started = { ...other, config: { ...other.config, DEMO: true, dataDir: otherDir } };
      await createPlatformAdmin(other.db.owner, { email: 'ops@example.test', displayName: 'Ops' });
      expect(await setUpFirstStart(started, { onAdminCreated: () => expect.fail('an administrator was created'), demoScale: 0.02 })).toBeNull();
      const agencies = await withSystem(other.db.owner, async (client) => (await client.query('SELECT count(*)::int AS n FROM agencies')).rows[0].n);
      expect(agencies).toBe(0);
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('never seeds the demo over agencies that exist, even when its state file is gone', async () => {
    await rm(demoStateFile(platform));
    expect(await setUpFirstStart(platform, { onAdminCreated: () => expect.fail('an administrator was created'), demoScale: 0.02 })).toBeNull();
    expect(await count('agencies')).toBe(1);
  });
});
