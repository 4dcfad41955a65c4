import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { lead as matchLead, patient as matchPatient, smallPractice } from '../src/matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection } from './leads.ts';
import { chartRecord, keptAndCountedMatches, landCharts, landLeadRecords, leadRecord, storedId, storedMatches } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let analyst: GraphQLClient;
let viewer: GraphQLClient;
let outsider: GraphQLClient;
let admin: GraphQLClient;
let pmsTarget: RecordTarget;
let callsTarget: RecordTarget;
const world = smallPractice(24);

const leadGid = async (sourceId: string) => globalId('Lead', await storedId(platform, 'leads', sourceId));
const patientGid = async (sourceId: string) => globalId('Patient', await storedId(platform, 'patients', sourceId));
const pair = (lead: string, patient: string) => storedMatches(platform, practiceId).then((all) => all.find((m) => m.lead === lead && m.patient === patient));

const DECIDE = `mutation($l: ID!, $p: ID!, $v: MatchVerdict!, $r: String) {
  decideMatch(leadId: $l, patientId: $p, verdict: $v, reason: $r) { decision confidence method manual verdict }
}`;

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Review Agency', ['Review Dental', 'Elsewhere Dental']);
  practiceId = tenant.practiceIds[0]!;
  const pms = await addConnection(platform, practiceId, 'open-dental');
  pmsTarget = pms;
  callsTarget = await addConnection(platform, practiceId, 'callrail');
  await landCharts(platform, pms, world.patients.map(chartRecord));
  await landLeadRecords(platform, callsTarget, world.leads.map(leadRecord));
  // Production on the namesakes, so the review queue has revenue to rank by.
  const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) =>
    upsertRecords(client, pms, cipher, 'procedure', world.patients.filter((p) => p.id.startsWith('N')).map((p, i) => ({
      id: `proc-${p.id}`, patientId: p.id, appointmentId: null, providerId: null, locationId: null, status: 'completed' as const,
      performedOn: '2024-06-01', code: 'D2740', description: null, unitFeeCents: 10_000 * (i + 1), quantity: 1, feeCents: 10_000 * (i + 1),
      discountCents: 0, sourceUpdatedAt: null,
    }))),
  );
  await runMatching(platform, practiceId, false);
  analyst = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email);
  viewer = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email);
  outsider = await signIn(platform, (await createUser(platform, { practices: [[tenant.practiceIds[1]!, 'admin']] })).email);
  admin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
});
afterAll(() => platform.close());

describe('matches in the API', () => {
  it('shows an analyst a lead’s links with the evidence, comparison by comparison', async () => {
    const data = await analyst.data<{ node: { matches: { decision: string; method: string; patient: { sourceId: string; firstName: string }; explanation: { role: string; totalWeight: number; comparisons: { comparison: string; outcome: string; weight: number }[] } }[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Lead { matches { decision method patient { sourceId firstName } explanation { role totalWeight comparisons { comparison outcome weight } } } } } }`,
      { id: await leadGid('L3') },
    );
    const links = data.node.matches.filter((m) => m.decision === 'LINK');
    expect(links.map((m) => m.patient.sourceId).sort()).toEqual(['A3', 'C3']);
    const caller = links.find((m) => m.patient.sourceId === 'A3')!;
    expect(caller.method).toBe('PHONE');
    expect(caller.patient.firstName).toBe(world.patients.find((p) => p.id === 'A3')!.firstName);
    // The child’s chart carries the same number: a household number, shared.
    expect(caller.explanation.comparisons.find((c) => c.comparison === 'phone')).toMatchObject({ outcome: 'shared' });
    expect(caller.explanation.totalWeight).toBeGreaterThan(0);
    const audited = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient.phi_read' AND practice_id = $1`, [practiceId])).rows[0].n);
    expect(audited).toBe(1);
  });

  it('ranks the review queue by the revenue at stake', async () => {
    // Pairs the engine left for review: each prospect's call against a namesake with production.
    await withSystem(platform.db.owner, async (c) => {
      for (const [lead, patient, confidence] of [['P1', 'N1', 0.2], ['P2', 'N2', 0.45], ['P5', 'N5', 0.3]] as const) {
        await c.query(
          `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method)
           VALUES ($1, $2, $3, 'review', $4, 'name_date') ON CONFLICT (lead_id, patient_id) DO UPDATE SET decision = 'review'`,
          [await storedId(platform, 'leads', lead), await storedId(platform, 'patients', patient), practiceId, confidence],
        );
      }
    });
    const { node } = await analyst.data<{ node: { reviewQueue: { total: number; items: { revenueAtStakeCents: number; match: { decision: string; confidence: number } }[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Practice { reviewQueue(first: 100) { total items { revenueAtStakeCents match { decision confidence } } } } } }`,
      { id: globalId('Practice', practiceId) },
    );
    expect(node.reviewQueue.total).toBeGreaterThan(0);
    expect(node.reviewQueue.total).toBe(node.reviewQueue.items.length);
    expect(node.reviewQueue.items.every((i) => i.match.decision === 'REVIEW')).toBe(true);
    const stakes = node.reviewQueue.items.map((i) => i.revenueAtStakeCents);
    expect(stakes).toEqual([...stakes].sort((a, b) => b - a));
    expect(stakes.slice(0, 3)).toEqual([60_000, 30_000, 20_000]);
  });

  it('keeps a person’s “not a match” and manual link through a full re-run, and lets them take it back', async () => {
    const attributionJobs = async () =>
      (
        await platform.db.owner.query(
          `SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'attribute_practice'`,
        )
      ).rows.map((r) => r.payload);
    await platform.db.owner.query(`DELETE FROM graphile_worker._private_jobs`);
    const notAMatch = await analyst.data<{ decideMatch: null }>(DECIDE, { l: await leadGid('L3'), p: await patientGid('C3'), v: 'NOT_A_MATCH', r: 'the caller’s niece, not her daughter' });
    expect(notAMatch.decideMatch).toBeNull();
    // A verdict moves links outside a matching pass: it queues the practice's attribution itself.
    expect(await attributionJobs()).toEqual([{ practiceId }]);
    const linked = await analyst.data<{ decideMatch: { decision: string; confidence: number; method: string; manual: boolean; verdict: string } }>(DECIDE, {
      l: await leadGid('P3'),
      p: await patientGid('A3'),
      v: 'LINK',
    });
    expect(linked.decideMatch).toEqual({ decision: 'LINK', confidence: 1, method: 'MANUAL', manual: true, verdict: 'LINK' });

    await runMatching(platform, practiceId, true);
    expect(await pair('L3', 'C3')).toBeUndefined();
    expect(await pair('P3', 'A3')).toMatchObject({ decision: 'link', manual: true, confidence: 1 });
    // And through an incremental pass over the leads, changed at their source since (the pass reads their verdicts
    // with its opening).
    const changed = world.leads.filter((l) => l.id === 'L3' || l.id === 'P3').map((l) => leadRecord({ ...l, email: `${l.id.toLowerCase()}@example.test` }));
    await landLeadRecords(platform, callsTarget, changed);
    expect(await runMatching(platform, practiceId, false)).toEqual([expect.objectContaining({ mode: 'incremental', charts: 0, leads: 2 })]);
    expect(await pair('L3', 'C3')).toBeUndefined();
    expect(await pair('P3', 'A3')).toMatchObject({ decision: 'link', manual: true, confidence: 1 });

    await analyst.data(`mutation($l: ID!, $p: ID!) { undoMatchDecision(leadId: $l, patientId: $p) }`, { l: await leadGid('L3'), p: await patientGid('C3') });
    await runMatching(platform, practiceId, false);
    expect(await pair('L3', 'C3')).toMatchObject({ decision: 'link', manual: false });

    const events = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT action, details FROM audit_log WHERE action LIKE 'match.%' AND practice_id = $1 ORDER BY seq`, [practiceId])).rows,
    );
    expect(events.map((e) => e.action)).toEqual(['match.decided', 'match.decided', 'match.decision_undone']);
    expect(events[0].details).toMatchObject({ verdict: 'not_a_match', reasonGiven: true });
    expect(await dumpAllTables(platform.db.owner)).not.toContain('niece');
    // Verdicts delete, insert and upsert links outside the engine's runs: the kept counts follow.
    const { kept, counted } = await keptAndCountedMatches(platform, practiceId);
    expect(kept).toEqual(counted);
  });

  it('reads seven-digit numbers with the area code an admin sets, matching every lead again when it changes', async () => {
    // A chart from the next county over, too rare for its area code to be learned, and a form with no area code.
    await landCharts(platform, pmsTarget, [chartRecord(matchPatient({ id: 'OUT', firstName: 'Hazel', lastName: 'Quimby', mobilePhone: '740-555-2368', zip: '43701', createdAt: '2024-07-01T15:00:00Z' }))]);
    await landLeadRecords(platform, callsTarget, [leadRecord(matchLead({ id: 'F7', occurredAt: '2024-07-01T14:00:00Z', name: 'Hazel Quimby', phone: '555-2368' }))]);
    await runMatching(platform, practiceId, true);
    expect((await pair('F7', 'OUT'))?.method).not.toBe('phone');

    const matchingJobs = async () =>
      (
        await platform.db.owner.query(
          `SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'match_practice'`,
        )
      ).rows.map((r) => r.payload);
    await platform.db.owner.query(`DELETE FROM graphile_worker._private_jobs`);
    const update = `mutation($id: ID!, $ac: String) { updatePractice(id: $id, areaCode: $ac) { areaCode } }`;
    await admin.data(update, { id: globalId('Practice', practiceId), ac: '740' });
    expect(await matchingJobs()).toEqual([{ practiceId, full: true }]);
    await runMatching(platform, practiceId, true);
    expect((await pair('F7', 'OUT'))?.method).toBe('phone');

    // Saving the same code again is not a change: nothing is queued.
    await platform.db.owner.query(`DELETE FROM graphile_worker._private_jobs`);
    await admin.data(update, { id: globalId('Practice', practiceId), ac: '740' });
    expect(await matchingJobs()).toEqual([]);
  });

  it('names what is wrong with a verdict: a chart of another practice, a reason too long', async () => {
    const other = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`INSERT INTO patients (practice_id, connection_id, source_id, content_hash, gender, status)
                      SELECT p.id, (SELECT id FROM connections WHERE practice_id = $1 LIMIT 1), 'foreign', '\\x01', 'unknown', 'active'
                        FROM practices p WHERE p.name = 'Elsewhere Dental' RETURNING id`, [practiceId])).rows[0].id,
    );
    expect(await analyst.error(DECIDE, { l: await leadGid('L4'), p: globalId('Patient', other), v: 'LINK' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await analyst.error(DECIDE, { l: await leadGid('L4'), p: await patientGid('A4'), v: 'LINK', r: 'x'.repeat(501) })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await outsider.error(DECIDE, { l: await leadGid('L4'), p: await patientGid('A4'), v: 'LINK' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives viewers the counts and nothing patient by patient', async () => {
    const { node } = await viewer.data<{ node: { matching: { links: number; pendingLeads: number; fittedAt: string } } }>(
      `query($id: ID!) { node(id: $id) { ... on Practice { matching { links pendingLeads fittedAt } } } }`,
      { id: globalId('Practice', practiceId) },
    );
    expect(node.matching.links).toBeGreaterThan(20);
    expect(node.matching.pendingLeads).toBe(0);
    expect(node.matching.fittedAt).toBeTruthy();
    for (const query of [
      `query($id: ID!) { node(id: $id) { ... on Practice { reviewQueue { total } } } }`,
    ]) expect(await viewer.error(query, { id: globalId('Practice', practiceId) })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await viewer.error(`query($id: ID!) { node(id: $id) { ... on Lead { matches { confidence } } } }`, { id: await leadGid('L3') })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await viewer.error(`query($id: ID!) { node(id: $id) { ... on Patient { sourceId } } }`, { id: await patientGid('A3') })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await viewer.error(DECIDE, { l: await leadGid('L5'), p: await patientGid('A5'), v: 'LINK' })).toMatchObject({ code: 'FORBIDDEN' });
  });
});
