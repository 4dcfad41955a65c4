import { weightsSummingToOne } from '../weights.ts';
import type { CreditModel } from './credit-model.ts';

/**
 * Credit halves for every `halfLifeDays` a touch lies further from the first visit: weight ∝ 2^(−days/halfLife).
 * Ages are measured from the youngest touch so the largest raw weight is 1 and old touches cannot underflow all
 * weights to zero (a 5-year lookback with a 1-day half-life would otherwise give 0/0).
 */
export const timeDecay: CreditModel = (touchpoints, { halfLifeDays }) => {
  if (!(halfLifeDays > 0)) throw new RangeError(`the time-decay half-life must be positive, got ${halfLifeDays}`);
  let youngest = Infinity;
  for (const touchpoint of touchpoints) youngest = Math.min(youngest, touchpoint.daysBeforeFirstVisit);
  return weightsSummingToOne(touchpoints.map((touchpoint) => 2 ** (-(touchpoint.daysBeforeFirstVisit - youngest) / halfLifeDays)));
};
