import { allocateByLargestRemainder } from './allocate.ts';
import { addCalendarMonths, type DayNumber } from './local-day.ts';

/**
 * The revenue measures credited to touchpoints, each kept and credited separately:
 * - production (completed procedures' fees): level 1 on the first-visit day; level 2 follow-on treatment after it and
 *   within `followOnMonths` (12) of it; level 3 the major procedures (by CDT family) among levels 1 and 2;
 * - collections (payments, refunds negative): level 1 paid on the first-visit day, level 2 within the follow-on
 *   window. Payments name no procedure, so there is no level 3 of collections.
 *
 * Level 3 overlaps levels 1 and 2 by design: it answers "how much of this was major work", not "how much more". The
 * totals that never double count are level 1 + level 2 (`productionTotalCents`, `collectionsTotalCents`).
 */
export const revenueMeasures = ['productionLevel1', 'productionLevel2', 'productionLevel3', 'collectionsLevel1', 'collectionsLevel2'] as const;
export type RevenueMeasure = (typeof revenueMeasures)[number];

/** One day of a patient's credited revenue: each measure's cents that day. */
export interface RevenueDay {
  day: DayNumber;
  cents: Record<RevenueMeasure, number>;
}

export interface PatientRevenue {
  /** Days with credited revenue, ascending. Credit is split per day, so rollups by day add up exactly. */
  days: RevenueDay[];
  /** Production and collections outside the window (before the first visit, or after the follow-on window): not credited, kept for reconciliation. */
  uncreditedProductionCents: number;
  uncreditedCollectionsCents: number;
}

export interface ProductionEvent {
  day: DayNumber;
  feeCents: number;
  major: boolean;
}

export interface CollectionEvent {
  day: DayNumber;
  amountCents: number;
}

export function patientRevenue(input: {
  firstVisitDay: DayNumber;
  followOnMonths: number;
  production: readonly ProductionEvent[];
  collections: readonly CollectionEvent[];
}): PatientRevenue {
  const { firstVisitDay } = input;
  // The window ends the day before the anniversary: first visit 15 Mar 2024 → follow-on through 14 Mar 2025.
  const followOnEnd = addCalendarMonths(firstVisitDay, input.followOnMonths) - 1;
  const levelOf = (day: DayNumber): 1 | 2 | null => (day === firstVisitDay ? 1 : day > firstVisitDay && day <= followOnEnd ? 2 : null);
  // A patient has a handful of visit days: a short list searched linearly beats a map per patient.
  const days: RevenueDay[] = [];
  const centsOn = (day: DayNumber): RevenueDay['cents'] => {
    for (const existing of days) if (existing.day === day) return existing.cents;
    const cents = { productionLevel1: 0, productionLevel2: 0, productionLevel3: 0, collectionsLevel1: 0, collectionsLevel2: 0 };
    days.push({ day, cents });
    return cents;
  };
  let uncreditedProductionCents = 0;
  let uncreditedCollectionsCents = 0;

  for (const event of input.production) {
    const level = levelOf(event.day);
    if (level === null) {
      uncreditedProductionCents += event.feeCents;
      continue;
    }
    const cents = centsOn(event.day);
    if (level === 1) cents.productionLevel1 += event.feeCents;
    else cents.productionLevel2 += event.feeCents;
    if (event.major) cents.productionLevel3 += event.feeCents;
  }
  for (const event of input.collections) {
    const level = levelOf(event.day);
    if (level === null) uncreditedCollectionsCents += event.amountCents;
    else if (level === 1) centsOn(event.day).collectionsLevel1 += event.amountCents;
    else centsOn(event.day).collectionsLevel2 += event.amountCents;
  }
  return {
    days: days.filter((d) => revenueMeasures.some((m) => d.cents[m] !== 0)).sort((a, b) => a.day - b.day),
    uncreditedProductionCents,
    uncreditedCollectionsCents,
  };
}

export interface RevenueTotals {
  productionLevel1Cents: number;
  productionLevel2Cents: number;
  productionLevel3Cents: number;
  /** Level 1 + level 2: the production a dashboard may add up (level 3 is already inside it). */
  productionTotalCents: number;
  collectionsLevel1Cents: number;
  collectionsLevel2Cents: number;
  collectionsTotalCents: number;
}

export function revenueTotals(revenue: PatientRevenue): RevenueTotals {
  const sum = (measure: RevenueMeasure) => revenue.days.reduce((total, day) => total + day.cents[measure], 0);
  const productionLevel1Cents = sum('productionLevel1');
  const productionLevel2Cents = sum('productionLevel2');
  const collectionsLevel1Cents = sum('collectionsLevel1');
  const collectionsLevel2Cents = sum('collectionsLevel2');
  return {
    productionLevel1Cents,
    productionLevel2Cents,
    productionLevel3Cents: sum('productionLevel3'),
    productionTotalCents: productionLevel1Cents + productionLevel2Cents,
    collectionsLevel1Cents,
    collectionsLevel2Cents,
    collectionsTotalCents: collectionsLevel1Cents + collectionsLevel2Cents,
  };
}

/**
 * Cents credited to each touchpoint, per measure. Each day's amount is split on its own (largest remainder), exactly
 * as the rollups split it, so a patient's drill-down always adds up to the dashboard; each measure's parts add up
 * exactly to the patient's total of it.
 */
export function creditedRevenueCents(revenue: PatientRevenue, weights: readonly number[]): Record<RevenueMeasure, number[]> {
  const credited = {} as Record<RevenueMeasure, number[]>;
  for (const measure of revenueMeasures) {
    const perTouchpoint = new Array<number>(weights.length).fill(0);
    for (const { cents } of revenue.days) {
      if (cents[measure] === 0) continue;
      allocateByLargestRemainder(cents[measure], weights).forEach((part, i) => (perTouchpoint[i] = (perTouchpoint[i] as number) + part));
    }
    credited[measure] = perTouchpoint;
  }
  return credited;
}
