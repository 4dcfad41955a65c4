import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify-audit-chain.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { createAgencyWithPractices, createUser, globalId, PASSWORD, signIn } from './fixtures.ts';
import { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Audit Agency', ['Audit Dental']);
  practiceId = tenant.practiceIds[0]!;
  const admin = await signIn(platform, (await createUser(platform, { agencies: [[tenant.agencyId, 'admin']] })).email);
  for (let i = 0; i < 5; i += 1) {
    await admin.data('mutation($p: ID!, $n: String!) { updatePractice(id: $p, name: $n) { name } }', { p: globalId('Practice', practiceId), n: `Audit Dental ${i}` });
  }
});
afterAll(() => platform.close());

async function asOwnerBypassingTriggers(target: TestPlatform, sql: string, params: unknown[]): Promise<void> {
  const client = await target.db.owner.connect();
  try {
    await client.query('BEGIN');
    // Only a database superuser can do this: it is the attack the hash chain exists to expose.
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('the audit log', () => {
  it('records who changed what, from where, and verifies clean', async () => {
    const rows = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT action, fields, ip, request_id FROM audit_log WHERE practice_id = $1 AND action = 'practice.updated'`, [practiceId])).rows,
    );
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ action: 'practice.updated', fields: ['name'], ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(rows[0].request_id).toBeTruthy();
    expect(await verifyAuditChain(platform.db.owner)).toMatchObject({ firstBroken: null });
  });

  it('records every sign-in, succeeded or failed, and never the password typed', async () => {
    const user = await createUser(platform);
    const wrongPassword = 'Tr0ub4dor&3 guessed wrong';
    const unknownAddress = 'nobody-audited@example.test';
    const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) }';
    const client = new GraphQLClient(platform.url);
    await client.error(login, { e: user.email, p: wrongPassword });
    await client.error(login, { e: unknownAddress, p: wrongPassword });
    await client.data(login, { e: user.email, p: PASSWORD });

    const rows = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ action: string; actor_user_id: string | null; details: Record<string, unknown>; ip: string | null; whole: string }>(
        `SELECT action, actor_user_id, details, ip, to_jsonb(a)::text AS whole FROM audit_log a
          WHERE action IN ('auth.login_succeeded', 'auth.login_failed') AND (actor_user_id = $1 OR actor_user_id IS NULL) ORDER BY seq`,
        [user.id],
      )).rows,
    );
    expect(rows.map(({ action, actor_user_id, details }) => ({ action, actor_user_id, details }))).toEqual([
      { action: 'auth.login_failed', actor_user_id: user.id, details: { reason: 'wrong_password' } },
      { action: 'auth.login_failed', actor_user_id: null, details: { reason: 'unknown_account' } },
      { action: 'auth.login_succeeded', actor_user_id: user.id, details: {} },
    ]);
    for (const row of rows) {
      expect(row.ip).toMatch(/127\.0\.0\.1/);
      // Neither password, nor an address typed that has no account (it may be anyone's), is kept in the log.
      for (const secret of [PASSWORD, wrongPassword, unknownAddress]) expect(row.whole).not.toContain(secret);
    }
  });

  it('refuses UPDATE and DELETE even to the role that may insert', async () => {
    const scope = { practiceIds: [practiceId] };
    await expect(withTenantClient(platform.db.app, scope, (c) => c.query(`UPDATE audit_log SET action = 'x.y'`))).rejects.toThrow(/permission denied/);
    await expect(withTenantClient(platform.db.app, scope, (c) => c.query('DELETE FROM audit_log'))).rejects.toThrow(/permission denied/);
    // Even the owner, whose privileges are not limited by grants, meets the trigger.
    await expect(platform.db.owner.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(platform.db.owner.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('names the first altered row when history is edited behind its back', async () => {
    const target = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ id: string; seq: string }>(`SELECT id::text, seq::text FROM audit_log WHERE chain = $1 ORDER BY seq LIMIT 1 OFFSET 2`, [practiceId])).rows[0]!,
    );
    await asOwnerBypassingTriggers(platform, `UPDATE audit_log SET details = '{"edited": true}' WHERE id = $1`, [target.id]);
    const result = await verifyAuditChain(platform.db.owner);
    expect(result.firstBroken).toEqual({ chain: practiceId, seq: target.seq, id: target.id, reason: expect.stringMatching(/altered/) });
  });

  it('notices a deleted row', async () => {
    const fresh = await startTestPlatform();
    try {
      const tenant = await createAgencyWithPractices(fresh, 'Gap Agency', ['Gap Dental']);
      const admin = await signIn(fresh, (await createUser(fresh, { agencies: [[tenant.agencyId, 'admin']] })).email);
      for (let i = 0; i < 3; i += 1) await admin.data('mutation($p: ID!, $n: String!) { updatePractice(id: $p, name: $n) { name } }', { p: globalId('Practice', tenant.practiceIds[0]!), n: `Gap ${i}` });
      await asOwnerBypassingTriggers(fresh, 'DELETE FROM audit_log WHERE chain = $1 AND seq = 2', [tenant.practiceIds[0]]);
      expect((await verifyAuditChain(fresh.db.owner)).firstBroken).toMatchObject({ chain: tenant.practiceIds[0], seq: '3', reason: expect.stringMatching(/missing/) });
    } finally {
      await fresh.close();
    }
  });
});
