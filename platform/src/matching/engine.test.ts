import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacKeys } from './blocking.ts';
import { MatchEngine } from './engine.ts';
import { lead, patient, smallPractice } from './testing.ts';

const linksOf = (engine: MatchEngine, leadId: string) =>
  engine
    .resultsFor(leadId)
    .filter((p) => p.decision === 'link')
    .map((p) => p.patientId)
    .sort();

describe('the matching engine', () => {
  it("links the caller's chart and the child booked on the same call, and nobody to callers who never became patients", () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads);
    expect(linksOf(engine, 'L3')).toEqual(['A3', 'C3']);
    expect(engine.resultsFor('L3').map((p) => p.method)).toEqual(['phone', 'phone']);
    expect(linksOf(engine, 'P3')).toEqual([]);
  });

  it('links a second child registered with the parent minutes later though the chart shares nothing with the lead', () => {
    const world = smallPractice();
    world.patients.push(patient({ id: 'C3b', firstName: 'Zoe', lastName: 'Smythe', birthdate: '2018-02-02', zip: '43213', createdAt: '2024-04-06T16:07:00Z', firstVisitDate: '2024-04-06' }));
    const engine = MatchEngine.run(world.patients, world.leads);
    expect(linksOf(engine, 'L3')).toEqual(['A3', 'C3', 'C3b']);
    expect(engine.resultsFor('L3').find((p) => p.patientId === 'C3b')?.method).toBe('household');
  });

  it('does not take charts opened in a bulk import for a family registered together', () => {
    const world = smallPractice();
    // The practice moves to a new PMS an hour after the call: forty charts opened within minutes at one ZIP.
    const at = (minute: number) => `2024-06-01T11:${String(minute).padStart(2, '0')}:00Z`;
    const migrated = Array.from({ length: 40 }, (_, i) => patient({ id: `M${i}`, firstName: `Imported${i}`, lastName: `Batch${i}`, zip: '43210', createdAt: at(10 + i) }));
    const caller = patient({ id: 'MIG', firstName: 'Oscar', lastName: 'Pembrook', mobilePhone: '614-777-1234', zip: '43210', createdAt: at(30) });
    world.patients.push(...migrated, caller);
    world.leads.push(lead({ id: 'NEWPMS', occurredAt: '2024-06-01T10:00:00Z', name: 'PEMBROOK OSCAR', phone: '6147771234' }));
    const engine = MatchEngine.run(world.patients, world.leads);
    expect(linksOf(engine, 'NEWPMS')).toEqual(['MIG']);
  });

  it("reads a seven-digit number with the practice's configured area code, beside the codes learned from the charts", () => {
    const world = smallPractice();
    // One chart from the next county over: too few for its area code to be learned as local.
    world.patients.push(patient({ id: 'OUT', firstName: 'Hazel', lastName: 'Quimby', mobilePhone: '740-555-2368', zip: '43701', createdAt: '2024-07-01T15:00:00Z' }));
    world.leads.push(lead({ id: 'F7', occurredAt: '2024-07-01T14:00:00Z', name: 'Hazel Quimby', phone: '555-2368' }));
    const methodOf = (engine: MatchEngine) => engine.resultsFor('F7').find((p) => p.patientId === 'OUT')?.method;
    expect(methodOf(MatchEngine.run(world.patients, world.leads))).not.toBe('phone');
    const configured = MatchEngine.run(world.patients, world.leads, { practiceAreaCode: '740' });
    expect(methodOf(configured)).toBe('phone');
    expect(configured.snapshot().localAreaCodes.practice).toEqual(['740', '380', '614']);
  });

  it('meets a call from a seven-digit number the chart gives without its area code, whatever the area code', () => {
    const world = smallPractice();
    // A mobile kept from a previous home (area code 534), written at the desk without it.
    world.patients.push(patient({ id: 'MOVED', firstName: 'Dorothy', lastName: 'Quarles', homePhone: '487-6093', zip: '43213', createdAt: '2024-07-02T15:00:00Z' }));
    world.leads.push(lead({ id: 'FAR', occurredAt: '2024-07-01T14:00:00Z', name: 'WIRELESS CALLER', phone: '+1 534 487 6093' }));
    // Another number with the same last seven digits is someone else's when the chart gives it in full.
    world.patients.push(patient({ id: 'FULL', firstName: 'Edgar', lastName: 'Ruelas', homePhone: '614-487-6094', zip: '43213', createdAt: '2024-07-02T15:30:00Z' }));
    world.leads.push(lead({ id: 'OTHER', occurredAt: '2024-07-01T14:30:00Z', name: 'WIRELESS CALLER', phone: '+1 534 487 6094' }));
    const engine = MatchEngine.run(world.patients, world.leads);
    const moved = engine.resultsFor('FAR').find((p) => p.patientId === 'MOVED');
    expect(moved?.method).toBe('phone');
    expect(engine.explain(moved!)!.comparisons.find((c) => c.comparison === 'phone')?.outcome).toBe('exact');
    expect(engine.resultsFor('OTHER').map((p) => p.patientId)).not.toContain('FULL');
  });

  it('resumes only a snapshot with its own comparisons and keys', () => {
    const snapshot = MatchEngine.run(smallPractice().patients, smallPractice().leads).snapshot();
    expect(MatchEngine.canResume(snapshot)).toBe(true);
    const timing = snapshot.full.comparisons.find((c) => c.name === 'timing')!;
    const olderTiming = { ...timing, levels: timing.levels.filter((l) => !l.name.endsWith('_before')) };
    const older = { ...snapshot, full: { ...snapshot.full, comparisons: snapshot.full.comparisons.map((c) => (c === timing ? olderTiming : c)) } };
    expect(MatchEngine.canResume(older)).toBe(false);
    expect(MatchEngine.canResume({ ...snapshot, keysRevision: undefined })).toBe(false);
  });

  it("does not link the caller's namesake, or a spam call from a patient's number", () => {
    const world = smallPractice();
    world.leads.push(lead({ id: 'S3', name: 'SCAM LIKELY', phone: '6142031003' }));
    const engine = MatchEngine.run(world.patients, world.leads);
    expect(linksOf(engine, 'L3')).toEqual(['A3', 'C3']);
    expect(engine.resultsFor('S3')).toEqual([]);
  });

  it('explains every link comparison by comparison, weights adding up to the total', () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads);
    const explanation = engine.explain(engine.resultsFor('L3')[0]!)!;
    expect(explanation.comparisons.map((c) => c.comparison)).toEqual(['phone', 'email', 'given_name', 'surname', 'birthdate', 'region', 'timing', 'household', 'sequence']);
    expect(explanation.comparisons.find((c) => c.comparison === 'given_name')).toMatchObject({ outcome: 'exact' });
    expect(explanation.comparisons.find((c) => c.comparison === 'email')).toMatchObject({ outcome: 'missing', weight: 0 });
    const sum = explanation.comparisons.reduce((total, c) => total + c.weight, explanation.priorWeight);
    expect(explanation.totalWeight).toBeCloseTo(sum, 2);
    expect(explanation.role).toBe('contact');
  });

  it('gives the same links on every run, and the same with blind-index (HMAC) keys', () => {
    const world = smallPractice();
    const plain = [...MatchEngine.run(world.patients, world.leads).pairs()];
    expect([...MatchEngine.run(world.patients, world.leads).pairs()]).toEqual(plain);
    expect([...MatchEngine.run(world.patients, world.leads, { blindKeys: hmacKeys(randomBytes(32)) }).pairs()]).toEqual(plain);
  });
});

describe('sticky manual decisions', () => {
  const decisions = [
    { leadId: 'L3', patientId: 'C3', verdict: 'not_a_match' as const },
    { leadId: 'P5', patientId: 'A5', verdict: 'link' as const },
  ];

  it('override the model on a full run', () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads, { manualDecisions: decisions });
    expect(linksOf(engine, 'L3')).toEqual(['A3']);
    expect(engine.resultsFor('P5')).toMatchObject([{ patientId: 'A5', method: 'manual', manual: true, confidence: 1 }]);
  });

  it('survive re-matching the lead, a changed chart, and a re-run', () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads, { manualDecisions: decisions });
    engine.matchLead(world.leads.find((l) => l.id === 'L3')!);
    engine.rematchPatient({ ...world.patients.find((p) => p.id === 'C3')!, email: 'kid@example.org' });
    engine.matchLead(world.leads.find((l) => l.id === 'P5')!);
    expect(linksOf(engine, 'L3')).toEqual(['A3']);
    expect(linksOf(engine, 'P5')).toEqual(['A5']);
    const rerun = MatchEngine.run(world.patients, world.leads, { manualDecisions: decisions });
    expect(linksOf(rerun, 'L3')).toEqual(['A3']);
  });

  it('recorded later hold from then on', () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads);
    expect(linksOf(engine, 'L4')).toEqual(['A4', 'C4']);
    engine.decideManually({ leadId: 'L4', patientId: 'A4', verdict: 'not_a_match' });
    engine.matchLead(world.leads.find((l) => l.id === 'L4')!);
    expect(linksOf(engine, 'L4')).toEqual(['C4']);
  });
});

describe('incremental matching', () => {
  it('scores a lead again exactly as the full run did', () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads);
    const before = engine.resultsFor('L7');
    expect(engine.matchLead(world.leads.find((l) => l.id === 'L7')!)).toEqual(before);
  });

  it('links a new lead from a known number', () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads);
    const results = engine.matchLead(lead({ id: 'NEW', occurredAt: '2024-12-01T10:00:00Z', name: 'Robert Castillo', phone: '(614) 202-1002' }));
    expect(results.filter((p) => p.decision === 'link').map((p) => p.patientId)).toEqual(['A2']);
  });

  it("re-matches a prospect's earlier lead when the prospect becomes a patient, and unlinks a chart whose number changed", () => {
    const world = smallPractice();
    const engine = MatchEngine.run(world.patients, world.leads);
    const changed = engine.rematchPatient(
      patient({ id: 'NEWPT', firstName: 'Prospect', lastName: 'Hollisx', mobilePhone: '737-307-1234', zip: '43212', createdAt: '2024-08-10T19:00:00Z', firstVisitDate: '2024-08-12' }),
    );
    expect([...changed.keys()]).toContain('P7');
    expect(linksOf(engine, 'P7')).toEqual(['NEWPT']);

    engine.rematchPatient(patient({ id: 'NEWPT', firstName: 'Dana', lastName: 'Quill', mobilePhone: '737-999-1234', zip: '43212', createdAt: '2024-08-10T19:00:00Z' }));
    expect(linksOf(engine, 'P7')).toEqual([]);
  });
});
