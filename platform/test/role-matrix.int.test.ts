import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/roles.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { lead as leadInput, patient as chartInput } from '../src/matching/testing.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection } from './leads.ts';
import { chartRecord, landCharts, landLeadRecords, leadRecord, storedId } from './matching.ts';
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
  /** A chart and a lead of the practice, and a website connection of it. */
  patient: string;
  lead: string;
  connection: string;
  /** A Google Ads connection of the practice: offline conversions are uploaded to one. */
  googleAds: string;
  /** What `arrange` created for this cell. */
  target: string;
  n: number;
}
const PRACTICE_LEVEL: Cell[] = ['practice:admin', 'practice:analyst', 'practice:viewer'];
const ADMINS: Cell[] = ['agency:admin', 'practice:admin'];
const ANALYSTS: Cell[] = ['agency:admin', 'agency:analyst', 'practice:admin', 'practice:analyst'];

const RULE = '{ key: $k, channel: REFERRAL_WEB, conditions: [{ field: REFERRER, operator: CONTAINS, value: "matrix" }] }';
const SPEND = '{ date: "2026-02-01", channel: DISPLAY, campaign: $c, amountCents: 1250 }';
const WEBSITE_SETTINGS = JSON.stringify({ allowedOrigins: ['https://matrix-dental.example'] });
// Never called: the matrix only queues uploads.
const GOOGLE_ADS_SETTINGS = JSON.stringify({ clientId: 'c', clientSecret: 's', refreshToken: 'r', developerToken: 'd', customerId: '1234567890' });

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
  { name: 'add a manual touchpoint', document: 'mutation($pt: ID!) { addManualTouchpoint(patientId: $pt, occurredOn: "2025-06-01", channel: OFFLINE_OTHER) { id } }', variables: (i) => ({ pt: i.patient }), allowed: ANALYSTS },
  { name: 'remove a manual touchpoint', document: 'mutation($t: ID!) { removeManualTouchpoint(id: $t) }', variables: (i) => ({ t: i.target }), allowed: ANALYSTS, arrange: () => newTouchpoint(ids.patient) },
  { name: 'link a lead to a patient', document: 'mutation($l: ID!, $pt: ID!) { decideMatch(leadId: $l, patientId: $pt, verdict: LINK) { manual } }', variables: (i) => ({ l: i.lead, pt: i.patient }), allowed: ANALYSTS },
  { name: 'take a match verdict back', document: 'mutation($l: ID!, $pt: ID!) { undoMatchDecision(leadId: $l, patientId: $pt) }', variables: (i) => ({ l: i.lead, pt: i.patient }), allowed: ANALYSTS, arrange: () => decided() },
  { name: 'add a channel rule', document: `mutation($p: ID!, $k: String!) { createChannelRule(practiceId: $p, rule: ${RULE}) { id } }`, variables: (i) => ({ p: i.practice, k: `matrix-${i.n}` }), allowed: ADMINS },
  { name: 'change a channel rule', document: `mutation($r: ID!, $k: String!) { updateChannelRule(id: $r, rule: ${RULE}) { id } }`, variables: (i) => ({ r: i.target, k: `matrix-changed-${i.n}` }), allowed: ADMINS, arrange: () => newChannelRule(ids.practice) },
  { name: 'delete a channel rule', document: 'mutation($r: ID!) { deleteChannelRule(id: $r) }', variables: (i) => ({ r: i.target }), allowed: ADMINS, arrange: () => newChannelRule(ids.practice) },
  // Every rule of the practice, once each: `arrange` reads them as JSON.
  { name: 'reorder channel rules', document: 'mutation($p: ID!, $r: [ID!]!) { reorderChannelRules(practiceId: $p, ids: $r) { id } }', variables: (i) => ({ p: i.practice, r: JSON.parse(i.target) }), allowed: ADMINS, arrange: () => channelRuleIds() },
  { name: 'change channel settings', document: 'mutation($p: ID!) { updateChannelSettings(practiceId: $p, ownHosts: ["matrix-dental.example"]) { ownHosts } }', variables: (i) => ({ p: i.practice }), allowed: ADMINS },
  { name: 'change lead settings', document: 'mutation($p: ID!) { updateLeadSettings(practiceId: $p, episodeWindowDays: 30) { episodeWindowDays } }', variables: (i) => ({ p: i.practice }), allowed: ADMINS },
  { name: 'reprocess lead history', document: 'mutation($p: ID!) { reprocessLeadHistory(practiceId: $p) { status } }', variables: (i) => ({ p: i.practice }), allowed: ADMINS },
  { name: 'connect a source', document: 'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "website", settings: $s) { id } }', variables: (i) => ({ p: i.practice, s: WEBSITE_SETTINGS }), allowed: ADMINS },
  { name: 'rotate a webhook secret', document: 'mutation($c: ID!) { rotateWebhookSecret(id: $c) { id } }', variables: (i) => ({ c: i.connection }), allowed: ADMINS },
  { name: 'change a connection', document: 'mutation($c: ID!, $n: String!) { updateConnection(id: $c, displayName: $n) { displayName } }', variables: (i) => ({ c: i.connection, n: `Site ${i.n}` }), allowed: ADMINS },
  { name: 'sync a connection now', document: 'mutation($c: ID!) { syncConnectionNow(id: $c) { id } }', variables: (i) => ({ c: i.connection }), allowed: ADMINS },
  { name: 'test a connection', document: 'mutation($c: ID!) { testConnection(id: $c) { ok } }', variables: (i) => ({ c: i.connection }), allowed: ADMINS },
  { name: 'enter spend', document: `mutation($p: ID!, $c: String!) { addSpendEntry(practiceId: $p, entry: ${SPEND}) { id } }`, variables: (i) => ({ p: i.practice, c: `Matrix ${i.n}` }), allowed: ADMINS },
  { name: 'change entered spend', document: `mutation($s: ID!, $c: String!) { updateSpendEntry(id: $s, entry: ${SPEND}) { id } }`, variables: (i) => ({ s: i.target, c: `Matrix changed ${i.n}` }), allowed: ADMINS, arrange: () => newSpendEntry(ids.practice) },
  { name: 'delete entered spend', document: 'mutation($s: ID!) { deleteSpendEntry(id: $s) }', variables: (i) => ({ s: i.target }), allowed: ADMINS, arrange: () => newSpendEntry(ids.practice) },
  { name: 'upload conversions to Google Ads', document: 'mutation($c: ID!) { uploadGoogleAdsConversions(connectionId: $c, conversionActionId: "987654321", from: "2026-01-01", to: "2026-01-31") { status } }', variables: (i) => ({ c: i.googleAds }), allowed: ADMINS },
  { name: 'read Google Ads conversion uploads', document: 'query($p: ID!) { node(id: $p) { ... on Practice { googleAdsConversionUploads { status } } } }', variables: (i) => ({ p: i.practice }), allowed: ANALYSTS },
  { name: 'import a spend file', document: 'mutation($p: ID!, $csv: String!) { importSpendCsv(practiceId: $p, csv: $csv) { rows } }', variables: (i) => ({ p: i.practice, csv: `date,channel,campaign,amount\n2026-02-02,Display,Matrix import ${i.n},12.50` }), allowed: ADMINS },
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

/** The field an operation's document asks for first: `updatePractice` for `mutation(…) { updatePractice(…) … }`. */
const fieldOf = (operation: Operation) => /^(?:query|mutation)?[^{]*\{\s*(\w+)/.exec(operation.document)![1]!;

/** Rows made through the API by an admin of their practice, for cells to change or remove. */
const fresh = () => randomBytes(4).toString('hex');
async function newChannelRule(practice: string, admin = clients.get('agency:admin')!): Promise<string> {
  const { createChannelRule } = await admin.data<{ createChannelRule: { id: string } }>(
    `mutation($p: ID!, $k: String!) { createChannelRule(practiceId: $p, rule: ${RULE}) { id } }`, { p: practice, k: `matrix-${fresh()}` },
  );
  return createChannelRule.id;
}
async function newSpendEntry(practice: string, admin = clients.get('agency:admin')!): Promise<string> {
  const { addSpendEntry } = await admin.data<{ addSpendEntry: { id: string } }>(
    `mutation($p: ID!, $c: String!) { addSpendEntry(practiceId: $p, entry: ${SPEND}) { id } }`, { p: practice, c: `Matrix ${fresh()}` },
  );
  return addSpendEntry.id;
}
async function newTouchpoint(patient: string, admin = clients.get('agency:admin')!): Promise<string> {
  const { addManualTouchpoint } = await admin.data<{ addManualTouchpoint: { id: string } }>(
    'mutation($pt: ID!) { addManualTouchpoint(patientId: $pt, occurredOn: "2025-06-01", channel: OFFLINE_OTHER) { id } }', { pt: patient },
  );
  return addManualTouchpoint.id;
}
async function newConnection(practice: string, admin = clients.get('agency:admin')!, connector: 'website' | 'google-ads' = 'website'): Promise<string> {
  const { createConnection } = await admin.data<{ createConnection: { id: string } }>(
    'mutation($p: ID!, $c: String!, $s: String!) { createConnection(practiceId: $p, connectorId: $c, settings: $s) { id } }',
    { p: practice, c: connector, s: connector === 'website' ? WEBSITE_SETTINGS : GOOGLE_ADS_SETTINGS },
  );
  return createConnection.id;
}

/** A chart and a lead of the practice, landed the way syncs land them, as global ids. */
async function chartAndLead(practiceId: string): Promise<{ patient: string; lead: string }> {
  const [chart, call] = [`chart-${fresh()}`, `call-${fresh()}`];
  await landCharts(platform, await addConnection(platform, practiceId, 'open-dental'), [chartRecord(chartInput({ id: chart }))]);
  await landLeadRecords(platform, await addConnection(platform, practiceId, 'callrail'), [leadRecord(leadInput({ id: call }))]);
  return { patient: globalId('Patient', await storedId(platform, 'patients', chart)), lead: globalId('Lead', await storedId(platform, 'leads', call)) };
}

/** A verdict on the practice's lead and chart, for a cell to take back. */
async function decided(): Promise<string> {
  await clients.get('agency:admin')!.data('mutation($l: ID!, $pt: ID!) { decideMatch(leadId: $l, patientId: $pt, verdict: LINK) { manual } }', { l: ids.lead, pt: ids.patient });
  return '';
}

/** Every channel rule of the practice, as a JSON list of global ids. */
async function channelRuleIds(): Promise<string> {
  const { node } = await clients.get('agency:admin')!.data<{ node: { channelRules: { id: string }[] } }>(
    'query($p: ID!) { node(id: $p) { ... on Practice { channelRules { id } } } }', { p: ids.practice },
  );
  return JSON.stringify(node.channelRules.map((r) => r.id));
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
  for (const cell of ALL) {
    const [scope, role] = cell.split(':') as [Scope, Role];
    const user = await createUser(platform, scope === 'agency' ? { agencies: [[tenant.agencyId, role]] } : { practices: [[tenant.practiceIds[0]!, role]] });
    clients.set(cell, await signIn(platform, user.email));
  }
  const practice = globalId('Practice', tenant.practiceIds[0]!);
  ids = {
    agency: globalId('Agency', tenant.agencyId),
    practice,
    location: globalId('Location', tenant.locationIds[0]!),
    othersToken: globalId('ApiToken', othersToken),
    ...(await chartAndLead(tenant.practiceIds[0]!)),
    connection: await newConnection(practice),
    googleAds: await newConnection(practice, clients.get('agency:admin')!, 'google-ads'),
  };
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

// The domain functions refuse non-admins too (defence in depth) with their own wording; this message is the schema's
// scope check, so the tests below fail if a role requirement ever slips back out of the fields' authScopes.
const SCOPE_REFUSAL = { message: 'You do not have permission to do this.', code: 'FORBIDDEN' };

describe('where the people mutations are refused', () => {
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

/** Mutations naming their agency or practice in the arguments: the role on that id is their field's scope. */
const BY_TENANT_ID = [
  'updateAgency', 'createPractice', 'updatePractice', 'createLocation', 'updateAttributionSettings', 'createChannelRule', 'reorderChannelRules',
  'updateChannelSettings', 'createConnection', 'updateLeadSettings', 'reprocessLeadHistory', 'rematchPractice', 'freezeMonth', 'addSpendEntry',
  'importSpendCsv',
];
/** Mutations naming a row: their scope is the role where the row sits, and which argument of the matrix names it. */
const BY_ROW: Record<string, { id: 'location' | 'connection' | 'googleAds' | 'lead' | 'target'; type: 'Location' | 'Connection' | 'Lead' | 'ChannelRule' | 'ManualTouchpoint' | 'SpendEntry' }> = {
  updateLocation: { id: 'location', type: 'Location' },
  removeManualTouchpoint: { id: 'target', type: 'ManualTouchpoint' },
  decideMatch: { id: 'lead', type: 'Lead' },
  undoMatchDecision: { id: 'lead', type: 'Lead' },
  updateChannelRule: { id: 'target', type: 'ChannelRule' },
  deleteChannelRule: { id: 'target', type: 'ChannelRule' },
  rotateWebhookSecret: { id: 'connection', type: 'Connection' },
  updateConnection: { id: 'connection', type: 'Connection' },
  syncConnectionNow: { id: 'connection', type: 'Connection' },
  testConnection: { id: 'connection', type: 'Connection' },
  uploadGoogleAdsConversions: { id: 'googleAds', type: 'Connection' },
  updateSpendEntry: { id: 'target', type: 'SpendEntry' },
  deleteSpendEntry: { id: 'target', type: 'SpendEntry' },
};
/** addManualTouchpoint names a chart: the role where the chart sits. */
const SCOPED_MUTATIONS = [...BY_TENANT_ID, ...Object.keys(BY_ROW), 'addManualTouchpoint'];

/** The matrix's first operation of a field: every scoped mutation has one. */
function operationOf(field: string): Operation {
  const operation = MATRIX.find((o) => fieldOf(o) === field);
  if (!operation) throw new Error(`the matrix has no row for ${field}`);
  return operation;
}

describe('where the tenant mutations are refused', () => {
  let n = 10_000;
  for (const field of SCOPED_MUTATIONS) {
    it(`${field} refuses a member below its role in the field’s scopes, before any resolver runs`, async () => {
      const operation = operationOf(field);
      const cell = ALL.find((c) => !operation.allowed.includes(c) && !operation.hidden?.includes(c))!;
      const target = (await operation.arrange?.(cell)) ?? '';
      expect(await clients.get(cell)!.error(operation.document, operation.variables({ ...ids, target, n: (n += 1) }))).toEqual(SCOPE_REFUSAL);
    });
  }

  describe('another agency’s ids', () => {
    let theirs: { agency: string; practice: string; location: string; patient: string; lead: string; connection: string; googleAds: string } & Record<string, string>;
    beforeAll(async () => {
      const other = await createAgencyWithPractices(platform, 'Faraway Agency', ['Faraway Dental']);
      const admin = await signIn(platform, (await createUser(platform, { agencies: [[other.agencyId, 'admin']] })).email);
      const practice = globalId('Practice', other.practiceIds[0]!);
      const { patient, lead } = await chartAndLead(other.practiceIds[0]!);
      theirs = {
        agency: globalId('Agency', other.agencyId), practice, location: globalId('Location', other.locationIds[0]!), patient, lead,
        connection: await newConnection(practice, admin),
        googleAds: await newConnection(practice, admin, 'google-ads'),
        ChannelRule: await newChannelRule(practice, admin),
        SpendEntry: await newSpendEntry(practice, admin),
        ManualTouchpoint: await newTouchpoint(patient, admin),
      };
    });

    it('are refused by the mutations naming a row exactly as ids that do not exist: not found', async () => {
      for (const [field, { id, type }] of Object.entries(BY_ROW)) {
        const operation = operationOf(field);
        const real = id === 'target' ? theirs[type]! : theirs[id];
        const admin = clients.get('agency:admin')!;
        const refused = await admin.error(operation.document, operation.variables({ ...ids, target: '', n: (n += 1), [id]: real }));
        const madeUp = await admin.error(operation.document, operation.variables({ ...ids, target: '', n: (n += 1), [id]: globalId(type, randomUUID()) }));
        expect({ field, ...refused }).toEqual({ field, ...madeUp, code: 'NOT_FOUND' });
      }
    });

    it('are refused by the mutations naming an agency or practice exactly as ids that do not exist', async () => {
      for (const field of BY_TENANT_ID) {
        const operation = operationOf(field);
        // `target` is reorderChannelRules' list of rules: none here.
        const admin = clients.get('agency:admin')!;
        const refused = await admin.error(operation.document, operation.variables({ ...ids, target: '[]', n: (n += 1), agency: theirs.agency, practice: theirs.practice }));
        const madeUp = await admin.error(operation.document, operation.variables({
          ...ids, target: '[]', n: (n += 1), agency: globalId('Agency', randomUUID()), practice: globalId('Practice', randomUUID()),
        }));
        // Neither says whether the id exists: both are the scope's refusal, as for any agency or practice of no role.
        expect({ field, ...refused }).toEqual({ field, ...madeUp, ...SCOPE_REFUSAL });
      }
    });
  });
});
