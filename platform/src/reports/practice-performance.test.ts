import { describe, expect, it } from 'vitest';
import { totalsOfChannels } from './practice-performance.ts';

const row = (leads: number, creditedPatients: number, productionCents: number) => ({
  leads, linkedLeads: 0, newPatients: 0, creditedPatients, productionLevel1Cents: productionCents, productionLevel2Cents: 0,
  productionLevel3Cents: 0, productionCents, collectionsCents: 0,
});

describe('a range’s totals from its channels', () => {
  it('adds every measure, credited patients exactly in millionths', () => {
    const totals = totalsOfChannels([row(3, 0.1, 10_000), row(4, 0.2, 2_500), row(0, 0.000001, 0)]);
    expect(totals).toMatchObject({ leads: 7, productionCents: 12_500, productionLevel1Cents: 12_500 });
    // 0.1 + 0.2 + 0.000001 in floating point is 0.30000100000000003: the millionths are not.
    expect(totals.creditedPatients).toBe(0.300001);
  });

  it('is all zeros for a range without rollups', () => {
    expect(Object.values(totalsOfChannels([])).every((v) => v === 0)).toBe(true);
  });
});
