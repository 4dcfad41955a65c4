import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeStoredPractice } from '../src/attribution/practice/attribute-practice.ts';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { patient } from '../src/matching/testing.ts';
import { upsertRecords } from '../src/records/write-records.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection, at, landLeads, lead } from './leads.ts';
import { chartRecord, landCharts } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let clients: Record<'admin' | 'analyst' | 'viewer', GraphQLClient>;

const LEADS = `query($p: ID!, $filter: LeadFilter, $first: Int, $after: String) {
  node(id: $p) { ... on Practice { leads(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id occurredAt kind channel channelDisplayName channelRule channelExplanation source medium campaign contact episodeId
                          sourceSaysFirstContact connection { connectorId } } }
    pageInfo { hasNextPage endCursor }
  } } }
}`;
const LEADS_WITH_PHI = `query($p: ID!) { node(id: $p) { ... on Practice { leads { edges { node { id source name phone email message } } } } } }`;

interface LeadNode {
  id: string;
  source: string | null;
  channel: string | null;
  channelRule: string | null;
  channelExplanation: string | null;
  contact: string | null;
  episodeId: string | null;
  name?: string | null;
  phone?: string | null;
}
type LeadsAnswer = { node: { leads: { edges: { cursor: string; node: LeadNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };

async function leadsOf(client: GraphQLClient, variables: Record<string, unknown> = {}) {
  return (await client.data<LeadsAnswer>(LEADS, { p: globalId('Practice', practiceId), ...variables })).node.leads;
}

const phiReads = () =>
  withSystem(platform.db.owner, async (c) =>
    (await c.query(`SELECT actor_user_id, fields, details, to_jsonb(a)::text AS row FROM audit_log a WHERE action = 'lead.phi_read' AND practice_id = $1 ORDER BY id`, [practiceId])).rows as {
      fields: string[];
      details: { leads: number };
      row: string;
    }[],
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Leads Agency', ['Leads Dental'])).practiceIds[0]!;
  clients = {
    admin: await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email),
    analyst: await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email),
    viewer: await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email),
  };
  const forms = await addConnection(platform, practiceId, 'gravity-forms');
  const calls = await addConnection(platform, practiceId, 'callrail');
  await landLeads(platform, forms, [
    lead('gf:1', { occurredAt: at(0), source: 'google', medium: 'cpc', gclid: 'EAIa-1', name: 'Harper Lindqvist', phone: '(614) 535-7001', email: 'harper.lindqvist@gmail.com', message: 'Crown quote please' }),
    lead('gf:2', { occurredAt: at(1), source: 'facebook', medium: 'paid_social', name: 'Emery Castellano', email: 'emery.castellano@outlook.com' }),
    lead('gf:3', { occurredAt: at(2), source: 'newsletter', medium: 'email', name: 'Harper Lindqvist', phone: '614.535.7001' }),
  ]);
  await landLeads(platform, calls, [lead('callrail:call:4', { kind: 'call', occurredAt: at(3), name: 'LINDQVIST HARPER', phone: '+16145357001', sourceLabel: 'Google Paid' })]);
});
afterAll(() => platform.close());

describe('Practice.leads', () => {
  it('lists leads newest first with their channel, why, and first-time or repeat', async () => {
    const { edges } = await leadsOf(clients.viewer);
    expect(edges.map((e) => [e.node.source, e.node.channel, e.node.channelRule, e.node.contact])).toEqual([
      [null, 'PAID_SEARCH', 'R18', 'REPEAT'],
      ['newsletter', 'EMAIL', 'R15', 'REPEAT'],
      ['facebook', 'PAID_SOCIAL', 'R11', 'FIRST_TIME'],
      ['google', 'PAID_SEARCH', 'R5', 'FIRST_TIME'],
    ]);
    expect(edges[3]!.node.channelExplanation).toMatch(/Google click id/);
    // Harper's form, newsletter visit and call are one episode: one lead to count, not three.
    expect(new Set([edges[0]!.node.episodeId, edges[1]!.node.episodeId, edges[3]!.node.episodeId]).size).toBe(1);
  });

  it('pages with cursors and filters by time, channel and status', async () => {
    const first = await leadsOf(clients.viewer, { first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await leadsOf(clients.viewer, { first: 2, after: first.pageInfo.endCursor });
    expect([...first.edges, ...rest.edges].map((e) => e.node.id)).toEqual((await leadsOf(clients.viewer)).edges.map((e) => e.node.id));
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const sources = async (filter: Record<string, unknown>) => (await leadsOf(clients.viewer, { filter })).edges.map((e) => e.node.source);
    expect(await sources({ channel: 'PAID_SEARCH' })).toEqual([null, 'google']);
    expect(await sources({ status: 'REPEAT' })).toEqual([null, 'newsletter']);
    expect(await sources({ from: at(1), to: at(3) })).toEqual(['newsletter', 'facebook']);
  });

  it('shows as unmatched the leads matching linked to no patient', async () => {
    expect((await leadsOf(clients.viewer, { filter: { status: 'UNMATCHED' } })).edges).toHaveLength(4);
    // Harper becomes a patient: her chart, with her number, opened the day after her call.
    const chart = patient({ id: 'hl', firstName: 'Harper', lastName: 'Lindqvist', mobilePhone: '614-535-7001', zip: '43215', createdAt: at(4), firstVisitDate: at(5).slice(0, 10) });
    await landCharts(platform, await addConnection(platform, practiceId, 'open-dental'), [chartRecord(chart)]);
    await runMatching(platform, practiceId, false);
    expect((await leadsOf(clients.viewer, { filter: { status: 'UNMATCHED' } })).edges.map((e) => e.node.source)).toEqual(['facebook']);
  });

  it('says how far each lead got, and lists the new leads no patient has come in from yet', async () => {
    const STAGES = `query($p: ID!, $filter: LeadFilter) { node(id: $p) { ... on Practice { leads(filter: $filter) { edges { node { source stage } } } } } }`;
    const stages = async (filter: Record<string, unknown> = {}) =>
      (await clients.analyst.data<{ node: { leads: { edges: { node: { source: string | null; stage: string } }[] } } }>(STAGES, { p: globalId('Practice', practiceId), filter })).node.leads.edges.map(
        (e) => [e.node.source, e.node.stage],
      );
    // Whether someone came in for care is about the patient: not for viewers, as a field or as a filter.
    expect(await clients.viewer.error(STAGES, { p: globalId('Practice', practiceId), filter: {} })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await clients.viewer.error(STAGES.replace(' stage ', ' '), { p: globalId('Practice', practiceId), filter: { status: 'NOT_SEEN' } })).toMatchObject({ code: 'FORBIDDEN' });
    // Harper came in (her chart has a first visit); Emery is still a lead.
    expect(await stages()).toEqual([[null, 'SEEN'], ['newsletter', 'SEEN'], ['facebook', 'LEAD'], ['google', 'SEEN']]);
    // The pipeline holds new leads only: Harper's repeats are not leads of their own.
    expect(await stages({ status: 'NOT_SEEN' })).toEqual([['facebook', 'LEAD']]);

    // Emery books: the front desk opens her chart, with the e-mail of her form; she has not come in yet.
    const pms = await addConnection(platform, practiceId, 'open-dental');
    const emery = patient({ id: 'ec', firstName: 'Emery', lastName: 'Castellano', email: 'emery.castellano@outlook.com', zip: '43215', createdAt: at(2) });
    await landCharts(platform, pms, [chartRecord(emery)]);
    await runMatching(platform, practiceId, false);
    expect(await stages({ status: 'NOT_SEEN' })).toEqual([['facebook', 'SCHEDULED']]);

    // Harper comes back for a crown months after her first visit: her leads reach treatment.
    const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
    const followOn = new Date(Date.parse(at(5)) + 60 * 86_400_000).toISOString().slice(0, 10);
    const harpersOffice = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT connection_id FROM patients WHERE source_id = 'hl'`)).rows[0].connection_id);
    await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
      upsertRecords(client, { practiceId, connectionId: harpersOffice }, cipher, 'procedure', [
        { id: 'crown', patientId: 'hl', appointmentId: null, providerId: null, locationId: null, status: 'completed' as const, performedOn: followOn,
          code: 'D2740', description: null, unitFeeCents: 120_000, quantity: 1, feeCents: 120_000, discountCents: 0, sourceUpdatedAt: null },
      ]),
    );
    await attributeStoredPractice(platform, practiceId);
    expect(await stages({ channel: 'PAID_SEARCH' })).toEqual([[null, 'TREATMENT'], ['google', 'TREATMENT']]);
  });

  it('shows viewers everything but PHI, and records nothing for them', async () => {
    const { body } = await clients.viewer.raw(LEADS_WITH_PHI, { p: globalId('Practice', practiceId) });
    expect(body.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    const text = JSON.stringify(body);
    for (const phi of ['Harper', 'Lindqvist', 'Emery', '535-7001', '535.7001', 'gmail', 'Crown']) expect(text).not.toContain(phi);
    expect((body.data as LeadsAnswer).node.leads.edges.map((e) => e.node.source)).toContain('google');
    expect(await phiReads()).toEqual([]);
  });

  it('shows analysts PHI, and records the read once per page, with fields and count but no values', async () => {
    const answer = await clients.analyst.data<LeadsAnswer>(LEADS_WITH_PHI, { p: globalId('Practice', practiceId) });
    const google = answer.node.leads.edges.find((e) => e.node.source === 'google')!.node;
    expect(google).toMatchObject({ name: 'Harper Lindqvist', phone: '(614) 535-7001', email: 'harper.lindqvist@gmail.com', message: 'Crown quote please' });
    const reads = await phiReads();
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ fields: ['email', 'message', 'name', 'phone'], details: { leads: 4 } });
    for (const phi of ['Harper', 'Lindqvist', '535-7001', 'gmail', 'Crown']) expect(reads[0]!.row).not.toContain(phi);

    // A single lead through node(id) is read and recorded the same way.
    const { node } = await clients.analyst.data<{ node: { name: string } }>('query($id: ID!) { node(id: $id) { ... on Lead { name } } }', { id: google.id });
    expect(node.name).toBe('Harper Lindqvist');
    expect(await phiReads()).toHaveLength(2);
  });

  it('keeps PHI out of the logs', async () => {
    const logs = platform.logs.join('\n');
    for (const phi of ['Harper', 'Lindqvist', 'Castellano', '535-7001', 'harper.lindqvist']) expect(logs).not.toContain(phi);
  });
});
