import { withSystem } from '../src/db/tenant-transaction.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { createPracticeKeys } from '../src/crypto/practice-keys.ts';
import { withTenant } from '../src/db/tenant-transaction.ts';
import type { Role } from '../src/auth/roles.ts';
import type { TestPlatform } from './platform.ts';
import { GraphQLClient } from './graphql-client.ts';

export const PASSWORD = 'correct horse battery staple';

let counter = 0;

/** Creates a user with a password and the given memberships, as the system role (no API involved). */
export async function createUser(
  platform: TestPlatform,
  input: { email?: string; platformAdmin?: boolean; agencies?: [string, Role][]; practices?: [string, Role][] } = {},
): Promise<{ id: string; email: string }> {
  const email = input.email ?? `user${++counter}-${Date.now()}@example.test`;
  const passwordHash = await hashPassword(PASSWORD);
  const id = await withSystem(platform.db.owner, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      'INSERT INTO users (email, display_name, password_hash, is_platform_admin) VALUES ($1, $2, $3, $4) RETURNING id',
      [email, `Test ${email.split('@')[0]}`, passwordHash, input.platformAdmin ?? false],
    );
    for (const [agencyId, role] of input.agencies ?? []) {
      await client.query('INSERT INTO memberships (user_id, agency_id, role) VALUES ($1, $2, $3)', [rows[0]!.id, agencyId, role]);
    }
    for (const [practiceId, role] of input.practices ?? []) {
      await client.query('INSERT INTO memberships (user_id, practice_id, role) VALUES ($1, $2, $3)', [rows[0]!.id, practiceId, role]);
    }
    return rows[0]!.id;
  });
  return { id, email };
}

/** An agency with practices (each with its keys and one location), created as the system role. */
export async function createAgencyWithPractices(
  platform: TestPlatform,
  name: string,
  practiceNames: string[],
): Promise<{ agencyId: string; practiceIds: string[]; locationIds: string[] }> {
  const created = await withSystem(platform.db.owner, async (client) => {
    const agency = await client.query<{ id: string }>('INSERT INTO agencies (name) VALUES ($1) RETURNING id', [name]);
    const practiceIds: string[] = [];
    const locationIds: string[] = [];
    for (const practiceName of practiceNames) {
      const practice = await client.query<{ id: string }>('INSERT INTO practices (agency_id, name) VALUES ($1, $2) RETURNING id', [agency.rows[0]!.id, practiceName]);
      practiceIds.push(practice.rows[0]!.id);
      const location = await client.query<{ id: string }>('INSERT INTO locations (practice_id, name) VALUES ($1, $2) RETURNING id', [practice.rows[0]!.id, `${practiceName} Main`]);
      locationIds.push(location.rows[0]!.id);
    }
    return { agencyId: agency.rows[0]!.id, practiceIds, locationIds };
  });
  for (const practiceId of created.practiceIds) {
    await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => createPracticeKeys(tx, platform.ring, practiceId));
  }
  return created;
}

export async function signIn(platform: TestPlatform, email: string, password = PASSWORD): Promise<GraphQLClient> {
  const client = new GraphQLClient(platform.url);
  await client.data('mutation($e: String!, $p: String!) { login(email: $e, password: $p) }', { e: email, p: password });
  return client;
}

/** Relay global id, as the API encodes it. */
export function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}

/** The database id inside a Relay global id. */
export function localId(globalIdValue: string): string {
  return Buffer.from(globalIdValue, 'base64').toString().split(':').slice(1).join(':');
}
