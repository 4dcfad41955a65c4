import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/roles.ts';
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
}
interface Ids {
  agency: string;
  practice: string;
  location: string;
  n: number;
}

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
];

let platform: TestPlatform;
let ids: Omit<Ids, 'n'>;
const clients = new Map<Cell, GraphQLClient>();

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Matrix Agency', ['Matrix Dental']);
  ids = { agency: globalId('Agency', tenant.agencyId), practice: globalId('Practice', tenant.practiceIds[0]!), location: globalId('Location', tenant.locationIds[0]!) };
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
      it(`${operation.name}: ${cell} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const { body } = await clients.get(cell)!.raw(operation.document, operation.variables({ ...ids, n: (n += 1) }));
        if (allowed) expect(body.errors).toBeUndefined();
        else expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      });
    }
  }
});
