import { describe, expect, it } from 'vitest';
import { attributionModelIds } from './attribution-settings.ts';
import { attributePractice, type PracticeAttributionInput } from './engine.ts';
import { isoDateOfDay } from './local-day.ts';
import { creditedRevenueCents, revenueMeasures, type RevenueTotals } from './revenue.ts';
import { seededRandom } from './seeded-random.ts';
import { syntheticPractice } from './testing.ts';

/** A practice small enough to check by hand. */
function handPractice(): PracticeAttributionInput {
  const lead = (id: string, occurredAt: string, channel: PracticeAttributionInput['leads'][number]['channel'], episodeId: string | null = null) =>
    ({ id, occurredAt, channel, campaign: channel === 'paid-search' ? 'Implants' : null, adGroup: null, keyword: null, locationId: 'LOC1', episodeId });
  return {
    timeZone: 'America/Denver',
    settings: { defaultModel: 'position-based' },
    patients: [
      { id: 'P1', firstVisitOn: '2024-03-10', createdOn: '2024-03-08', locationId: 'LOC1' },
      { id: 'P2', firstVisitOn: '2024-04-01', createdOn: '2024-03-30', locationId: 'LOC1' }, // no marketing touch: unattributed
      { id: 'P3', firstVisitOn: null, createdOn: '2024-04-02', locationId: 'LOC1' }, // booked, not seen yet
    ],
    leads: [
      lead('L1', '2024-02-01T17:00:00Z', 'paid-search', 'L1'),
      lead('L2', '2024-02-03T17:00:00Z', 'paid-search', 'L1'), // a repeat call of L1's episode
      lead('L3', '2024-03-08T16:00:00Z', 'google-business-profile', 'L3'),
      lead('L4', '2024-04-01T16:00:00Z', 'display', 'L4'), // P3's: neither a conversion nor a non-conversion yet
      lead('L5', '2024-03-01T16:00:00Z', 'paid-search', 'L5'), // never became a patient
      lead('L6', '2024-03-02T16:00:00Z', 'email', 'L6'), // never became a patient
    ],
    links: [
      { leadId: 'L1', patientId: 'P1', confidence: 0.98, method: 'phone' },
      { leadId: 'L2', patientId: 'P1', confidence: 0.98, method: 'phone' },
      { leadId: 'L3', patientId: 'P1', confidence: 0.91, method: 'email' },
      { leadId: 'L4', patientId: 'P3', confidence: 0.88, method: 'phone' },
    ],
    procedures: [
      { id: 'X1', patientId: 'P1', status: 'completed', performedOn: '2024-03-10', code: 'D0150', feeCents: 9_500 },
      { id: 'X2', patientId: 'P1', status: 'completed', performedOn: '2024-05-01', code: 'D2740', feeCents: 125_000 },
      { id: 'X3', patientId: 'P1', status: 'planned', performedOn: null, code: 'D6010', feeCents: 240_000 },
      { id: 'X4', patientId: 'P2', status: 'completed', performedOn: '2024-04-01', code: 'D0150', feeCents: 20_000 },
    ],
    payments: [{ id: 'PAY1', patientId: 'P1', amountCents: 50_000, paidOn: '2024-03-10' }],
    referralSources: [{ id: 'R1', patientId: 'P1', sourceName: 'Google', sourceKind: 'marketing', rank: 0 }],
  };
}

describe('attributing a practice checked by hand', () => {
  const result = attributePractice(handPractice());
  const p1 = result.patients.find((p) => p.patientId === 'P1');

  it('credits new patients only, and leaves a booked patient without a visit out', () => {
    expect(result.patients.map((p) => p.patientId)).toEqual(['P1', 'P2']);
  });

  it("orders P1's touches: the first call of its episode, the Business Profile call, then the chart's referral source", () => {
    expect(p1?.touchpoints.map((t) => [t.id, t.channel, isoDateOfDay(t.day)])).toEqual([
      ['lead:L1', 'paid-search', '2024-02-01'],
      ['lead:L3', 'google-business-profile', '2024-03-08'],
      ['referral-source:R1', 'organic-search', '2024-03-08'],
    ]);
  });

  it('credits every model and splits the revenue in whole cents', () => {
    expect(p1?.credits['position-based'].map((w) => w.toFixed(12))).toEqual(['0.400000000000', '0.200000000000', '0.400000000000']);
    expect(p1?.credits['first-touch']).toEqual([1, 0, 0]);
    const credited = creditedRevenueCents(p1?.revenue ?? { days: [], uncreditedProductionCents: 0, uncreditedCollectionsCents: 0 }, p1?.credits.linear ?? []);
    expect(credited.productionLevel1).toEqual([3_167, 3_167, 3_166]);
    expect(credited.productionLevel3).toEqual([41_667, 41_667, 41_666]);
    expect(p1?.revenueTotals).toMatchObject({ productionLevel1Cents: 9_500, productionLevel2Cents: 125_000, productionLevel3Cents: 125_000, productionTotalCents: 134_500, collectionsLevel1Cents: 50_000 });
  });

  it("fits Markov on the practice's own three journeys, flags that they are too few, and credits P1's three channels evenly", () => {
    expect(result.paths).toEqual([
      { channels: ['email'], conversions: 0, nonConversions: 1 },
      { channels: ['paid-search'], conversions: 0, nonConversions: 1 },
      { channels: ['paid-search', 'google-business-profile', 'organic-search'], conversions: 1, nonConversions: 0 },
    ]);
    expect(result.markov.basis).toBe('practice-below-minimum');
    // Each of the three channels is indispensable to the one conversion: removal effect 1 each; email earns nothing.
    expect(result.markov.channels.map((c) => [c.channel, c.removalEffect])).toEqual([
      ['paid-search', 1], ['organic-search', 1], ['google-business-profile', 1], ['email', 0],
    ]);
    expect(p1?.credits.markov.map((w) => w.toFixed(12))).toEqual(['0.333333333333', '0.333333333333', '0.333333333333']);
  });

  it('reads a person who never became a patient as one journey across their episodes, when the person is known', () => {
    const input = handPractice();
    const samePerson = attributePractice({ ...input, leads: input.leads.map((lead) => (lead.id === 'L5' || lead.id === 'L6' ? { ...lead, personKey: 'person-9' } : lead)) });
    expect(samePerson.paths).toContainEqual({ channels: ['paid-search', 'email'], conversions: 0, nonConversions: 1 });
    expect(samePerson.markov.practiceJourneys).toBe(2);
  });

  it('counts an episode as a linked lead when any of its contacts was linked, even to a patient not seen yet', () => {
    const leads = (rows: typeof result.rollups) => rows.filter((r) => r.model === 'linear').reduce((sum, r) => sum + r.leads, 0);
    const linked = (rows: typeof result.rollups) => rows.filter((r) => r.model === 'linear').reduce((sum, r) => sum + r.linkedLeads, 0);
    // Five episodes (L2 repeats L1); L1, L3 and L4 are linked, L5 and L6 are not.
    expect([leads(result.rollups), linked(result.rollups)]).toEqual([5, 3]);
    const input = handPractice();
    const viaRepeat = attributePractice({ ...input, links: input.links.filter((link) => link.leadId !== 'L1') });
    expect(linked(viaRepeat.rollups)).toBe(3);
    expect(viaRepeat.episodes.find((e) => e.episodeId === 'L1')?.linked).toBe(true);
  });

  it("describes P1 in plain words under the practice's default model, and P2 as unattributed", () => {
    expect(p1?.primaryAndContributing).toEqual({
      model: 'position-based',
      primary: { channel: 'paid-search', share: 0.4 },
      contributing: [{ channel: 'organic-search', share: expect.closeTo(0.4, 12) }, { channel: 'google-business-profile', share: 0.2 }],
    });
    expect(result.patients[1]?.primaryAndContributing.primary).toBeNull();
  });

  it('counts the whole new patient on the primary channel of each model, and an unattributed one as such', () => {
    const newPatients = (model: string) => result.rollups.filter((r) => r.model === model && r.newPatients > 0).map((r) => [r.day, r.channel, r.campaign, r.newPatients]);
    expect(newPatients('first-touch')).toEqual([['2024-03-10', 'paid-search', 'Implants', 1], ['2024-04-01', 'unattributed', null, 1]]);
    expect(newPatients('last-touch')).toEqual([['2024-03-10', 'organic-search', 'Google', 1], ['2024-04-01', 'unattributed', null, 1]]);
  });

  it('counts lead episodes, not contacts, on the day of their first contact', () => {
    const leads = result.rollups.filter((r) => r.model === 'linear' && r.leads > 0).map((r) => [r.day, r.channel, r.leads]);
    expect(leads).toEqual([
      ['2024-04-01', 'display', 1], ['2024-03-02', 'email', 1], ['2024-03-08', 'google-business-profile', 1], ['2024-02-01', 'paid-search', 1], ['2024-03-01', 'paid-search', 1],
    ]);
  });
});

describe('attributing a synthetic practice', () => {
  const input = syntheticPractice({ patients: 400, seed: 11, settings: { markovBootstrapResamples: 30, markovMinPaths: 100 } });
  const result = attributePractice(input);

  it.each(attributionModelIds)("credits every patient's revenue exactly, to the cent, under %s", (model) => {
    const names: Record<(typeof revenueMeasures)[number], keyof RevenueTotals> = {
      productionLevel1: 'productionLevel1Cents', productionLevel2: 'productionLevel2Cents', productionLevel3: 'productionLevel3Cents',
      collectionsLevel1: 'collectionsLevel1Cents', collectionsLevel2: 'collectionsLevel2Cents',
    };
    for (const patient of result.patients) {
      if (patient.touchpoints.length === 0) continue;
      const credited = creditedRevenueCents(patient.revenue, patient.credits[model]);
      for (const measure of revenueMeasures) expect(credited[measure].reduce((a, b) => a + b, 0)).toBe(patient.revenueTotals[names[measure]]);
    }
  });

  it('gives Markov credits that add up to the conversions it was fitted on', () => {
    const attributed = result.patients.filter((p) => p.touchpoints.length > 0);
    const credited = attributed.reduce((sum, p) => sum + p.credits.markov.reduce((a, b) => a + b, 0), 0);
    expect(result.markov.basis).toBe('practice');
    expect(result.markov.fittedConversions).toBe(attributed.length);
    expect(credited).toBeCloseTo(attributed.length, 9);
    expect(result.markov.channels.reduce((sum, c) => sum + c.credit, 0)).toBeCloseTo(attributed.length, 9);
  });

  it('gives the same answer whatever order the rows arrive in', () => {
    const random = seededRandom(5);
    const shuffled = <T>(rows: readonly T[]): T[] => rows.map((row) => [random(), row] as const).sort((a, b) => a[0] - b[0]).map(([, row]) => row);
    const reordered = attributePractice({
      ...input, patients: shuffled(input.patients), leads: shuffled(input.leads), links: shuffled(input.links), procedures: shuffled(input.procedures),
      payments: shuffled(input.payments), referralSources: shuffled(input.referralSources),
    });
    expect(reordered).toEqual(result);
  });

  it("borrows the agency's journeys when the practice is small", () => {
    const small = syntheticPractice({ patients: 20, seed: 12 });
    const pooled = attributePractice({ ...small, agencyPaths: result.paths });
    expect(pooled.markov.basis).toBe('agency-pool');
    expect(pooled.markov.fittedJourneys).toBe(pooled.markov.practiceJourneys + result.markov.fittedJourneys);
  });

  it('refuses settings it cannot honour', () => {
    expect(() => attributePractice({ ...input, settings: { defaultModel: 'u-shaped' as 'linear' } })).toThrow();
    expect(() => attributePractice({ ...input, timeZone: 'EST5EDT-ish' })).toThrow(/not an IANA time zone/);
  });
});
