import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { appRoleUrl } from '../src/db/app-role.ts';
import { connectDatabase, type Database } from '../src/db/database.ts';

/**
 * A fresh, migrated database for one test file, cloned from the run's template in milliseconds.
 * Call in `beforeAll` and close in `afterAll`.
 */
export async function createTestDatabase(): Promise<Database> {
  const templateUrl = inject('pgTemplateUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: templateUrl.replace(/\/app_template$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE app_template`);
  } finally {
    await admin.end();
  }
  const ownerUrl = templateUrl.replace(/\/app_template$/, `/${name}`);
  return connectDatabase({
    ownerUrl,
    appUrl: appRoleUrl(ownerUrl, inject('pgAppPassword')),
    migrate: false,
  });
}
