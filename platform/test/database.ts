import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { appRoleUrl } from '../src/db/app-role.ts';
import { connectDatabase, type BackendPriority, type Database } from '../src/db/database.ts';

/**
 * A fresh, migrated database for one test file, cloned from the run's template in milliseconds.
 * Call in `beforeAll` and close in `afterAll`.
 */
export async function createTestDatabase(options: { backendPriority?: BackendPriority } = {}): Promise<Database> {
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
    backendPriority: options.backendPriority,
  });
}

/**
 * An agency, a practice and one connection inserted directly (no keys, no settings), for tests of SQL plans and
 * triggers that need rows but not the platform around them. Run inside `withSystem`.
 */
export async function insertBarePractice(client: pg.PoolClient, name: string, connectorId: string): Promise<{ practiceId: string; connectionId: string }> {
  const agency = (await client.query<{ id: string }>(`INSERT INTO agencies (name) VALUES ($1) RETURNING id`, [name])).rows[0]!.id;
  const practiceId = (await client.query<{ id: string }>(`INSERT INTO practices (agency_id, name) VALUES ($1, $2) RETURNING id`, [agency, `${name} Dental`])).rows[0]!.id;
  const connectionId = (
    await client.query<{ id: string }>(
      `INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, $2, $2, '\\x00') RETURNING id`,
      [practiceId, connectorId],
    )
  ).rows[0]!.id;
  return { practiceId, connectionId };
}
