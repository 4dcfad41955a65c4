import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { schema } from '../src/graphql/schema.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';
import { operationsFor } from './schema-walk.ts';

let platform: TestPlatform;
let tenantB: {
  agencyId: string; practiceIds: string[]; locationIds: string[]; userId: string; membershipId: string; tokenId: string; invitationId: string;
  channelRuleId: string; spendId: string; leadId: string;
};
let clients: Record<'admin' | 'analyst' | 'viewer', GraphQLClient>;

/** Strings that identify tenant B's data: raw ids, their global ids, and names. */
let secretsOfB: string[];

const NODE_TYPES = ['ApiToken', 'Membership', 'Invitation', 'Location', 'ChannelRule', 'SpendEntry', 'Lead', 'Practice', 'Agency', 'User'];

/** `practiceId` names a Practice; a bare `id` names the type in the field's name (`revokeApiToken` → ApiToken). */
function typeFor(argName: string, fieldName: string): string {
  const source = argName === 'id' || argName === 'ids' ? fieldName : argName;
  if (/actor/i.test(source)) return 'User';
  return NODE_TYPES.find((t) => source.toLowerCase().includes(t.toLowerCase())) ?? 'Practice';
}

async function snapshotOfB(): Promise<string> {
  return withSystem(platform.db.owner, async (c) => {
    const parts: string[] = [];
    for (const table of ['agencies', 'practices', 'locations', 'memberships', 'invitations', 'api_tokens', 'data_keys', 'users', 'channel_rules',
      'channel_settings', 'lead_settings', 'lead_reprocessing_runs', 'spend', 'leads', 'connections']) {
      const { rows } = await c.query(`SELECT to_jsonb(t)::text AS r FROM ${table} t ORDER BY 1`);
      parts.push(...rows.map((r) => r.r as string).filter((r) => secretsOfB.some((s) => r.includes(s))));
    }
    return createHash('sha256').update(parts.join('\n')).digest('hex');
  });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const a = await createAgencyWithPractices(platform, 'Agency Alpha', ['Alpha Dental', 'Alpha Ortho']);
  const b = await createAgencyWithPractices(platform, 'Agency Bravo', ['Bravo Dental', 'Bravo Ortho']);
  const bUser = await createUser(platform, { agencies: [[b.agencyId, 'admin']] });
  const extra = await withSystem(platform.db.owner, async (c) => {
    const m = await c.query<{ id: string }>('SELECT id FROM memberships WHERE user_id = $1', [bUser.id]);
    const t = await c.query<{ id: string }>(
      `INSERT INTO api_tokens (user_id, name, prefix, token_hash, role, practice_ids) VALUES ($1, 'b', 'slt_b', '\\x01', 'admin', $2) RETURNING id`,
      [bUser.id, b.practiceIds],
    );
    const i = await c.query<{ id: string }>(
      `INSERT INTO invitations (agency_id, email, role, token_hash, expires_at) VALUES ($1, 'bravo-invitee@example.test', 'viewer', '\\x02', now() + interval '1 day') RETURNING id`,
      [b.agencyId],
    );
    await c.query(`INSERT INTO audit_log (practice_id, actor_user_id, action, prev_hash, hash) VALUES ($1, $2, 'practice.viewed', '\\x', '\\x')`, [b.practiceIds[0], bUser.id]);
    // What channels, leads and spend keep of B: a rule, a manual spend row and a lead, each named for B.
    const rule = await c.query<{ id: string }>(
      `INSERT INTO channel_rules (practice_id, position, rule_key, conditions, channel, display_name)
       VALUES ($1, 0, 'radio', '[{"field":"landingPage","operator":"contains","value":"radio"}]', 'offline-other', 'Bravo Radio') RETURNING id`,
      [b.practiceIds[0]],
    );
    await c.query(`INSERT INTO lead_settings (practice_id, episode_window_days) VALUES ($1, 14)`, [b.practiceIds[0]]);
    const manual = await c.query<{ id: string }>(
      `INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, 'manual-spend', 'Bravo spend', '\\x00') RETURNING id`,
      [b.practiceIds[0]],
    );
    const spend = await c.query<{ id: string }>(
      `INSERT INTO spend (practice_id, connection_id, source_id, content_hash, date, source, campaign, cost_cents, currency, channel)
       VALUES ($1, $2, 'manual:b', '\\x01', '2030-01-01', 'radio', 'Bravo Billboard', 5000, 'USD', 'offline-other') RETURNING id`,
      [b.practiceIds[0], manual.rows[0]!.id],
    );
    const lead = await c.query<{ id: string }>(
      `INSERT INTO leads (practice_id, connection_id, source_id, content_hash, occurred_at, kind, campaign, classified_channel, channel_rule)
       VALUES ($1, $2, 'bravo-lead', '\\x01', '2030-01-01', 'form', 'Bravo Spring', 'direct', 'R17') RETURNING id`,
      [b.practiceIds[0], manual.rows[0]!.id],
    );
    return {
      membershipId: m.rows[0]!.id, tokenId: t.rows[0]!.id, invitationId: i.rows[0]!.id,
      channelRuleId: rule.rows[0]!.id, spendId: spend.rows[0]!.id, leadId: lead.rows[0]!.id,
    };
  });
  tenantB = { ...b, userId: bUser.id, ...extra };
  secretsOfB = [
    b.agencyId, ...b.practiceIds, ...b.locationIds, bUser.id, bUser.email, extra.membershipId, extra.tokenId, extra.invitationId, extra.channelRuleId,
    extra.spendId, extra.leadId,
    'Agency Bravo', 'Bravo Dental', 'Bravo Ortho', 'bravo-invitee@example.test',
  ];
  // B's global ids are what the sweep sends, so an error may echo them; a leaked object is still caught by its raw
  // ids and its names, which B's every seeded name contains.
  secretsOfB.push('Bravo');
  clients = {
    admin: await signIn(platform, (await createUser(platform, { platformAdmin: true, agencies: [[a.agencyId, 'admin']] })).email),
    analyst: await signIn(platform, (await createUser(platform, { agencies: [[a.agencyId, 'analyst']] })).email),
    viewer: await signIn(platform, (await createUser(platform, { practices: [[a.practiceIds[0]!, 'viewer']] })).email),
  };
});
afterAll(() => platform.close());

const idsOfB = (argName: string, fieldName: string) => {
  const type = typeFor(argName, fieldName);
  const raw: Record<string, string> = {
    Agency: tenantB.agencyId,
    Practice: tenantB.practiceIds[0]!,
    Location: tenantB.locationIds[0]!,
    User: tenantB.userId,
    Membership: tenantB.membershipId,
    ApiToken: tenantB.tokenId,
    Invitation: tenantB.invitationId,
    ChannelRule: tenantB.channelRuleId,
    SpendEntry: tenantB.spendId,
    Lead: tenantB.leadId,
  };
  return globalId(type, raw[type]!);
};

describe('tenant sweep through GraphQL', () => {
  const roles = ['admin', 'analyst', 'viewer'] as const;

  it('returns none of tenant B’s data to any query, for every role of tenant A', async () => {
    const operations = operationsFor(schema, 'query', { idFor: idsOfB });
    expect(operations.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    const unexecuted: string[] = [];
    for (const role of roles) {
      for (const op of operations) {
        const { body } = await clients[role].raw(op.document);
        const text = JSON.stringify(body);
        for (const secret of secretsOfB) if (text.includes(secret)) leaks.push(`${role} ${op.field}: ${secret}`);
        // A query refused before execution (syntax, limits, validation) would prove nothing about isolation.
        if (body.data === undefined) unexecuted.push(`${role} ${op.field}: ${body.errors?.[0]?.message}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(unexecuted).toEqual([]);
  });

  it('resolves no node of tenant B by global id', async () => {
    const leaks: string[] = [];
    const ids = [
      globalId('Agency', tenantB.agencyId), globalId('Practice', tenantB.practiceIds[0]!), globalId('Location', tenantB.locationIds[0]!),
      globalId('User', tenantB.userId), globalId('Membership', tenantB.membershipId), globalId('ApiToken', tenantB.tokenId),
      globalId('ChannelRule', tenantB.channelRuleId), globalId('SpendEntry', tenantB.spendId), globalId('Lead', tenantB.leadId),
    ];
    for (const role of roles) {
      const { body } = await clients[role].raw('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids });
      if (JSON.stringify(body.data).includes('"id"')) leaks.push(`${role}: ${JSON.stringify(body.data)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('lets no mutation of tenant A read or change tenant B', async () => {
    const before = await snapshotOfB();
    const operations = operationsFor(schema, 'mutation', { idFor: idsOfB }).filter((op) => !['logout', 'login', 'verifyMfa'].includes(op.field));
    const leaks: string[] = [];
    const unexecuted: string[] = [];
    for (const role of roles) {
      for (const op of operations) {
        const { body } = await clients[role].raw(op.document);
        const text = JSON.stringify(body);
        for (const secret of secretsOfB) if (text.includes(secret)) leaks.push(`${role} ${op.field}: ${secret}`);
        if (body.data === undefined) unexecuted.push(`${role} ${op.field}: ${body.errors?.[0]?.message}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(unexecuted).toEqual([]);
    expect(await snapshotOfB()).toBe(before);
  });
});
