import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumberOfDate, isoDateOfDay } from './local-day.ts';
import { procedureFamilyOf } from './procedure-families.ts';
import { creditedRevenueCents, patientRevenue, revenueMeasures, revenueTotals, type ProductionEvent } from './revenue.ts';

const firstVisitDay = dayNumberOfDate('2024-03-15');
const on = (date: string) => dayNumberOfDate(date);
const procedure = (date: string, feeCents: number, code = 'D0150'): ProductionEvent => ({ day: on(date), feeCents, major: procedureFamilyOf(code) !== null });

describe('revenue levels', () => {
  const revenue = patientRevenue({
    firstVisitDay,
    followOnMonths: 12,
    production: [
      procedure('2024-03-15', 9_500, 'D0150'), // exam on the first visit: level 1
      procedure('2024-03-15', 125_000, 'D2740'), // crown on the first visit: level 1, and level 3
      procedure('2024-06-01', 240_000, 'D6010'), // implant: level 2, and level 3
      procedure('2025-03-14', 11_000, 'D1110'), // last day of the follow-on window: level 2
      procedure('2025-03-15', 11_000, 'D1110'), // the anniversary: outside, not credited
      procedure('2024-03-01', 7_500, 'D0274'), // before the first visit: not credited
    ],
    collections: [{ day: firstVisitDay, amountCents: 50_000 }, { day: on('2024-07-01'), amountCents: 200_000 }, { day: on('2024-08-01'), amountCents: -20_000 }],
  });

  it('puts first-visit production in level 1 and follow-on production within 12 months in level 2', () => {
    expect(revenueTotals(revenue)).toMatchObject({ productionLevel1Cents: 134_500, productionLevel2Cents: 251_000 });
  });

  it('reports major procedures as level 3, inside levels 1 and 2, so the total does not count them twice', () => {
    const totals = revenueTotals(revenue);
    expect(totals.productionLevel3Cents).toBe(365_000);
    expect(totals.productionTotalCents).toBe(134_500 + 251_000);
  });

  it('keeps collections (refunds negative) by the same windows, and the uncredited rest for reconciliation', () => {
    expect(revenueTotals(revenue)).toMatchObject({ collectionsLevel1Cents: 50_000, collectionsLevel2Cents: 180_000, collectionsTotalCents: 230_000 });
    expect(revenue.uncreditedProductionCents).toBe(18_500);
  });

  it('keeps revenue by day, so rollups can bucket it on the day it was earned', () => {
    expect(revenue.days.map((d) => isoDateOfDay(d.day))).toEqual(['2024-03-15', '2024-06-01', '2024-07-01', '2024-08-01', '2025-03-14']);
  });
});

describe('major procedure families', () => {
  it('reads CDT families: implants, orthodontics, crowns, bridges, dentures', () => {
    expect(procedureFamilyOf('D6010')?.id).toBe('implants');
    expect(procedureFamilyOf('D8090')?.id).toBe('orthodontics');
    expect(procedureFamilyOf('d2740')?.id).toBe('crowns');
    expect(procedureFamilyOf('D6240')?.id).toBe('bridges');
    expect(procedureFamilyOf('D5110')?.id).toBe('dentures');
    expect(procedureFamilyOf('D0150')).toBeNull();
    expect(procedureFamilyOf('99213')).toBeNull();
  });
});

describe('crediting revenue to touchpoints', () => {
  const arbitraryRevenue = fc.array(fc.record({ offset: fc.integer({ min: -30, max: 400 }), fee: fc.integer({ min: -500_000, max: 5_000_000 }), major: fc.boolean() }), { maxLength: 20 });
  const arbitraryWeights = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }).filter((w) => w.some((x) => x > 0));

  it('credits every measure in whole cents that add up exactly to the revenue, for any weights', () => {
    fc.assert(
      fc.property(arbitraryRevenue, arbitraryWeights, (events, weights) => {
        const revenue = patientRevenue({
          firstVisitDay, followOnMonths: 12,
          production: events.map((e) => ({ day: firstVisitDay + e.offset, feeCents: e.fee, major: e.major })),
          collections: events.map((e) => ({ day: firstVisitDay + e.offset, amountCents: Math.trunc(e.fee / 2) })),
        });
        const totals = revenueTotals(revenue);
        const credited = creditedRevenueCents(revenue, weights);
        const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
        expect(sum(credited.productionLevel1)).toBe(totals.productionLevel1Cents);
        expect(sum(credited.productionLevel2)).toBe(totals.productionLevel2Cents);
        expect(sum(credited.productionLevel3)).toBe(totals.productionLevel3Cents);
        expect(sum(credited.collectionsLevel1)).toBe(totals.collectionsLevel1Cents);
        expect(sum(credited.collectionsLevel2)).toBe(totals.collectionsLevel2Cents);
        for (const measure of revenueMeasures) expect(credited[measure].every(Number.isSafeInteger)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
