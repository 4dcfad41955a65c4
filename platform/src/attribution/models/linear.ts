import { weightsSummingToOne } from '../weights.ts';
import type { CreditModel } from './credit-model.ts';

/** Equal credit to every touch. */
export const linear: CreditModel = (touchpoints) => weightsSummingToOne(touchpoints.map(() => 1));
