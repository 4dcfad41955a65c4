import { weightsSummingToOne } from '../weights.ts';
import type { CreditModel } from './credit-model.ts';

/**
 * 40% to the first touch, 40% to the last, 20% shared by the ones between. With one touch it takes everything; with
 * two there is no middle, so its 20% is split between them (50/50), as Google Analytics does.
 */
export const positionBased: CreditModel = (touchpoints) => {
  const n = touchpoints.length;
  if (n === 1) return [1];
  if (n === 2) return [0.5, 0.5];
  return weightsSummingToOne(touchpoints.map((_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2))));
};
