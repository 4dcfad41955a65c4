import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem, withTenantClient } from '../src/db/tenant-transaction.ts';
import { MatchEngine } from '../src/matching/engine.ts';
import { readCharts, readLeads } from '../src/matching/practice/match-inputs.ts';
import { runMatching } from '../src/matching/practice/matching-job.ts';
import { markRecordsDeleted, type RecordTarget } from '../src/records/write-records.ts';
import { lead as matchLead, patient as matchPatient, smallPractice } from '../src/matching/testing.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { addConnection } from './leads.ts';
import { chartRecord, keptAndCountedMatches, landCharts, landLeadRecords, leadRecord, storedId, storedMatches } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let pms: RecordTarget;
let calls: RecordTarget;
const world = smallPractice(30);

const linksOf = async (leadSourceId: string) =>
  (await storedMatches(platform, practiceId)).filter((m) => m.lead === leadSourceId && m.decision === 'link').map((m) => m.patient).sort();

/** What an in-memory engine makes of exactly the practice's stored charts and leads: the platform must agree. */
async function inMemoryEngine() {
  return withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => {
    const cipher = await platform.keys.cipherForClient(client, practiceId);
    const charts = await readCharts(client, cipher);
    const leads = await readLeads(client, cipher);
    return MatchEngine.run(charts.map((c) => c.input), leads.map((l) => l.input));
  });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Matching Agency', ['Matching Dental'])).practiceIds[0]!;
  pms = await addConnection(platform, practiceId, 'open-dental');
  calls = await addConnection(platform, practiceId, 'callrail');
  await landCharts(platform, pms, world.patients.map(chartRecord));
  await landLeadRecords(platform, calls, world.leads.map(leadRecord));
});
afterAll(() => platform.close());

describe('matching a practice’s stored records', () => {
  it('matches fully the first time: the caller and the child booked on the call, stored with explanations', async () => {
    const runs = await runMatching(platform, practiceId, false);
    expect(runs.map((r) => r.mode)).toEqual(['full']);
    expect(runs[0]).toMatchObject({ charts: 90, leads: 60 });
    expect(await linksOf('L3')).toEqual(['A3', 'C3']);
    expect(await linksOf('P3')).toEqual([]);

    const engine = await inMemoryEngine();
    const expected = [...engine.pairs()].length;
    expect((await storedMatches(platform, practiceId)).length).toBe(expected);
    const explanation = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT explanation FROM lead_matches WHERE lead_id = $1 AND patient_id = $2`, [await storedId(platform, 'leads', 'L3'), await storedId(platform, 'patients', 'A3')])).rows[0].explanation,
    );
    expect(explanation.role).toBe('contact');
    expect(explanation.comparisons.map((c: { comparison: string }) => c.comparison)).toContain('phone');
  });

  it('finds nothing to do when nothing changed', async () => {
    const runs = await runMatching(platform, practiceId, false);
    expect(runs).toEqual([expect.objectContaining({ mode: 'incremental', charts: 0, leads: 0 })]);
  });

  it('matches a new lead on its own, exactly as a full run over the same data would', async () => {
    const before = await inMemoryEngine();
    const late = matchLead({ id: 'LATE', occurredAt: '2024-03-09T10:00:00Z', name: 'MARTINEZ ANA', phone: '6142031003' });
    await landLeadRecords(platform, calls, [leadRecord(late)]);
    const runs = await runMatching(platform, practiceId, false);
    expect(runs).toEqual([expect.objectContaining({ mode: 'incremental', charts: 0, leads: 1 })]);

    const leadUuid = await storedId(platform, 'leads', 'LATE');
    const expected = before.matchLead({ ...late, id: leadUuid, phone: '6142031003', email: '' });
    const stored = (await storedMatches(platform, practiceId)).filter((m) => m.lead === 'LATE');
    expect(stored.length).toBe(expected.length);
    for (const pair of expected) {
      const sourceId = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT source_id FROM patients WHERE id = $1', [pair.patientId])).rows[0].source_id);
      const match = stored.find((m) => m.patient === sourceId)!;
      expect(match.decision).toBe(pair.decision);
      expect(match.confidence).toBeCloseTo(pair.confidence, 12);
    }
  });

  it('re-matches the leads a changed chart affects: a chart given the caller’s number now links', async () => {
    // A caller whose number is on no chart, and a chart that later gets that number.
    await landLeadRecords(platform, calls, [leadRecord(matchLead({ id: 'NEWNUM', occurredAt: '2024-05-01T15:00:00Z', name: 'WIRELESS CALLER', phone: '6149990101' }))]);
    const chart = matchPatient({ id: 'HQ', firstName: 'Harriet', lastName: 'Quill', birthdate: '1971-02-02', zip: '43215', createdAt: '2024-05-01T00:00:00Z', firstVisitDate: '2024-05-03' });
    await landCharts(platform, pms, [chartRecord(chart)]);
    await runMatching(platform, practiceId, false);
    const before = await linksOf('NEWNUM');

    await landCharts(platform, pms, [chartRecord({ ...chart, mobilePhone: '614-999-0101' })]);
    const runs = await runMatching(platform, practiceId, false);
    expect(runs).toEqual([expect.objectContaining({ mode: 'incremental', charts: 1 })]);
    expect(before).not.toContain('HQ');
    expect(await linksOf('NEWNUM')).toEqual(['HQ']);
  });

  it('drops the links of a chart deleted at the source', async () => {
    await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) => markRecordsDeleted(client, pms, 'patient', ['HQ']));
    await runMatching(platform, practiceId, false);
    expect(await linksOf('NEWNUM')).toEqual([]);
  });

  it('refits on a full run and keeps what an incremental pass decided', async () => {
    const links = (await storedMatches(platform, practiceId)).filter((m) => m.decision === 'link').map((m) => `${m.lead}>${m.patient}`);
    const runs = await runMatching(platform, practiceId, true);
    expect(runs[0]!.mode).toBe('full');
    const after = (await storedMatches(platform, practiceId)).filter((m) => m.decision === 'link').map((m) => `${m.lead}>${m.patient}`);
    expect(after).toEqual(links);
  });

  it('writes on a full run only what it changes: keys that differ, records not yet marked matched', async () => {
    const rowsOf = (sql: string) => withSystem(platform.db.owner, async (c) => (await c.query<{ owner: string; entry: string; ctid: string }>(sql, [practiceId])).rows);
    const leadKeys = () => rowsOf(`SELECT lead_id::text AS owner, encode(digest, 'hex') AS entry, ctid::text FROM lead_match_keys WHERE practice_id = $1`);
    const chartKeys = () => rowsOf(`SELECT patient_id::text AS owner, kind || encode(digest, 'hex') AS entry, ctid::text FROM chart_match_keys WHERE practice_id = $1`);
    const leadRows = () => rowsOf(`SELECT id::text AS owner, '' AS entry, ctid::text FROM leads WHERE practice_id = $1`);
    const entries = (rows: { owner: string; entry: string }[]) => rows.map((r) => `${r.owner} ${r.entry}`).sort();
    const [leadsBefore, chartsBefore, recordsBefore] = [await leadKeys(), await chartKeys(), await leadRows()];
    // Keys gone wrong since: one lead's altered, one chart's lost, and keys left behind by a lead no longer read.
    const [staleLead, lostChart] = [leadsBefore[0]!.owner, chartsBefore[0]!.owner];
    await withSystem(platform.db.owner, async (c) => {
      await c.query(`UPDATE lead_match_keys SET digest = sha256(digest) WHERE lead_id = $1`, [staleLead]);
      await c.query(`DELETE FROM chart_match_keys WHERE patient_id = $1`, [lostChart]);
      await c.query(`UPDATE leads SET deleted_at = now(), match_state = lead_settle_key(content_hash, now()) WHERE id = $1`, [leadsBefore.at(-1)!.owner]);
    });
    const gone = leadsBefore.at(-1)!.owner;

    expect((await runMatching(platform, practiceId, true))[0]!.mode).toBe('full');
    const [leadsAfter, chartsAfter] = [await leadKeys(), await chartKeys()];
    expect(entries(leadsAfter)).toEqual(entries(leadsBefore.filter((r) => r.owner !== gone)));
    expect(entries(chartsAfter)).toEqual(entries(chartsBefore));
    const untouched = (before: { owner: string; ctid: string }[], after: { owner: string; ctid: string }[], rewritten: string[]) =>
      after.filter((r) => !rewritten.includes(r.owner)).every((r) => before.some((b) => b.owner === r.owner && b.ctid === r.ctid));
    expect(untouched(leadsBefore, leadsAfter, [staleLead])).toBe(true);
    expect(untouched(chartsBefore, chartsAfter, [lostChart])).toBe(true);
    // Every lead was matched with its content already: none is written to say so again.
    expect(untouched(recordsBefore, await leadRows(), [gone])).toBe(true);
  });

  it('refits rather than resume a model an earlier version of the engine fitted, its charts keyed the old way', async () => {
    // As a deploy finds it: the stored snapshot predates versioned keys (and a new process has none in memory).
    await withSystem(platform.db.owner, (c) => c.query(`UPDATE match_models SET snapshot = snapshot - 'keysRevision', fitted_at = fitted_at + interval '1 second'`));
    await landLeadRecords(platform, calls, [leadRecord(matchLead({ id: 'AFTERDEPLOY', occurredAt: '2024-06-01T15:00:00Z', name: 'WIRELESS CALLER', phone: '6149990202' }))]);
    const runs = await runMatching(platform, practiceId, false);
    expect(runs[0]!.mode).toBe('full');
    expect((await runMatching(platform, practiceId, false))[0]!.mode).toBe('incremental');
  });

  it('keeps the practice’s link and review counts equal to its stored matches through every run above', async () => {
    const { kept, counted } = await keptAndCountedMatches(platform, practiceId);
    expect(counted.links).toBeGreaterThan(0);
    expect(kept).toEqual(counted);
  });

  it('stores keys only as blind digests: no name, phone or e-mail in a dump', async () => {
    const dump = await dumpAllTables(platform.db.owner);
    for (const value of ['Harriet', 'Quill', 'QUILL', '6149990101', '614-999-0101', 'Martinez']) expect(dump).not.toContain(value);
  });
});
