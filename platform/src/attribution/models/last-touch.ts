import type { CreditModel } from './credit-model.ts';

/** All credit to the last touch before the first visit. */
export const lastTouch: CreditModel = (touchpoints) => touchpoints.map((_, i) => (i === touchpoints.length - 1 ? 1 : 0));
