import type { CreditModel } from './credit-model.ts';

/** All credit to the touch that found the patient. */
export const firstTouch: CreditModel = (touchpoints) => touchpoints.map((_, i) => (i === 0 ? 1 : 0));
