import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { createAgencyWithPractices, createUser, globalId, localId, signIn } from './fixtures.ts';
import { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let tenant: { agencyId: string; practiceIds: string[] };
let owner: GraphQLClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  tenant = await createAgencyWithPractices(platform, 'Token Agency', ['Token Dental', 'Token Ortho']);
  owner = await signIn(platform, (await createUser(platform, { agencies: [[tenant.agencyId, 'admin']] })).email);
});
afterAll(() => platform.close());

const CREATE = 'mutation($p: [ID!]!, $r: Role!) { createApiToken(name: "reporting", role: $r, practiceIds: $p) { secret apiToken { id prefix role } } }';

async function mint(practiceIds: string[], role = 'VIEWER') {
  const { createApiToken } = await owner.data<{ createApiToken: { secret: string; apiToken: { id: string; prefix: string } } }>(CREATE, {
    p: practiceIds.map((id) => globalId('Practice', id)),
    r: role,
  });
  return createApiToken;
}

describe('personal API tokens', () => {
  it('reaches only the practices it was scoped to, with the role it was given', async () => {
    const token = await mint([tenant.practiceIds[0]!]);
    expect(token.secret.startsWith(token.apiToken.prefix)).toBe(true);
    const api = new GraphQLClient(platform.url, { bearer: token.secret });
    expect(await api.data('{ practices { edges { node { name viewerRole } } } }')).toEqual({
      practices: { edges: [{ node: { name: 'Token Dental', viewerRole: 'viewer' } }] },
    });
    const other = await api.raw('query($id: ID!) { node(id: $id) { id } }', { id: globalId('Practice', tenant.practiceIds[1]!) });
    expect(other.body.data).toEqual({ node: null });
    const admin = await api.error('mutation($p: ID!) { updatePractice(id: $p, name: "Hijacked") { name } }', { p: globalId('Practice', tenant.practiceIds[0]!) });
    expect(admin.code).toBe('FORBIDDEN');
  });

  it('needs no CSRF header (it is not an ambient credential) and cannot mint more tokens', async () => {
    const token = await mint([tenant.practiceIds[0]!], 'ADMIN');
    const api = new GraphQLClient(platform.url, { bearer: token.secret });
    const error = await api.error(CREATE, { p: [globalId('Practice', tenant.practiceIds[0]!)], r: 'VIEWER' });
    expect(error.code).toBe('FORBIDDEN');
  });

  it('stops working once revoked, and an unknown token is simply anonymous', async () => {
    const token = await mint([tenant.practiceIds[1]!]);
    await owner.data('mutation($id: ID!) { revokeApiToken(id: $id) }', { id: token.apiToken.id });
    const api = new GraphQLClient(platform.url, { bearer: token.secret });
    expect(await api.data('{ me { user { email } } }')).toEqual({ me: null });
    expect(await new GraphQLClient(platform.url, { bearer: 'slt_not-a-real-token' }).data('{ me { user { email } } }')).toEqual({ me: null });
  });

  it('stops working once expired', async () => {
    const token = await mint([tenant.practiceIds[1]!]);
    const api = new GraphQLClient(platform.url, { bearer: token.secret });
    expect(await api.data('{ me { user { email } } }')).not.toEqual({ me: null });
    await withSystem(platform.db.owner, (c) => c.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [localId(token.apiToken.id)]));
    expect(await api.data('{ me { user { email } } }')).toEqual({ me: null });
  });

  it('cannot exceed its owner’s role', async () => {
    const analyst = await signIn(platform, (await createUser(platform, { practices: [[tenant.practiceIds[0]!, 'analyst']] })).email);
    const error = await analyst.error(CREATE, { p: [globalId('Practice', tenant.practiceIds[0]!)], r: 'ADMIN' });
    expect(error.code).toBe('FORBIDDEN');
  });

  it('lists the owner’s tokens without their secrets', async () => {
    const { apiTokens } = await owner.data<{ apiTokens: { edges: { node: Record<string, unknown> }[] } }>('{ apiTokens { edges { node { name prefix role revokedAt } } } }');
    expect(apiTokens.edges.length).toBeGreaterThan(0);
    expect(JSON.stringify(apiTokens)).not.toMatch(/secret/);
  });
});
