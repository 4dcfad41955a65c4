import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/roles.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

/**
 * The authorization matrix of the foundation's operations: who may do what, by role and by where the membership sits
 * (agency-wide or on the one practice). Every cell is exercised below.
 */
type Scope = 'agency' | 'practice';
type Cell = `${Scope}:${Role}`;
const ALL: Cell[] = ['agency:admin', 'agency:analyst', 'agency:viewer', 'practice:admin', 'practice:analyst', 'practice:viewer'];

interface Operation {
  name: string;
  document: string;
  variables: (ids: Ids) => Record<string, unknown>;
  allowed: Cell[];
  /**
   * Cells that cannot see the target at all: refused as NOT_FOUND, the answer a made-up id gets, because telling
   * them "forbidden" would confirm the row exists. Every other refused cell gets FORBIDDEN.
   */
  hidden?: Cell[];
  /** Creates a fresh target for one cell (a member, an invitation, the cell's own token): allowed cells use it up. */
  arrange?: (cell: Cell) => Promise<string>;
}
interface Ids {
  agency: string;
  practice: string;
  location: string;
  /** Another user's API token, which nobody but that user may revoke. */
  othersToken: string;
  /** What `arrange` created for this cell. */
  target: string;
  n: number;
}
const PRACTICE_LEVEL: Cell[] = ['practice:admin', 'practice:analyst', 'practice:viewer'];

const MATRIX: Operation[] = [
  { name: 'list practices', document: '{ practices { edges { node { id } } } }', variables: () => ({}), allowed: ALL },
  { name: 'read practice locations', document: 'query($p: ID!) { node(id: $p) { ... on Practice { locations { edges { node { name } } } } } }', variables: (i) => ({ p: i.practice }), allowed: ALL },
  { name: 'list practice members', document: 'query($p: ID!) { node(id: $p) { ... on Practice { memberships { edges { node { role } } } } } }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'list agency members', document: 'query($a: ID!) { node(id: $a) { ... on Agency { memberships { edges { node { role } } } } } }', variables: (i) => ({ a: i.agency }), allowed: ['agency:admin'] },
  { name: 'read practice audit log', document: 'query($p: ID!) { auditEvents(practiceId: $p) { edges { node { action } } } }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'rename practice', document: 'mutation($p: ID!, $n: String!) { updatePractice(id: $p, name: $n) { name } }', variables: (i) => ({ p: i.practice, n: `Renamed ${i.n}` }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'add location', document: 'mutation($p: ID!, $n: String!) { createLocation(practiceId: $p, name: $n) { name } }', variables: (i) => ({ p: i.practice, n: `Branch ${i.n}` }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'rename location', document: 'mutation($l: ID!, $n: String!) { updateLocation(id: $l, name: $n) { name } }', variables: (i) => ({ l: i.location, n: `Site ${i.n}` }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'invite to practice', document: 'mutation($p: ID!, $e: String!) { createInvitation(email: $e, role: VIEWER, practiceId: $p) { id } }', variables: (i) => ({ p: i.practice, e: `invitee${i.n}@example.test` }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'invite to agency', document: 'mutation($a: ID!, $e: String!) { createInvitation(email: $e, role: VIEWER, agencyId: $a) { id } }', variables: (i) => ({ a: i.agency, e: `agency-invitee${i.n}@example.test` }), allowed: ['agency:admin'] },
  { name: 'add practice', document: 'mutation($a: ID!, $n: String!) { createPractice(agencyId: $a, name: $n) { name } }', variables: (i) => ({ a: i.agency, n: `New Practice ${i.n}` }), allowed: ['agency:admin'] },
  { name: 'require MFA for agency', document: 'mutation($a: ID!) { updateAgency(id: $a, mfaRequired: false) { mfaRequired } }', variables: (i) => ({ a: i.agency }), allowed: ['agency:admin'] },
  { name: 'create viewer API token', document: 'mutation($p: ID!) { createApiToken(name: "ci", role: VIEWER, practiceIds: [$p]) { secret } }', variables: (i) => ({ p: i.practice }), allowed: ALL },
  { name: 'create admin API token', document: 'mutation($p: ID!) { createApiToken(name: "ci", role: ADMIN, practiceIds: [$p]) { secret } }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'read matching status', document: 'query($p: ID!) { node(id: $p) { ... on Practice { matching { links pendingLeads } } } }', variables: (i) => ({ p: i.practice }), allowed: ALL },
  { name: 'read review queue', document: 'query($p: ID!) { node(id: $p) { ... on Practice { reviewQueue { total } } } }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'agency:analyst', 'practice:admin', 'practice:analyst'] },
  { name: 'match practice again', document: 'mutation($p: ID!) { rematchPractice(practiceId: $p) }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'read practice performance', document: 'query($p: ID!) { node(id: $p) { ... on Practice { performance(from: "2026-01-01", to: "2026-01-31") { totals { leads } channels { name } } } } }', variables: (i) => ({ p: i.practice }), allowed: ALL },
  { name: 'change attribution settings', document: 'mutation($p: ID!) { updateAttributionSettings(practiceId: $p, lookbackDays: 60) { lookbackDays } }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'read month-end', document: 'query($p: ID!) { node(id: $p) { ... on Practice { monthEnd(last: 2) { month over } } } }', variables: (i) => ({ p: i.practice }), allowed: ALL },
  { name: 'freeze a month', document: 'mutation($p: ID!, $m: String!) { freezeMonth(practiceId: $p, month: $m) { month } }', variables: (i) => ({ p: i.practice, m: `20${String(10 + (i.n % 10))}-0${1 + (i.n % 9)}` }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'create agency', document: 'mutation($n: String!) { createAgency(name: $n) { name } }', variables: (i) => ({ n: `Agency ${i.n}` }), allowed: [] },
  { name: 'rename agency', document: 'mutation($a: ID!, $n: String!) { updateAgency(id: $a, name: $n) { name } }', variables: (i) => ({ a: i.agency, n: `Matrix Agency ${i.n}` }), allowed: ['agency:admin'] },
  { name: 'read agency audit log', document: 'query($a: ID!) { auditEvents(agencyId: $a) { edges { node { action } } } }', variables: (i) => ({ a: i.agency }), allowed: ['agency:admin'] },
  { name: 'list agencies', document: '{ agencies { edges { node { name } } } }', variables: () => ({}), allowed: ALL },
  { name: 'read me', document: '{ me { user { email } memberships { role } } }', variables: () => ({}), allowed: ALL },
  { name: 'list own API tokens', document: '{ apiTokens { edges { node { name } } } }', variables: () => ({}), allowed: ALL },
  { name: 'list practice invitations', document: 'query($p: ID!) { node(id: $p) { ... on Practice { invitations { edges { node { email } } } } } }', variables: (i) => ({ p: i.practice }), allowed: ['agency:admin', 'practice:admin'] },
  { name: 'list agency invitations', document: 'query($a: ID!) { node(id: $a) { ... on Agency { invitations { edges { node { email } } } } } }', variables: (i) => ({ a: i.agency }), allowed: ['agency:admin'] },
  {
    name: 'change a practice member’s role',
    document: 'mutation($m: ID!) { changeMembershipRole(id: $m, role: ANALYST) { role } }',
    variables: (i) => ({ m: i.target }),
    allowed: ['agency:admin', 'practice:admin'],
    arrange: () => newMember('practice'),
  },
  {
    name: 'change an agency member’s role',
    document: 'mutation($m: ID!) { changeMembershipRole(id: $m, role: ANALYST) { role } }',
    variables: (i) => ({ m: i.target }),
    allowed: ['agency:admin'],
    // Agency-wide memberships are out of sight for practice-level members (row-level security).
    hidden: PRACTICE_LEVEL,
    arrange: () => newMember('agency'),
  },
  { name: 'remove a practice member', document: 'mutation($m: ID!) { removeMembership(id: $m) }', variables: (i) => ({ m: i.target }), allowed: ['agency:admin', 'practice:admin'], arrange: () => newMember('practice') },
  { name: 'remove an agency member', document: 'mutation($m: ID!) { removeMembership(id: $m) }', variables: (i) => ({ m: i.target }), allowed: ['agency:admin'], hidden: PRACTICE_LEVEL, arrange: () => newMember('agency') },
  { name: 'revoke a practice invitation', document: 'mutation($v: ID!) { revokeInvitation(id: $v) }', variables: (i) => ({ v: i.target }), allowed: ['agency:admin', 'practice:admin'], arrange: () => newInvitation('practice') },
  { name: 'revoke an agency invitation', document: 'mutation($v: ID!) { revokeInvitation(id: $v) }', variables: (i) => ({ v: i.target }), allowed: ['agency:admin'], hidden: PRACTICE_LEVEL, arrange: () => newInvitation('agency') },
  { name: 'revoke own API token', document: 'mutation($t: ID!) { revokeApiToken(id: $t) }', variables: (i) => ({ t: i.target }), allowed: ALL, arrange: (cell) => ownToken(cell) },
  // Personal tokens are their owner's alone, whatever the caller's role over the practices the token reaches.
  { name: 'revoke another user’s API token', document: 'mutation($t: ID!) { revokeApiToken(id: $t) }', variables: (i) => ({ t: i.othersToken }), allowed: [], hidden: ALL },
];

let platform: TestPlatform;
let tenant: Awaited<ReturnType<typeof createAgencyWithPractices>>;
let ids: Omit<Ids, 'n' | 'target'>;
const clients = new Map<Cell, GraphQLClient>();

/** A viewer membership on the agency or the practice, for a cell to change or remove. */
async function newMember(scope: Scope): Promise<string> {
  const user = await createUser(platform, scope === 'agency' ? { agencies: [[tenant.agencyId, 'viewer']] } : { practices: [[tenant.practiceIds[0]!, 'viewer']] });
  const id = await withSystem(platform.db.owner, async (c) => (await c.query<{ id: string }>('SELECT id FROM memberships WHERE user_id = $1', [user.id])).rows[0]!.id);
  return globalId('Membership', id);
}

/** An open invitation to the agency or the practice, for a cell to revoke. */
async function newInvitation(scope: Scope): Promise<string> {
  const id = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ id: string }>(
      `INSERT INTO invitations (${scope}_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'viewer', $3, now() + interval '1 day') RETURNING id`,
      [scope === 'agency' ? tenant.agencyId : tenant.practiceIds[0], `pending-${randomBytes(4).toString('hex')}@example.test`, randomBytes(32)],
    )).rows[0]!.id,
  );
  return globalId('Invitation', id);
}

/** A token the cell's own user creates, for that user to revoke. */
async function ownToken(cell: Cell): Promise<string> {
  const created = await clients.get(cell)!.data<{ createApiToken: { apiToken: { id: string } } }>(
    'mutation($p: ID!) { createApiToken(name: "mine", role: VIEWER, practiceIds: [$p]) { apiToken { id } } }',
    { p: ids.practice },
  );
  return created.createApiToken.apiToken.id;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  tenant = await createAgencyWithPractices(platform, 'Matrix Agency', ['Matrix Dental']);
  // Owned by an admin of the very practice it reaches: what refuses the other cells is ownership, not reach.
  const other = await createUser(platform, { practices: [[tenant.practiceIds[0]!, 'admin']] });
  const othersToken = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ id: string }>(
      `INSERT INTO api_tokens (user_id, name, prefix, token_hash, role, practice_ids) VALUES ($1, 'theirs', 'slt_o', $2, 'viewer', $3) RETURNING id`,
      [other.id, randomBytes(32), [tenant.practiceIds[0]]],
    )).rows[0]!.id,
  );
  ids = {
    agency: globalId('Agency', tenant.agencyId),
    practice: globalId('Practice', tenant.practiceIds[0]!),
    location: globalId('Location', tenant.locationIds[0]!),
    othersToken: globalId('ApiToken', othersToken),
  };
  for (const cell of ALL) {
    const [scope, role] = cell.split(':') as [Scope, Role];
    const user = await createUser(platform, scope === 'agency' ? { agencies: [[tenant.agencyId, role]] } : { practices: [[tenant.practiceIds[0]!, role]] });
    clients.set(cell, await signIn(platform, user.email));
  }
});
afterAll(() => platform.close());

describe('authorization matrix', () => {
  let n = 0;
  for (const operation of MATRIX) {
    for (const cell of ALL) {
      const allowed = operation.allowed.includes(cell);
      const hidden = operation.hidden?.includes(cell) ?? false;
      it(`${operation.name}: ${cell} is ${allowed ? 'allowed' : hidden ? 'refused as not found' : 'refused'}`, async () => {
        const target = (await operation.arrange?.(cell)) ?? '';
        const { body } = await clients.get(cell)!.raw(operation.document, operation.variables({ ...ids, target, n: (n += 1) }));
        if (allowed) expect(body.errors).toBeUndefined();
        else expect(body.errors?.[0]?.extensions?.code).toBe(hidden ? 'NOT_FOUND' : 'FORBIDDEN');
      });
    }
  }
});

describe('where the people mutations are refused', () => {
  // The domain functions refuse non-admins too (defence in depth) with their own wording; this message is the
  // schema's scope check, so these fail if the admin requirement ever slips back out of the fields' authScopes.
  const SCOPE_REFUSAL = { message: 'You do not have permission to do this.', code: 'FORBIDDEN' };

  it('refuses an analyst in the fields’ scopes, before any resolver runs', async () => {
    const analyst = clients.get('agency:analyst')!;
    expect(await analyst.error('mutation($m: ID!) { changeMembershipRole(id: $m, role: ADMIN) { role } }', { m: await newMember('practice') })).toEqual(SCOPE_REFUSAL);
    expect(await analyst.error('mutation($m: ID!) { removeMembership(id: $m) }', { m: await newMember('agency') })).toEqual(SCOPE_REFUSAL);
    expect(await analyst.error('mutation($v: ID!) { revokeInvitation(id: $v) }', { v: await newInvitation('practice') })).toEqual(SCOPE_REFUSAL);
    expect(await analyst.error('mutation($a: ID!) { createInvitation(email: "x@example.test", role: VIEWER, agencyId: $a) { id } }', { a: ids.agency })).toEqual(SCOPE_REFUSAL);
  });

  it('answers another agency’s membership and invitation ids exactly as ids that do not exist', async () => {
    const other = await createAgencyWithPractices(platform, 'Elsewhere Agency', ['Elsewhere Dental']);
    const member = await createUser(platform, { practices: [[other.practiceIds[0]!, 'viewer']] });
    const [membershipId, invitationId] = await withSystem(platform.db.owner, async (c) => [
      (await c.query<{ id: string }>('SELECT id FROM memberships WHERE user_id = $1', [member.id])).rows[0]!.id,
      (await c.query<{ id: string }>(
        `INSERT INTO invitations (agency_id, email, role, token_hash, expires_at) VALUES ($1, 'elsewhere@example.test', 'viewer', $2, now() + interval '1 day') RETURNING id`,
        [other.agencyId, randomBytes(32)],
      )).rows[0]!.id,
    ]);
    const admin = clients.get('agency:admin')!;
    for (const [document, type, realId] of [
      ['mutation($id: ID!) { changeMembershipRole(id: $id, role: ADMIN) { role } }', 'Membership', membershipId],
      ['mutation($id: ID!) { removeMembership(id: $id) }', 'Membership', membershipId],
      ['mutation($id: ID!) { revokeInvitation(id: $id) }', 'Invitation', invitationId],
    ] as const) {
      const refused = await admin.error(document, { id: globalId(type, realId) });
      const madeUp = await admin.error(document, { id: globalId(type, randomUUID()) });
      expect(refused.code).toBe('NOT_FOUND');
      expect(refused).toEqual(madeUp);
    }
  });
});
