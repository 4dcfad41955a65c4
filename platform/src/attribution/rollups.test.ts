import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributionModelIds } from './attribution-settings.ts';
import { attributePractice, type PracticeAttribution, type PracticeAttributionInput } from './engine.ts';
import { applyRollupDelta, episodeRollupRows, patientRollupRows, PATIENT_MILLIONTHS, rollupDelta, sumRollupRows, type RollupRow } from './rollups.ts';
import { syntheticPractice } from './testing.ts';

const settings = { markovBootstrapResamples: 20, defaultModel: 'markov' } as const;

/** The rows each contributor (patient or lead episode) adds, keyed by contributor. */
function contributions(result: PracticeAttribution): Map<string, RollupRow[]> {
  const byContributor = new Map<string, RollupRow[]>();
  for (const patient of result.patients) byContributor.set(`patient:${patient.patientId}`, patientRollupRows(patient));
  for (const episode of result.episodes) byContributor.set(`episode:${episode.episodeId}`, episodeRollupRows(episode));
  return byContributor;
}

function incrementally(before: PracticeAttribution, after: PracticeAttribution, only?: (contributor: string) => boolean): RollupRow[] {
  const previous = contributions(before);
  const next = contributions(after);
  const deltas: RollupRow[] = [];
  for (const contributor of new Set([...previous.keys(), ...next.keys()])) {
    if (only && !only(contributor)) continue;
    deltas.push(...rollupDelta(previous.get(contributor) ?? [], next.get(contributor) ?? []));
  }
  return applyRollupDelta(before.rollups, deltas);
}

describe('rollups', () => {
  const input = syntheticPractice({ patients: 300, seed: 3, settings });
  const result = attributePractice(input);

  it("are the sum of every patient's and every lead episode's rows", () => {
    expect(sumRollupRows([...contributions(result).values()].flat())).toEqual(result.rollups);
  });

  it.each(attributionModelIds)('add up, under %s, to the new patients, the leads and the revenue', (model) => {
    const rows = result.rollups.filter((row) => row.model === model);
    const sum = (pick: (row: RollupRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
    expect(sum((r) => r.newPatients)).toBe(result.patients.length);
    expect(sum((r) => r.creditedPatientMillionths)).toBe(result.patients.length * PATIENT_MILLIONTHS);
    expect(sum((r) => r.leads)).toBe(result.episodes.length);
    const revenue = (pick: (totals: PracticeAttribution['patients'][number]['revenueTotals']) => number) => result.patients.reduce((total, p) => total + pick(p.revenueTotals), 0);
    expect(sum((r) => r.productionLevel1Cents)).toBe(revenue((t) => t.productionLevel1Cents));
    expect(sum((r) => r.productionLevel2Cents)).toBe(revenue((t) => t.productionLevel2Cents));
    expect(sum((r) => r.productionLevel3Cents)).toBe(revenue((t) => t.productionLevel3Cents));
    expect(sum((r) => r.productionTotalCents)).toBe(revenue((t) => t.productionTotalCents));
    expect(sum((r) => r.collectionsTotalCents)).toBe(revenue((t) => t.collectionsTotalCents));
    expect(rows.every((r) => r.productionTotalCents === r.productionLevel1Cents + r.productionLevel2Cents)).toBe(true);
  });

  it('kept current by per-contributor deltas equal a full recompute after links, revenue, leads and patients change', () => {
    const [first, second, third] = result.patients;
    const changed: PracticeAttributionInput = {
      ...input,
      procedures: [...input.procedures, { id: 'NEW-1', patientId: first?.patientId ?? '', status: 'completed', performedOn: '2024-01-10', code: 'D6010', feeCents: 240_000 }],
      links: [...input.links.filter((link) => link.patientId !== second?.patientId), { leadId: 'NEW-LEAD', patientId: 'NEW-PATIENT', confidence: 1, method: 'manual' }],
      patients: [...input.patients.filter((patient) => patient.id !== third?.patientId), { id: 'NEW-PATIENT', firstVisitOn: '2023-05-20', createdOn: '2023-05-02', locationId: 'LOC2' }],
      leads: [...input.leads, { id: 'NEW-LEAD', occurredAt: '2023-05-02T15:00:00Z', channel: 'email', campaign: 'Spring', adGroup: null, keyword: null, locationId: 'LOC1', episodeId: null }],
    };
    const after = attributePractice(changed);
    expect(after.markov.channels).not.toEqual(result.markov.channels); // the journeys changed, so every patient's Markov credit may move
    expect(incrementally(result, after)).toEqual(after.rollups);
  });

  it("need only the changed patient's delta when a procedure lands (the journeys, and so the Markov fit, are unchanged)", () => {
    const patient = result.patients.find((p) => p.touchpoints.length >= 2 && new Set(p.touchpoints.map((t) => t.channel)).size >= 2);
    if (!patient) throw new Error('the synthetic practice should have a multi-channel journey');
    // 23:30 local, 30 days after the first visit: level 2, on a day bucket of its own.
    const performedOn = new Date((patient.firstVisitDay + 31) * 86_400_000 + 3.5 * 3_600_000).toISOString();
    const after = attributePractice({
      ...input,
      procedures: [...input.procedures, { id: 'NEW-2', patientId: patient.patientId, status: 'completed', performedOn, code: 'D2740', feeCents: 125_001 }],
    });
    expect(after.rollups).not.toEqual(result.rollups);
    expect(after.markov.channels).toEqual(result.markov.channels);
    expect(incrementally(result, after, (contributor) => contributor === `patient:${patient.patientId}`)).toEqual(after.rollups);
  });
});

describe('updating one patient between Markov refits', () => {
  it('gives the same credit and rows from that patient\'s rows alone and the stored fit as a full run does', () => {
    const input = syntheticPractice({ patients: 200, seed: 21, settings });
    const full = attributePractice(input);
    const patient = full.patients.find((p) => new Set(p.touchpoints.map((t) => t.channel)).size >= 2);
    if (!patient) throw new Error('the synthetic practice should have a multi-channel journey');
    const own = <T extends { patientId: string }>(rows: readonly T[]) => rows.filter((row) => row.patientId === patient.patientId);
    const links = own(input.links);
    const leadIds = new Set(links.map((link) => link.leadId));
    const storedFit = JSON.parse(JSON.stringify({ ...full.markov, shares: undefined }));
    const alone = attributePractice({
      ...input,
      patients: input.patients.filter((p) => p.id === patient.patientId),
      leads: input.leads.filter((lead) => leadIds.has(lead.id)),
      links, procedures: own(input.procedures), payments: own(input.payments), referralSources: own(input.referralSources),
      markovFit: storedFit,
    });
    expect(alone.patients).toEqual([patient]);
    expect(patientRollupRows(alone.patients[0] ?? patient)).toEqual(patientRollupRows(patient));
  });
});

describe('rollup invariants on any practice', () => {
  it('count every new patient once per model, credit exactly one patient each, and every cent of revenue', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(...attributionModelIds), (seed, patients, model) => {
        const result = attributePractice(syntheticPractice({ patients, seed, settings: { markovBootstrapResamples: 0 } }));
        const rows = result.rollups.filter((row) => row.model === model);
        const sum = (pick: (row: RollupRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
        const revenue = result.patients.reduce((total, p) => total + p.revenueTotals.productionTotalCents + p.revenueTotals.collectionsTotalCents, 0);
        expect(sum((r) => r.newPatients)).toBe(result.patients.length);
        expect(sum((r) => r.creditedPatientMillionths)).toBe(result.patients.length * PATIENT_MILLIONTHS);
        expect(sum((r) => r.productionTotalCents + r.collectionsTotalCents)).toBe(revenue);
      }),
      { numRuns: 40 },
    );
  });
});

describe('day buckets', () => {
  it('put a procedure at 23:30 local on 31 March in March, though it is 1 April in UTC', () => {
    const result = attributePractice({
      timeZone: 'America/New_York',
      settings: {},
      patients: [{ id: 'P1', firstVisitOn: '2024-03-01', createdOn: null, locationId: 'LOC1' }],
      leads: [{ id: 'L1', occurredAt: '2024-02-20T15:00:00Z', channel: 'paid-search', campaign: 'Implants', adGroup: null, keyword: null, locationId: 'LOC1', episodeId: null }],
      links: [{ leadId: 'L1', patientId: 'P1', confidence: 0.97, method: 'phone' }],
      procedures: [{ id: 'X1', patientId: 'P1', status: 'completed', performedOn: '2024-04-01T03:30:00Z', code: 'D6010', feeCents: 240_000 }],
      payments: [],
      referralSources: [],
    });
    const revenueRows = result.rollups.filter((row) => row.productionLevel2Cents !== 0 && row.model === 'linear');
    expect(revenueRows).toEqual([expect.objectContaining({ day: '2024-03-31', channel: 'paid-search', campaign: 'Implants', productionLevel2Cents: 240_000, productionLevel3Cents: 240_000 })]);
  });
});
